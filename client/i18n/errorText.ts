import type { ErrorParams } from '../../shared/api/errors.ts';

/** The part of i18next's t that error texts need (a plain function, so tests can pass any instance's t). */
export type Translate = (key: string, options?: Record<string, unknown>) => string;

/**
 * The sentence for a server (or client) error code in the reader's language. A code this client
 * does not know yet reads as the generic "Something went wrong", never as the server's English.
 * A `not_found` that says what was looked for reads "The section was not found." and so on; an
 * `import_file_invalid` that names its problem says what is wrong with the file; a `rate_limited`
 * with `retryAfterSeconds` says how long to wait.
 */
export function errorText(t: Translate, code: string, params?: ErrorParams): string {
  const generic = t('errors.unexpected');
  if (code === 'not_found' && typeof params?.what === 'string') {
    return t(`errors.notFoundWhat.${params.what}`, { defaultValue: t('errors.not_found', { defaultValue: generic }) });
  }
  if (code === 'import_file_invalid' && typeof params?.problem === 'string') {
    // Why this file cannot be imported (shared/api/importText.ts IMPORT_FILE_PROBLEMS), with its values.
    return t(`import.fileProblem.${params.problem}`, { ...params, defaultValue: t('errors.import_file_invalid', { defaultValue: generic }) });
  }
  if (code === 'rate_limited' && typeof params?.retryAfterSeconds === 'number') {
    // Sign-in throttling says how long the wait is: it always ends, and is often a few seconds.
    return t('errors.rateLimitedRetry', { count: params.retryAfterSeconds, defaultValue: t('errors.rate_limited', { defaultValue: generic }) });
  }
  return t(`errors.${code}`, { ...params, defaultValue: generic });
}

/** A field error code (shared/api/errors.ts FIELD_ERROR_CODES) as a message, with its min/max/date. */
export function fieldErrorText(t: Translate, code: string, params?: ErrorParams): string {
  return t(`fieldErrors.${code}`, { ...params, defaultValue: t('fieldErrors.invalid') });
}
