/**
 * Implementation, round by round: what the government reported for each action, civil society's
 * independent assessment beside it, and each indicator's chart (inline SVG from the chart the
 * progress page draws, with every number in its text alternative and in a table).
 */
import { IndicatorChart, PRINT_CHART_COLOURS } from '../../../shared/charts/IndicatorChart.tsx';
import { chartDescription } from '../../export/progress/chartImage.ts';
import type { PublicIndicator, PublicRound } from '../../services/publicRecord/snapshot.ts';
import { Page, base, type PageContext } from '../html.tsx';
import { filterActions } from '../filters.ts';
import { PROGRESS_STATUS, RATING, SIDE, word } from '../words.ts';

function Chart({ indicator }: { indicator: PublicIndicator }) {
  const series = { baseline: indicator.baselinePoint, target: indicator.targetPoint, values: indicator.values, unit: indicator.unit };
  const description = chartDescription(series, { baseline: 'Baseline', target: 'Target', observed: 'Observed', none: 'No value has been reported yet.' });
  return (
    <figure className="chart">
      <IndicatorChart
        series={series}
        labels={{ title: indicator.description, baseline: 'Baseline', target: 'Target', observed: 'Observed', description }}
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
  const actions = filterActions(s, { q: '', theme: '', mechanism: '', status: '' });
  return (
    <Page ctx={ctx} title="Progress" tab="progress">
      <h1>Progress</h1>
      {s.rounds.length === 0 || !round ? (
        <p>
          {s.kind === 'consultation'
            ? 'This is a draft for consultation: progress is reported once the plan is adopted.'
            : 'Monitoring has not begun: no reporting round has been opened yet.'}
        </p>
      ) : (
        <>
          {s.rounds.length > 1 && (
            <nav aria-label="Reporting rounds" className="rounds">
              <ul>
                {s.rounds.map((r) => (
                  <li key={r.id}>
                    <a href={`${home}/progress?round=${r.id}`} aria-current={r.id === round.id ? 'page' : undefined}>
                      {r.name}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
          )}
          <h2>
            {round.name} (reports due {round.dueDate}
            {round.state === 'closed' ? ', closed' : ''})
          </h2>
          <p>
            The government's report on each action, and beside it what civil-society organisations found. Each side speaks for itself; Accord
            does not average them.
          </p>
          {actions.map(({ action }) => {
            const report = round.reports.find((r) => r.actionId === action.id);
            const assessments = round.assessments.filter((a) => a.targetType === 'action' && a.targetId === action.id);
            return (
              <section key={action.id} className="progress-action" aria-labelledby={`p-${action.id}`}>
                <h3 id={`p-${action.id}`}>{action.title}</h3>
                <div className="sides">
                  <div className="side government">
                    <h4>Government report</h4>
                    {report ? (
                      <>
                        <p>
                          <strong>{word(PROGRESS_STATUS, report.status)}</strong> — {report.organisation}, {report.submittedAt.slice(0, 10)}
                        </p>
                        {report.narrative && <p className="statement">{report.narrative}</p>}
                        {report.spentAmount !== null && (
                          <p>
                            Spent: {report.spentAmount} {report.currency ?? ''}
                          </p>
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
                      </>
                    ) : (
                      <p className="muted">No report submitted in this round.</p>
                    )}
                  </div>
                  <div className="side civil-society">
                    <h4>Civil society's assessment</h4>
                    {assessments.length === 0 ? (
                      <p className="muted">No assessment in this round.</p>
                    ) : (
                      <ul>
                        {assessments.map((a, i) => (
                          <li key={i}>
                            <p>
                              <strong>{word(RATING, a.rating)}</strong> — {a.organisation} ({word(SIDE, a.side)}), {a.updatedAt.slice(0, 10)}
                            </p>
                            <p className="statement">{a.justification}</p>
                          </li>
                        ))}
                      </ul>
                    )}
                  </div>
                </div>
                {action.indicators.map((i) => (
                  <Chart key={i.id} indicator={i} />
                ))}
              </section>
            );
          })}
        </>
      )}
    </Page>
  );
}
