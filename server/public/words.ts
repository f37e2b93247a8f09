/**
 * The words of the public pages, in one place. The public record is read by people without an
 * account, so its pages are rendered on the server in English for now; the languages work (be, ru)
 * replaces this module with the shared translations.
 */
import type { Side } from '../../shared/api/index.ts';

// The exports' words for statuses, positions and ratings: the public record says what the documents say.
export { STATUS_LABEL as SECTION_STATUS, POSITION_LABEL as POSITION } from '../export/model.ts';
export { STATUS_LABEL as PROGRESS_STATUS, RATING_LABEL as RATING } from '../export/progress/reportModel.ts';

export const SIDE: Record<Side, string> = {
  government: 'Government',
  civil_society: 'Civil society',
  independent: 'Independent institution',
  international: 'International observer',
};
export const INDICATOR_TYPE: Record<string, string> = { structural: 'Structural', process: 'Process', outcome: 'Outcome' };

export const word = (table: Record<string, string>, key: string | null | undefined, none = '—') => (key ? (table[key] ?? key) : none);

/** "2026-03-01" from a stored ISO time. */
export const day = (iso: string | null | undefined) => (iso ? iso.slice(0, 10) : '—');
