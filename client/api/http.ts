import type { z } from 'zod';
import { ApiErrorSchema, type ErrorParams } from '../../shared/api/index.ts';

/**
 * A failed API call: the server's stable code (with its params), its English message (never shown
 * to people: client/ui/forms.tsx describeError translates the code) and per-field error codes.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: Record<string, string>,
    readonly params?: ErrorParams,
    readonly fieldParams?: Record<string, ErrorParams>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Codes the client invents for failures that never reached the API. */
export const ClientErrorCode = {
  network: 'network',
  badResponse: 'bad_response',
} as const;

/**
 * The call never reached the server: no connection, or the server was down (the service worker
 * answers such a call with the same code when it has no copy of the answer).
 */
export function isNetworkError(err: unknown): boolean {
  return err instanceof ApiError && err.code === ClientErrorCode.network;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Calls the REST API and parses the answer with the shared zod schema, so a contract drift shows
 * up as one clear error instead of undefined fields deep in a component.
 */
export async function request<T>(method: Method, path: string, schema: z.ZodType<T> | null, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch('/api' + path, {
      method,
      credentials: 'same-origin',
      headers: {
        accept: 'application/json',
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
  } catch {
    throw new ApiError(0, ClientErrorCode.network, 'The server could not be reached.');
  }
  const text = await res.text();
  let json: unknown = undefined;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
  }
  return interpret(method, path, res.status, res.ok, json, schema);
}

function interpret<T>(method: string, path: string, status: number, ok: boolean, json: unknown, schema: z.ZodType<T> | null): T {
  const res = { status, ok };
  if (!res.ok) {
    const parsed = ApiErrorSchema.safeParse(json);
    if (parsed.success) {
      const { code, message, fields, params, fieldParams } = parsed.data.error;
      throw new ApiError(res.status, code, message, fields, params, fieldParams);
    }
    throw new ApiError(res.status, res.status >= 500 ? 'internal' : ClientErrorCode.badResponse, `HTTP ${res.status}`);
  }
  if (schema === null) return undefined as T;
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    console.error('Unexpected API response', method, path, parsed.error);
    throw new ApiError(res.status, ClientErrorCode.badResponse, 'The server answered in an unexpected shape.');
  }
  return parsed.data;
}

/**
 * Sends a file's raw bytes (Content-Type: application/octet-stream) with XMLHttpRequest, which,
 * unlike fetch, reports upload progress; the answer is parsed like {@link request}'s.
 */
export function upload<T>(
  path: string,
  body: Blob,
  schema: z.ZodType<T>,
  onProgress?: (loaded: number, total: number) => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api' + path);
    xhr.withCredentials = true;
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress?.(e.loaded, e.total);
    };
    xhr.onerror = () => reject(new ApiError(0, ClientErrorCode.network, 'The server could not be reached.'));
    xhr.onload = () => {
      let json: unknown = undefined;
      try {
        json = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        json = undefined;
      }
      if (xhr.status === 413 && json === undefined) {
        reject(new ApiError(413, 'file_too_large', 'The file is too large.'));
        return;
      }
      try {
        resolve(interpret('POST', path, xhr.status, xhr.status >= 200 && xhr.status < 300, json, schema));
      } catch (err) {
        reject(err);
      }
    };
    xhr.send(body);
  });
}
