import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../helpers/api.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { addMember, setUpSampleWorkspace, setUpWorkspace } from '../helpers/workspace.ts';
import { AuditEntrySchema, type AuditEntry } from '../../shared/api/index.ts';
import { auditSummary } from '../../client/features/audit/auditSummary.ts';
import { translator } from '../helpers/i18n.ts';
import { sql } from 'kysely';
import { z } from 'zod';

/**
 * A plan's audit log begins with the plan: who created it, in which organisation's name and role,
 * with its title, country and period. A plan set up with the sample says, in one entry after that,
 * that its content is the sample's and how much of it there is.
 */
let server: TestServer;
let sampleServer: TestServer;

beforeAll(async () => {
  [server, sampleServer] = await Promise.all([startTestServer(), startTestServer()]);
});
afterAll(async () => {
  await Promise.all([server?.destroy(), sampleServer?.destroy()]);
});

/** Every entry of the plan, oldest first. */
async function log(client: ApiClient, planId: string): Promise<AuditEntry[]> {
  const res = await client.get(`/api/plans/${planId}/audit?limit=500`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body.total).toBe(res.body.items.length);
  return (res.body.items as unknown[]).map((e) => AuditEntrySchema.parse(e)).reverse();
}

const userIdOf = async (client: ApiClient): Promise<string> => (await client.get('/api/auth/me')).body.user.id as string;

describe('a new plan’s audit log', () => {
  it('starts with its creation by the person who created it, as its coordinator', async () => {
    const { coordinator, planId } = await setUpWorkspace(server);
    const [first, ...rest] = await log(coordinator, planId);
    expect(first).toMatchObject({
      actorId: await userIdOf(coordinator),
      actorName: 'Olga Coordinator',
      actorOrganisation: 'Ministry of Foreign Affairs',
      actorRole: 'coordinator',
      action: 'plan.created',
      targetType: 'plan',
      targetId: planId,
      summary: 'Olga Coordinator created the plan “National Human Rights Plan 2026–2030” (Belarus, 2026–2030)',
      details: { title: 'National Human Rights Plan 2026–2030', country: 'Belarus', periodStart: 2026, periodEnd: 2030 },
    });
    // The starter outline is part of making the plan, not a change on the record.
    expect(rest).toEqual([]);
    const t = await translator('en');
    expect(auditSummary(first!, t, 'en')).toBe('Plan “National Human Rights Plan 2026–2030” created (Belarus, 2026–2030)');

    // A drafter of that plan who starts a plan of her own is its coordinator: the entry names her,
    // her organisation and her role in the new plan, and is in that plan's log only.
    const nina = await addMember(server, coordinator, planId, 'drafter', {
      name: 'Nina Lawyer',
      email: 'nina@hrc.example',
      organisation: { name: 'Human Rights Centre', side: 'civil_society' },
    });
    const created = await nina.client.post('/api/plans', { title: 'Shadow plan', country: 'Belarus', periodStart: 2027, periodEnd: 2029 });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const [ninasFirst, ...ninasRest] = await log(nina.client, created.body.id);
    expect(ninasFirst).toMatchObject({
      actorId: nina.userId,
      actorName: 'Nina Lawyer',
      actorOrganisation: 'Human Rights Centre',
      actorRole: 'coordinator',
      action: 'plan.created',
      targetId: created.body.id,
      details: { title: 'Shadow plan', country: 'Belarus', periodStart: 2027, periodEnd: 2029 },
    });
    expect(ninasRest).toEqual([]);
    expect((await log(coordinator, planId)).filter((e) => e.action === 'plan.created').map((e) => e.targetId)).toEqual([planId]);
  });

  it('of the sample plan: its creation, then one entry for the sample’s content with its counts', async () => {
    const { coordinator, planId, outline } = await setUpSampleWorkspace(sampleServer);
    const entries = await log(coordinator, planId);
    expect(entries.map((e) => e.action)).toEqual(['plan.created', 'plan.sample_loaded']);
    const [created, loaded] = entries as [AuditEntry, AuditEntry];
    const olga = { actorId: await userIdOf(coordinator), actorName: 'Olga Coordinator', actorOrganisation: 'Ministry of Foreign Affairs', actorRole: 'coordinator' };
    expect(created).toMatchObject({ ...olga, targetId: planId, details: { title: outline.plan.title, country: 'Belarus', periodStart: 2026, periodEnd: 2030 } });

    const sections = outline.chapters.flatMap((c) => c.sections).length;
    const { n: recommendations } = await sampleServer.sql.theRow(z.object({ n: z.number() }), sql`SELECT count(*) AS n FROM recommendations WHERE plan_id = ${planId}`);
    expect(sections).toBeGreaterThan(10);
    expect(recommendations).toBeGreaterThan(50);
    expect(loaded).toMatchObject({
      ...olga,
      targetType: 'plan',
      targetId: planId,
      details: { chapters: outline.chapters.length, sections, recommendations, actions: 0 },
    });
    expect(loaded.summary).toBe(
      `Olga Coordinator loaded the sample content: ${sections} sections in ${outline.chapters.length} chapters, ${recommendations} recommendations, 0 actions`,
    );
    const t = await translator('en');
    expect(auditSummary(loaded, t, 'en')).toBe(`Sample plan content loaded: ${sections} sections, ${recommendations} recommendations, 0 actions`);
  });
});
