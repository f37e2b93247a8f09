import { useTranslation } from 'react-i18next';
import { reopeningOf, WITHDRAWN_BACK_TO_DRAFTING, WITHDRAWN_CONTENT_CHANGED, type Signoff } from '../../../shared/api/index.ts';
import { formatDateTime } from '../../i18n/format.ts';

/**
 * Signatures that no longer count, newest first, each saying who withdrew it by editing or why
 * it was withdrawn otherwise. Open while the section is not agreed.
 */
export function WithdrawnSignoffs({ withdrawn, open }: { withdrawn: Signoff[]; open: boolean }) {
  const { t, i18n } = useTranslation();
  // Accord's own reasons are stored in English: said in the reader's language; people's words as written.
  const reasonWords = (reason: string): string => {
    if (reason === WITHDRAWN_BACK_TO_DRAFTING) return t('agreement.withdrawnReasonDrafting');
    if (reason === WITHDRAWN_CONTENT_CHANGED) return t('agreement.withdrawnReasonChanged');
    const reopening = reopeningOf(reason);
    return reopening ? t('agreement.withdrawnReasonReopened', reopening) : reason;
  };
  if (withdrawn.length === 0) return null;
  return (
    <details className="withdrawn-signoffs" open={open} data-testid="withdrawn-signoffs">
      <summary>{t('agreement.withdrawnHeading', { count: withdrawn.length })}</summary>
      <ul>
        {withdrawn.map((s) => (
          <li key={s.id} data-testid="withdrawn-signoff">
            {s.withdrawnBySigner
              ? t(s.withdrawnReason ? 'agreement.withdrawnBySignerReason' : 'agreement.withdrawnBySigner', {
                  name: s.name,
                  organisation: s.organisation,
                  signed: formatDateTime(s.signedAt, i18n.language),
                  when: formatDateTime(s.withdrawnAt!, i18n.language),
                  reason: s.withdrawnReason ?? '',
                })
              : s.withdrawnByName
              ? t('agreement.withdrawnByEdit', {
                  name: s.name,
                  organisation: s.organisation,
                  signed: formatDateTime(s.signedAt, i18n.language),
                  editor: s.withdrawnByName,
                  when: formatDateTime(s.withdrawnAt!, i18n.language),
                })
              : t('agreement.withdrawnOther', {
                  name: s.name,
                  organisation: s.organisation,
                  signed: formatDateTime(s.signedAt, i18n.language),
                  when: formatDateTime(s.withdrawnAt!, i18n.language),
                  reason: reasonWords(s.withdrawnReason ?? ''),
                })}
          </li>
        ))}
      </ul>
    </details>
  );
}
