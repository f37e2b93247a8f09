import { useTranslation } from 'react-i18next';
import type { Action, Indicator } from '../../../shared/api/index.ts';
import { api, type PlanOrganisation } from '../../api/index.ts';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { useMe } from '../../session/SessionContext.tsx';
import { actionDeletionText } from './deletionText.ts';
import { RemovalReason, othersProposals } from './ProposalRemoval.tsx';
import type { Run } from '../../ui/useRunThenReload.ts';

/** What is about to be deleted: the whole action (with its indicators) or one indicator. */
export type RemovalTarget = { kind: 'action' } | { kind: 'indicator'; indicator: Indicator };

/**
 * Asks before deleting an action or an indicator. Removing what another organisation proposed
 * asks why (ProposalRemoval.tsx); the reason is kept by the card, which clears it on each ask.
 */
export function ActionRemovalDialog({
  planId,
  action,
  orgById,
  target,
  reason,
  onReason,
  busy,
  error,
  run,
  onClose,
}: {
  planId: string;
  action: Action;
  orgById: Map<string, PlanOrganisation>;
  target: RemovalTarget | null;
  reason: string;
  onReason: (reason: string) => void;
  busy: boolean;
  error: string | null;
  run: Run;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const removing = othersProposals(
    target === null ? [] : target.kind === 'action' ? [action.proposedByOrganisationId, ...action.indicators.map((i) => i.proposedByOrganisationId)] : [target.indicator.proposedByOrganisationId],
    me.organisation.id,
  ).map((id) => orgById.get(id)?.name ?? t('actions.unknownOrg'));

  return (
    <ConfirmDialog
      open={target !== null}
      title={target?.kind === 'indicator' ? t('indicators.deleteTitle') : t('actions.deleteTitle')}
      confirmLabel={target?.kind === 'indicator' ? t('indicators.deleteConfirm') : t('actions.deleteConfirm')}
      busy={busy}
      error={error}
      confirmDisabled={removing.length > 0 && reason.trim() === ''}
      onCancel={onClose}
      onConfirm={() => {
        if (!target) return;
        const why = reason.trim() || undefined;
        void run(() => (target.kind === 'action' ? api.deleteAction(planId, action.id, why) : api.deleteIndicator(planId, target.indicator.id, why))).then((ok) => {
          if (ok) onClose();
        });
      }}
    >
      {target?.kind === 'action' && (
        <p>{actionDeletionText(t, i18n.language, { title: action.title, indicators: action.indicators.length, recs: action.recommendations.length })}</p>
      )}
      {target?.kind === 'indicator' && <p>{t('indicators.deleteBody', { description: target.indicator.description })}</p>}
      <RemovalReason organisations={removing} value={reason} onChange={onReason} />
    </ConfirmDialog>
  );
}
