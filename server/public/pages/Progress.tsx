/**
 * Implementation, round by round: what the government reported for each action, civil society's
 * independent assessment beside it, and each indicator's chart (inline SVG from the chart the
 * progress page draws, with every number in its text alternative and in a table).
 */
import { IndicatorChart, PRINT_CHART_COLOURS } from '../../../shared/charts/IndicatorChart.tsx';
import { chartDescription } from '../../export/progress/chartImage.ts';
import { publicSeries, type PublicAssessment, type PublicIndicator, type PublicRound } from '../../services/publicRecord/snapshot.ts';
import { Page, base, type PageContext } from '../html.tsx';
import { filterActions } from '../filters.ts';
import { EvidenceLinks } from '../parts.tsx';
import { actionGovernmentRating, isDisputed } from '../../../shared/monitoring/ratings.ts';
import type { PublicWords } from '../i18n/index.ts';

function Chart({ indicator, words }: { indicator: PublicIndicator; words: PublicWords }) {
  const p = words.x.w.progress;
  const series = publicSeries(indicator);
  const description = chartDescription(series, {
    baseline: p.baseline,
    target: p.target,
    observed: p.observed,
    none: words.w.progress.noValue,
    yes: p.yes,
    no: p.no,
    date: (d) => words.date(d),
  });
  return (
    <figure className="chart">
      <IndicatorChart
        series={series}
        labels={{ title: indicator.description, baseline: p.baseline, target: p.target, observed: p.observed, yes: p.yes, no: p.no, description }}
        colours={PRINT_CHART_COLOURS}
        idPrefix={`chart-${indicator.id}`}
      />
      <figcaption>
        {indicator.description}
        {indicator.unit ? ` (${indicator.unit})` : ''}: {description}
      </figcaption>
    </figure>
  );
}

