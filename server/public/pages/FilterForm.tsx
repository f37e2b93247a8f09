/** The search and filter form of a public list: a GET form, so it works without JavaScript. */
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
      <p>
        <label htmlFor="f-theme">Theme</label>
        <select id="f-theme" name="theme" defaultValue={f.theme}>
          <option value="">Any theme</option>
          {props.themes.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </p>
      <p>
        <label htmlFor="f-mechanism">Mechanism</label>
        <select id="f-mechanism" name="mechanism" defaultValue={f.mechanism}>
          <option value="">Any mechanism</option>
          {props.mechanisms.map((m) => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </select>
      </p>
      <p>
        <label htmlFor="f-status">{props.statusLabel}</label>
        <select id="f-status" name="status" defaultValue={f.status}>
          <option value="">Any</option>
          {props.statuses.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </p>
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
