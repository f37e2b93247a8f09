import { useTranslation } from 'react-i18next';
import type { Agreement } from '../../api/index.ts';
import { formatDateTime } from '../../i18n/format.ts';

/** Each time the agreed section was reopened: by whom, when, and why. */
export function Reopenings({ reopenings }: { reopenings: Agreement['reopenings'] }) {
  const { t, i18n } = useTranslation();
  if (reopenings.length === 0) return null;
  return (
    <ul className="reopen-list" aria-label={t('agreement.reopeningsLabel')} data-testid="reopenings">
      {reopenings.map((r, i) => (
        <li key={`${r.at}-${i}`} className="reopen-list__item" data-testid="reopening">
          {t('agreement.reopenedBy', { name: r.by, organisation: r.organisation || '—', when: formatDateTime(r.at, i18n.language) })}{' '}
          <q className="reopen-list__reason">{r.reason}</q>
        </li>
      ))}
    </ul>
  );
}
