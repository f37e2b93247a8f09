import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/index.ts';
import { useOffline } from '../../sync/connectivity.ts';
import { NotLoadedNote, OfflineNote } from '../../sync/OfflineNote.tsx';
import { focusWhenShown } from '../../ui/focusWhenShown.ts';
import { Button, FormError } from '../../ui/forms.tsx';
import { ActionCard } from './ActionCard.tsx';
import { ActionForm } from './ActionForm.tsx';
import { dropMark, useActionDrag } from './useActionDrag.ts';
import { useActionReorder } from './useActionReorder.ts';
import { useScrollToAction } from './useScrollToAction.ts';
import { useSectionActions } from './useSectionActions.ts';

/**
 * The section's actions: who does what by when, with which money, for which recommendations, and
 * how progress will be measured. Writers add and edit; everyone else reads.
 */
export function ActionsPanel({
  planId,
  sectionId,
  sectionTitle,
  mayWrite,
}: {
  planId: string;
  sectionId: string;
  sectionTitle: string;
  mayWrite: boolean;
}) {
  const { t } = useTranslation();
  const { actions, orgs, error, failure, reload, addOrg } = useSectionActions(planId, sectionId);
  const [adding, setAdding] = useState(false);
  useScrollToAction(actions);
  const reorder = useActionReorder(planId, sectionId, actions);
  const listRef = useRef<HTMLOListElement>(null);
  // Offline, what changes actions on the server waits (moving them here, saving a form there) and
  // the panel says why; what was loaded stays shown, and forms keep what is typed in them.
  const offline = useOffline();
  const move = (actionId: string, to: number, control?: string) => {
    if (!offline) reorder.move(actionId, to, control);
  };
  const { drag, begin } = useActionDrag(listRef, (actionId, to) => move(actionId, to, 'action-drag-handle'));
  const ids = actions?.map((a) => a.id) ?? [];

  return (
    <section className="actions-panel" aria-labelledby="actions-heading" data-testid="actions-panel">
      <div className="actions-panel__head">
        <div>
          <h2 id="actions-heading">{t('actions.title')}</h2>
          <p className="muted">{t('actions.intro', { section: sectionTitle })}</p>
        </div>
        {mayWrite && !adding && (
          <Button onClick={() => setAdding(true)} data-testid="add-action">
            {t('actions.add')}
          </Button>
        )}
      </div>
      {mayWrite && actions !== null && actions.length > 1 && (
        <p id="actions-reorder-hint" className="muted small">
          {t('actions.reorderHint')}
        </p>
      )}
      {/* Not loaded yet, the note below says it all; once loaded (or adding), why changes wait. */}
      {mayWrite && (actions !== null || adding) && <OfflineNote testId="actions-offline" />}
      <FormError message={error ?? reorder.error} />
      {/* Where a moved action is now, said once for screen readers (the list itself just changes). */}
      <p className="visually-hidden" role="status" aria-live="polite" data-testid="actions-announcement">
        {reorder.announcement}
      </p>
      {adding && (
        <div className="panel action-form-panel">
          <h3>{t('actions.newTitle')}</h3>
          <ActionForm
            planId={planId}
            orgs={orgs}
            onOrgAdded={addOrg}
            onCancel={() => {
              setAdding(false);
              focusWhenShown('[data-testid=add-action]');
            }}
            onSubmit={async (input) => {
              const created = await api.createAction(planId, sectionId, input);
              setAdding(false);
              await reload();
              // The form is gone: continue on the new action's card (focusable, tabIndex -1).
              focusWhenShown(`#action-${CSS.escape(created.id)}`);
            }}
          />
        </div>
      )}
      {actions === null && !error && <NotLoadedNote failure={failure} testId="actions-not-loaded" />}
      {actions !== null && actions.length === 0 && !adding && (
        <div className="empty-state" data-testid="actions-empty">
          <p>{t('actions.empty')}</p>
          <p className="muted small">{t('actions.emptyWhy')}</p>
        </div>
      )}
      {actions !== null && actions.length > 0 && (
        <ol ref={listRef} className={`action-list${drag ? ' action-list--dragging' : ''}`} aria-busy={reorder.busy}>
          {actions.map((a, i) => {
            const mark = dropMark(drag, ids, a.id);
            return (
              <li key={a.id} data-action-id={a.id} className={mark ? `action-list__item--drop-${mark}` : undefined}>
                <ActionCard
                  number={i + 1}
                  count={actions.length}
                  planId={planId}
                  action={a}
                  orgs={orgs}
                  mayWrite={mayWrite}
                  onOrgAdded={addOrg}
                  reload={reload}
                  onMove={(to, control) => move(a.id, to, control)}
                  onDragStart={(event) => {
                    if (!offline) begin(a.id, event);
                  }}
                  dragging={drag?.actionId === a.id}
                />
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
