import type { RequestHandler } from 'express';
import { parse } from 'cookie';

/** Minimal cookie parsing into req.cookies (the only cookie Accord reads is the session). */
export function cookies(): RequestHandler {
  return (req, _res, next) => {
    let parsed: Record<string, string | undefined> = {};
    try {
      parsed = req.headers.cookie ? parse(req.headers.cookie) : {};
    } catch {
      parsed = {};
    }
    (req as typeof req & { cookies: Record<string, string | undefined> }).cookies = parsed;
    next();
  };
}
