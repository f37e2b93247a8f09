/** Every action of the published plan, searchable and filtered by theme, mechanism and status. */
import { Page, base, type PageContext } from '../html.tsx';
import { facets, filterActions, type ListFilters } from '../filters.ts';
import { ActionCard, actionDisputed, InSection, recommendationsById } from '../parts.tsx';
import { FilterForm } from './FilterForm.tsx';

export function ActionsPage({ ctx, filters }: { ctx: PageContext; filters: ListFilters }) {
  const s = ctx.snapshot;
  const { words } = ctx;
  const { w, x } = words;
  const home = base(ctx);
  const all = filterActions(s, { q: '', theme: '', mechanism: '', status: '' });
  const shown = filterActions(s, filters);
  const { themes, mechanisms } = facets(s);
  const byId = recommendationsById(s.recommendations);
  return (
    <Page ctx={ctx} title={w.tabs.actions} tab="actions">
      <h1>{w.tabs.actions}</h1>
      <FilterForm
        action={`${home}/actions`}
        words={words}
        filters={filters}
        themes={themes}
        mechanisms={mechanisms}
        statusLabel={w.reportedStatus}
        facetNote={w.actions.facetNote}
        statuses={[['not_reported', x.w.matrix.notReported], ...Object.entries(x.w.progressStatus)]}
        count={shown.length}
        total={all.length}
        counts={w.actions}
        listName={w.tabs.actions}
      />
      {shown.length === 0 && <p>{w.actions.noMatch}</p>}
      {shown.map(({ action, sectionId, sectionNumber, sectionTitle }) => (
        <div key={action.id} className="listed">
          <InSection home={home} words={words} id={sectionId} number={sectionNumber} title={sectionTitle} />
          <ActionCard action={action} byId={byId} home={home} words={words} level={2} disputed={actionDisputed(ctx.snapshot, action.id)} />
        </div>
      ))}
    </Page>
  );
}
