/**
 * One measured run of the recommendations registry at a given size, in its own process so its
 * peak memory is its own: generate a UPR Info export, import it through the real code (parse,
 * preview, commit), then time search and the coverage view. Prints one JSON line.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../server/db/database.ts';
import { generateUprInfoCsv } from '../server/import/generate.ts';
import { parseImport } from '../server/import/index.ts';
import { createOrganisation, createUser } from '../server/services/accounts.ts';
import { createAction } from '../server/services/actions.ts';
import { principalOf } from '../server/services/audit.ts';
import { planCoverage } from '../server/services/coverage.ts';
import { commitImport, previewImport } from '../server/services/imports.ts';
import { planOutline, createPlan } from '../server/services/plans.ts';
import { queryRecommendations } from '../server/services/recommendations.ts';
import { ActionInputSchema, RecommendationQuerySchema } from '../shared/api/index.ts';

const rows = Number(process.argv[2] ?? 40_000);
const peakRss = () => Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) * 1024;

function median(fn: () => unknown, runs = 7): number {
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

const dir = mkdtempSync(join(tmpdir(), 'accord-bench-recs-'));
const db = openDatabase(join(dir, 'accord.sqlite'));
const org = createOrganisation(db, { name: 'Ministry of Foreign Affairs', side: 'government' });
const userId = createUser(db, { name: 'Olga', email: 'olga@bench.example', passwordHash: 'x', organisationId: org.id }).id;
const planId = createPlan(db, userId, { title: 'Plan', country: 'Belarus', periodStart: 2026, periodEnd: 2030 });
const sectionId = planOutline(db, planId, userId).chapters[0]!.sections[0]!.id;

const csv = Buffer.from(generateUprInfoCsv(rows, 7));
const rssBefore = process.memoryUsage().rss;
let t = performance.now();
const parsed = parseImport({ filename: 'upr-info-export.csv', bytes: csv });
const parseMs = performance.now() - t;
t = performance.now();
const preview = previewImport(db, planId, userId, parsed, 'upr-info-export.csv');
const previewMs = performance.now() - t;
let maxStall = 0;
let last = performance.now();
const probe = setInterval(() => {
  const now = performance.now();
  maxStall = Math.max(maxStall, now - last);
  last = now;
}, 1);
t = performance.now();
const record = await commitImport(db, planId, userId, preview.previewId);
const commitMs = performance.now() - t;
clearInterval(probe);
const importPeakRss = peakRss();

// A plan in progress: 500 actions linking 3,000 recommendations.
const ids = (db.prepare('SELECT id FROM recommendations WHERE plan_id = ? ORDER BY rowid').all(planId) as Array<{ id: string }>).map((r) => r.id);
const who = { principal: principalOf(db, userId)!, role: 'coordinator' as const };
for (let a = 0; a < 500; a++) {
  createAction(db, planId, sectionId, who, ActionInputSchema.parse({ title: `Action ${a}`, recommendationIds: ids.slice(a * 6, a * 6 + 6) }));
}
const q = (params: Record<string, unknown>) => () => queryRecommendations(db, planId, RecommendationQuerySchema.parse(params));
const naiveLike = db.prepare(
  `SELECT count(*) AS n FROM recommendations WHERE plan_id = ? AND text LIKE ?`,
);
const naivePage = db.prepare(`SELECT * FROM recommendations WHERE plan_id = ? AND text LIKE ? ORDER BY reference LIMIT 50`);

const result = {
  rows,
  recommendations: record.created,
  csvMB: csv.byteLength / 2 ** 20,
  parseMs,
  previewMs,
  commitMs,
  totalImportMs: parseMs + previewMs + commitMs,
  longestEventLoopStallMs: maxStall,
  importPeakRssMB: importPeakRss / 2 ** 20,
  rssBeforeImportMB: rssBefore / 2 ** 20,
  query: {
    firstPageMs: median(q({})),
    filterThemeMs: median(q({ theme: 'Torture and other CID treatment' })),
    unaddressedSupportedMs: median(q({ unaddressed: 'true', position: 'supported' })),
    searchMs: median(q({ q: 'torture', sort: 'relevance' })),
    searchTwoWordsMs: median(q({ q: 'death penalty' })),
    // Baseline: the same question answered by scanning every text with LIKE.
    naiveLikeSearchMs: median(() => {
      naiveLike.get(planId, '%torture%');
      naivePage.all(planId, '%torture%');
    }),
    coverageMs: median(() => planCoverage(db, planId)),
  },
};
db.close();
rmSync(dir, { recursive: true, force: true });
process.stdout.write(JSON.stringify(result) + '\n');
