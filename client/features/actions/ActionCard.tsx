import { useState, type KeyboardEvent as ReactKeyboardEvent, type PointerEvent as ReactPointerEvent } from 'react';
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
  onMove,
  onDragStart,
  dragging = false,
}: {
  /** Its place in the section, from 1 (moving it); the heading shows its plan-wide number. */
  number: number;
  /** How many actions the section has (to offer moving this one up or down). */
  count: number;
  planId: string;
  action: Action;
  orgs: PlanOrganisation[];
  mayWrite: boolean;
  onOrgAdded: (o: PlanOrganisation) => void;
  reload: () => Promise<void>;
  /** Moves this action to a 0-based place in the section; `control` is what asked (focus returns to it). */
  onMove: (to: number, control?: string) => void;
  /** Starts dragging this action by its handle. */
  onDragStart: (event: ReactPointerEvent) => void;
  dragging?: boolean;
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

  // Alt+Up/Down on the card or anything in it but a field moves the action (keyboard reordering;
  // the Move up/down buttons do the same for anyone who does not know the keys).
  const onKeyDown = (event: ReactKeyboardEvent) => {
    if (!mayWrite || editing || !event.altKey || (event.key !== 'ArrowUp' && event.key !== 'ArrowDown')) return;
    const target = event.target as HTMLElement;
    if (target.closest('input, textarea, select, [contenteditable="true"], [role="dialog"]')) return;
    event.preventDefault();
    const to = number - 1 + (event.key === 'ArrowUp' ? -1 : 1);
    if (to >= 0 && to < count) onMove(to, target === event.currentTarget ? undefined : (target.dataset.testid ?? undefined));
  };

  const askRemoval = (target: RemovalTarget) => {
    setReason('');
    setConfirm(target);
  };

  return (
    <article
      className={`action-card${problems.length ? ' action-card--weak' : ''}${dragging ? ' action-card--dragging' : ''}`}
      id={`action-${action.id}`}
      tabIndex={-1}
      aria-labelledby={`action-${action.id}-title`}
      aria-describedby={mayWrite && count > 1 ? 'actions-reorder-hint' : undefined}
      onKeyDown={onKeyDown}
      data-testid="action-card"
      data-action-id={action.id}
    >
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
          <ActionSummary
            // The number exports and an adopting act cite (plan-wide), not the place in this section.
            number={action.number ?? number}
            action={action}
            problems={problems}
            orgById={orgById}
            handle={
              mayWrite && count > 1 ? (
                // Mouse only (hidden from assistive technology): the keys and buttons do the same.
                <span className="action-card__handle" aria-hidden="true" title={t('actions.dragHandle')} onPointerDown={onDragStart} data-testid="action-drag-handle">
                  ⠿
                </span>
              ) : null
            }
          />
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
            onMove={onMove}
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
