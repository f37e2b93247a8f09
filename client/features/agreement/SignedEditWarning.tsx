import { useTranslation } from 'react-i18next';
import { counted } from '../../i18n/counted.ts';
import type { Agreement } from '../../api/index.ts';
import { useFormat } from '../../i18n/format.ts';
import { activeSignoffs } from './signoffs.ts';

/**
 * Said before the first keystroke, not after: the section's current text is signed, and changing
 * it withdraws those signatures (the signers are told). One stray word in editing mode would
 * otherwise undo the other side's signature; a suggestion does not, as open suggestions are not
 * part of the signed content.
 */
export function SignedEditWarning({ agreement }: { agreement: Agreement }) {
  const { t } = useTranslation();
  const format = useFormat();
  const signers = activeSignoffs(agreement).filter((s) => s.contentHash === agreement.currentHash);
  if (signers.length === 0) return null;
  const names = format.list(signers.map((s) => t('outline.signer', { name: s.name, organisation: s.organisation })));
  return (
    <p className="notice" role="note" data-testid="signed-edit-warning">
      {t('agreement.editWithdraws', counted(signers.length, { names }))}
    </p>
  );
}
