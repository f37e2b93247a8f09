import { useTranslation } from 'react-i18next';
import type { Action } from '../../../shared/api/index.ts';
import { api } from '../../api/index.ts';
import { Button } from '../../ui/forms.tsx';
import { useOffline } from '../../sync/connectivity.ts';
import { PositionBadge } from '../recommendations/recommendations.tsx';
import { LinkRecsPicker } from './LinkRecsPicker.tsx';
import type { Run } from '../../ui/useRunThenReload.ts';

/**
 * The recommendations an action answers: each one's text on demand, and for writers unlinking
 * one or opening the picker to link more. Which text is open and whether the picker is open are
 * kept by the card, so they outlast editing the action.
 */
export function ActionRecsBlock({
  planId,
  action,
  mayWrite,
  busy,
  run,
  reload,
  openRec,
  onOpenRec,
  linking,
  onLinking,
}: {
  planId: string;
  action: Action;
  mayWrite: boolean;
  busy: boolean;
  run: Run;
  reload: () => Promise<void>;
  openRec: string | null;
  onOpenRec: (id: string | null) => void;
  linking: boolean;
  onLinking: (open: boolean) => void;
}) {
  const { t } = useTranslation();
  const open = action.recommendations.find((r) => r.id === openRec);
  // Offline, unlinking and the picker (it searches the server) wait; the actions panel says why.
  const offline = useOffline();
  return (
    <div className="action-card__block">
      <h4>{t('actions.recsHeading', { count: action.recommendations.length })}</h4>
      {action.recommendations.length === 0 ? (
        <p className="muted small">{t('actions.noRecs')}</p>
      ) : (
        <ul className="rec-badges">
          {action.recommendations.map((r) => (
            <li key={r.id}>
              <button
                type="button"
                className={`rec-badge${openRec === r.id ? ' is-open' : ''}`}
                title={r.text}
                aria-expanded={openRec === r.id}
                onClick={() => onOpenRec(openRec === r.id ? null : r.id)}
                data-testid="action-rec-badge"
              >
                {r.reference}
                <span className="visually-hidden"> ({t(`position.${r.position}`)})</span>
              </button>
              {mayWrite && (
                <button
                  type="button"
                  className="icon-button"
                  aria-label={t('actions.unlink', { reference: r.reference })}
                  title={t('actions.unlink', { reference: r.reference })}
                  disabled={busy || offline}
                  onClick={() => void run(() => api.unlinkRecommendation(planId, action.id, r.id))}
                  data-testid="action-rec-unlink"
                >
                  <span aria-hidden="true">✕</span>
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {open && (
        <div className="rec-quote" data-testid="action-rec-text">
          <p className="rec-quote__head">
            <strong>{open.reference}</strong> <PositionBadge position={open.position} />
          </p>
          <blockquote className="rec-text">{open.text}</blockquote>
        </div>
      )}
      {mayWrite && !linking && (
        <Button variant="secondary" className="button--small" disabled={offline} onClick={() => onLinking(true)} data-testid="link-recs-open">
          {t('actions.linkOpen')}
        </Button>
      )}
      {mayWrite && linking && <LinkRecsPicker planId={planId} action={action} onChanged={reload} onClose={() => onLinking(false)} />}
    </div>
  );
}
