import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useParams, useSearchParams } from 'react-router';
import type { PlanProgress, Round } from '../../shared/api/index.ts';
import { useLifecycleQuery, useProgressQuery, useRoundReportsQuery } from '../api/monitoring.ts';
import { usePlanLiveEvents } from '../api/liveEvents.ts';
import { queryKeys, useInvalidate, useOrganisationsQuery } from '../api/queries.ts';
import { useAccessChanges } from '../api/usePlanEvents.ts';
import { mayAssess, usePlanActions } from '../features/monitoring/access.ts';

import { LifecyclePanel } from '../features/monitoring/LifecyclePanel.tsx';
import { ItemList, focusItem } from '../features/monitoring/ItemList.tsx';
import type { ProgressContext } from '../features/monitoring/ProgressItemCard.tsx';
import { AttentionLists, ProgressSummary } from '../features/monitoring/ProgressSummary.tsx';
import { ReportDownloads } from '../features/monitoring/ReportDownloads.tsx';
import { PlanNotFound, PlanTabs, usePlanOutline } from '../features/recommendations/recommendations.tsx';
import { useMe } from '../session/SessionContext.tsx';
import { FormError, describeError } from '../ui/forms.tsx';
import { useDocumentTitle } from '../ui/useDocumentTitle.ts';
import { formatDate } from '../i18n/format.ts';
import { NotLoadedNote } from '../sync/OfflineNote.tsx';

/** The round shown first: the open one due soonest, else the latest. */
function defaultRound(rounds: Round[]): Round | null {
  const open = rounds.filter((r) => r.state === 'open').sort((a, b) => a.dueDate.localeCompare(b.dueDate));
  if (open[0]) return open[0];
  return [...rounds].sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0] ?? null;
}

