/** One recommendation: its text and source, and what the plan does about it, with progress. */
import type { PublicRecommendation } from '../../services/publicRecord/snapshot.ts';
import { Page, base, type PageContext } from '../html.tsx';
import { actionsFor } from '../filters.ts';
import { ActionCard, recommendationsById } from '../parts.tsx';
import { POSITION, RATING, SIDE, word } from '../words.ts';

export function RecommendationPage({ ctx, rec }: { ctx: PageContext; rec: PublicRecommendation }) {
  const s = ctx.snapshot;
  const home = base(ctx);
  const actions = actionsFor(s, rec.id);
  const byId = recommendationsById(s.recommendations);
  const round = s.rounds.at(-1);
  const government = round?.governmentRatings.find((g) => g.recommendationId === rec.id);
  const assessments = round?.assessments.filter((a) => a.targetType === 'recommendation' && a.targetId === rec.id) ?? [];
  return (
    <Page ctx={ctx} title={`Recommendation ${rec.reference}`} tab="recommendations">
      <p className="where">
        <a href={`${home}/recommendations`}>Recommendations</a> › {rec.reference}
      </p>
      <h1>Recommendation {rec.reference}</h1>
      <blockquote className="recommendation">{rec.text}</blockquote>
      <dl className="facts">
        <dt>Mechanism</dt>
        <dd>{rec.mechanism}</dd>
        {rec.documentSymbol && (
          <>
            <dt>Document</dt>
            <dd>
              {rec.documentSymbol}
              {rec.paragraph ? `, paragraph ${rec.paragraph}` : ''}
            </dd>
          </>
        )}
        {rec.recommendingStates.length > 0 && (
          <>
            <dt>Recommended by</dt>
            <dd>{rec.recommendingStates.join(', ')}</dd>
          </>
        )}
        <dt>Position of the State</dt>
        <dd>{word(POSITION, rec.position)}</dd>
        {rec.themes.length > 0 && (
          <>
            <dt>Themes</dt>
            <dd>{rec.themes.join(', ')}</dd>
          </>
        )}
      </dl>

      {round && (
        <section aria-labelledby="rec-progress">
          <h2 id="rec-progress">Where it stands ({round.name})</h2>
          <table>
            <caption className="visually-hidden">The government's rating and civil society's assessments</caption>
            <thead>
              <tr>
                <th scope="col">Who</th>
                <th scope="col">Rating</th>
                <th scope="col">On what it rests</th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <th scope="row">Government (from its progress reports)</th>
                <td>{word(RATING, government?.rating ?? 'no_information')}</td>
                <td>—</td>
              </tr>
              {assessments.map((a, i) => (
                <tr key={i}>
                  <th scope="row">
                    {a.organisation} ({word(SIDE, a.side)})
                  </th>
                  <td>{word(RATING, a.rating)}</td>
                  <td>{a.justification}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}

      <section aria-labelledby="rec-actions">
        <h2 id="rec-actions">What the plan does about it</h2>
        {actions.length === 0 ? (
          <p>No action of the published plan answers this recommendation.</p>
        ) : (
          actions.map(({ action, sectionId, sectionNumber, sectionTitle }) => (
            <div key={action.id} className="listed">
              <p className="where">
                In <a href={`${home}#section-${sectionId}`}>section {sectionNumber} {sectionTitle}</a>
              </p>
              <ActionCard action={action} byId={byId} home={home} level={3} />
            </div>
          ))
        )}
      </section>
    </Page>
  );
}
