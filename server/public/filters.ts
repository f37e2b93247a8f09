/**
 * Search and filters of the public lists, read from the query string (plain GET forms, so they
 * work without JavaScript). Unknown values are ignored rather than refused: an old or hand-edited
 * link still shows a page.
 */
import type { PublicAction, PublicRecommendation, PublicSnapshot } from '../services/publicRecord/snapshot.ts';

export interface ListFilters {
  q: string;
  theme: string;
  mechanism: string;
  /** Actions: reported status ('not_reported' for none); recommendations: the State's position. */
  status: string;
}

const one = (v: unknown) => (typeof v === 'string' ? v.trim().slice(0, 200) : '');

export function readFilters(query: Record<string, unknown>): ListFilters {
  return { q: one(query.q), theme: one(query.theme), mechanism: one(query.mechanism), status: one(query.status) };
}

export const isFiltered = (f: ListFilters) => Boolean(f.q || f.theme || f.mechanism || f.status);

const matches = (q: string, ...texts: Array<string | null>) => {
  if (!q) return true;
  const needle = q.toLocaleLowerCase();
  return texts.some((t) => t?.toLocaleLowerCase().includes(needle));
};

/** Every theme and mechanism the plan's recommendations carry, sorted, for the filter menus. */
export function facets(s: PublicSnapshot): { themes: string[]; mechanisms: string[] } {
  const themes = new Set<string>();
  const mechanisms = new Set<string>();
  for (const r of s.recommendations) {
    r.themes.forEach((t) => themes.add(t));
    mechanisms.add(r.mechanism);
  }
  return { themes: [...themes].sort((a, b) => a.localeCompare(b)), mechanisms: [...mechanisms].sort((a, b) => a.localeCompare(b)) };
}

export interface ListedAction {
  action: PublicAction;
  sectionId: string;
  sectionNumber: string;
  sectionTitle: string;
}

export function filterActions(s: PublicSnapshot, f: ListFilters): ListedAction[] {
  const recs = new Map(s.recommendations.map((r) => [r.id, r]));
  return s.chapters
    .flatMap((c) => c.sections.flatMap((sec) => sec.actions.map((action) => ({ action, sectionId: sec.id, sectionNumber: sec.number, sectionTitle: sec.title }))))
    .filter(({ action }) => {
      const linked = action.recommendationIds.flatMap((id) => (recs.has(id) ? [recs.get(id)!] : []));
      if (f.theme && !linked.some((r) => r.themes.includes(f.theme))) return false;
      if (f.mechanism && !linked.some((r) => r.mechanism === f.mechanism)) return false;
      if (f.status && (action.reportedStatus ?? 'not_reported') !== f.status) return false;
      return matches(f.q, action.title, action.description, action.leadAgency);
    });
}

export function filterRecommendations(s: PublicSnapshot, f: ListFilters): PublicRecommendation[] {
  return s.recommendations.filter((r) => {
    if (f.theme && !r.themes.includes(f.theme)) return false;
    if (f.mechanism && r.mechanism !== f.mechanism) return false;
    if (f.status && r.position !== f.status) return false;
    return matches(f.q, r.reference, r.text, r.recommendingStates.join(' '));
  });
}

/** The actions of the published plan that implement a recommendation. */
export function actionsFor(s: PublicSnapshot, recommendationId: string): ListedAction[] {
  return filterActions(s, { q: '', theme: '', mechanism: '', status: '' }).filter((a) => a.action.recommendationIds.includes(recommendationId));
}
