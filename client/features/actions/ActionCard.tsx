import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Action, Indicator } from '../../../shared/api/index.ts';
import { api, type PlanOrganisation } from '../../api/index.ts';
import { FormError } from '../../ui/forms.tsx';
import { ActionCardFoot } from './ActionCardFoot.tsx';
import { ActionForm } from './ActionForm.tsx';
import { ActionIndicatorsBlock } from './ActionIndicatorsBlock.tsx';
import { ActionRecsBlock } from './ActionRecsBlock.tsx';
import { ActionRemovalDialog, type RemovalTarget } from './ActionRemovalDialog.tsx';
import { ActionSummary } from './ActionSummary.tsx';
import { actionProblems } from './actionText.ts';
import { useRunThenReload } from '../../ui/useRunThenReload.ts';

/**
 * One action of the section: read as a card, or edited in place. The card keeps which of its
 * parts are open (a recommendation's text, the picker, an indicator form) so that editing the
 * action and coming back leaves them as they were.
 */
export function ActionCard({
  number,
  count,
  planId,
  action,
  orgs,
  mayWrite,
  onOrgAdded,
  reload,
}: {
  number: number;
  /** How many actions the section has (to offer moving this one up or down). */
  count: number;
  planId: string;
  action: Action;
  orgs: PlanOrganisation[];
  mayWrite: boolean;
  onOrgAdded: (o: PlanOrganisation) => void;
  reload: () => Promise<void>;
}) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState(false);
  const [linking, setLinking] = useState(false);
  const [addingIndicator, setAddingIndicator] = useState(false);
  const [editingIndicator, setEditingIndicator] = useState<Indicator | null>(null);
  const [confirm, setConfirm] = useState<RemovalTarget | null>(null);
  // Removing another organisation's proposal asks why (ProposalRemoval.tsx).
  const [reason, setReason] = useState('');
  const { busy, error, run } = useRunThenReload(reload);
  const [openRec, setOpenRec] = useState<string | null>(null);
  const orgById = new Map(orgs.map((o) => [o.id, o]));
  const problems = actionProblems(action);

  const askRemoval = (target: RemovalTarget) => {
    setReason('');
    setConfirm(target);
  };

  return (
    <article className={`action-card${problems.length ? ' action-card--weak' : ''}`} id={`action-${action.id}`} tabIndex={-1} aria-labelledby={`action-${action.id}-title`} data-testid="action-card" data-action-id={action.id}>
      {editing ? (
        <>
          <h3>{t('actions.editTitle', { title: action.title })}</h3>
          <ActionForm
            planId={planId}
            orgs={orgs}
            initial={action}
            onOrgAdded={onOrgAdded}
            onCancel={() => setEditing(false)}
            onSubmit={async (input) => {
              const { recommendationIds: _ignored, ...changes } = input;
              await api.updateAction(planId, action.id, changes);
              setEditing(false);
              await reload();
            }}
          />
        </>
      ) : (
        <>
          <ActionSummary number={number} action={action} problems={problems} orgById={orgById} />
          <ActionRecsBlock
            planId={planId}
            action={action}
            mayWrite={mayWrite}
            busy={busy}
            run={run}
            reload={reload}
            openRec={openRec}
            onOpenRec={setOpenRec}
            linking={linking}
            onLinking={setLinking}
          />
          <ActionIndicatorsBlock
            planId={planId}
            action={action}
            orgs={orgs}
            orgById={orgById}
            mayWrite={mayWrite}
            busy={busy}
            reload={reload}
            adding={addingIndicator}
            onAdding={setAddingIndicator}
            editing={editingIndicator}
            onEditing={setEditingIndicator}
            onDelete={(indicator) => askRemoval({ kind: 'indicator', indicator })}
          />
          <FormError message={error} />
          <ActionCardFoot
            planId={planId}
            action={action}
            number={number}
            count={count}
            mayWrite={mayWrite}
            busy={busy}
            run={run}
            onEdit={() => setEditing(true)}
            onDelete={() => askRemoval({ kind: 'action' })}
          />
        </>
      )}
      <ActionRemovalDialog
        planId={planId}
        action={action}
        orgById={orgById}
        target={confirm}
        reason={reason}
        onReason={setReason}
        busy={busy}
        error={error}
        run={run}
        onClose={() => setConfirm(null)}
      />
    </article>
  );
}
