/** One recommendation: its text and source, and what the plan does about it, with progress. */
import { themeLabel } from '../../../shared/themes/uprThemes.ts';
import type { PublicRecommendation } from '../../services/publicRecord/snapshot.ts';
import { recommendationPosition } from '../../export/model.ts';
import { Page, base, type PageContext } from '../html.tsx';
import { actionsFor } from '../filters.ts';
import { ActionCard, actionDisputed, EvidenceLinks, InSection, recommendationsById } from '../parts.tsx';

export function RecommendationPage({ ctx, rec }: { ctx: PageContext; rec: PublicRecommendation }) {
  const s = ctx.snapshot;
  const home = base(ctx);
  const { words } = ctx;
  const { w, x } = words;
  const title = words.t(w.recommendation.title, { reference: rec.reference });
  const actions = actionsFor(s, rec.id);
  const byId = recommendationsById(s.recommendations);
  const round = s.rounds.at(-1);
  const government = round?.governmentRatings.find((g) => g.recommendationId === rec.id);
  const assessments = round?.assessments.filter((a) => a.targetType === 'recommendation' && a.targetId === rec.id) ?? [];
  return (
    <Page ctx={ctx} title={title} tab="recommendations">
      <p className="where">
        <a href={words.href(`${home}/recommendations`)}>{w.tabs.recommendations}</a> › {rec.reference}
      </p>
      <h1>{title}</h1>
      <blockquote className="recommendation">{rec.text}</blockquote>
      <dl className="facts">
        <dt>{w.recommendation.mechanism}</dt>
        <dd>{words.label(x.w.mechanism, rec.mechanism)}</dd>
        {rec.documentSymbol && (
          <>
            <dt>{w.recommendation.document}</dt>
            <dd>
              {rec.documentSymbol}
              {rec.paragraph ? words.t(w.recommendation.paragraph, { paragraph: rec.paragraph }) : ''}
            </dd>
          </>
        )}
        {rec.recommendingStates.length > 0 && (
          <>
            <dt>{w.recommendation.recommendedBy}</dt>
            <dd>{rec.recommendingStates.join(', ')}</dd>
          </>
        )}
        <dt>{w.recommendation.position}</dt>
        <dd>{recommendationPosition(rec, x)}</dd>
        {rec.themes.length > 0 && (
          <>
            <dt>{w.recommendation.themes}</dt>
            <dd>{rec.themes.map((t) => themeLabel(t, words.lang)).join(', ')}</dd>
          </>
        )}
      </dl>

      {round && (
        <section aria-labelledby="rec-progress">
          <h2 id="rec-progress">{words.t(w.recommendation.whereItStands, { round: round.name })}</h2>
          <table className="stack">
            <caption className="visually-hidden">{w.recommendation.ratingsCaption}</caption>
            <thead>
              <tr>
                <th scope="col">{w.recommendation.who}</th>
                <th scope="col">{w.recommendation.rating}</th>
                <th scope="col">{w.recommendation.restsOn}</th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <th scope="row" data-label={w.recommendation.who}>{w.recommendation.government}</th>
                <td data-label={w.recommendation.rating}>{words.label(x.w.rating, government?.rating ?? 'no_information')}</td>
                <td data-label={w.recommendation.restsOn}>—</td>
              </tr>
              {assessments.map((a, i) => (
                <tr key={i}>
                  <th scope="row" data-label={w.recommendation.who}>
                    {a.organisation} ({words.label(x.w.side, a.side)})
                  </th>
                  <td data-label={w.recommendation.rating}>{words.label(x.w.rating, a.rating)}</td>
                  <td data-label={w.recommendation.restsOn}>
                    {a.justification}
                    <EvidenceLinks links={a.evidenceLinks} words={words} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}

      <section aria-labelledby="rec-actions">
        <h2 id="rec-actions">{w.recommendation.whatPlanDoes}</h2>
        {actions.length === 0 ? (
          <p>{w.recommendation.noAction}</p>
        ) : (
          actions.map(({ action, sectionId, sectionNumber, sectionTitle }) => (
            <div key={action.id} className="listed">
              <InSection home={home} words={words} id={sectionId} number={sectionNumber} title={sectionTitle} />
              <ActionCard action={action} byId={byId} home={home} words={words} level={3} disputed={actionDisputed(ctx.snapshot, action.id)} />
            </div>
          ))
        )}
      </section>
    </Page>
  );
}
