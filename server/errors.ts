import type { ErrorCode, ErrorParams, FieldIssue, NotFoundWhat } from '../shared/api/errors.ts';

/**
 * Errors with a stable machine-readable code, answered by the error middleware as
 * `{ error: { code, message, params?, fields?, fieldParams? } }`. Routes throw these; nothing else
 * decides a status code. People read `errors.<code>` in their language (shared/api/errors.ts lists
 * every code); `message` stays English, for logs and API users.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    /** Field path → field error code (shared/api/errors.ts FIELD_ERROR_CODES). */
    readonly fields?: Record<string, FieldIssue>,
    /** Values the client's sentence for this code may use (names, counts, what was not found). */
    readonly params?: ErrorParams,
  ) {
    super(message);
  }
}

export const badRequest = (message: string, fields?: Record<string, FieldIssue>) =>
  new HttpError(400, 'invalid_request', message, fields);
/** A 400 for one field, with its code: `fieldError('end', 'invalid_date', 'The end is not a date')`. */
export const fieldError = (field: string, issue: FieldIssue | FieldIssue['code'], message: string) =>
  badRequest(`The request is not valid. ${field}: ${message}`, { [field]: typeof issue === 'string' ? { code: issue } : issue });
export const unauthenticated = () => new HttpError(401, 'unauthenticated', 'Please sign in.');
export const forbidden = (message = 'Your role in this plan does not allow that.', code: ErrorCode = 'forbidden') =>
  new HttpError(403, code, message);
const NOT_FOUND_WORDS: Record<NotFoundWhat, string> = {
  plan: 'The plan',
  chapter: 'The chapter',
  section: 'The section',
  binSection: 'That section in the bin',
  binChapter: 'That chapter in the bin',
  action: 'The action',
  indicator: 'The indicator',
  recommendation: 'The recommendation',
  organisation: 'The organisation',
  member: 'The member',
  thread: 'The thread',
  comment: 'The comment',
  position: 'The position',
  version: 'The version',
  versionGroup: 'The version group',
  import: 'The import',
  export: 'The export',
  round: 'The reporting round',
  report: 'The report',
  evidence: 'The evidence',
  evidenceFile: 'The evidence file',
  route: 'That API route',
  recommendationGroup: 'The group of recommendations',
  session: 'The session',
  trustedBrowser: 'The browser',
};
/** 404 naming what was looked for; the client says it from `errors.notFoundWhat.<what>`. */
export const notFound = (what: NotFoundWhat) => new HttpError(404, 'not_found', `${NOT_FOUND_WORDS[what]} was not found.`, undefined, { what });
export const conflict = (code: ErrorCode, message: string, params?: ErrorParams) => new HttpError(409, code, message, undefined, params);
export const tooManyRequests = (message: string) => new HttpError(429, 'rate_limited', message);
/** A password change with the wrong current password: said at the field, like any other mistake in the form. */
export const wrongCurrentPassword = () =>
  new HttpError(400, 'wrong_current_password', 'The current password is not right.', { currentPassword: { code: 'wrong_current_password' } });
/** One message for a wrong e-mail or a wrong password, so sign-in cannot be used to find accounts. */
export const invalidCredentials = () =>
  new HttpError(401, 'invalid_credentials', 'That e-mail address and password do not match an account.');
export const badOrigin = () =>
  new HttpError(403, 'bad_origin', 'This request came from another website and was refused.');
export const unsupportedMediaType = () =>
  new HttpError(415, 'unsupported_media_type', 'Send the request body as JSON (Content-Type: application/json).');
/** Unknown, used and expired password reset links look the same. */
export const resetInvalid = () =>
  new HttpError(
    404,
    'reset_invalid',
    'This password reset link is not valid: it may have been used, replaced by a newer one or have expired. Ask a coordinator of your plan for a new one.',
  );
/** Unknown, used, revoked and expired invites look the same: a link cannot be probed for its state. */
export const inviteInvalid = () =>
  new HttpError(
    404,
    'invite_invalid',
    'This invitation link is not valid: it may have been used, revoked or have expired. Ask the coordinator for a new one.',
  );
/**
 * 503 while some edits are only in memory (storage failing): what is signed, exported or kept must
 * be stored text, which a crash cannot take back. `cannot` completes "so it cannot be … now".
 */
export const unsavedEdits = (cannot: string, what = 'this section') =>
  new HttpError(503, 'unsaved_edits', `Some edits to ${what} are not stored yet, so it cannot be ${cannot} now. Try again in a moment.`);
/** 503 when a change to a section's text could not be stored with its records: nothing of it was made. */
export const storageFailed = () =>
  new HttpError(503, 'storage_failed', 'The change could not be saved, so nothing was changed. Try again in a moment.');
