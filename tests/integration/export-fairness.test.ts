/**
 * No one member's exports can hurt the others (#14): a PDF of a plan with ~12 MB of text fails
 * cleanly at the worker's memory limit while another plan's small export finishes; an export past
 * its time limit is stopped; a person asking for more exports than they may have waiting is refused
 * with a code worded in every language. Small limits come from the server's configuration, so the
 * tests are quick.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { generateExportPlan } from '../../bench/export.ts';
import { errorText } from '../../client/i18n/errorText.ts';
import { ok } from '../helpers/exportPlan.ts';
import { translator } from '../helpers/i18n.ts';
import { eventually, startTestServer, type TestServer } from '../helpers/server.ts';
import { setUpWorkspace } from '../helpers/workspace.ts';
import type { ApiClient } from '../helpers/api.ts';

interface Job {
  id: string;
  state: 'running' | 'done' | 'failed';
  error: string | null;
  errorCode: string | null;
}

async function settled(client: ApiClient, planId: string, id: string, timeoutMs = 90_000): Promise<Job> {
  return eventually(
    async () => {
      const job = (await ok(client.get(`/api/plans/${planId}/exports/${id}`))) as Job;
      if (job.state === 'running') throw new Error(`export ${id} still running`);
      return job;
    },
    timeoutMs,
    100,
  );
}

/** The server still answers, and a small export still succeeds: nothing was left broken. */
async function stillHealthy(server: TestServer, client: ApiClient, planId: string) {
  expect((await client.get('/api/auth/me')).status).toBe(200);
  const job = await ok(client.post(`/api/plans/${planId}/exports`, { format: 'md', scope: 'current' }));
  expect((await settled(client, planId, job.id)).state).toBe('done');
  const files = readdirSync(join(server.dataDir, 'exports'));
  expect(files.filter((f) => f.endsWith('.part'))).toEqual([]);
}

