import { useTranslation } from 'react-i18next';
import { counted } from '../../i18n/counted.ts';
import type { Role, SectionStatus } from '../../../shared/api/index.ts';
import { useOffline } from '../../sync/connectivity.ts';
import { OfflineNote } from '../../sync/OfflineNote.tsx';
import { Button } from '../../ui/forms.tsx';
import { StatusIcon } from './StatusIcon.tsx';

interface Props {
  role: Role;
  status: SectionStatus;
  busy: boolean;
  /** The person has signed the current content. */
  signedByMe: boolean;
  openSuggestions: number;
  /** A signature of an unverified organisation would be refused: said before signing, not after. */
  myOrganisationUnverified: boolean;
  onSetStatus: (status: 'in_review' | 'drafting') => void;
  onSign: () => void;
  onReopen: () => void;
  /** Withdraw the person's own signature (asked in a dialog first). */
  onWithdrawMine: () => void;
  /** The plan is adopted: its agreed sections are the adopted text and are not reopened. */
  adopted: boolean;
}

/**
 * The buttons a coordinator or drafter has on a section's agreement, and why signing may wait. A
 * signer whose role was lowered since (to commenter, say) keeps only "Withdraw my signature": the
 * signature still counts, and it is theirs to take back.
 */
export function AgreementActions({ role, status, busy, signedByMe, openSuggestions, myOrganisationUnverified, adopted, onSetStatus, onSign, onReopen, onWithdrawMine }: Props) {
  const { t } = useTranslation();
  // Every action here is the server's to record: offline they wait, and say why.
  const offline = useOffline();
  const mayWork = role === 'coordinator' || role === 'drafter';
  const withdrawMine = signedByMe && status !== 'agreed' && (
    <Button variant="link" className="button--small" busy={busy} disabled={offline} onClick={onWithdrawMine} data-testid="withdraw-my-signature">
      {t('agreement.withdrawMine')}
    </Button>
  );
  // Said where there is something to do (an agreed section a drafter can only read asks nothing).
  const anyAction = withdrawMine || (mayWork && (status !== 'agreed' || (role === 'coordinator' && !adopted)));
  const offlineNote = anyAction && <OfflineNote testId="agreement-offline" />;
  if (!mayWork)
    return withdrawMine ? (
      <div className="agreement-panel__actions">
        {withdrawMine}
        {offlineNote}
      </div>
    ) : null;
  return (
    <div className="agreement-panel__actions">
      {status === 'drafting' && (
        <Button variant="secondary" className="button--small" busy={busy} disabled={offline} onClick={() => onSetStatus('in_review')} data-testid="send-for-review">
          {t('agreement.sendForReview')}
        </Button>
      )}
      {status === 'in_review' && (
        <Button variant="secondary" className="button--small" busy={busy} disabled={offline} onClick={() => onSetStatus('drafting')} data-testid="back-to-drafting">
          {t('agreement.backToDrafting')}
        </Button>
      )}
      {status !== 'agreed' && !signedByMe && (
        <Button
          className="button--small"
          busy={busy}
          disabled={openSuggestions > 0 || myOrganisationUnverified || offline}
          title={openSuggestions > 0 ? t('agreement.openSuggestions', counted(openSuggestions)) : undefined}
          onClick={onSign}
          data-testid="sign-off"
        >
          {t('agreement.signOff')}
        </Button>
      )}
      {status !== 'agreed' && !signedByMe && myOrganisationUnverified && (
        <span className="muted small" data-testid="sign-unverified-note">
          {t('agreement.unverifiedCannotSign')}
        </span>
      )}
      {status !== 'agreed' && openSuggestions > 0 && (
        <span className="muted small" data-testid="open-suggestions-notice">
          {t('agreement.openSuggestions', counted(openSuggestions))}
        </span>
      )}
      {signedByMe && status !== 'agreed' && (
        <span className="agreement-panel__signed" data-testid="signed-by-me">
          <StatusIcon status="lock" /> {t('agreement.youSigned')}
        </span>
      )}
      {withdrawMine}
      {offlineNote}
      {adopted && status === 'agreed' && (
        <span className="muted small" data-testid="adopted-locked">
          {t('agreement.adoptedLocked')}
        </span>
      )}
      {role === 'coordinator' && status === 'agreed' && !adopted && (
        <Button variant="secondary" className="button--small" busy={busy} disabled={offline} onClick={onReopen} data-testid="reopen">
          {t('agreement.reopen')}
        </Button>
      )}
    </div>
  );
}
