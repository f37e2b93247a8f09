import { useTranslation } from 'react-i18next';
import type { TextAccess } from '../../../shared/api/index.ts';

interface Props {
  /** What the person may now do to the text, after it changed while they were here. */
  accessNotice: TextAccess | null;
  onDismissAccess: () => void;
  /** i18n key of why the server refused an edit. */
  refusedReason: string | null;
  /** The person's own words that were not kept, quoted so they can type them again. */
  refusedText?: string;
  onDismissRefused: () => void;
  /** What suggesting cannot do, shown while suggesting. */
  hint: string | null;
}

/** Notices over the editor about what just happened to the person's editing. */
export function SectionNotices({ accessNotice, onDismissAccess, refusedReason, refusedText, onDismissRefused, hint }: Props) {
  const { t } = useTranslation();
  return (
    <>
      {accessNotice && (
        <div className="alert alert--info" role="status" data-testid="access-changed-notice">
          {t(`mode.accessChanged.${accessNotice}`)}{' '}
          <button type="button" className="button button--link button--small" onClick={onDismissAccess}>
            {t('common.dismiss')}
          </button>
        </div>
      )}
      {refusedReason && (
        <div className="alert alert--warning" role="alert" data-testid="edit-refused-notice">
          {t('sync.refused.notice', { reason: t(refusedReason) })}{' '}
          {refusedText && (
            <span data-testid="edit-refused-text">{t('sync.refused.notKept', { text: refusedText })} </span>
          )}
          <button type="button" className="button button--link button--small" onClick={onDismissRefused}>
            {t('common.dismiss')}
          </button>
        </div>
      )}
      {hint && (
        <p className="notice notice--hint" role="status" data-testid="suggesting-hint">
          {hint}
        </p>
      )}
    </>
  );
}
