import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { IndicatorSeries, Me, PlanStage, ProgressItem, ProgressReport, Role, Round } from '../../../shared/api/index.ts';
import { mayReport, type PlacedAction } from './access.ts';
import { AssessmentForm, AssessmentList } from './AssessmentForm.tsx';
import { DisputedBadge, RatingBadge, ReportStatusBadge } from './badges.tsx';
import { IndicatorSeriesView } from './IndicatorSeriesView.tsx';
import { ReportForm } from './ReportForm.tsx';
import { ReportView } from './ReportView.tsx';

/** What every item of the progress page needs to know about the round and the reader. */
export interface ProgressContext {
  planId: string;
  round: Round;
  stage: PlanStage;
  me: Me;
  role: Role;
  canAssess: boolean;
  actions: Map<string, PlacedAction>;
  reports: ProgressReport[];
  indicators: IndicatorSeries[];
  onChanged: () => void;
}

const REPORTING_STAGES: PlanStage[] = ['adopted', 'in_implementation', 'midterm_review'];

/** The government's report(s) on the action this round: the latest submitted uncorrected one, and any draft. */
function reportsOf(reports: ProgressReport[], actionId: string) {
  const mine = reports.filter((r) => r.actionId === actionId);
  const submitted = mine
    .filter((r) => r.state === 'submitted' && r.correctedBy === null)
    .sort((a, b) => (b.submittedAt ?? '').localeCompare(a.submittedAt ?? ''))[0];
  const drafts = mine.filter((r) => r.state === 'draft');
  // Corrected reports stay on the record, readable with their evidence, below the one in force.
  const corrected = mine.filter((r) => r.state === 'submitted' && r.correctedBy !== null).sort((a, b) => (b.submittedAt ?? '').localeCompare(a.submittedAt ?? ''));
  return { submitted: submitted ?? null, drafts, corrected };
}

/**
 * One action or recommendation in the round: the government's side (report or rating) beside
 * civil society's assessments, marked "Disputed" when they disagree.
 */