describe('with a small worker heap', () => {
  let server: TestServer;
  let coordinator: ApiClient;
  let smallPlanId: string;

  beforeAll(async () => {
    server = await startTestServer({
      env: { EXPORT_WORKER_OLD_GENERATION_MB: '40', EXPORT_MAX_PENDING_PER_PERSON: '3', EXPORT_MAX_RUNNING: '2', EXPORT_MAX_RUNNING_PER_PLAN: '1' },
    });
    ({ coordinator, planId: smallPlanId } = await setUpWorkspace(server));
  });

  afterAll(async () => {
    await server?.destroy();
  });

  it('a 12 MB plan’s PDF fails at its memory limit while another plan’s small export finishes', async () => {
    const me = await ok(coordinator.get('/api/auth/me'));
    const big = await generateExportPlan(server.sql, { sections: 40, actionsPerSection: 0, recommendations: 0, paragraphs: 345, userId: me.user.id });
    expect(big.characters).toBeGreaterThan(12_000_000);

    // Two big exports first, so under a first-come queue they would hold both running slots.
    const bigJobs = [
      await ok(coordinator.post(`/api/plans/${big.planId}/exports`, { format: 'pdf', scope: 'current' })),
      await ok(coordinator.post(`/api/plans/${big.planId}/exports`, { format: 'pdf', scope: 'current' })),
    ];
    const small = await ok(coordinator.post(`/api/plans/${smallPlanId}/exports`, { format: 'pdf', scope: 'current' }));

    const smallDone = await settled(coordinator, smallPlanId, small.id);
    expect(smallDone.state, smallDone.error ?? '').toBe('done');
    // It did not wait for them: the big plan's second export (which waits for its first, one per
    // plan) was still being made or waiting when it was done. (The first may already have reached
    // its memory limit on a fast machine, so only the second is asked about.)
    const states = await Promise.all(bigJobs.map(async (job) => (await ok(coordinator.get(`/api/plans/${big.planId}/exports/${job.id}`))).state));
    expect(states[1]).toBe('running');
    const file = await fetch(`${server.url}/api/plans/${smallPlanId}/exports/${small.id}/file`, { headers: { cookie: coordinator.cookie! } });
    expect(file.status).toBe(200);
    expect(Buffer.from(await file.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');

    for (const job of bigJobs) {
      const done = await settled(coordinator, big.planId, job.id);
      expect(done.state).toBe('failed');
      expect(done.errorCode, done.error ?? '').toBe('export_too_large');
      const listed = (await ok(coordinator.get(`/api/plans/${big.planId}/exports`))).items.find((e: { id: string }) => e.id === job.id);
      expect(listed).toMatchObject({ state: 'failed', errorCode: 'export_too_large' });
      const download = await fetch(`${server.url}/api/plans/${big.planId}/exports/${job.id}/file`, { headers: { cookie: coordinator.cookie! } });
      expect(download.status).toBe(409);
    }
    // People read why, in their language.
    const ru = await translator('ru');
    expect(errorText(ru, 'export_too_large')).not.toBe(errorText(ru, 'some_unknown_code'));
    await stillHealthy(server, coordinator, smallPlanId);
  }, 240_000);
});

describe('with a per-person cap', () => {
  let server: TestServer;
  let coordinator: ApiClient;
  let smallPlanId: string;

  beforeAll(async () => {
    server = await startTestServer({ env: { EXPORT_WORKER_OLD_GENERATION_MB: '40', EXPORT_MAX_PENDING_PER_PERSON: '3', EXPORT_MAX_RUNNING: '2', EXPORT_MAX_RUNNING_PER_PLAN: '1' } });
    ({ coordinator, planId: smallPlanId } = await setUpWorkspace(server));
  });

  afterAll(async () => {
    await server?.destroy();
  });

  it('refuses a person’s export past the per-person cap with a worded code, and takes it again once one has finished', async () => {
    const requests = await Promise.all(
      Array.from({ length: 4 }, () => coordinator.post(`/api/plans/${smallPlanId}/exports`, { format: 'docx', scope: 'current' })),
    );
    const accepted = requests.filter((r) => r.status === 202);
    const refused = requests.filter((r) => r.status !== 202);
    expect(accepted).toHaveLength(3);
    expect(refused).toHaveLength(1);
    expect(refused[0]!.status).toBe(429);
    expect(refused[0]!.body.error).toMatchObject({ code: 'export_limit_person', params: { max: 3 } });
    for (const lng of ['en', 'be', 'ru'] as const) {
      const t = await translator(lng);
      const sentence = errorText(t, 'export_limit_person', { max: 3 });
      expect(sentence).toContain('3');
      expect(sentence).not.toBe(errorText(t, 'some_unknown_code'));
    }
    // The refused request left nothing behind: only the accepted ones are on the record.
    const audited = await server.sql.theRow(z.object({ n: z.number() }), sql`SELECT count(*) AS n FROM exports WHERE plan_id = ${smallPlanId} AND format = 'docx'`);
    expect(audited.n).toBe(3);

    for (const r of accepted) expect((await settled(coordinator, smallPlanId, r.body.id)).state).toBe('done');
    expect((await coordinator.post(`/api/plans/${smallPlanId}/exports`, { format: 'md', scope: 'current' })).status).toBe(202);
  }, 120_000);
});

describe('with a short time limit', () => {
  let server: TestServer;
  let coordinator: ApiClient;

  beforeAll(async () => {
    server = await startTestServer({ env: { EXPORT_TIMEOUT_MS: '1500' } });
    ({ coordinator } = await setUpWorkspace(server));
  });

  afterAll(async () => {
    await server?.destroy();
  });

  it('stops an export past its time limit, marks it failed with a code, and removes its part-written file', async () => {
    const me = await ok(coordinator.get('/api/auth/me'));
    const big = await generateExportPlan(server.sql, { sections: 40, actionsPerSection: 0, recommendations: 0, paragraphs: 345, userId: me.user.id });
    const job = await ok(coordinator.post(`/api/plans/${big.planId}/exports`, { format: 'pdf', scope: 'current' }));
    const done = await settled(coordinator, big.planId, job.id);
    expect(done.state).toBe('failed');
    expect(done.errorCode, done.error ?? '').toBe('export_timed_out');
    await eventually(() => expect(existsSync(join(server.dataDir, 'exports', `${job.id}.pdf.part`))).toBe(false));
    expect(existsSync(join(server.dataDir, 'exports', `${job.id}.pdf`))).toBe(false);
    expect((await coordinator.get('/api/auth/me')).status).toBe(200);
    expect((await ok(coordinator.get(`/api/plans/${big.planId}/exports`))).items[0]).toMatchObject({ id: job.id, state: 'failed', errorCode: 'export_timed_out' });
  }, 120_000);
});
