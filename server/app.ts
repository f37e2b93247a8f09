import express, { type Express } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Limits } from '../shared/limits.ts';
import { clientFiles } from './http/clientFiles.ts';
import { cookies } from './http/cookies.ts';
import { type AppDeps, loadPrincipal, sqlOf } from './http/context.ts';
import { apiNotFound, errorMiddleware } from './http/errorMiddleware.ts';
import { originCheck } from './http/origin.ts';
import { nulFreeReviver } from './nul.ts';
import { apiRouter } from './routes/index.ts';
import { publicRecordRouter } from './public/router.tsx';

/**
 * Builds the Express application without listening, so tests and the boot script share it.
 * `clientDir` is the built browser app (dist/client); absent in API-only tests.
 */
export function createApp(deps: AppDeps, clientDir?: string): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');

  app.use((_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'same-origin');
    res.setHeader('X-Frame-Options', 'DENY');
    next();
  });

  app.use(
    '/api',
    originCheck(deps.config),
    // The NUL character is left out of every text a request carries (server/nul.ts).
    express.json({ limit: Limits.jsonBodyBytes, reviver: nulFreeReviver }),
    cookies(),
    loadPrincipal(sqlOf(deps)),
    apiRouter(deps),
  );
  app.use('/api', apiNotFound);

  // The public record: published plans, for anyone, without an account or cookies (issue #16).
  app.use(publicRecordRouter(deps));

  if (clientDir && existsSync(join(clientDir, 'index.html'))) app.use(clientFiles(clientDir));

  app.use(errorMiddleware(deps.logger));
  return app;
}
