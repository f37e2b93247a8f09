import { useTranslation } from 'react-i18next';
import type { Action } from '../../../shared/api/index.ts';
import { Button } from '../../ui/forms.tsx';
import { useOffline } from '../../sync/connectivity.ts';
import { HistoryButton } from '../history/ItemHistory.tsx';

/** What can be done with a whole action: edit, delete, move it in the section, see its history. */
export function ActionCardFoot({
  planId,
  action,
  number,
  count,
  mayWrite,
  onMove,
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
  /** Moves this action to a 0-based place, saying which button asked (focus returns to it). */
  onMove: (to: number, control: string) => void;
  onEdit: () => void;
  onDelete: () => void;
}) {
  const { t } = useTranslation();
  // Offline, moving and deleting wait (the actions panel says why); editing opens a form that keeps what is typed.
  const offline = useOffline();
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
            disabled={offline}
            onClick={onDelete}
            data-testid="action-delete"
          >
            {t('actions.delete')}
          </Button>
          {/* `number` is 1-based; places are 0-based. Visible "Move up" is part of the name (label in name). */}
          {number > 1 && (
            <Button variant="link" className="button--small" aria-label={t('actions.moveUpLabel', { title: action.title })} disabled={offline} onClick={() => onMove(number - 2, 'action-move-up')} data-testid="action-move-up">
              {t('actions.moveUp')}
            </Button>
          )}
          {number < count && (
            <Button variant="link" className="button--small" aria-label={t('actions.moveDownLabel', { title: action.title })} disabled={offline} onClick={() => onMove(number, 'action-move-down')} data-testid="action-move-down">
              {t('actions.moveDown')}
            </Button>
          )}
        </>
      )}
      <HistoryButton planId={planId} targetType="action" targetId={action.id} title={action.title} testId="action-history" />
    </div>
  );
}
