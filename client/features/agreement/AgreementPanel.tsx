import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Role } from '../../../shared/api/index.ts';
import { agreementApi, type Agreement } from '../../api/index.ts';
import { useMembersQuery } from '../../api/queries.ts';
import { FormError } from '../../ui/forms.tsx';
import { NotLoadedNote } from '../../sync/OfflineNote.tsx';
import { AgreementActions } from './AgreementActions.tsx';
import { AgreementRule } from './AgreementRule.tsx';
import { HashView } from './HashView.tsx';
import { BackToDraftingDialog } from './BackToDraftingDialog.tsx';
import { WithdrawSignatureDialog } from './WithdrawSignatureDialog.tsx';
import { ReopenDialog } from './ReopenDialog.tsx';
import { Reopenings } from './Reopenings.tsx';
import { SectionStatusBadge } from './SectionStatusBadge.tsx';
import { SignDialog } from './SignDialog.tsx';
import { SignoffList } from './SignoffList.tsx';
import { activeSignoffs } from './signoffs.ts';
import { useAgreementActions } from './useAgreementActions.ts';
import { useLifecycleQuery } from '../../api/monitoring.ts';
import { WithdrawnSignoffs } from './WithdrawnSignoffs.tsx';

interface PanelProps {
  planId: string;
  sectionTitle: string;
  role: Role;
  meId: string;
  agreement: Agreement | null;
  error: string | null;
  onChanged: () => Promise<void> | void;
  /** Open suggestions in the live document, when it is open here (more current than `agreement`). */
  liveOpenSuggestions?: number;
  /** On a phone: folded to its heading and status, opened with the heading's button. */
  collapsible?: boolean;
}

/**
 * Where the section stands: its status, the hash of its current content, who signed which
 * version, what is still missing, and the actions the person's role allows.
 */
export function AgreementPanel({ planId, sectionTitle, role, meId, agreement, error, onChanged, liveOpenSuggestions, collapsible = false }: PanelProps) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  // Going back to drafting withdraws every standing signature: asked first when there are any.
  const [confirmDrafting, setConfirmDrafting] = useState(false);
  const [withdrawingMine, setWithdrawingMine] = useState(false);
  const bodyId = useId();
  const folded = collapsible && !open;
  const { busy, actionError, run, sign, reopen } = useAgreementActions(planId, agreement, onChanged);
  // A signature of an unverified organisation would be refused: said before signing, not after.
  const stage = useLifecycleQuery(planId).data?.stage;
  const adopted = stage !== undefined && stage !== 'drafting';
  const myOrganisationUnverified = useMembersQuery(planId).data?.find((m) => m.userId === meId)?.organisationVerified === false;

  if (!agreement) {
    return (
      <section className="agreement-panel" data-testid="agreement-panel" aria-label={t('agreement.heading')}>
        {error ? <FormError message={error} /> : <NotLoadedNote testId="agreement-not-loaded" />}
      </section>
    );
  }

  const status = agreement.status;
  // The live document knows of a new or decided suggestion before the agreement is fetched again.
  const openSuggestions = liveOpenSuggestions ?? agreement.openSuggestions;
  const signoffs = activeSignoffs(agreement);
  // Newest first: the last withdrawal is the one people need to know about.
  const withdrawn = agreement.signoffs.filter((s) => s.withdrawnAt !== null).reverse();
  const mySignoff = signoffs.find((s) => s.userId === meId && s.contentHash === agreement.currentHash);

  return (
    <section className={`agreement-panel agreement-panel--${status}`} data-testid="agreement-panel" data-status={status} aria-labelledby="agreement-heading">
      <div className="agreement-panel__head">
        <h2 id="agreement-heading" className="agreement-panel__heading">
          {collapsible ? (
            // A disclosure: its state is read out with its name, and Enter or Space opens it.
            <button type="button" className="agreement-panel__toggle" aria-expanded={open} aria-controls={bodyId} onClick={() => setOpen(!open)} data-testid="agreement-toggle">
              {t('agreement.heading')}
            </button>
          ) : (
            t('agreement.heading')
          )}
        </h2>
        <SectionStatusBadge status={status} testId="agreement-status" />
        <span className="agreement-panel__hash">
          <span className="muted small">{status === 'agreed' ? t('agreement.agreedHash') : t('agreement.currentHash')}</span>{' '}
          <HashView hash={status === 'agreed' && agreement.agreedHash ? agreement.agreedHash : agreement.currentHash} testId="agreement-hash" />
        </span>
      </div>

      <div id={bodyId} className="agreement-panel__body" hidden={folded} data-testid="agreement-body">
        <Reopenings reopenings={agreement.reopenings} />
        <SignoffList signoffs={signoffs} currentHash={agreement.currentHash} status={status} />
        <WithdrawnSignoffs withdrawn={withdrawn} open={status !== 'agreed'} />

        <AgreementRule planId={planId} agreement={agreement} />

        <FormError message={actionError} />

        <AgreementActions
          role={role}
          status={status}
          busy={busy}
          signedByMe={mySignoff !== undefined}
          openSuggestions={openSuggestions}
          myOrganisationUnverified={myOrganisationUnverified}
          onSetStatus={(next) => {
            if (next === 'drafting' && signoffs.length > 0) setConfirmDrafting(true);
            else void run(() => agreementApi.setStatus(planId, agreement.sectionId, next));
          }}
          onSign={sign.start}
          onReopen={reopen.start}
          onWithdrawMine={() => setWithdrawingMine(true)}
          adopted={adopted}
        />
      </div>

      <SignDialog sectionTitle={sectionTitle} form={sign} busy={busy} />
      <ReopenDialog sectionTitle={sectionTitle} form={reopen} busy={busy} />
      <WithdrawSignatureDialog
        open={withdrawingMine}
        sectionTitle={sectionTitle}
        busy={busy}
        error={null}
        onCancel={() => setWithdrawingMine(false)}
        onConfirm={(reason) => {
          setWithdrawingMine(false);
          void run(() => agreementApi.withdrawSignoff(planId, agreement.sectionId, reason));
        }}
      />
      <BackToDraftingDialog
        open={confirmDrafting}
        signoffs={signoffs}
        busy={busy}
        onCancel={() => setConfirmDrafting(false)}
        onConfirm={() => {
          setConfirmDrafting(false);
          void run(() => agreementApi.setStatus(planId, agreement.sectionId, 'drafting'));
        }}
      />
    </section>
  );
}
