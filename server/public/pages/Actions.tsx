/** Every action of the published plan, searchable and filtered by theme, mechanism and status. */
import { Page, base, type PageContext } from '../html.tsx';
import { facets, filterActions, type ListFilters } from '../filters.ts';
import { ActionCard, recommendationsById } from '../parts.tsx';
import { PROGRESS_STATUS } from '../words.ts';
import { FilterForm } from './FilterForm.tsx';

export function ActionsPage({ ctx, filters }: { ctx: PageContext; filters: ListFilters }) {
  const s = ctx.snapshot;
  const home = base(ctx);
  const all = filterActions(s, { q: '', theme: '', mechanism: '', status: '' });
  const shown = filterActions(s, filters);
  const { themes, mechanisms } = facets(s);
  const byId = recommendationsById(s.recommendations);
  return (
    <Page ctx={ctx} title="Actions" tab="actions">
      <h1>Actions</h1>
      <FilterForm
        action={`${home}/actions`}
        filters={filters}
        themes={themes}
        mechanisms={mechanisms}
        statusLabel="Reported status"
        facetNote="An action's themes and mechanisms are those of the recommendations it answers; an action that answers none has none."
        statuses={[['not_reported', 'Not reported'], ...Object.entries(PROGRESS_STATUS)]}
        count={shown.length}
        total={all.length}
        noun={['action', 'actions']}
      />
      {shown.length === 0 && <p>No action matches. Try fewer filters.</p>}
      {shown.map(({ action, sectionId, sectionNumber, sectionTitle }) => (
        <div key={action.id} className="listed">
          <p className="where">
            In <a href={`${home}#section-${sectionId}`}>section {sectionNumber} {sectionTitle}</a>
          </p>
          <ActionCard action={action} byId={byId} home={home} level={2} />
        </div>
      ))}
    </Page>
  );
}
