import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../server/db/database.ts';
import { createOrganisation, createUser } from '../server/services/accounts.ts';
import { createPlan } from '../server/services/plans.ts';
import { findBySourceKey, idForReference, insertRecommendation } from '../server/services/recommendations.ts';
const db = openDatabase(join(mkdtempSync(join(tmpdir(), 'p-')), 'a.db'));
const org = createOrganisation(db, { name: 'MFA', side: 'government' });
const userId = createUser(db, { name: 'O', email: 'o@x', passwordHash: 'x', organisationId: org.id }).id;
const planId = createPlan(db, userId, { title: 'P', country: 'B', periodStart: 2026, periodEnd: 2030 });
const W = 'ensure guarantee adopt abolish torture detention journalists elections judiciary independence women children'.split(' ');
const acc: Record<string, number> = {};
const tm = <T>(k: string, f: () => T) => { const t = performance.now(); const r = f(); acc[k] = (acc[k] ?? 0) + performance.now() - t; return r; };
const t0 = performance.now();
for (let c = 0; c < 5; c++) {
  db.transaction(() => {
    for (let i = 0; i < 1000; i++) {
      const n = c * 1000 + i;
      tm('findBySourceKey', () => findBySourceKey(db, planId, `k${n}`));
      tm('idForReference', () => idForReference(db, planId, `R-${n}`));
      tm('insert', () => insertRecommendation(db, planId, {
        sourceKey: `k${n}`, reference: `R-${n}`, mechanism: 'UPR', documentSymbol: null, paragraph: null, cycle: 1, session: '8', date: null,
        stateUnderReview: 'Belarus', recommendingStates: ['France'], text: Array.from({ length: 40 }, (_, j) => W[(n + j * 7) % W.length]).join(' '),
        language: 'en', position: 'supported', positionSource: null, themes: ['A', 'B'], affectedPersons: [], sdgTargets: [], actionCategory: null, notes: null,
      }, null));
    }
  })();
}
console.log('total', (performance.now() - t0).toFixed(0), Object.fromEntries(Object.entries(acc).map(([k, v]) => [k, v.toFixed(0)])));
