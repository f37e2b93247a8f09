/**
 * The words of the public pages, in one place. The public record is read by people without an
 * account, so its pages are rendered on the server in English for now; the languages work (be, ru)
 * replaces this module with the shared translations.
 */
import type { AssessmentRating, ProgressStatus, Side } from '../../shared/api/index.ts';

export const SECTION_STATUS: Record<string, string> = { drafting: 'Drafting', in_review: 'In review', agreed: 'Agreed' };
export const SIDE: Record<Side, string> = {
  government: 'Government',
  civil_society: 'Civil society',
  independent: 'Independent institution',
  international: 'International observer',
};
export const PROGRESS_STATUS: Record<ProgressStatus, string> = {
  not_started: 'Not started',
  in_progress: 'In progress',
  completed: 'Completed',
  delayed: 'Delayed',
  cancelled: 'Cancelled',
};
export const RATING: Record<AssessmentRating, string> = {
  not_implemented: 'Not implemented',
  partially_implemented: 'Partially implemented',
  fully_implemented: 'Fully implemented',
  no_information: 'No information',
};
export const POSITION: Record<string, string> = {
  supported: 'Supported',
  supported_in_part: 'Supported in part',
  noted: 'Noted',
  pending: 'Pending',
};
export const INDICATOR_TYPE: Record<string, string> = { structural: 'Structural', process: 'Process', outcome: 'Outcome' };

export const word = (table: Record<string, string>, key: string | null | undefined, none = '—') => (key ? (table[key] ?? key) : none);

/** "2026-03-01" from a stored ISO time. */
export const day = (iso: string | null | undefined) => (iso ? iso.slice(0, 10) : '—');
