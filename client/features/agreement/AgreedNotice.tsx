import { useTranslation } from 'react-i18next';
import type { Agreement } from '../../api/index.ts';
import { activeSignoffs } from './signoffs.ts';
import { StatusIcon } from './StatusIcon.tsx';
import { formatDate } from '../../i18n/format.ts';

/** The line shown over a locked editor: when and by whom the section was agreed. */
export function AgreedNotice({ agreement, fallbackNames }: { agreement: Agreement | null; fallbackNames: string[] }) {
  const { t, i18n } = useTranslation();
  const names = agreement
    ? activeSignoffs(agreement).map((s) => t(s.organisationVerified ? 'outline.signer' : 'outline.signerUnverified', { name: s.name, organisation: s.organisation }))
    : fallbackNames;
  const date = agreement?.agreedAt ? formatDate(agreement.agreedAt, i18n.language) : '';
  return (
    <p className="notice notice--agreed" data-testid="agreed-notice" role="status">
      <StatusIcon status="lock" />{' '}
      {date ? t('agreement.agreedNotice', { date, names: names.join(', ') }) : t('agreement.agreedNoticeNoDate', { names: names.join(', ') })}
    </p>
  );
}
