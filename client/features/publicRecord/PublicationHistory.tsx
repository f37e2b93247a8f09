import { useTranslation } from 'react-i18next';
import type { Publication } from '../../../shared/api/index.ts';

import { KindBadge } from './KindBadge.tsx';
import { formatDateTime } from '../../i18n/format.ts';
import { TableScroll } from '../../ui/TableScroll.tsx';

/** Every publication of the plan, newest first, with how each one ended (replaced or unpublished). */
export function PublicationHistory({ history }: { history: Publication[] }) {
  const { t, i18n } = useTranslation();
  const when = (iso: string) => formatDateTime(iso, i18n.language);
  return (
    <section className="spaced" aria-labelledby="pub-history-h" data-testid="publication-history">
      <h2 id="pub-history-h">{t('publicRecord.history.title')}</h2>
      {history.length === 0 ? (
        <p className="muted" data-testid="publication-history-empty">
          {t('publicRecord.history.empty')}
        </p>
      ) : (
        <TableScroll label={t('publicRecord.history.caption')}>
          <table className="table table--compact pub-history">
            <caption className="visually-hidden">{t('publicRecord.history.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('publicRecord.history.published')}</th>
                <th scope="col">{t('publicRecord.history.kind')}</th>
                <th scope="col">{t('publicRecord.history.by')}</th>
                <th scope="col">{t('publicRecord.history.hash')}</th>
                <th scope="col">{t('publicRecord.history.ended')}</th>
              </tr>
            </thead>
            <tbody>
              {history.map((p) => (
                <tr key={p.id} data-testid="publication-row" data-ended={p.endedReason ?? 'in-force'}>
                  <td>{when(p.publishedAt)}</td>
                  <td>
                    <KindBadge kind={p.kind} />
                  </td>
                  <td>{p.publishedBy}</td>
                  <td>
                    <code className="pub-hash" data-testid="publication-row-hash">
                      {p.hash}
                    </code>
                  </td>
                  <td data-testid="publication-row-ended">
                    {p.endedAt && p.endedReason ? (
                      t(`publicRecord.history.${p.endedReason}`, { date: when(p.endedAt) })
                    ) : (
                      <strong>{t('publicRecord.history.inForce')}</strong>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </section>
  );
}
