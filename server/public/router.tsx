/**
 * The public record's routes (issue #16): the published plan, readable by anyone without an
 * account, as plain HTML pages and open data. Outside /api: no session is read, no cookie is set,
 * and every response carries a Content-Security-Policy that allows no script at all, so hostile
 * text in any field can only ever be shown as text.
 *
 * Only the publication in force is served. Every other address (an unknown or unpublished slug, an
 * id not in the publication, an old snapshot) answers the same 404 page.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { ReactElement } from 'react';
import { sqlOf, type AppDeps } from '../http/context.ts';
import { publicationSnapshot, publishedBySlug } from '../services/publicRecord/publications.ts';
import type { PublicSnapshot } from '../services/publicRecord/snapshot.ts';
import { SlugSchema } from '../../shared/api/publicRecord.ts';
import { type CachedResponse, PublicCache } from './cache.ts';
import { readFilters } from './filters.ts';
import { renderPage, STYLESHEET, type PageContext } from './html.tsx';
import { chooseLanguage, publicWords, type LanguageChoice } from './i18n/index.ts';
import { datasetByName, toCsv, toJson } from './openData.ts';
import { ActionsPage } from './pages/Actions.tsx';
import { DataPage } from './pages/Data.tsx';
import { notFoundHtml } from './pages/NotFound.tsx';
import { PlanTextPage } from './pages/PlanText.tsx';
import { ProgressPage } from './pages/Progress.tsx';
import { RecommendationPage } from './pages/Recommendation.tsx';
import { RecommendationsPage } from './pages/Recommendations.tsx';

const CSS = readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'record.css'));

/**
 * The one inline style the pages carry: the chart library's axis labels sit in nested SVGs that
 * must not clip them. The policy allows exactly this declaration (by its hash), no other.
 */
const CHART_LABEL_STYLE = 'overflow:visible';
const styleHash = `'sha256-${createHash('sha256').update(CHART_LABEL_STYLE).digest('base64')}'`;

/** No script, no other inline style, no other origin; forms only to this server; never framed. */
export const PUBLIC_CSP = `default-src 'none'; style-src 'self' 'unsafe-hashes' ${styleHash}; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`;

const HTML = 'text/html; charset=utf-8';

const secured: RequestHandler = (_req, res, next) => {
  res.setHeader('Content-Security-Policy', PUBLIC_CSP);
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  next();
};

/** Bodies go out in slices, each written when the socket has taken the last, as a file would be. */
const SLICE = 64 * 1024;
function* slices(body: Buffer) {
  for (let i = 0; i < body.length; i += SLICE) yield body.subarray(i, i + SLICE);
}

function send(req: Request, res: Response, r: CachedResponse, language: LanguageChoice) {
  // Revalidated on every visit (cheap: 304), so a new publication or an unpublish shows at once.
  res.setHeader('Cache-Control', 'no-cache');
  res.setHeader('ETag', r.etag);
  // A page whose language the address does not name depends on the browser's languages too.
  res.setHeader('Vary', language.from === 'query' ? 'Accept-Encoding' : 'Accept-Encoding, Accept-Language');
  if (r.filename) res.setHeader('Content-Disposition', `attachment; filename="${r.filename}"`);
  if (req.headers['if-none-match'] === r.etag) {
    res.status(304).end();
    return;
  }
  const gzip = r.gzipped && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  const body = gzip ? r.gzipped! : r.body;
  res.type(r.type);
  if (gzip) res.setHeader('Content-Encoding', 'gzip');
  res.setHeader('Content-Length', body.length);
  if (req.method === 'HEAD') return void res.end();
  Readable.from(slices(body), { objectMode: false }).pipe(res);
}

const language = (req: Request) => chooseLanguage(req.query.lang, req.headers['accept-language']);
/** What the open data files are written in whatever the reader's language: their field names are for machines. */
const DATA_FILES: LanguageChoice = { lang: 'en', from: 'query' };
const notFound = (req: Request, res: Response) =>
  res.status(404).type(HTML).setHeader('Cache-Control', 'no-cache').setHeader('Vary', 'Accept-Language').send(notFoundHtml(language(req).lang));

