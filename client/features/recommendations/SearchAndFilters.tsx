import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../ui/forms.tsx';
import type { FilterOptions } from './filterOptions.ts';
import { FILTER_KEYS, SORTS, type FilterKey, type Order, type Sort } from './searchParams.ts';
import type { SearchUpdate } from './useRecommendationSearch.ts';

/** Search as one types, filters by facet, sort and order; every change goes to the address. */
export function SearchAndFilters({
  q,
  filters,
  filterOptions,
  unaddressed,
  sort,
  order,
  onChange,
}: {
  q: string;
  filters: Record<FilterKey, string>;
  filterOptions: FilterOptions;
  unaddressed: boolean;
  sort: Sort;
  order: Order;
  onChange: SearchUpdate;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [text, setText] = useState(q);
  const lastSent = useRef(q);

  // Follow the address when it changes from outside (clear filters, back button).
  useEffect(() => {
    if (q !== lastSent.current) {
      lastSent.current = q;
      setText(q);
    }
  }, [q]);

  // Search as the person types, a moment after they pause.
  useEffect(() => {
    const value = text.trim();
    if (value === lastSent.current) return;
    const timer = setTimeout(() => {
      lastSent.current = value;
      onChange({ q: value || null, sort: null });
    }, 300);
    return () => clearTimeout(timer);
  }, [text, onChange]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const value = text.trim();
    lastSent.current = value;
    onChange({ q: value || null, sort: null });
  };

  return (
    <form className="rec-filters" role="search" onSubmit={submit} aria-label={t('recs.filtersLabel')}>
      <div className="rec-filters__search field">
        <label htmlFor={`${id}-q`}>{t('recs.search')}</label>
        <p className="field__hint">{t('recs.searchHint')}</p>
        <div className="search-row">
          <input id={`${id}-q`} type="search" value={text} onChange={(e) => setText(e.target.value)} maxLength={200} data-testid="rec-search" />
          <Button type="submit" variant="secondary">
            {t('recs.searchButton')}
          </Button>
        </div>
      </div>
      <div className="rec-filters__grid">
        {FILTER_KEYS.map((k) => (
          <div className="field" key={k}>
            <label htmlFor={`${id}-${k}`}>{t(`recs.filter.${k}`)}</label>
            <select id={`${id}-${k}`} value={filters[k]} onChange={(e) => onChange({ [k]: e.target.value || null })} data-testid={`rec-filter-${k}`}>
              <option value="">{t('recs.filterAll')}</option>
              {/* Keep a chosen value listed even if the facets no longer contain it. */}
              {filters[k] && !filterOptions[k].some((o) => o.value === filters[k]) && <option value={filters[k]}>{filters[k]}</option>}
              {filterOptions[k].map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          </div>
        ))}
        <div className="field rec-filters__sort">
          <label htmlFor={`${id}-sort`}>{t('recs.sort')}</label>
          <div className="search-row">
            <select id={`${id}-sort`} value={sort} onChange={(e) => onChange({ sort: e.target.value }, false)} data-testid="rec-sort">
              {SORTS.filter((s) => s !== 'relevance' || q).map((s) => (
                <option key={s} value={s}>
                  {t(`recs.sortBy.${s}`)}
                </option>
              ))}
            </select>
            <label className="visually-hidden" htmlFor={`${id}-order`}>
              {t('recs.order')}
            </label>
            <select id={`${id}-order`} className="select--narrow" value={order} onChange={(e) => onChange({ order: e.target.value === 'desc' ? 'desc' : null }, false)} data-testid="rec-order">
              <option value="asc">{t('recs.asc')}</option>
              <option value="desc">{t('recs.desc')}</option>
            </select>
          </div>
        </div>
      </div>
      <div className="checkbox rec-filters__check">
        <input
          id={`${id}-unaddressed`}
          type="checkbox"
          checked={unaddressed}
          onChange={(e) => onChange({ unaddressed: e.target.checked ? 'true' : null })}
          data-testid="rec-filter-unaddressed"
        />
        <label htmlFor={`${id}-unaddressed`}>{t('recs.filter.unaddressed')}</label>
      </div>
    </form>
  );
}