export function ProgressItemCard({ item, ctx }: { item: ProgressItem; ctx: ProgressContext }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<null | 'report' | 'correct' | 'assess'>(null);
  const placed = item.targetType === 'action' ? ctx.actions.get(item.targetId) : undefined;
  const roundOpen = ctx.round.state === 'open';
  const canWrite = roundOpen && REPORTING_STAGES.includes(ctx.stage);
  const canReport = !!placed && canWrite && mayReport(placed.action, ctx.me, ctx.role);
  const { submitted, drafts, corrected } = item.targetType === 'action' ? reportsOf(ctx.reports, item.targetId) : { submitted: null, drafts: [], corrected: [] };
  // A draft is for its author's organisation (and coordinators) to finish; others only read submitted reports.
  const myDraft = drafts.find((d) => d.author.organisation === ctx.me.organisation.name) ?? (ctx.role === 'coordinator' ? drafts[0] : undefined) ?? null;
  const ownAssessment = item.assessments.find((a) => a.organisation.id === ctx.me.organisation.id) ?? null;
  const linkedActions =
    item.targetType === 'recommendation' ? [...ctx.actions.values()].filter((p) => p.action.recommendations.some((r) => r.id === item.targetId)) : [];
  const series = ctx.indicators.filter((s) => s.actionId === item.targetId);

  return (
    <article
      className={'mon-item' + (item.disputed ? ' mon-item--disputed' : '')}
      id={`${item.targetType}-${item.targetId}`}
      data-testid={item.targetType === 'action' ? 'progress-action' : 'progress-recommendation'}
      data-target-id={item.targetId}
      data-disputed={item.disputed}
      aria-labelledby={`h-${item.targetId}`}
      tabIndex={-1}
    >
      <header className="mon-item__head">
        <h3 id={`h-${item.targetId}`} className="mon-item__title">
          {item.title}
        </h3>
        {placed && (
          <p className="muted small">
            {placed.chapterTitle} › {placed.sectionTitle}
          </p>
        )}
        <p className="mon-item__badges">
          {item.disputed && <DisputedBadge />}
        </p>
      </header>
      <div className="mon-item__sides">
        <section className="mon-side" aria-label={t('monitoring.item.government')} data-testid="government-side">
          <h4 className="mon-side__title">{t('monitoring.item.government')}</h4>
          <p>
            {t('monitoring.item.governmentRating')} <RatingBadge rating={item.governmentRating} testId="government-rating" />
            {item.reportedStatus && (
              <>
                {' '}
                <ReportStatusBadge status={item.reportedStatus} />
              </>
            )}
          </p>

          {placed &&
            (submitted ? (
              <ReportView report={submitted} action={placed.action} />
            ) : (
              <p className="muted" data-testid="no-report">
                {t('monitoring.item.noReport')}
              </p>
            ))}
          {placed && corrected.length > 0 && (
            <details className="mon-earlier" data-testid="corrected-reports">
              <summary>{t('monitoring.report.corrected', { count: corrected.length })}</summary>
              {corrected.map((r) => (
                <ReportView key={r.id} report={r} action={placed.action} />
              ))}
            </details>
          )}
          {placed && myDraft && canReport && open === null && <ReportView report={myDraft} action={placed.action} />}
          {linkedActions.length > 0 && (
            <ul className="mon-linked" aria-label={t('monitoring.item.linkedActions')}>
              {linkedActions.map((p) => {
                const r = reportsOf(ctx.reports, p.action.id).submitted;
                return (
                  <li key={p.action.id}>
                    <a href={`#action-${p.action.id}`}>{p.action.title}</a>{' '}
                    {r ? <ReportStatusBadge status={r.status} /> : <span className="muted small">{t('monitoring.item.notReported')}</span>}
                  </li>
                );
              })}
            </ul>
          )}
          {item.targetType === 'recommendation' && linkedActions.length === 0 && <p className="muted small">{t('monitoring.item.noLinkedActions')}</p>}
          {canReport && open === null && (
            <p className="mon-item__buttons">
              {myDraft ? (
                <button type="button" className="button button--secondary button--small" onClick={() => setOpen('report')} data-testid="report-edit">
                  {t('monitoring.item.editDraft')}
                </button>
              ) : submitted ? (
                submitted.correctedBy === null && (
                  <button type="button" className="button button--secondary button--small" onClick={() => setOpen('correct')} data-testid="report-correct">
                    {t('monitoring.item.correct')}
                  </button>
                )
              ) : (
                <button type="button" className="button button--small" onClick={() => setOpen('report')} data-testid="report-new">
                  {t('monitoring.item.report')}
                </button>
              )}
            </p>
          )}
        </section>
        <section className="mon-side" aria-label={t('monitoring.item.civilSociety')} data-testid="civil-society-side">
          <h4 className="mon-side__title">{t('monitoring.item.civilSociety')}</h4>
          <AssessmentList assessments={item.assessments} />
          {ctx.canAssess && roundOpen && open !== 'assess' && (
            <p className="mon-item__buttons">
              <button type="button" className="button button--secondary button--small" onClick={() => setOpen('assess')} data-testid="assess">
                {ownAssessment ? t('monitoring.item.reviseAssessment') : t('monitoring.item.assess')}
              </button>
            </p>
          )}
        </section>
      </div>
      {placed && (open === 'report' || open === 'correct') && (
        <ReportForm
          planId={ctx.planId}
          roundId={ctx.round.id}
          action={placed.action}
          draft={open === 'report' ? myDraft : null}
          corrects={open === 'correct' ? submitted : null}
          onClose={() => setOpen(null)}
          onChanged={ctx.onChanged}
        />
      )}
      {open === 'assess' && (
        <AssessmentForm
          planId={ctx.planId}
          roundId={ctx.round.id}
          targetType={item.targetType}
          targetId={item.targetId}
          organisationName={ctx.me.organisation.name}
          existing={ownAssessment}
          onClose={() => setOpen(null)}
          onSaved={ctx.onChanged}
        />
      )}
      {series.length > 0 && (
        <section className="mon-item__indicators" aria-label={t('monitoring.item.indicators')}>
          {series.map((s) => (
            <IndicatorSeriesView key={s.indicatorId} series={s} />
          ))}
        </section>
      )}
    </article>
  );
}