export function publicRecordRouter(deps: Pick<AppDeps, 'db' | 'sql'>): Router {
  const q = sqlOf(deps);
  const router = Router();
  const cache = new PublicCache();

  router.get(STYLESHEET, secured, (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=3600');
    res.type('text/css').send(CSS);
  });

  /**
   * The publication in force at the slug, or a 404. `page` renders what the address shows from the
   * snapshot, or returns null when the snapshot has no such thing (an id it does not hold).
   * `address` is what the page shows as a normalised address without ?lang; a response is cached
   * per address and language (and whether the language came from the address, which links keep).
   */
  const published =
    (
      page: (ctx: PageContext, req: Request) => Omit<CachedResponse, 'etag'> | null | Promise<Omit<CachedResponse, 'etag'> | null>,
      address: (req: Request) => string = (req) => req.path,
      { worded = true }: { worded?: boolean } = {},
    ): RequestHandler =>
    async (req, res) => {
      const slug = SlugSchema.safeParse(req.params.slug);
      const publication = slug.success && slug.data === req.params.slug ? await publishedBySlug(q, slug.data) : null;
      if (!publication) return void notFound(req, res);
      const snapshot = await cache.snapshot(publication.id, async () => JSON.parse((await publicationSnapshot(q, publication.id)) ?? 'null') as PublicSnapshot);
      // Files without words are one response for every language, so they neither vary nor are cached per language.
      const choice = worded ? language(req) : DATA_FILES;
      const path = address(req);
      const ctx: PageContext = { slug: slug.data!, publicationId: publication.id, hash: publication.hash, snapshot, words: publicWords(choice), path };
      let missing = false;
      const response = await cache.response(`${publication.id} ${choice.lang} ${choice.from === 'query' ? 'q' : 'h'} ${path}`, async () => {
        const made = await page(ctx, req);
        if (made) return made;
        missing = true;
        return { body: Buffer.alloc(0), type: HTML };
      });
      if (missing || response.body.length === 0) return void notFound(req, res);
      send(req, res, response, choice);
    };

  const html = (element: ReactElement) => ({ body: Buffer.from(renderPage(element)), type: HTML });
  // Lists are cached per filter; the filters are normalised so equivalent addresses share an entry.
  const withFilters = (req: Request) => {
    const query = new URLSearchParams(Object.entries(readFilters(req.query)).filter(([, v]) => v)).toString();
    return query ? `${req.path}?${query}` : req.path;
  };

  router.get('/p/:slug', secured, published((ctx) => html(<PlanTextPage ctx={ctx} />)));
  router.get('/p/:slug/actions', secured, published((ctx, req) => html(<ActionsPage ctx={ctx} filters={readFilters(req.query)} />), withFilters));
  router.get(
    '/p/:slug/recommendations',
    secured,
    published((ctx, req) => html(<RecommendationsPage ctx={ctx} filters={readFilters(req.query)} />), withFilters),
  );
  router.get(
    '/p/:slug/recommendations/:recommendationId',
    secured,
    published((ctx, req) => {
      const rec = ctx.snapshot.recommendations.find((r) => r.id === req.params.recommendationId);
      return rec ? html(<RecommendationPage ctx={ctx} rec={rec} />) : null;
    }),
  );
  router.get(
    '/p/:slug/progress',
    secured,
    published(
      (ctx, req) => {
        const wanted = typeof req.query.round === 'string' ? req.query.round : null;
        const round = wanted ? ctx.snapshot.rounds.find((r) => r.id === wanted) : ctx.snapshot.rounds.at(-1);
        if (round === undefined && wanted) return null;
        return html(<ProgressPage ctx={ctx} round={round ?? null} />);
      },
      (req) => (typeof req.query.round === 'string' && req.query.round ? `${req.path}?round=${encodeURIComponent(req.query.round.slice(0, 40))}` : req.path),
    ),
  );
  router.get(
    '/p/:slug/data/snapshot.json',
    secured,
    // Exactly the stored bytes, so anyone can check the sha256 printed on every page.
    published(
      async (ctx) => ({
        body: Buffer.from((await publicationSnapshot(q, ctx.publicationId)) ?? ''),
        type: 'application/json; charset=utf-8',
        filename: `${ctx.slug}-snapshot.json`,
      }),
      undefined,
      { worded: false },
    ),
  );

  router.get('/p/:slug/data', secured, published((ctx) => html(<DataPage ctx={ctx} />)));
  router.get(
    '/p/:slug/data/:file',
    secured,
    published((ctx, req) => {
      const m = /^([a-z_]+)\.(csv|json)$/.exec(String(req.params.file));
      const dataset = m ? datasetByName(m[1]!) : undefined;
      if (!m || !dataset) return null;
      // A consultation draft's files say so in their name, as its pages do in their banner.
      const draft = ctx.snapshot.kind === 'consultation' ? '-consultation-draft' : '';
      const filename = `${ctx.slug}${draft}-${dataset.name}-${ctx.snapshot.publishedAt.slice(0, 10)}.${m[2]}`;
      return m[2] === 'csv'
        ? { body: Buffer.from(toCsv(dataset, ctx.snapshot)), type: 'text/csv; charset=utf-8', filename }
        : { body: Buffer.from(toJson(dataset, ctx.snapshot)), type: 'application/json; charset=utf-8', filename };
    }, undefined, { worded: false }),
  );

  // Anything else under /p is not published.
  router.use('/p', secured, (req, res) => void notFound(req, res));
  return router;
}
