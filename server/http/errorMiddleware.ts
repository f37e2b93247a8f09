import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { HttpError } from '../errors.ts';
import type { ErrorCode, ErrorParams, FieldErrorCode, FieldIssue } from '../../shared/api/errors.ts';

/** Field issues on the wire: `fields` path → code, and the numbers of those that have any in `fieldParams`. */
function wireFields(fields: Record<string, FieldIssue> | undefined) {
  if (!fields) return {};
  const codes: Record<string, FieldErrorCode> = {};
  const params: Record<string, ErrorParams> = {};
  for (const [path, issue] of Object.entries(fields)) {
    codes[path] = issue.code;
    if (issue.params) params[path] = issue.params;
  }
  return Object.keys(params).length > 0 ? { fields: codes, fieldParams: params } : { fields: codes };
}

/** Unknown /api routes answer in the same error shape as every other failure. */
export const apiNotFound: RequestHandler = (req, res) => {
  res.status(404).json({ error: { code: 'not_found' satisfies ErrorCode, message: `No API route ${req.method} ${req.path}.`, params: { what: 'route' } } });
};

/** The one place that turns an error into `{ error: { code, message, … } }` and a status. */
export function errorMiddleware(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (err instanceof HttpError) {
      res.status(err.status).json({ error: { code: err.code, message: err.message, ...(err.params ? { params: err.params } : {}), ...wireFields(err.fields) } });
      return;
    }
    // Body-parser errors: malformed JSON or a body over the limit.
    const e = err as { type?: string; status?: number };
    if (e.type === 'entity.parse.failed') {
      res.status(400).json({ error: { code: 'invalid_json' satisfies ErrorCode, message: 'The request body is not valid JSON.' } });
      return;
    }
    if (e.type === 'entity.too.large') {
      res.status(413).json({ error: { code: 'too_large' satisfies ErrorCode, message: 'The request body is too large.' } });
      return;
    }
    logger.error({ err, method: req.method, path: req.path }, 'unhandled error');
    res.status(500).json({ error: { code: 'internal' satisfies ErrorCode, message: 'Something went wrong on the server. Nothing was changed.' } });
  };
}
