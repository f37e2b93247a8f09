import type { z } from 'zod';

/**
 * Every error code the server sends in `{ error: { code } }`. The client shows people
 * `errors.<code>` in their language, never the server's English `message` (which is for logs and
 * API users): a code added here without an `errors.*` key in every catalogue fails
 * tests/unit/error-codes.test.ts, and server/errors.ts accepts only these codes.
 */
export const ERROR_CODES = [
  // Requests and sessions
  'invalid_request',
  'invalid_json',
  'too_large',
  'internal',
  'unauthenticated',
  'invalid_credentials',
  'wrong_current_password',
  'rate_limited',
  'bad_origin',
  'unsupported_media_type',
  'not_found',
  'gone',
  'forbidden',
  'coordinator_only',
  'already_set_up',
  'email_taken',
  'reset_invalid',
  'reset_other_side',
  'invite_invalid',
  'already_member',
  'last_coordinator',
  'invite_other_organisation',
  'restore_not_removed',
  'restore_too_late',
  // Storage
  'unsaved_edits',
  'storage_failed',
  // Organisations and sides
  'organisation_exists',
  'actor_unverified',
  'other_side',
  'already_verified',
  'not_verified',
  'verify_own_organisation',
  'unverify_own_organisation',
  'organisation_unverified',
  // Sections, agreement and the bin
  'section_agreed',
  'chapter_in_bin',
  'content_changed',
  'already_signed',
  'not_signed',
  'open_suggestions',
  'not_in_review',
  'plan_adopted',
  'no_chapter_rule',
  'observer_no_position',
  'position_not_yours',
  'already_withdrawn',
  // Suggestions and comments
  'suggestion_gone',
  'accept_not_allowed',
  'reject_not_own',
  'not_comment_author',
  'comment_deleted',
  'resolve_not_allowed',
  // Recommendations, imports and proposals
  'reference_taken',
  'source_key_taken',
  'proposal_not_yours',
  'file_too_large',
  'import_file_invalid',
  'recommendation_group_not_confirmed',
  'recommendation_group_parts_invalid',
  'preview_not_found',
  'import_superseded',
  'import_busy',
  'import_taken_over',
  'import_already_undone',
  'matrix_file_invalid',
  'matrix_has_errors',
  // Exports and the public record
  'export_running',
  'export_failed',
  'export_timed_out',
  'export_too_large',
  'export_interrupted',
  'export_limit_person',
  'export_limit_plan',
  'slug_taken',
  'not_published',
  // Adoption and monitoring
  'already_adopted',
  'not_agreed',
  'not_adopted',
  'not_reporting',
  'stage_invalid',
  'round_closed',
  'report_submitted',
  'already_corrected',
  'not_implementer',
  'not_author_organisation',
  'not_assessor',
  'evidence_type',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * What a 404 `not_found` was looking for, sent as `params.what`: the client says "The section was
 * not found." from `errors.notFoundWhat.<what>` (a whole sentence per thing, so every language can
 * decline the noun its own way).
 */
export const NOT_FOUND_WHATS = [
  'plan',
  'chapter',
  'section',
  'binSection',
  'binChapter',
  'action',
  'indicator',
  'recommendation',
  'organisation',
  'member',
  'thread',
  'comment',
  'position',
  'version',
  'versionGroup',
  'import',
  'export',
  'round',
  'report',
  'evidence',
  'evidenceFile',
  'route',
  'recommendationGroup',
  'session',
  'trustedBrowser',
] as const;
export type NotFoundWhat = (typeof NOT_FOUND_WHATS)[number];

/**
 * Per-field validation problems, sent in `fields` (field path → code) with numbers in
 * `fieldParams` (field path → { min, max }). The client shows `fieldErrors.<code>`; its own zod
 * checks give the same codes through fieldIssue below, so a form reads the same either way.
 */
export const FIELD_ERROR_CODES = [
  'required',
  'too_short',
  'too_long',
  'too_small',
  'too_big',
  'too_few_chosen',
  'too_many_chosen',
  'not_integer',
  'not_number',
  'invalid_email',
  'invalid_url',
  'http_url',
  'invalid_date',
  'invalid_due',
  'due_year_range',
  'no_such_date',
  'currency_code',
  'invalid_slug',
  'invalid_id',
  'invalid_choice',
  'invalid',
  'period_order',
  'nothing_to_change',
  'not_in_plan',
  'reason_required',
  'removal_reason_required',
  'reservation_required',
  'dissent_required',
  'justification_required',
  'signers_required',
  'suggestions_required',
  'slug_fixed',
  'adopted_before',
  'not_cso',
  'not_disaggregated',
  'observed_in_future',
  'yes_no_value',
  'correction_target',
  'correction_of_draft',
  'anchor_invalid',
  'section_not_agreed',
  'quorum_unreachable',
  'no_side_coordinator',
  'end_before_start',
  'target_before_baseline',
  'position_out_of_range',
  'organisation_invitation_needed',
  'invalid_document_symbol',
  'invalid_sdg_target',
  'wrong_current_password',
] as const;
export type FieldErrorCode = (typeof FIELD_ERROR_CODES)[number];

export type ErrorParams = Record<string, string | number>;

export interface FieldIssue {
  code: FieldErrorCode;
  params?: ErrorParams;
}

const FIELD_CODE_SET: ReadonlySet<string> = new Set(FIELD_ERROR_CODES);
export const isFieldErrorCode = (value: string): value is FieldErrorCode => FIELD_CODE_SET.has(value);

/**
 * One zod issue as a field error code. Schemas in shared/api give their own messages as codes
 * (`.min(1, 'required')`); zod's built-in checks are named by kind, with the limit as a param.
 */
export function fieldIssue(issue: z.core.$ZodIssue): FieldIssue {
  if (isFieldErrorCode(issue.message)) return { code: issue.message };
  const num = (v: unknown) => (typeof v === 'bigint' ? Number(v) : (v as number));
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined || issue.input === null) return { code: 'required' };
      return { code: issue.expected === 'number' || issue.expected === 'int' ? 'not_number' : 'invalid' };
    case 'too_small': {
      const min = num(issue.minimum);
      if (issue.origin === 'string') return min <= 1 ? { code: 'required' } : { code: 'too_short', params: { min } };
      if (issue.origin === 'array' || issue.origin === 'set') return { code: 'too_few_chosen', params: { min } };
      return { code: 'too_small', params: { min } };
    }
    case 'too_big': {
      const max = num(issue.maximum);
      if (issue.origin === 'string') return { code: 'too_long', params: { max } };
      if (issue.origin === 'array' || issue.origin === 'set') return { code: 'too_many_chosen', params: { max } };
      return { code: 'too_big', params: { max } };
    }
    case 'invalid_format':
      if (issue.format === 'email') return { code: 'invalid_email' };
      if (issue.format === 'url') return { code: 'invalid_url' };
      if (issue.format === 'date' || issue.format === 'datetime') return { code: 'invalid_date' };
      return { code: 'invalid' };
    case 'invalid_value':
    case 'invalid_union':
      return { code: 'invalid_choice' };
    case 'not_multiple_of':
      return { code: 'not_integer' };
    default:
      return { code: 'invalid' };
  }
}

/** Field errors of a failed parse, first problem per field (dotted paths; `_` for the whole value). */
export function fieldIssues(error: z.ZodError): Record<string, FieldIssue> {
  const out: Record<string, FieldIssue> = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join('.') || '_';
    out[key] ??= fieldIssue(issue);
  }
  return out;
}
