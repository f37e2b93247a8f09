/** The search and filter form of a public list: a GET form, so it works without JavaScript. */

/** One labelled menu of the form, with "any" first. */
function Choice(props: { name: string; label: string; any: string; value: string; options: Array<[string, string]> }) {
  return (
    <p>
      <label htmlFor={`f-${props.name}`}>{props.label}</label>
      <select id={`f-${props.name}`} name={props.name} defaultValue={props.value}>
        <option value="">{props.any}</option>
        {props.options.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
    </p>
  );
}
import type { ListFilters } from '../filters.ts';

export function FilterForm(props: {
  action: string;
  filters: ListFilters;
  themes: string[];
  mechanisms: string[];
  statusLabel: string;
  /** Where a list's themes and mechanisms come from, when it is not obvious (actions: their recommendations'). */
  facetNote?: string;
  statuses: Array<[string, string]>;
  count: number;
  total: number;
  /** One and many: ['action', 'actions']. */
  noun: [string, string];
}) {
  const { filters: f } = props;
  return (
    <form method="get" action={props.action} className="filters" role="search" aria-label={`Search ${props.noun[1]}`}>
      <p>
        <label htmlFor="f-q">Search</label>
        <input id="f-q" name="q" type="search" defaultValue={f.q} />
      </p>
      <Choice name="theme" label="Theme" any="Any theme" value={f.theme} options={props.themes.map((t) => [t, t])} />
      <Choice name="mechanism" label="Mechanism" any="Any mechanism" value={f.mechanism} options={props.mechanisms.map((m) => [m, m])} />
      <Choice name="status" label={props.statusLabel} any="Any" value={f.status} options={props.statuses} />
      <p>
        <button type="submit">Show</button> <a href={props.action}>Clear</a>
      </p>
      {props.facetNote && <p className="note">{props.facetNote}</p>}
      <p className="count" role="status">
        {props.count === props.total
          ? `${props.total} ${props.noun[props.total === 1 ? 0 : 1]}`
          : `${props.count} of ${props.total} ${props.noun[props.total === 1 ? 0 : 1]} shown`}
      </p>
    </form>
  );
}