export function ProgressPage({ ctx, round }: { ctx: PageContext; round: PublicRound | null }) {
  const s = ctx.snapshot;
  const home = base(ctx);
  const { words } = ctx;
  const { w, x } = words;
  const actions = filterActions(s, { q: '', theme: '', mechanism: '', status: '' });
  return (
    <Page ctx={ctx} title={w.tabs.progress} tab="progress">
      <h1>{w.tabs.progress}</h1>
      {s.rounds.length === 0 || !round ? (
        <p>
          {s.kind === 'consultation'
            ? w.progress.consultation
            : w.progress.notBegun}
        </p>
      ) : (
        <>
          {s.rounds.length > 1 && (
            <nav aria-label={w.progress.rounds} className="rounds">
              <ul>
                {s.rounds.map((r) => (
                  <li key={r.id}>
                    <a href={words.href(`${home}/progress?round=${r.id}`)} aria-current={r.id === round.id ? 'page' : undefined}>
                      {r.name}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
          )}
          <h2>
            {words.t(round.state === 'closed' ? w.progress.roundClosed : w.progress.round, { round: round.name, date: words.date(round.dueDate) })}
          </h2>
          <p>
            {w.progress.intro}
          </p>
          {actions.map(({ action }) => {
            const report = round.reports.find((r) => r.actionId === action.id);
            const assessments = round.assessments.filter((a) => a.targetType === 'action' && a.targetId === action.id);
            const disputed = isDisputed(actionGovernmentRating(report?.status ?? null), assessments.map((a) => a.rating));
            return (
              <section key={action.id} className="progress-action" aria-labelledby={`p-${action.id}`}>
                <h3 id={`p-${action.id}`}>{action.title}</h3>
                {disputed && <p className="disputed">{w.progress.disputed}</p>}
                <div className="sides">
                  <div className="side government">
                    <h4>{w.progress.governmentReport}</h4>
                    {report ? (
                      <>
                        <p>
                          <strong>{words.label(x.w.progressStatus, report.status)}</strong> — {report.organisation}, {words.date(report.submittedAt)}
                        </p>
                        {report.narrative && <p className="statement">{report.narrative}</p>}
                        {report.spentAmount !== null && (
                          <p>{words.t(w.progress.spent, { amount: x.money(report.spentAmount, report.currency) })}</p>
                        )}
                        {report.links.length > 0 && (
                          <ul>
                            {report.links.map((l, i) => (
                              <li key={i}>
                                <a href={l.url} rel="nofollow noopener noreferrer">{l.label || l.url}</a>
                              </li>
                            ))}
                          </ul>
                        )}
                        {report.corrects && report.corrects.length > 0 && (
                          <div className="corrected" data-testid="public-report-corrected">
                            <p className="muted">{w.progress.correctedHeading}</p>
                            <ul>
                              {report.corrects.map((v, i) => (
                                <li key={i}>
                                  {words.t(w.progress.correctedVersion, { date: words.date(v.submittedAt), status: words.label(x.w.progressStatus, v.status) })}
                                  {v.spentAmount !== null && <> · {words.t(w.progress.spent, { amount: x.money(v.spentAmount, v.currency) })}</>}
                                  {v.narrative && v.narrative !== report.narrative && <p className="statement">{v.narrative}</p>}
                                </li>
                              ))}
                            </ul>
                          </div>
                        )}
                      </>
                    ) : (
                      <p className="muted">{w.progress.noReport}</p>
                    )}
                  </div>
                  <div className="side civil-society">
                    <h4>{w.progress.assessment}</h4>
                    {assessments.length === 0 ? (
                      <p className="muted">{w.progress.noAssessment}</p>
                    ) : (
                      <AssessmentList assessments={assessments} words={words} />
                    )}
                  </div>
                </div>
                {action.indicators.map((i) => (
                  <Chart key={i.id} indicator={i} words={words} />
                ))}
              </section>
            );
          })}
          <RecommendationAssessments ctx={ctx} round={round} />
        </>
      )}
    </Page>
  );
}

/**
 * Civil society's assessments of recommendations themselves (not of an action), each beside the
 * government's rating drawn from its reports, with a link to the recommendation's page.
 */
function RecommendationAssessments({ ctx, round }: { ctx: PageContext; round: PublicRound }) {
  const { words } = ctx;
  const { w, x } = words;
  const home = base(ctx);
  const assessed = ctx.snapshot.recommendations.filter((r) => round.assessments.some((a) => a.targetType === 'recommendation' && a.targetId === r.id));
  if (assessed.length === 0) return null;
  return (
    <section aria-labelledby="assessed-recommendations">
      <h2 id="assessed-recommendations">{w.progress.recommendationsAssessed}</h2>
      <p>{w.progress.recommendationsAssessedIntro}</p>
      {assessed.map((rec) => {
        const assessments = round.assessments.filter((a) => a.targetType === 'recommendation' && a.targetId === rec.id);
        const government = round.governmentRatings.find((g) => g.recommendationId === rec.id)?.rating ?? 'no_information';
        const disputed = isDisputed(government, assessments.map((a) => a.rating));
        return (
          <section key={rec.id} className="progress-action" aria-labelledby={`pr-${rec.id}`}>
            <h3 id={`pr-${rec.id}`}>
              <a href={words.href(`${home}/recommendations/${rec.id}`)}>{rec.reference}</a>
            </h3>
            <p className="statement">{rec.text}</p>
            {disputed && <p className="disputed">{w.progress.disputed}</p>}
            <p>{words.t(w.progress.governmentRating, { rating: words.label(x.w.rating, government) })}</p>
            <AssessmentList assessments={assessments} words={words} />
          </section>
        );
      })}
    </section>
  );
}

/** Assessments as each organisation gave them: rating, who and when, its words and its evidence. */
function AssessmentList({ assessments, words }: { assessments: readonly PublicAssessment[]; words: PublicWords }) {
  const { x } = words;
  return (
    <ul>
      {assessments.map((a, i) => (
        <li key={i}>
          <p>
            <strong>{words.label(x.w.rating, a.rating)}</strong> — {a.organisation} ({words.label(x.w.side, a.side)}), {words.date(a.updatedAt)}
          </p>
          <p className="statement">{a.justification}</p>
          <EvidenceLinks links={a.evidenceLinks} words={words} />
        </li>
      ))}
    </ul>
  );
}
