/** The recommendations the plan holds, searchable, each with what the plan does about it. */
import { Page, base, type PageContext } from '../html.tsx';
import { actionsFor, facets, filterRecommendations, type ListFilters } from '../filters.ts';
import { POSITION, word } from '../words.ts';
import { FilterForm } from './FilterForm.tsx';

export function RecommendationsPage({ ctx, filters }: { ctx: PageContext; filters: ListFilters }) {
  const s = ctx.snapshot;
  const home = base(ctx);
  const shown = filterRecommendations(s, filters);
  const { themes, mechanisms } = facets(s);
  return (
    <Page ctx={ctx} title="Recommendations" tab="recommendations">
      <h1>Recommendations</h1>
      <p>The recommendations of the UN human rights mechanisms this plan answers, and the actions it sets for each.</p>
      <FilterForm
        action={`${home}/recommendations`}
        filters={filters}
        themes={themes}
        mechanisms={mechanisms}
        statusLabel="Position of the State"
        statuses={Object.entries(POSITION)}
        count={shown.length}
        total={s.recommendations.length}
        noun={['recommendation', 'recommendations']}
      />
      {shown.length === 0 ? (
        <p>No recommendation matches. Try fewer filters.</p>
      ) : (
        <table className="list">
          <caption className="visually-hidden">Recommendations and the number of actions answering each</caption>
          <thead>
            <tr>
              <th scope="col">Reference</th>
              <th scope="col">Recommendation</th>
              <th scope="col">Mechanism</th>
              <th scope="col">Position</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((r) => (
              <tr key={r.id}>
                <th scope="row">
                  <a href={`${home}/recommendations/${r.id}`}>{r.reference}</a>
                </th>
                <td>{r.text}</td>
                <td>{r.mechanism}</td>
                <td>{word(POSITION, r.position)}</td>
                <td>{actionsFor(s, r.id).length}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Page>
  );
}
