import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/index.ts';
import { Button, FormError } from '../../ui/forms.tsx';
import { ActionCard } from './ActionCard.tsx';
import { ActionForm } from './ActionForm.tsx';
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
  const { actions, orgs, error, reload, addOrg } = useSectionActions(planId, sectionId);
  const [adding, setAdding] = useState(false);
  useScrollToAction(actions);

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
      <FormError message={error} />
      {adding && (
        <div className="panel action-form-panel">
          <h3>{t('actions.newTitle')}</h3>
          <ActionForm
            planId={planId}
            orgs={orgs}
            onOrgAdded={addOrg}
            onCancel={() => setAdding(false)}
            onSubmit={async (input) => {
              await api.createAction(planId, sectionId, input);
              setAdding(false);
              await reload();
            }}
          />
        </div>
      )}
      {actions === null && !error && (
        <p className="muted" role="status">
          {t('common.loading')}
        </p>
      )}
      {actions !== null && actions.length === 0 && !adding && (
        <div className="empty-state" data-testid="actions-empty">
          <p>{t('actions.empty')}</p>
          <p className="muted small">{t('actions.emptyWhy')}</p>
        </div>
      )}
      {actions !== null && actions.length > 0 && (
        <ol className="action-list">
          {actions.map((a, i) => (
            <li key={a.id}>
              <ActionCard number={i + 1} count={actions.length} planId={planId} action={a} orgs={orgs} mayWrite={mayWrite} onOrgAdded={addOrg} reload={reload} />
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
