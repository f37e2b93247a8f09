/**
 * Server side of the large-plan benchmark. `create DIR` writes a plan of 200 sections and
 * 500,000 characters into a fresh data folder and prints its ids; `serve DIR` starts Accord on it
 * (cold) and answers the driver's measurement requests over IPC.
 */
import { join } from 'node:path';
import { loadConfig } from '../server/config.ts';
import { openDatabase } from '../server/db/database.ts';
import { createSessionNow } from '../server/auth/sessions.ts';
import { createOrganisation, createUser } from '../server/services/accounts.ts';
import { sqliteSql } from '../server/db/sql/sqliteSql.ts';
import { addChapter, addSection, createPlan } from '../server/services/plans.ts';
import { startServer } from '../server/server.ts';
import { appendBlocks } from '../shared/doc/schema.ts';
import { answerStatsRequests } from './processStats.ts';

export const LARGE_PLAN = { chapters: 20, sectionsPerChapter: 10, charsPerSection: 2_500 };

const [mode, dataDir] = process.argv.slice(2) as ['create' | 'serve', string];

const SENTENCE =
  'The Ministry of Justice, with the participation of civil society organisations, will review the legislation on public associations. ';

if (mode === 'create') {
  const db = openDatabase(join(dataDir, 'accord.sqlite'));
  const q = sqliteSql(db);
  const org = await createOrganisation(q, { name: 'Ministry of Foreign Affairs', side: 'government' });
  const userId = (await createUser(q, { name: 'Olga', email: 'olga@bench.example', passwordHash: 'x', organisationId: org.id })).id;
  const planId = await createPlan(q, userId, { title: 'Large plan', country: 'Belarus', periodStart: 2026, periodEnd: 2030 }, 'empty');
  const sectionIds: string[] = [];
  for (let c = 0; c < LARGE_PLAN.chapters; c++) {
    const chapterId = await addChapter(q, planId, `Chapter ${c + 1}`);
    for (let s = 0; s < LARGE_PLAN.sectionsPerChapter; s++) {
      const paragraphs: string[] = [];
      let length = 0;
      while (length < LARGE_PLAN.charsPerSection) {
        const p = SENTENCE.repeat(4);
        paragraphs.push(p);
        length += p.length;
      }
      sectionIds.push(
        await addSection(q, planId, chapterId, `Section ${c + 1}.${s + 1}`, (doc) =>
          appendBlocks(doc, paragraphs.map((text) => ({ type: 'paragraph' as const, text }))),
        ),
      );
    }
  }
  const cookie = `accord_session=${createSessionNow(db, userId).token}`;
  db.close();
  process.stdout.write(JSON.stringify({ planId, sectionIds, cookie }) + '\n');
} else {
  const started = performance.now();
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
  const server = await startServer(config, { clientDir: join(dataDir, 'none') });
  answerStatsRequests({
    loaded: () => server.sync.loadedDocuments,
    connections: () => server.sync.connectionCount,
    resources: () => {
      const counts: Record<string, number> = {};
      for (const r of process.getActiveResourcesInfo()) counts[r] = (counts[r] ?? 0) + 1;
      return counts;
    },
    listeners: () =>
      Object.fromEntries(server.events.eventNames().map((name) => [String(name), server.events.listenerCount(name)])),
  });
  process.send!({ type: 'ready', url: server.url, startMs: performance.now() - started });
}
