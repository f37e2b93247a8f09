import type { TFunction } from 'i18next';
import { themeOptions } from '../../../shared/themes/uprThemes.ts';
import { affectedOptions } from '../../../shared/themes/affectedPersons.ts';
import { MechanismSchema, PositionSchema, type RecommendationPage } from '../../../shared/api/index.ts';
import { mechanismLabel } from './recommendations.tsx';
import type { FilterKey } from './searchParams.ts';
import { sdgOptions } from './sdgLabels.ts';

export type FilterOptions = Record<FilterKey, Array<{ value: string; label: string }>>;

/** The choices of each filter: the values the plan's recommendations have (the facets), labelled. */
export function filterOptions(t: TFunction, language: string, facets: RecommendationPage['facets'] | undefined): FilterOptions {
  return {
    mechanism: (facets?.mechanisms ?? MechanismSchema.options).map((m) => ({ value: m, label: mechanismLabel(t, m) })),
    cycle: (facets?.cycles ?? []).map((c) => ({ value: String(c), label: t('recs.cycleN', { n: c }) })),
    position: PositionSchema.options.map((p) => ({ value: p, label: t(`position.${p}`) })),
    theme: themeOptions(facets?.themes ?? [], language),
    state: (facets?.states ?? []).map((v) => ({ value: v, label: v })),
    affected: affectedOptions(facets?.affectedPersons ?? [], language),
    sdg: sdgOptions(t, language, facets?.sdgs ?? []),
  };
}
