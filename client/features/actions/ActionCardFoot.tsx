import { useTranslation } from 'react-i18next';
import type { Action } from '../../../shared/api/index.ts';
import { api } from '../../api/index.ts';
import { Button } from '../../ui/forms.tsx';
import { HistoryButton } from '../history/ItemHistory.tsx';
import type { Run } from '../../ui/useRunThenReload.ts';

/** What can be done with a whole action: edit, delete, move it in the section, see its history. */
export function ActionCardFoot({
  planId,
  action,
  number,
  count,
  mayWrite,
  busy,
  run,
  onEdit,
  onDelete,
}: {
  planId: string;
  action: Action;
  /** This action's 1-based place in the section. */
  number: number;
  /** How many actions the section has (to offer moving this one up or down). */
  count: number;
  mayWrite: boolean;
  busy: boolean;
  run: Run;
  onEdit: () => void;
  onDelete: () => void;
}) {
  const { t } = useTranslation();
  return (
    <div className="button-row action-card__foot">
      {mayWrite && (
        <>
          <Button variant="secondary" className="button--small" onClick={onEdit} data-testid="action-edit">
            {t('actions.edit')}
          </Button>
          <Button
            variant="link"
            className="button--small button--danger-link"
            onClick={onDelete}
            data-testid="action-delete"
          >
            {t('actions.delete')}
          </Button>
          {/* Positions are 0-based; `number` is this action's 1-based place. */}
          {number > 1 && (
            <Button variant="link" className="button--small" disabled={busy} onClick={() => void run(() => api.updateAction(planId, action.id, { position: number - 2 }))} data-testid="action-move-up">
              {t('actions.moveUp')}
            </Button>
          )}
          {number < count && (
            <Button variant="link" className="button--small" disabled={busy} onClick={() => void run(() => api.updateAction(planId, action.id, { position: number }))} data-testid="action-move-down">
              {t('actions.moveDown')}
            </Button>
          )}
        </>
      )}
      <HistoryButton planId={planId} targetType="action" targetId={action.id} title={action.title} testId="action-history" />
    </div>
  );
}
