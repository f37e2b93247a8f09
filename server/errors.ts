/**
 * Errors with a stable machine-readable code, answered by the error middleware as
 * `{ error: { code, message } }`. Routes throw these; nothing else decides a status code.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: Record<string, string>,
  ) {
    super(message);
  }
}

export const badRequest = (message: string, fields?: Record<string, string>) =>
  new HttpError(400, 'invalid_request', message, fields);
export const unauthenticated = () => new HttpError(401, 'unauthenticated', 'Please sign in.');
export const forbidden = (message = 'Your role in this plan does not allow that.', code = 'forbidden') =>
  new HttpError(403, code, message);
export const notFound = (what = 'That') => new HttpError(404, 'not_found', `${what} was not found.`);
export const conflict = (code: string, message: string) => new HttpError(409, code, message);
export const tooManyRequests = (message: string) => new HttpError(429, 'rate_limited', message);
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
