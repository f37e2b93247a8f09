/** The recommendations the plan holds, searchable, each with what the plan does about it. */
import { recommendationPosition } from '../../export/model.ts';
import { Page, base, type PageContext } from '../html.tsx';
import { actionsFor, facets, filterRecommendations, type ListFilters } from '../filters.ts';
import { FilterForm } from './FilterForm.tsx';

export function RecommendationsPage({ ctx, filters }: { ctx: PageContext; filters: ListFilters }) {
  const s = ctx.snapshot;
  const home = base(ctx);
  const { words } = ctx;
  const { w, x } = words;
  const shown = filterRecommendations(s, filters);
  const { themes, mechanisms } = facets(s);
  return (
    <Page ctx={ctx} title={w.tabs.recommendations} tab="recommendations">
      <h1>{w.tabs.recommendations}</h1>
      <p>{w.recommendations.intro}</p>
      <FilterForm
        action={`${home}/recommendations`}
        words={words}
        filters={filters}
        themes={themes}
        mechanisms={mechanisms}
        statusLabel={w.recommendation.position}
        statuses={Object.entries(x.w.position)}
        count={shown.length}
        total={s.recommendations.length}
        counts={w.recommendations}
        listName={w.tabs.recommendations}
      />
      {shown.length === 0 ? (
        <p>{w.recommendations.noMatch}</p>
      ) : (
        <table className="list stack">
          <caption className="visually-hidden">{w.recommendations.caption}</caption>
          <thead>
            <tr>
              <th scope="col">{w.recommendations.reference}</th>
              <th scope="col">{w.recommendations.recommendation}</th>
              <th scope="col">{w.recommendation.mechanism}</th>
              <th scope="col">{w.recommendations.position}</th>
              <th scope="col">{w.tabs.actions}</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((r) => (
              <tr key={r.id}>
                <th scope="row" className="ref" data-label={w.recommendations.reference}>
                  <a href={words.href(`${home}/recommendations/${r.id}`)}>{r.reference}</a>
                </th>
                <td data-label={w.recommendations.recommendation}>{r.text}</td>
                <td data-label={w.recommendation.mechanism}>{words.label(x.w.mechanism, r.mechanism)}</td>
                <td data-label={w.recommendations.position}>{recommendationPosition(r, x)}</td>
                <td data-label={w.tabs.actions}>{x.number(actionsFor(s, r.id).length)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Page>
  );
}
