import { useTranslation } from 'react-i18next';
import type { Action, Indicator } from '../../../shared/api/index.ts';
import { api, type PlanOrganisation } from '../../api/index.ts';
import { Button } from '../../ui/forms.tsx';
import { focusWhenShown } from '../../ui/focusWhenShown.ts';
import { IndicatorForm } from './IndicatorForm.tsx';
import { IndicatorsTable } from './IndicatorsTable.tsx';

/**
 * How progress on an action is measured: its indicators, and for writers the form to add one or
 * change one. Which form is open is kept by the card, so it outlasts editing the action.
 */
export function ActionIndicatorsBlock({
  planId,
  action,
  orgs,
  orgById,
  mayWrite,
  busy,
  reload,
  adding,
  onAdding,
  editing,
  onEditing,
  onDelete,
}: {
  planId: string;
  action: Action;
  orgs: PlanOrganisation[];
  orgById: Map<string, PlanOrganisation>;
  mayWrite: boolean;
  busy: boolean;
  reload: () => Promise<void>;
  adding: boolean;
  onAdding: (adding: boolean) => void;
  editing: Indicator | null;
  onEditing: (indicator: Indicator | null) => void;
  onDelete: (indicator: Indicator) => void;
}) {
  const { t } = useTranslation();
  // The form replaces the "Add indicator" button and goes when it is saved or cancelled: focus
  // goes into the form when it opens and back to that button after, not to the top of the page.
  const inCard = (testId: string) => `[data-testid=action-card][data-action-id="${CSS.escape(action.id)}"] [data-testid=${testId}]`;
  const backToAdd = () => focusWhenShown(inCard('add-indicator'));
  return (
    <div className="action-card__block">
      <h4>{t('actions.indicatorsHeading', { count: action.indicators.length })}</h4>
      {action.indicators.length === 0 ? (
        <p className="muted small">{t('actions.noIndicators')}</p>
      ) : (
        <IndicatorsTable
          planId={planId}
          label={t('indicators.tableLabel', { action: action.title })}
          indicators={action.indicators}
          orgName={(id) => orgById.get(id)?.name ?? t('actions.unknownOrg')}
          mayWrite={mayWrite}
          busy={busy}
          onEdit={(i) => {
            onAdding(false);
            onEditing(i);
          }}
          onDelete={onDelete}
        />
      )}
      {mayWrite && editing && (
        <div className="panel panel--inset">
          <h5>{t('indicators.editTitle')}</h5>
          <IndicatorForm
            orgs={orgs}
            initial={editing}
            onCancel={() => {
              onEditing(null);
              backToAdd();
            }}
            onSubmit={async (input) => {
              await api.updateIndicator(planId, editing.id, input);
              onEditing(null);
              await reload();
              backToAdd();
            }}
          />
        </div>
      )}
      {mayWrite && adding && (
        <div className="panel panel--inset">
          <h5>{t('indicators.newTitle')}</h5>
          <IndicatorForm
            orgs={orgs}
            onCancel={() => {
              onAdding(false);
              backToAdd();
            }}
            onSubmit={async (input) => {
              await api.addIndicator(planId, action.id, input);
              onAdding(false);
              await reload();
              backToAdd();
            }}
          />
        </div>
      )}
      {mayWrite && !adding && !editing && (
        <Button
          variant="secondary"
          className="button--small"
          onClick={() => {
            onAdding(true);
            focusWhenShown(inCard('indicator-type'));
          }}
          data-testid="add-indicator"
        >
          {t('indicators.add')}
        </Button>
      )}
    </div>
  );
}
