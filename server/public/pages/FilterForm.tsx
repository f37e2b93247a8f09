/** The search and filter form of a public list: a GET form, so it works without JavaScript. */
import { themeOptions } from '../../../shared/themes/uprThemes.ts';
import type { Plural } from '../../export/i18n/index.ts';
import type { ListFilters } from '../filters.ts';
import type { PublicWords } from '../i18n/index.ts';

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

export function FilterForm(props: {
  action: string;
  words: PublicWords;
  filters: ListFilters;
  themes: string[];
  mechanisms: string[];
  statusLabel: string;
  /** Where a list's themes and mechanisms come from, when it is not obvious (actions: their recommendations'). */
  facetNote?: string;
  statuses: Array<[string, string]>;
  count: number;
  total: number;
  /** "12 actions" and "3 of 12 actions shown", in the language's plural forms. */
  counts: { count: Plural; countShown: Plural };
  listName: string;
}) {
  const { filters: f, words } = props;
  const { w, x } = words;
  return (
    <form method="get" action={props.action} className="filters" role="search" aria-label={words.t(w.filters.searchLabel, { list: props.listName })}>
      {/* The language the reader chose in the address goes on with the search. */}
      {words.choice.from === 'query' && <input type="hidden" name="lang" value={words.lang} />}
      <p>
        <label htmlFor="f-q">{w.filters.search}</label>
        <input id="f-q" name="q" type="search" defaultValue={f.q} />
      </p>
      <Choice name="theme" label={w.filters.theme} any={w.filters.anyTheme} value={f.theme} options={themeOptions(props.themes, words.lang).map((o) => [o.value, o.label])} />
      <Choice
        name="mechanism"
        label={w.filters.mechanism}
        any={w.filters.anyMechanism}
        value={f.mechanism}
        options={props.mechanisms.map((m) => [m, words.label(x.w.mechanism, m)])}
      />
      <Choice name="status" label={props.statusLabel} any={w.filters.any} value={f.status} options={props.statuses} />
      <p>
        <button type="submit">{w.filters.show}</button> <a href={words.href(props.action)}>{w.filters.clear}</a>
      </p>
      {props.facetNote && <p className="note">{props.facetNote}</p>}
      <p className="count" role="status">
        {props.count === props.total
          ? words.plural(props.counts.count, props.total)
          : words.plural(props.counts.countShown, props.total, { shown: x.number(props.count) })}
      </p>
    </form>
  );
}
