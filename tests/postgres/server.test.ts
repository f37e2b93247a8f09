import { existsSync } from 'node:fs';
import { postgresSql } from '../../server/db/sql/postgresSql.ts';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { sectionPlainText } from '../../shared/doc/schema.ts';
import { ApiClient } from '../helpers/api.ts';
import { exportPlan, exportText } from '../helpers/exportPlan.ts';
import { connectPeer, type Peer } from '../helpers/peer.ts';
import { beforeAllOrFail, freshSchema, TEST_DATABASE_URL, type TestSchema } from '../helpers/postgres.ts';
import { storedSectionOf } from '../helpers/storedSection.ts';
import { eventually, startTestServer, type TestServer } from '../helpers/server.ts';
import { addMember, setUpSampleWorkspace, setUpWorkspace } from '../helpers/workspace.ts';

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

const storedText = async (sectionId: string) => sectionPlainText(await storedSectionOf({ sql: postgresSql(pool) }, sectionId));

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

describe('Accord on PostgreSQL, with the sample plan', () => {
  let sampleSchema: TestSchema;
  let sampleServer: TestServer;
  afterAll(async () => {
    await sampleServer?.destroy();
    await sampleSchema?.drop();
  });

  it('sets up with the sample, publishes it, and answers every page a member or the public reads without a server error', async () => {
    sampleSchema = await freshSchema();
    sampleServer = await startTestServer({ env: { DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: sampleSchema.name } });
    const { coordinator: c, planId, outline } = await setUpSampleWorkspace(sampleServer);
    const sectionId = outline.chapters[0]!.sections[0]!.id;
    // The first page of the sample's 167 recommendations.
    const recommendations = (await c.get<{ items: Array<{ id: string }>; total: number }>(`/api/plans/${planId}/recommendations`)).body;
    expect(recommendations.total).toBe(167);
    const version = await c.post<{ id: string }>(`/api/plans/${planId}/sections/${sectionId}/versions`, { name: 'First reading' });
    expect(version.status).toBe(201);
    const published = await c.post(`/api/plans/${planId}/publication`, { slug: 'belarus-plan', stage: 'consultation' });
    expect(published.status, JSON.stringify(published.body)).toBe(201);
    const plan = `/api/plans/${planId}`;
    const pages = [
      '/api/plans', plan, `${plan}/bin`, `${plan}/members`, `${plan}/invites`, `${plan}/imports`, `${plan}/matrix-imports`,
      `${plan}/recommendations?q=torture`, `${plan}/recommendations/export`, `${plan}/recommendations/${recommendations.items[0]!.id}`,
      `${plan}/recommendation-groups`, `${plan}/actions`, `${plan}/sections/${sectionId}/actions`, `${plan}/organisations`, `${plan}/coverage`,
      `${plan}/exports`, `${plan}/sections/${sectionId}/agreement`, `${plan}/signoff-rule`, `${plan}/audit`, `${plan}/audit.csv`,
      `${plan}/sections/${sectionId}/positions`, '/api/notifications', `${plan}/sections/${sectionId}/versions`, `${plan}/versions/${version.body.id}`,
      `${plan}/sections/${sectionId}/compare?from=${version.body.id}&to=current`, `${plan}/versions`, `${plan}/sections/${sectionId}/threads`,
      `${plan}/sections/${sectionId}/suggestions/decisions`, `${plan}/suggestion-rule`, `${plan}/signoff-rules`, `${plan}/lifecycle`, `${plan}/progress`,
      `${plan}/publication`, '/p/belarus-plan', '/p/belarus-plan/actions', '/p/belarus-plan/recommendations', '/p/belarus-plan/progress',
      '/p/belarus-plan/data', '/p/belarus-plan/data/snapshot.json',
    ];
    const answers: string[] = [];
    for (const page of pages) {
      const res = await fetch(sampleServer.url + page, { headers: { cookie: c.cookie! } });
      if (res.status !== 200) answers.push(`${res.status} ${page}`);
    }
    expect(answers).toEqual([]);
  });
});
