/**
 * Server side of the public-page benchmark, in its own process so the load generator does not
 * share its event loop. `accord DIR` builds an adopted 200-section plan with five rounds of
 * monitoring in a fresh data folder, starts Accord on it and publishes it (timed: the snapshot
 * build); `floor FILE` serves FILE, the page's exact bytes, with nothing but `express.static`;
 * `memory FILE` sends the same bytes from memory (a diagnosis, see hostMemory).
 * Both report their address (and CPU use, on request) to the driver over IPC.
 */
import express from 'express';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { basename, dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../server/config.ts';
import { openDatabase } from '../server/db/database.ts';
import { sqliteSql } from '../server/db/sql/sqliteSql.ts';
import { PUBLIC_CSP } from '../server/public/router.tsx';
import { sectionContentHash } from '../server/services/agreement.ts';
import { principalOfNow } from '../server/services/audit.ts';
import { adoptPlan } from '../server/services/monitoring/adoption.ts';
import { publishPlan } from '../server/services/publicRecord/publications.ts';
import { startServer } from '../server/server.ts';
import { generateExportPlan } from './export.ts';
import { answerStatsRequests } from './processStats.ts';
import { writeMonitoring } from './progress.ts';

// Only types are exported: the driver must not import this module (its top level starts a server).
/** The size of plan the target is stated for; four paragraphs a section is about the large-plan suite's 2,500 characters. */
const PUBLIC_PLAN = { sections: 200, actionsPerSection: 5, recommendations: 2_000, paragraphs: 4 };
const PUBLIC_SLUG = 'national-human-rights-plan-2026-2030';

export interface PlanFacts {
  sections: number;
  actions: number;
  recommendations: number;
  reports: number;
  values: number;
  assessments: number;
}

export type HostReady =
  | { type: 'ready'; kind: 'accord'; url: string; slug: string; publishMs: number; snapshotKB: number; plan: PlanFacts }
  | { type: 'ready'; kind: 'floor' | 'memory'; url: string };

/** Headers every Accord response carries (server/app.ts) plus the public record's (router.tsx), so the floor sends the same. */
const ACCORD_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy': PUBLIC_CSP,
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'no-cache',
};

async function hostAccord(dataDir: string): Promise<HostReady> {
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', PORT: '0', HOST: '127.0.0.1' });
  const db = openDatabase(config.databaseFile);
  const { planId, userId, sectionIds } = await generateExportPlan(db, PUBLIC_PLAN);
  db.close();

  const server = await startServer(config, { clientDir: join(dataDir, 'none') });
  const who = { principal: principalOfNow(server.db, userId)!, role: 'coordinator' as const };
  // Every section agreed on its real content hash (as the last signature leaves it), then adopted
  // through the service, so the adopted text and its hash are what a real adoption records.
  const agree = server.db.prepare("UPDATE sections SET status = 'agreed', agreed_at = ?, agreed_hash = ? WHERE id = ?");
  const agreedAt = new Date().toISOString();
  const hashes: string[] = [];
  for (const id of sectionIds) hashes.push(await sectionContentHash(sqliteSql(server.db), server.sync, planId, id));
  server.db.transaction(() => sectionIds.forEach((id, i) => agree.run(agreedAt, hashes[i], id)))();
  const monitoringBody = server.db
    .prepare("SELECT o.id FROM plan_organisations p JOIN organisations o ON o.id = p.organisation_id WHERE p.plan_id = ? AND o.side = 'civil_society' LIMIT 1")
    .get(planId) as { id: string };
  await adoptPlan({ sql: sqliteSql(server.db), sync: server.sync }, planId, who, {
    act: { title: 'Decree on the National Human Rights Plan 2026–2030', number: '12', date: '2026-03-01', url: 'https://example.gov/decree-12' },
    leftOut: [],
    monitoringBodyId: monitoringBody.id,
  });
  const monitoring = writeMonitoring(server.db, planId, userId);

  const started = performance.now();
  const publication = await publishPlan(sqliteSql(server.db), planId, who, { slug: PUBLIC_SLUG });
  const publishMs = performance.now() - started;
  const snapshot = server.db.prepare('SELECT length(snapshot) AS bytes FROM publications WHERE id = ?').get(publication.id) as { bytes: number };
  const actions = (server.db.prepare('SELECT count(*) AS n FROM actions WHERE plan_id = ?').get(planId) as { n: number }).n;
  return {
    type: 'ready',
    kind: 'accord',
    url: server.url,
    slug: PUBLIC_SLUG,
    publishMs,
    snapshotKB: snapshot.bytes / 1024,
    plan: { sections: sectionIds.length, actions, recommendations: PUBLIC_PLAN.recommendations, ...monitoring },
  };
}

async function hostFloor(file: string): Promise<HostReady> {
  const app = express();
  app.disable('x-powered-by');
  // The file is named index.html, so `/` is the page; ETag and Last-Modified on, as express.static does by default.
  app.use(
    express.static(dirname(file), {
      index: basename(file),
      cacheControl: false,
      setHeaders: (res) => Object.entries(ACCORD_HEADERS).forEach(([name, value]) => res.setHeader(name, value)),
    }),
  );
  const http = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => http.once('listening', resolve).once('error', reject));
  return { type: 'ready', kind: 'floor', url: `http://127.0.0.1:${(http.address() as AddressInfo).port}/` };
}

/**
 * Not the floor, a diagnosis: the same bytes from memory in one res.end() (as Accord sent its
 * cached page before it wrote it in slices), with nothing else. Where it differs from the floor, the way of writing is the cause.
 */
async function hostMemory(file: string): Promise<HostReady> {
  const body = readFileSync(file);
  const app = express();
  app.disable('x-powered-by');
  app.get('/', (_req, res) => {
    for (const [name, value] of Object.entries(ACCORD_HEADERS)) res.setHeader(name, value);
    res.setHeader('ETag', '"same-bytes"');
    res.type('text/html; charset=utf-8').send(body);
  });
  const http = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => http.once('listening', resolve).once('error', reject));
  return { type: 'ready', kind: 'memory', url: `http://127.0.0.1:${(http.address() as AddressInfo).port}/` };
}

const [kind, arg] = process.argv.slice(2) as ['accord' | 'floor' | 'memory', string];
(kind === 'accord' ? hostAccord(arg) : kind === 'floor' ? hostFloor(arg) : hostMemory(arg))
  .then((ready) => {
    answerStatsRequests();
    process.send!(ready);
  })
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });

// A clean exit lets --cpu-prof write its profile.
process.on('SIGINT', () => process.exit(0));
