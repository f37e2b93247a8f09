/**
 * Server side of the recommendations benchmark: Accord on a fresh data folder with one
 * coordinator, one plan and one section, in a process of its own (so its memory and its event loop
 * are measured alone). Answers the driver over IPC: 'stats' / 'gc' (processStats.ts) and 'queries'
 * (registry queries timed through the real services, once the import is in).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSessionNow } from '../server/auth/sessions.ts';
import { loadConfig } from '../server/config.ts';
import { createOrganisation, createUser } from '../server/services/accounts.ts';
import { sqliteSql } from '../server/db/sql/sqliteSql.ts';
import { planCoverage } from '../server/services/coverage.ts';
import { createPlan, planOutline } from '../server/services/plans.ts';
import { queryRecommendations } from '../server/services/recommendationBrowse.ts';
import { startServer } from '../server/server.ts';
import { RecommendationQuerySchema } from '../shared/api/index.ts';
import { answerStatsRequests } from './processStats.ts';

export interface RecommendationsHostReady {
  url: string;
  planId: string;
  sectionId: string;
  /** Two people: the one importing, and a second drafter whose requests and typing are probed. */
  cookies: [string, string];
}

/** Median time of `fn`, awaited when it returns a promise (services moved to Sql). */
async function median(fn: () => unknown, runs = 7): Promise<number> {
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

const dataDir = mkdtempSync(join(tmpdir(), 'accord-bench-recs-'));
const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
const server = await startServer(config, { clientDir: join(dataDir, 'none') });
const db = server.db;
const org = await createOrganisation(sqliteSql(db), { name: 'Ministry of Foreign Affairs', side: 'government' });
const olga = (await createUser(sqliteSql(db), { name: 'Olga', email: 'olga@bench.example', passwordHash: 'x', organisationId: org.id })).id;
const ivan = (await createUser(sqliteSql(db), { name: 'Ivan', email: 'ivan@bench.example', passwordHash: 'x', organisationId: org.id })).id;
const planId = await createPlan(sqliteSql(db), olga, { title: 'Plan', country: 'Belarus', periodStart: 2026, periodEnd: 2030 });
db.prepare("INSERT INTO plan_members (plan_id, user_id, role, joined_at) VALUES (?, ?, 'drafter', ?)").run(planId, ivan, new Date().toISOString());
const sectionId = (await planOutline(sqliteSql(db), planId, olga)).chapters[0]!.sections[0]!.id;

const q = (params: Record<string, unknown>) => () => queryRecommendations(sqliteSql(db), planId, RecommendationQuerySchema.parse(params));
const naiveLike = db.prepare('SELECT count(*) AS n FROM recommendations WHERE plan_id = ? AND text LIKE ?');
const naivePage = db.prepare('SELECT * FROM recommendations WHERE plan_id = ? AND text LIKE ? ORDER BY reference LIMIT 50');

answerStatsRequests({
  queries: async () => ({
    firstPageMs: await median(q({})),
    filterThemeMs: await median(q({ theme: 'Torture and other CID treatment' })),
    unaddressedSupportedMs: await median(q({ unaddressed: 'true', position: 'supported' })),
    searchMs: await median(q({ q: 'torture', sort: 'relevance' })),
    searchTwoWordsMs: await median(q({ q: 'death penalty' })),
    // Baseline: the same question answered by scanning every text with LIKE.
    naiveLikeSearchMs: await median(() => {
      naiveLike.get(planId, '%torture%');
      naivePage.all(planId, '%torture%');
    }),
    coverageMs: await median(() => planCoverage(sqliteSql(db), planId)),
  }),
});
const ready: RecommendationsHostReady = {
  url: server.url,
  planId,
  sectionId,
  cookies: [`accord_session=${createSessionNow(db, olga).token}`, `accord_session=${createSessionNow(db, ivan).token}`],
};
process.send!({ type: 'ready', ready });
// The driver gone (finished or failed), this server goes too.
process.on('disconnect', () => process.exit(0));
