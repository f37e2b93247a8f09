import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import * as Y from 'yjs';
import { PgDocumentStore } from '../../server/storage/postgres/PgDocumentStore.ts';
import { sectionDocName, sectionPlainText } from '../../shared/doc/schema.ts';
import { ApiClient } from '../helpers/api.ts';
import { exportPlan, exportText } from '../helpers/exportPlan.ts';
import { connectPeer, type Peer } from '../helpers/peer.ts';
import { beforeAllOrFail, freshSchema, TEST_DATABASE_URL, type TestSchema } from '../helpers/postgres.ts';
import { eventually, startTestServer, type TestServer } from '../helpers/server.ts';
import { addMember, setUpWorkspace } from '../helpers/workspace.ts';

/**
 * A whole Accord server on PostgreSQL (DATABASE_URL, in a schema of its own): it migrates the empty
 * schema at start, and a new workspace is set up, drafted by two organisations typing at once, agreed
 * by both, exported and read again after a restart, all through the HTTP API and the sync endpoint,
 * with every row and every edit in PostgreSQL: no SQLite file is made.
 */
let schema: TestSchema;
let pool: pg.Pool;
let server: TestServer;
const peers: Peer[] = [];
const env = () => ({ DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schema.name });

beforeAllOrFail(async () => {
  schema = await freshSchema();
  pool = schema.pool({ max: 2 });
  server = await startTestServer({ env: env() });
});
afterAll(async () => {
  for (const p of peers.splice(0)) p.destroy();
  await server?.destroy();
  await schema?.drop();
});

const storedText = async (sectionId: string) => {
  const stored = await new PgDocumentStore(pool).load(sectionDocName(sectionId));
  const doc = new Y.Doc();
  for (const u of stored!.updates) Y.applyUpdate(doc, u);
  try {
    return sectionPlainText(doc);
  } finally {
    doc.destroy();
  }
};

describe('Accord on PostgreSQL', () => {
  let coordinator: ApiClient;
  let planId: string;
  let sectionId: string;
  let ngo: Awaited<ReturnType<typeof addMember>>;

  it('sets up a workspace and a plan there, with no SQLite file', async () => {
    ({ coordinator, planId, sectionId } = await setUpWorkspace(server));
    ngo = await addMember(server, coordinator, planId, 'drafter', {
      name: 'Nina Lawyer',
      email: 'nina@ngo.example',
      organisation: { name: 'Вясна', side: 'civil_society' },
    });
    const plans = await pool.query<{ title: string }>('SELECT title FROM plans');
    expect(plans.rows.map((r) => r.title)).toEqual(['National Human Rights Plan 2026–2030']);
    expect(existsSync(join(server.dataDir, 'accord.sqlite'))).toBe(false);
  });

  it('stores what two organisations type at once in PostgreSQL’s log, and both see one text', async () => {
    const olga = connectPeer(server.url, coordinator, sectionId);
    const nina = connectPeer(server.url, ngo.client, sectionId);
    peers.push(olga, nina);
    await Promise.all([olga.synced(), nina.synced()]);
    olga.typeParagraph('Detention is reviewed by a judge within 48 hours.');
    nina.typeParagraph('Lawyers meet their clients in private.');
    await eventually(() => expect(olga.isSaved() && nina.isSaved()).toBe(true));
    await eventually(() => expect(olga.text()).toBe(nina.text()));
    const stored = await storedText(sectionId);
    expect(stored).toContain('Detention is reviewed by a judge within 48 hours.');
    expect(stored).toContain('Lawyers meet their clients in private.');
  });

  it('agrees the section with both organisations’ signatures on the text stored there', async () => {
    const path = `/api/plans/${planId}/sections/${sectionId}`;
    const { currentHash } = (await coordinator.get(`${path}/agreement`)).body as { currentHash: string };
    expect((await ngo.client.post(`${path}/signoffs`, { contentHash: currentHash })).status).toBe(201);
    const signed = await coordinator.post(`${path}/signoffs`, { contentHash: currentHash });
    expect(signed.status, JSON.stringify(signed.body)).toBe(201);
    expect(signed.body.status).toBe('agreed');
    const rows = await pool.query<{ status: string }>('SELECT status FROM sections WHERE id = $1', [sectionId]);
    expect(rows.rows[0]!.status).toBe('agreed');
  });

  it('exports the plan from PostgreSQL', async () => {
    const { bytes } = await exportPlan(server, coordinator, planId, 'html');
    const text = await exportText('html', bytes);
    expect(text).toContain('Detention is reviewed by a judge within 48 hours.');
    expect(text).toContain('Lawyers meet their clients in private.');
  });

  it('finds everything again after a restart on the same database', async () => {
    for (const p of peers.splice(0)) p.destroy();
    await server.close();
    server = await startTestServer({ dataDir: server.dataDir, env: env() });
    // The same browser, signed in before the restart: its session is in the database too.
    const olga = new ApiClient(server.url);
    olga.cookie = coordinator.cookie;
    const again = connectPeer(server.url, olga, sectionId);
    peers.push(again);
    await again.synced();
    await eventually(() => expect(again.text()).toContain('Lawyers meet their clients in private.'));
    const agreement = (await olga.get(`/api/plans/${planId}/sections/${sectionId}/agreement`)).body as { status: string };
    expect(agreement.status).toBe('agreed');
  });
});
