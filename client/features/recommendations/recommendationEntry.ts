import type { Mechanism, Recommendation } from '../../../shared/api/index.ts';
import { ApiError } from '../../api/index.ts';
import type { FieldErrors } from '../../ui/forms.tsx';
import { orEmpty, orNull } from '../actions/fieldValues.ts';

/** Languages a recommendation's text is offered in: the UN's six and Belarusian. */
export const TEXT_LANGUAGES = ['en', 'fr', 'es', 'ru', 'ar', 'zh', 'be'] as const;

/** A box of one entry per line as a list: trimmed, blank lines dropped, each entry once. */
export const lines = (value: string): string[] => [...new Set(value.split('\n').map((s) => s.trim()).filter(Boolean))];

/** The SDG box: codes one per line or separated by commas or semicolons ("16.3, 5.a"); the server checks each. */
export const sdgEntries = (value: string): string[] => lines(value.replace(/[,;]/g, '\n'));

/**
 * The error of a field, or of one entry of a list field: the server names a list's problem by
 * the entry (`themes.3`), and the form shows it on the box that holds the list.
 */
export function fieldError(fields: FieldErrors, name: string): string | undefined {
  return fields[name] ?? Object.entries(fields).find(([path]) => path.startsWith(`${name}.`))?.[1];
}

/** The API fields RecommendationSourceFields shows an error at, each on its own box. */
export const SOURCE_FIELDS = ['mechanism', 'reference', 'documentSymbol', 'paragraph', 'cycle', 'date', 'text', 'language', 'stateUnderReview', 'recommendingStates'] as const;
/** The API fields PositionAndThemesFields shows an error at. */
export const POSITION_AND_THEMES_FIELDS = ['position', 'themes', 'sdgTargets'] as const;

/**
 * The messages a form says at its boxes (for FormError's saidAtFields): a refusal of one entry of
 * a list (`sdgTargets.1`) is said on the list's box, so it is not said again under the form.
 */
export const saidAt = (fields: FieldErrors, names: readonly string[]): (string | undefined)[] => names.map((name) => fieldError(fields, name));

/** Where a recommendation comes from and what it says, as typed in the boxes of the add and edit forms. */
export interface SourceValues {
  mechanism: Mechanism;
  reference: string;
  documentSymbol: string;
  paragraph: string;
  cycle: string;
  date: string;
  text: string;
  language: string;
  stateUnderReview: string;
  states: string;
  /** A voluntary pledge: the State's own commitment, listed with the recommendations. */
  pledge: boolean;
}

/** A new recommendation's boxes: a UPR one about the plan's country, in English. */
export const blankSource = (country: string): SourceValues => ({
  mechanism: 'UPR',
  reference: '',
  documentSymbol: '',
  paragraph: '',
  cycle: '',
  date: '',
  text: '',
  language: 'en',
  stateUnderReview: country,
  states: '',
  pledge: false,
});

/** A stored recommendation's boxes, for correcting it. */
export const sourceOf = (rec: Recommendation): SourceValues => ({
  mechanism: rec.mechanism,
  reference: rec.reference,
  documentSymbol: orEmpty(rec.documentSymbol),
  paragraph: orEmpty(rec.paragraph),
  cycle: orEmpty(rec.cycle),
  date: orEmpty(rec.date),
  text: rec.text,
  language: rec.language,
  stateUnderReview: rec.stateUnderReview,
  states: rec.recommendingStates.join('\n'),
  pledge: rec.kind === 'pledge',
});

/** True when the cycle box holds something other than a whole number (the server would only say "expected a number"). */
export const cycleNotWhole = (v: SourceValues) => v.cycle.trim() !== '' && !/^\d+$/.test(v.cycle.trim());

/** The boxes as the API's fields; the server checks them (the same schema as imports) and says which is wrong. */
export const sourceBody = (v: SourceValues) => ({
  mechanism: v.mechanism,
  reference: orNull(v.reference),
  documentSymbol: orNull(v.documentSymbol),
  paragraph: orNull(v.paragraph),
  cycle: v.cycle.trim() === '' ? null : Number(v.cycle),
  date: orNull(v.date),
  text: v.text,
  language: v.language,
  stateUnderReview: v.stateUnderReview,
  recommendingStates: lines(v.states),
  kind: v.pledge ? ('pledge' as const) : ('recommendation' as const),
});

/** The fields a refusal names. A reference used by another recommendation is a conflict, not a field problem, to the server; in the form it is the field to change. */
export const refusedFields = (err: unknown, described: { message: string; fields: FieldErrors }): FieldErrors =>
  err instanceof ApiError && err.code === 'reference_taken' ? { reference: described.message } : described.fields;
