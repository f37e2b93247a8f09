/**
 * Past exports: an export stays on the plan's list, with who made it, when, format, scope, version
 * and size, and downloads byte-identical after the server restarts on the same data folder. It
 * goes (row and file) once the plan's retention period has passed, measured by an injected clock.
 * Only a coordinator sets the period (also in the authorization matrix).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ApiClient } from '../helpers/api.ts';
import { exportPlan, ok } from '../helpers/exportPlan.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { addMember, setUpWorkspace } from '../helpers/workspace.ts';
import { purgeExpiredExports } from '../../server/export/pastExports.ts';
import { PastExportsSchema, type PastExports } from '../../shared/api/index.ts';
import { expectAuditWorded } from '../helpers/auditWords.ts';
import { sql } from 'kysely';
import { z } from 'zod';

const DAY_MS = 24 * 3600_000;
let server: TestServer;
let coordinator: ApiClient;
let planId: string;

beforeAll(async () => {
  server = await startTestServer();
  ({ coordinator, planId } = await setUpWorkspace(server));
});

afterAll(async () => {
  await server?.destroy();
});

/** The same signed-in person on a restarted server (sessions are in the database). */
function sameSession(client: ApiClient, url: string): ApiClient {
  const next = new ApiClient(url);
  next.cookie = client.cookie;
  return next;
}

async function pastExports(client: ApiClient, url = server.url): Promise<PastExports> {
  return PastExportsSchema.parse(await ok(sameSession(client, url).get(`/api/plans/${planId}/exports`)));
}

it('lists an export with who, when, format, scope and size, and still downloads it byte-identical after a restart', async () => {
  const before = Date.now();
  const { job, bytes } = await exportPlan(server, coordinator, planId, 'docx', 'agreed');
  const md = await exportPlan(server, coordinator, planId, 'md', 'current');

  const listed = await pastExports(coordinator);
  expect(listed.retentionDays).toBe(30);
  expect(listed.items.map((e) => e.id)).toEqual([md.job.id, job.id]);
  const entry = listed.items[1]!;
  expect(entry).toMatchObject({
    format: 'docx',
    scope: 'agreed',
    state: 'done',
    versionGroupId: null,
    versionName: null,
    sizeBytes: bytes.length,
    createdBy: { name: 'Olga Coordinator' },
  });
  expect(Date.parse(entry.createdAt)).toBeGreaterThanOrEqual(before - 1000);
  expect(Date.parse(entry.expiresAt) - Date.parse(entry.createdAt)).toBe(30 * DAY_MS);

  const dataDir = server.dataDir;
  await server.close();
  server = await startTestServer({ dataDir });

  const after = await pastExports(coordinator);
  expect(after.items).toEqual(listed.items);
  const res = await fetch(`${server.url}/api/plans/${planId}/exports/${job.id}/file`, { headers: { cookie: coordinator.cookie! } });
  expect(res.status).toBe(200);
  // Downloaded again under the name the list shows, not under another spelling of the plan's title.
  expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${entry.filename}"`);
  expect(entry.filename).toBe(job.filename);
  expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
  expect((await ok(sameSession(coordinator, server.url).get(`/api/plans/${planId}/exports/${job.id}`))).state).toBe('done');
}, 120_000);

it('an export made from a saved version lists the version by name', async () => {
  const client = sameSession(coordinator, server.url);
  const version = await ok(client.post(`/api/plans/${planId}/versions`, { name: 'Draft for consultation' }));
  const groupId: string = version.groupId;
  const job = await ok(client.post(`/api/plans/${planId}/exports`, { format: 'html', scope: 'current', versionGroupId: groupId }));
  const listed = await pastExports(coordinator);
  expect(listed.items.find((e) => e.id === job.id)).toMatchObject({ versionGroupId: groupId, versionName: 'Draft for consultation' });
});

it('removes an export, row and file, once the retention period has passed, and not before', async () => {
  const client = sameSession(coordinator, server.url);
  const { job } = await exportPlan(server, client, planId, 'pdf');
  const dir = join(server.dataDir, 'exports');
  const file = readdirSync(dir).find((f) => f.startsWith(job.id))!;
  expect(file).toBeDefined();
  const count = async () => (await server.sql.theRow(z.object({ n: z.number() }), sql`SELECT count(*) AS n FROM exports WHERE id = ${job.id}`)).n;

  const listed = await ok(client.request('PUT', `/api/plans/${planId}/export-retention`, { days: 2 }));
  expect(listed.retentionDays).toBe(2);
  const created = Date.parse(listed.items.find((e: { id: string }) => e.id === job.id).createdAt);

  // A day and a half on: still kept.
  await purgeExpiredExports(server.sql, dir, created + 1.5 * DAY_MS);
  expect(await count()).toBe(1);
  expect(existsSync(join(dir, file))).toBe(true);

  // Two days and a minute on: gone, file and row, and the server answers as for any unknown export.
  await purgeExpiredExports(server.sql, dir, created + 2 * DAY_MS + 60_000);
  expect(await count()).toBe(0);
  expect(existsSync(join(dir, file))).toBe(false);
  expect((await pastExports(coordinator)).items.some((e) => e.id === job.id)).toBe(false);
  expect((await client.get(`/api/plans/${planId}/exports/${job.id}/file`)).status).toBe(404);

  const audit = await server.sql.rows(z.object({ summary: z.string() }), sql`SELECT summary FROM audit_log WHERE plan_id = ${planId} AND action = 'export.retention_changed'`);
  expect(audit).toEqual([{ summary: 'Olga Coordinator set exports to be kept for 2 days (was 30)' }]);
}, 60_000);

it('lets only a coordinator set the retention period, within 1 to 3650 days', async () => {
  const client = sameSession(coordinator, server.url);
  const drafter = await addMember(server, client, planId, 'drafter', {
    name: 'Dmitri Drafter',
    email: 'dmitri@ngo.example',
    organisation: { name: 'Viasna', side: 'civil_society' },
  });
  expect((await drafter.client.request('PUT', `/api/plans/${planId}/export-retention`, { days: 365 })).status).toBe(403);
  expect((await drafter.client.get(`/api/plans/${planId}/exports`)).status).toBe(200);
  expect((await client.request('PUT', `/api/plans/${planId}/export-retention`, { days: 0 })).status).toBe(400);
  expect((await client.request('PUT', `/api/plans/${planId}/export-retention`, { days: 3651 })).status).toBe(400);
  expect((await pastExports(coordinator)).retentionDays).toBe(2);
});

it('words every audit entry it wrote in the reader’s language', async () => {
  await expectAuditWorded(server);
});