/** Where the plan stands: its stage and rounds, and per round each action and recommendation, both sides' views. */
export function ProgressPage() {
  const { t, i18n } = useTranslation();
  const { planId = '' } = useParams();
  const location = useLocation();
  const me = useMe();
  const pickerId = useId();
  const invalidate = useInvalidate();
  const { outline, error: outlineError } = usePlanOutline(planId);
  const lifecycleQuery = useLifecycleQuery(planId);
  const lifecycle = lifecycleQuery.data ?? null;
  const organisations = useOrganisationsQuery(planId).data ?? null;
  // The round and the item are in the address, as notices link them: ?round=…&action=…
  const [searchParams, setSearchParams] = useSearchParams();
  const picked = searchParams.get('round');
  const setPicked = (roundId: string) => setSearchParams({ round: roundId }, { replace: true });
  const targetId = searchParams.get('action') ? `action-${searchParams.get('action')}` : location.hash.slice(1);
  const focusId = targetId || null;
  const round = lifecycle ? (lifecycle.rounds.find((r) => r.id === picked) ?? defaultRound(lifecycle.rounds)) : null;
  const progressQuery = useProgressQuery(planId, round?.id ?? null);
  const reportsQuery = useRoundReportsQuery(planId, round?.id ?? null);
  const actions = usePlanActions(planId, outline);
  const [adoptedNotice, setAdoptedNotice] = useState((location.state as { notice?: string } | null)?.notice === 'adopted');
  useDocumentTitle(outline ? t('monitoring.page.pageTitle', { plan: outline.plan.title }) : t('monitoring.page.title'));
  usePlanLiveEvents(planId, useAccessChanges(outline?.plan.title));

  if (outlineError && (outlineError.status === 403 || outlineError.status === 404)) return <PlanNotFound />;
  const failed = lifecycleQuery.error ?? progressQuery.error ?? reportsQuery.error;
  const error = failed ? describeError(failed, t).message : null;
  const role = outline?.plan.role;
  const onChanged = () => void invalidate(queryKeys.plan(planId).lifecycle(), queryKeys.plan(planId).progress());
  const progress = progressQuery.data ?? null;
  const ctx: ProgressContext | null =
    outline && role && lifecycle && round && actions && reportsQuery.data && organisations
      ? {
          planId,
          round,
          stage: lifecycle.stage,
          me,
          role,
          canAssess: mayAssess(me, role, organisations),
          actions,
          reports: reportsQuery.data,
          indicators: progress?.indicators ?? [],
          onChanged,
        }
      : null;
  // Picking an item from the overdue or due lists names it in the address: the effect above brings it into view.
  const openAction = (actionId: string) => {
    setSearchParams({ ...(round ? { round: round.id } : {}), action: actionId }, { replace: true });
    focusItem(`action-${actionId}`);
  };

  return (
    <main id="main" className="page page--wide mon-page">
      <PlanTabs planId={planId} title={outline?.plan.title} role={role} />
      <h1>{t('monitoring.page.title')}</h1>
      <p className="lead">{t('monitoring.page.intro')}</p>
      {adoptedNotice && (
        <div className="alert alert--success" role="status" data-testid="adopted-notice">
          {t('monitoring.adopt.done')}{' '}
          <button type="button" className="button button--link button--small" onClick={() => setAdoptedNotice(false)}>
            {t('common.dismiss')}
          </button>
        </div>
      )}
      <FormError message={error} />
      {!lifecycle && !error && <NotLoadedNote failure={lifecycleQuery.failureReason} testId="progress-not-loaded" />}
      {lifecycle && (
        <LifecyclePanel planId={planId} lifecycle={lifecycle} isCoordinator={role === 'coordinator'} organisations={organisations ?? []} onChanged={onChanged} />
      )}
      {/* Before the first round, the rounds panel above says so, with the form to open one: not said again here. */}
      {lifecycle && round && (
        <section aria-labelledby="mon-round-h" className="spaced">
          <div className="mon-round-head">
            <h2 id="mon-round-h" data-testid="progress-round-title">
              {t('monitoring.page.roundTitle', { round: round.name })}
            </h2>
            <div className="field mon-round-picker">
              <label htmlFor={pickerId}>{t('monitoring.page.round')}</label>
              <select id={pickerId} value={round.id} onChange={(e) => setPicked(e.target.value)} data-testid="round-picker">
                {lifecycle.rounds.map((r) => (
                  <option key={r.id} value={r.id}>
                    {t('monitoring.page.roundOption', { name: r.name, date: formatDate(r.dueDate, i18n.language), state: t(`monitoring.rounds.${r.state}`) })}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <p className="muted">
            {t(round.state === 'open' ? 'monitoring.page.roundOpen' : 'monitoring.page.roundClosed', { date: formatDate(round.dueDate, i18n.language) })}
          </p>
          {!progress || !ctx ? (
            !error && <NotLoadedNote failure={progressQuery.failureReason ?? reportsQuery.failureReason} testId="progress-round-not-loaded" />
          ) : (
            <>
              <ProgressSummary progress={progress} />
              <ReportDownloads planId={planId} roundId={round.id} me={ctx.me} canAssess={ctx.canAssess} assessors={civilSocietyAssessors(progress)} />
              <AttentionLists progress={progress} onOpenAction={openAction} />
              <section aria-labelledby="mon-actions-h" className="spaced">
                <h2 id="mon-actions-h">{t('monitoring.page.actions', { count: progress.actions.length })}</h2>
                <p className="muted small" data-testid="rating-explained">
                  {t('monitoring.item.ratingExplained')}
                </p>
                {progress.actions.length === 0 ? (
                  <p className="empty-state">{t('monitoring.page.noActions')}</p>
                ) : (
                  <ItemList items={progress.actions} ctx={ctx} focusId={focusId} testId="progress-actions" />
                )}
              </section>
              <section aria-labelledby="mon-recs-h" className="spaced">
                <h2 id="mon-recs-h">{t('monitoring.page.recommendations', { count: progress.recommendationItems.length })}</h2>
                {progress.recommendationItems.length === 0 ? (
                  <p className="empty-state">{t('monitoring.page.noRecommendations')}</p>
                ) : (
                  <ItemList items={progress.recommendationItems} ctx={ctx} focusId={focusId} testId="progress-recommendations" />
                )}
              </section>
            </>
          )}
        </section>
      )}
    </main>
  );
}

/** The civil-society organisations that assessed an action or a recommendation in the round, by name. */
function civilSocietyAssessors(progress: PlanProgress): Array<{ id: string; name: string }> {
  const byId = new Map<string, string>();
  for (const item of [...progress.actions, ...progress.recommendationItems]) {
    for (const a of item.assessments) if (a.organisation.side === 'civil_society') byId.set(a.organisation.id, a.organisation.name);
  }
  return [...byId].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name));
}
