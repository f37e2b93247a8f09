import { useTranslation } from 'react-i18next';
import type { Action, Indicator } from '../../../shared/api/index.ts';
import { api, type PlanOrganisation } from '../../api/index.ts';
import { Button } from '../../ui/forms.tsx';
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
  return (
    <div className="action-card__block">
      <h4>{t('actions.indicatorsHeading', { count: action.indicators.length })}</h4>
      {action.indicators.length === 0 ? (
        <p className="muted small">{t('actions.noIndicators')}</p>
      ) : (
        <IndicatorsTable
          planId={planId}
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
            onCancel={() => onEditing(null)}
            onSubmit={async (input) => {
              await api.updateIndicator(planId, editing.id, input);
              onEditing(null);
              await reload();
            }}
          />
        </div>
      )}
      {mayWrite && adding && (
        <div className="panel panel--inset">
          <h5>{t('indicators.newTitle')}</h5>
          <IndicatorForm
            orgs={orgs}
            onCancel={() => onAdding(false)}
            onSubmit={async (input) => {
              await api.addIndicator(planId, action.id, input);
              onAdding(false);
              await reload();
            }}
          />
        </div>
      )}
      {mayWrite && !adding && !editing && (
        <Button variant="secondary" className="button--small" onClick={() => onAdding(true)} data-testid="add-indicator">
          {t('indicators.add')}
        </Button>
      )}
    </div>
  );
}
