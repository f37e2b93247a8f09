import type { Position } from '../../../shared/api/index.ts';
import type { RecommendationFilters } from '../../api/index.ts';

/**
 * The recommendations list's query as it lives in the address (so a filtered list can be shared
 * and survives a reload): reading it, and turning it into the filters the server understands.
 */

export const PAGE_SIZE = 50;
export const FILTER_KEYS = ['mechanism', 'cycle', 'position', 'theme', 'state', 'affected', 'sdg'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];
export const SORTS = ['reference', 'date', 'position', 'mechanism', 'relevance'] as const;
export type Sort = (typeof SORTS)[number];
export type Order = 'asc' | 'desc';

/** What "clear filters" removes from the address. */
export const CLEARABLE_PARAMS = [...FILTER_KEYS, 'q', 'unaddressed', 'sort'] as const;

export interface RecommendationSearch {
  q: string;
  sort: Sort;
  order: Order;
  pageNo: number;
  unaddressed: boolean;
  /** The recommendation open in the detail panel, if any. */
  selectedId: string | null;
  filters: Record<FilterKey, string>;
  hasFilters: boolean;
}

export function readSearch(params: URLSearchParams): RecommendationSearch {
  const q = params.get('q') ?? '';
  const sortParam = params.get('sort') as Sort | null;
  const sort: Sort = sortParam && SORTS.includes(sortParam) ? sortParam : q ? 'relevance' : 'reference';
  const order: Order = params.get('order') === 'desc' ? 'desc' : 'asc';
  const pageNo = Math.max(1, Number(params.get('page') ?? '1') || 1);
  const unaddressed = params.get('unaddressed') === 'true';
  const selectedId = params.get('rec');
  const filters = Object.fromEntries(FILTER_KEYS.map((k) => [k, params.get(k) ?? ''])) as Record<FilterKey, string>;
  const hasFilters = q !== '' || unaddressed || FILTER_KEYS.some((k) => filters[k] !== '');
  return { q, sort, order, pageNo, unaddressed, selectedId, filters, hasFilters };
}

export function toFilters({ q, filters, unaddressed, sort, order, pageNo }: RecommendationSearch): RecommendationFilters {
  return {
    q: q || undefined,
    mechanism: (filters.mechanism || undefined) as RecommendationFilters['mechanism'],
    cycle: filters.cycle ? Number(filters.cycle) : undefined,
    position: (filters.position || undefined) as Position | undefined,
    theme: filters.theme || undefined,
    state: filters.state || undefined,
    affected: filters.affected || undefined,
    sdg: filters.sdg || undefined,
    unaddressed: unaddressed || undefined,
    sort: sort === 'relevance' && !q ? 'reference' : sort,
    order,
    limit: PAGE_SIZE,
    offset: (pageNo - 1) * PAGE_SIZE,
  };
}

/** The current address with one parameter set (for links that open a recommendation). */
export function withParam(params: URLSearchParams, key: string, value: string): string {
  const next = new URLSearchParams(params);
  next.set(key, value);
  return '?' + next.toString();
}
