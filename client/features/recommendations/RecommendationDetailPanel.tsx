import { useEffect, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { counted } from '../../i18n/counted.ts';
import { Link } from 'react-router';
import { ApiError } from '../../api/index.ts';
import { queryKeys } from '../../api/queries.ts';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { Button, describeError } from '../../ui/forms.tsx';
import { GroupOfRecommendation } from '../recommendationGroups/GroupOfRecommendation.tsx';
import { EditRecommendation, enteredByHand } from './EditRecommendation.tsx';
import { PositionBadge, mechanismLabel } from './recommendations.tsx';
import { RecommendationFacts } from './RecommendationFacts.tsx';
import { useDeleteRecommendation } from './useDeleteRecommendation.ts';
import { useRecommendationQuery } from './useRecommendationQueries.ts';
import { useOffline } from '../../sync/connectivity.ts';
import { OfflineNote } from '../../sync/OfflineNote.tsx';

/** Moving to the previous or next recommendation of the page shown, without closing the detail. */
export interface PrevNext {
  prev: string | null;
  next: string | null;
  go: (id: string) => void;
}

/**
 * One recommendation beside the list: its text, the actions that implement it and its details;
 * writers edit it, a coordinator deletes it.
 */
export function RecommendationDetailPanel({
  planId,
  recId,
  mayWrite,
  isCoordinator,
  onClose,
  onPrevNext,
  onChanged,
}: {
  planId: string;
  recId: string;
  mayWrite: boolean;
  isCoordinator: boolean;
  onClose: () => void;
  onPrevNext: PrevNext | null;
  onChanged: () => void;
}) {
  const { t } = useTranslation();
  // Deleting is the server's to do: offline it waits, and says why.
  const offline = useOffline();
  const queryClient = useQueryClient();
  const recQuery = useRecommendationQuery(planId, recId);
  const rec = recQuery.data ?? null;
  const error = recQuery.error ? { gone: recQuery.error instanceof ApiError && recQuery.error.status === 404, message: describeError(recQuery.error, t).message } : null;
  const [editing, setEditing] = useState(false);
  const deletion = useDeleteRecommendation(planId, recId, () => {
    onChanged();
    onClose();
  });
  const headingRef = useRef<HTMLHeadingElement>(null);

  // Moving through the list reads each recommendation aloud from its heading.
  useEffect(() => {
    headingRef.current?.focus({ preventScroll: true });
  }, [rec?.id]);

  return (
    <aside className="rec-detail panel" aria-labelledby="rec-detail-title" data-testid="rec-detail">
      <div className="panel__head">
        <div className="button-row button-row--tight">
          {onPrevNext && (
            <>
              <Button variant="link" className="button--small" disabled={!onPrevNext.prev} onClick={() => onPrevNext.prev && onPrevNext.go(onPrevNext.prev)}>
                {t('recs.detailPrev')}
              </Button>
              <Button variant="link" className="button--small" disabled={!onPrevNext.next} onClick={() => onPrevNext.next && onPrevNext.go(onPrevNext.next)}>
                {t('recs.detailNext')}
              </Button>
            </>
          )}
        </div>
        <Button variant="link" className="button--small" onClick={onClose} data-testid="rec-detail-close">
          {t('recs.closeDetail')}
        </Button>
      </div>
      {error && (
        <p className={error.gone ? 'notice' : 'alert alert--error'} role="alert">
          {error.gone ? t('recs.gone') : error.message}
        </p>
      )}
      {!rec && !error && (
        <p className="muted" role="status">
          {t('common.loading')}
        </p>
      )}
      {rec && !error?.gone && (
        <>
          <p className="rec-detail__kicker">{mechanismLabel(t, rec.mechanism)}</p>
          <h2 id="rec-detail-title" className="rec-detail__title" tabIndex={-1} ref={headingRef}>
            {rec.reference}
          </h2>
          <p>
            <PositionBadge position={rec.position} kind={rec.kind} />
          </p>
          <blockquote className="rec-text" lang={rec.language}>
            {rec.text}
          </blockquote>
          <GroupOfRecommendation planId={planId} recId={rec.id} />
          <h3>{t('recs.implementingActions')}</h3>
          {rec.actions.length === 0 ? (
            <p className="notice" data-testid="rec-no-actions">
              {t('recs.noActionsDetail')}
            </p>
          ) : (
            <ul className="link-list" data-testid="rec-actions">
              {rec.actions.map((a) => (
                <li key={a.id}>
                  <Link to={`/plans/${planId}/sections/${a.sectionId}#action-${a.id}`}>{a.title}</Link>
                  <span className="muted small"> — {t('recs.inSection', { section: a.sectionTitle })}</span>
                </li>
              ))}
            </ul>
          )}
          {editing ? (
            <EditRecommendation
              planId={planId}
              rec={rec}
              onCancel={() => setEditing(false)}
              onSaved={(r) => {
                // The answer is the fresh detail: show it now; onChanged refetches the rest.
                queryClient.setQueryData(queryKeys.plan(planId).recommendation(recId), r);
                setEditing(false);
                onChanged();
              }}
            />
          ) : (
            <>
              <h3>{t('recs.details')}</h3>
              <RecommendationFacts rec={rec} />
              {(mayWrite || isCoordinator) && (
                <div className="button-row">
                  {mayWrite && (
                    <Button variant="secondary" onClick={() => setEditing(true)} data-testid="rec-edit">
                      {t(enteredByHand(rec) ? 'recs.editAll' : 'recs.edit')}
                    </Button>
                  )}
                  {isCoordinator && (
                    <Button variant="link" className="button--danger-link" disabled={offline} onClick={deletion.ask} data-testid="rec-delete">
                      {t('recs.delete')}
                    </Button>
                  )}
                </div>
              )}
              {isCoordinator && <OfflineNote testId="rec-offline" />}
            </>
          )}
          <ConfirmDialog
            open={deletion.asking}
            title={t('recs.deleteTitle')}
            confirmLabel={t('recs.deleteConfirm')}
            onConfirm={deletion.confirm}
            onCancel={deletion.cancel}
            busy={deletion.busy}
            error={deletion.error}
          >
            <p>{t('recs.deleteBody', { reference: rec.reference })}</p>
            {rec.actions.length > 0 && <p>{t('recs.deleteLinks', counted(rec.actions.length))}</p>}
            <p className="muted">{t('recs.deleteReimport')}</p>
          </ConfirmDialog>
        </>
      )}
    </aside>
  );
}
