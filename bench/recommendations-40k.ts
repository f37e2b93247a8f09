/**
 * Quick check that browsing, coverage and imports stay fast with 40,000 recommendations in one
 * plan (the proper benchmark comes later). Run: node --import tsx bench/recommendations-40k.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../server/db/database.ts';
import { createOrganisation, createUser } from '../server/services/accounts.ts';
import { createPlan, planOutline } from '../server/services/plans.ts';
import { commitImport, previewImport, undoImport } from '../server/services/imports.ts';
import { queryRecommendations } from '../server/services/recommendations.ts';
import { createAction } from '../server/services/actions.ts';
import { planCoverage } from '../server/services/coverage.ts';
import { ActionInputSchema, RecommendationQuerySchema, type Position, type RecommendationInput } from '../shared/api/index.ts';

const N = Number(process.env.N ?? 40_000);
const dir = mkdtempSync(join(tmpdir(), 'accord-bench-'));
const db = openDatabase(join(dir, 'accord.db'));

const WORDS = 'ensure guarantee adopt abolish torture detention journalists elections judiciary independence women children disability migrants education health prison police assembly association expression religion minorities trafficking violence death penalty moratorium ratify convention protocol ombudsman institution training law reform'.split(' ');
const THEMES = Array.from({ length: 60 }, (_, i) => `Theme ${i} ${WORDS[i % WORDS.length]}`);
const STATES = Array.from({ length: 190 }, (_, i) => `State ${i}`);
const AFFECTED = ['Women', 'Children', 'Persons with disabilities', 'Migrants', 'Journalists', 'Human rights defenders', 'Detainees'];
const POSITIONS: Position[] = ['supported', 'supported_in_part', 'noted', 'pending'];
let seed = 42;
const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
const pick = <T>(xs: T[]) => xs[rnd(xs.length)]!;

function rec(i: number): RecommendationInput {
  const cycle = 1 + (i % 4);
  return {
    sourceKey: `bench:${i}`,
    reference: null,
    mechanism: i % 10 === 0 ? 'CCPR' : 'UPR',
    documentSymbol: `A/HRC/${cycle}/16`,
    paragraph: `${97 + (i % 3)}.${i}`,
    cycle,
    session: String(8 + cycle * 14),
    date: `${2010 + cycle * 4}-05-${String(1 + (i % 28)).padStart(2, '0')}`,
    stateUnderReview: 'Belarus',
    recommendingStates: [pick(STATES), ...(i % 7 === 0 ? [pick(STATES)] : [])],
    text: Array.from({ length: 25 + rnd(30) }, () => pick(WORDS)).join(' '),
    language: 'en',
    position: pick(POSITIONS),
    positionSource: null,
    themes: [pick(THEMES), pick(THEMES)],
    affectedPersons: i % 3 === 0 ? [pick(AFFECTED)] : [],
    sdgTargets: [],
    actionCategory: null,
    notes: null,
  };
}

function time<T>(label: string, fn: () => T, runs = 5): T {
  let result!: T;
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    result = fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  console.log(`${label.padEnd(48)} median ${times[Math.floor(runs / 2)]!.toFixed(1).padStart(7)} ms   max ${times[runs - 1]!.toFixed(1).padStart(7)} ms`);
  return result;
}

const org = createOrganisation(db, { name: 'MFA', side: 'government' });
const userId = createUser(db, { name: 'Olga', email: 'o@x', passwordHash: 'x', organisationId: org.id }).id;
const planId = createPlan(db, userId, { title: 'P', country: 'Belarus', periodStart: 2026, periodEnd: 2030 });
const sectionId = planOutline(db, planId, userId).chapters[0]!.sections[0]!.id;
const parsed = { format: 'accord-json' as const, rows: Array.from({ length: N }, (_, i) => ({ row: i + 1, recommendation: rec(i) })), rejected: [], warnings: [] };

let t = performance.now();
const preview = previewImport(db, planId, userId, parsed, 'bench.json');
console.log(`preview ${N} rows: ${(performance.now() - t).toFixed(0)} ms`);
t = performance.now();
let maxGap = 0;
let last = performance.now();
const timer = setInterval(() => {
  const now = performance.now();
  maxGap = Math.max(maxGap, now - last);
  last = now;
}, 1);
const record = await commitImport(db, planId, userId, preview.previewId);
clearInterval(timer);
console.log(`commit ${record.created} rows: ${(performance.now() - t).toFixed(0)} ms (longest event-loop stall ≈ ${maxGap.toFixed(0)} ms)`);

// A plan in progress: 500 actions linking 3,000 recommendations.
const ids = queryRecommendations(db, planId, RecommendationQuerySchema.parse({ limit: 200 })).items.map((r) => r.id);
const allIds = (db.prepare('SELECT id FROM recommendations WHERE plan_id = ?').all(planId) as Array<{ id: string }>).map((r) => r.id);
for (let a = 0; a < 500; a++) {
  createAction(db, planId, sectionId, userId, ActionInputSchema.parse({ title: `Action ${a}`, recommendationIds: allIds.slice(a * 6, a * 6 + 6) }));
}
void ids;

const q = (params: Record<string, unknown>) => () => queryRecommendations(db, planId, RecommendationQuerySchema.parse(params));
console.log(`\nqueries over ${N} recommendations (page of 50, with total and facets):`);
time('default (reference order)', q({}));
time('deep page (offset 39,000)', q({ offset: N - 1000 }));
time('sort position desc', q({ sort: 'position', order: 'desc' }));
time('sort date desc', q({ sort: 'date', order: 'desc' }));
time('filter theme', q({ theme: THEMES[3] }));
time('filter state', q({ state: STATES[10] }));
time('filter affected + position', q({ affected: 'Women', position: 'supported' }));
time('filter cycle + mechanism', q({ cycle: 2, mechanism: 'UPR' }));
time('unaddressed', q({ unaddressed: 'true' }));
time('unaddressed + supported + theme', q({ unaddressed: 'true', position: 'supported', theme: THEMES[5] }));
const hits = time('search common word "torture" (relevance)', q({ q: 'torture', sort: 'relevance' }));
time('search two words "death penalty" (relevance)', q({ q: 'death penalty', sort: 'relevance' }));
time('search prefix "journ" + theme filter', q({ q: 'journ', theme: THEMES[4] }));
time('search reference "UPR-S22-00123"', q({ q: 'UPR-S22-00123' }));
const coverage = time('coverage', () => planCoverage(db, planId));
console.log(`  (search hits: ${hits.total}; coverage: ${coverage.totals.addressed} addressed, ${coverage.byTheme.length} themes)`);

t = performance.now();
const again = previewImport(db, planId, userId, parsed, 'bench.json');
const second = await commitImport(db, planId, userId, again.previewId);
console.log(`\nre-import unchanged: preview+commit ${(performance.now() - t).toFixed(0)} ms, created ${second.created}`);
t = performance.now();
undoImport(db, planId, record.id);
console.log(`undo ${record.created} rows: ${(performance.now() - t).toFixed(0)} ms`);

db.close();
rmSync(dir, { recursive: true, force: true });
