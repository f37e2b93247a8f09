import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiClient } from '../helpers/api.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { addMember, setUpWorkspace } from '../helpers/workspace.ts';
import { sectionDocName } from '../../shared/doc/schema.ts';
import { PlanOutlineSchema, PlanSummarySchema, type PlanOutline } from '../../shared/api/index.ts';
import { sql } from 'kysely';
import { col, rowShape } from '../../server/db/rows.ts';

let server: TestServer;
let coordinator: ApiClient;
let planId: string;
let chapterId: string;
let sectionId: string;

beforeEach(async () => {
  server = await startTestServer();
  ({ coordinator, planId, chapterId, sectionId } = await setUpWorkspace(server));
});
afterEach(async () => {
  await server.destroy();
});

/** Titles and positions, to check order and density at a glance. */
function shape(outline: PlanOutline) {
  return outline.chapters.map((c) => ({ [`${c.position}:${c.title}`]: c.sections.map((s) => `${s.position}:${s.title}`) }));
}

/** Whether a document is stored under `name`, read from the server's database (either engine). */
async function documentExists(name: string): Promise<boolean> {
  return (await server.sql.row(rowShape({ one: col.int }), sql`SELECT 1 AS one FROM documents WHERE name = ${name}`)) !== undefined;
}

async function outlineOf(api: ApiClient): Promise<PlanOutline> {
  const res = await api.get(`/api/plans/${planId}`);
  expect(res.status).toBe(200);
  return PlanOutlineSchema.parse(res.body);
}

describe('plans', () => {
  it('creates a plan with a starter outline, lists it with the role, updates it', async () => {
    const list = await coordinator.get('/api/plans');
    expect(list.status).toBe(200);
    expect(list.body).toHaveLength(1);
    expect(PlanSummarySchema.parse(list.body[0])).toMatchObject({ id: planId, role: 'coordinator', source: null });
    expect(shape(await outlineOf(coordinator))).toEqual([{ '0:Introduction': ['0:Purpose and scope'] }]);
    expect(await documentExists(sectionDocName(sectionId))).toBe(true);

    const patched = await coordinator.patch(`/api/plans/${planId}`, { title: 'Plan 2027–2031', periodStart: 2027, periodEnd: 2031 });
    expect(patched.status).toBe(200);
    expect(PlanOutlineSchema.parse(patched.body).plan).toMatchObject({ title: 'Plan 2027–2031', periodStart: 2027, periodEnd: 2031 });

    const backwards = await coordinator.patch(`/api/plans/${planId}`, { periodEnd: 2020 });
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.fields).toHaveProperty('periodEnd');
  });

  it('names the starter chapter and section in the language asked for, else in the creator’s chosen language', async () => {
    const create = async (language?: string) => {
      const res = await coordinator.post('/api/plans', { title: 'План', country: 'Беларусь', periodStart: 2027, periodEnd: 2031, ...(language ? { language } : {}) });
      expect(res.status).toBe(201);
      planId = res.body.id;
      return shape(await outlineOf(coordinator));
    };
    expect(await create('ru')).toEqual([{ '0:Введение': ['0:Цель и сфера применения'] }]);
    expect(await create('be')).toEqual([{ '0:Уводзіны': ['0:Мэта і сфера прымянення'] }]);
    expect((await coordinator.request('PUT', '/api/auth/me/language', { language: 'be' })).status).toBe(200);
    expect(await create()).toEqual([{ '0:Уводзіны': ['0:Мэта і сфера прымянення'] }]);
    expect(await create('en')).toEqual([{ '0:Introduction': ['0:Purpose and scope'] }]);
  });

  it('refuses invalid plans with 400 and field messages', async () => {
    const res = await coordinator.post('/api/plans', { title: '  ', country: 'Belarus', periodStart: 2030, periodEnd: 2026 });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
    expect(res.body.error.fields).toHaveProperty('title');
    expect(typeof res.body.error.message).toBe('string');
  });

  it('answers 404 for unknown or malformed plan ids, never 500', async () => {
    expect((await coordinator.get('/api/plans/AAAAAAAAAAAAAAAAAAAAAA')).status).toBe(404);
    const bad = await coordinator.get('/api/plans/not%20an%20id');
    expect(bad.status).toBe(400);
    expect((await coordinator.patch(`/api/plans/${planId}/sections/short`, { title: 'x' })).status).toBe(400);
  });
});

describe('outline', () => {
  it('adds, renames, reorders, moves and deletes chapters and sections with dense positions', async () => {
    let res = await coordinator.post(`/api/plans/${planId}/chapters`, { title: 'Death penalty' });
    expect(res.status).toBe(200);
    const death = res.body.chapters[1].id as string;
    res = await coordinator.post(`/api/plans/${planId}/chapters`, { title: 'Justice' });
    const justice = res.body.chapters[2].id as string;
    res = await coordinator.post(`/api/plans/${planId}/sections`, { chapterId: death, title: 'Moratorium' });
    res = await coordinator.post(`/api/plans/${planId}/sections`, { chapterId: death, title: 'Abolition' });
    res = await coordinator.post(`/api/plans/${planId}/sections`, { chapterId: death, title: 'Transparency' });
    expect(shape(PlanOutlineSchema.parse(res.body))).toEqual([
      { '0:Introduction': ['0:Purpose and scope'] },
      { '1:Death penalty': ['0:Moratorium', '1:Abolition', '2:Transparency'] },
      { '2:Justice': [] },
    ]);
    const [moratorium, abolition, transparency] = res.body.chapters[1].sections.map((s: { id: string }) => s.id);
    expect(await documentExists(sectionDocName(abolition))).toBe(true);

    // Rename and move a chapter to the front.
    res = await coordinator.patch(`/api/plans/${planId}/chapters/${justice}`, { title: 'Justice and fair trial', position: 0 });
    expect(res.status).toBe(200);
    expect(res.body.chapters.map((c: { title: string; position: number }) => `${c.position}:${c.title}`)).toEqual([
      '0:Justice and fair trial',
      '1:Introduction',
      '2:Death penalty',
    ]);
    // A position past the end goes to the end.
    res = await coordinator.patch(`/api/plans/${planId}/chapters/${justice}`, { position: 99 });
    expect(res.body.chapters.map((c: { position: number; id: string }) => c.id)).toEqual([chapterId, death, justice]);

    // Reorder within a chapter.
    res = await coordinator.patch(`/api/plans/${planId}/sections/${transparency}`, { position: 0 });
    expect(shape(res.body)[1]).toEqual({ '1:Death penalty': ['0:Transparency', '1:Moratorium', '2:Abolition'] });

    // Move across chapters, to a position, with a rename.
    res = await coordinator.patch(`/api/plans/${planId}/sections/${moratorium}`, {
      chapterId: chapterId,
      position: 0,
      title: 'Moratorium on executions',
    });
    expect(shape(res.body)).toEqual([
      { '0:Introduction': ['0:Moratorium on executions', '1:Purpose and scope'] },
      { '1:Death penalty': ['0:Transparency', '1:Abolition'] },
      { '2:Justice and fair trial': [] },
    ]);
    // Move without a position: to the end of the target chapter.
    res = await coordinator.patch(`/api/plans/${planId}/sections/${abolition}`, { chapterId: justice });
    expect(shape(res.body)[2]).toEqual({ '2:Justice and fair trial': ['0:Abolition'] });
    expect(shape(res.body)[1]).toEqual({ '1:Death penalty': ['0:Transparency'] });

    // Delete a section: it goes to the bin (its document is kept), and the sync server is told.
    const deleted: string[] = [];
    server.events.on('sectionDeleted', (_plan, id) => deleted.push(id));
    res = await coordinator.delete(`/api/plans/${planId}/sections/${moratorium}`);
    expect(shape(res.body)[0]).toEqual({ '0:Introduction': ['0:Purpose and scope'] });
    expect(await documentExists(sectionDocName(moratorium))).toBe(true);
    expect(deleted).toEqual([moratorium]);

    // Delete a chapter: its sections go to the bin with it, the rest is renumbered.
    res = await coordinator.delete(`/api/plans/${planId}/chapters/${death}`);
    expect(shape(res.body)).toEqual([
      { '0:Introduction': ['0:Purpose and scope'] },
      { '1:Justice and fair trial': ['0:Abolition'] },
    ]);
    expect(await documentExists(sectionDocName(transparency))).toBe(true);
    expect(deleted).toEqual([moratorium, transparency]);
    const live = await server.sql.theRow(rowShape({ n: col.int }), sql`SELECT count(*) AS n FROM sections WHERE chapter_id = ${death} AND deleted_at IS NULL`);
    expect(live.n).toBe(0);
  });

  it('announces every outline change on the event bus', async () => {
    const seen: unknown[] = [];
    server.events.on('plan', (id, event) => seen.push([id, event]));
    await coordinator.patch(`/api/plans/${planId}/sections/${sectionId}`, { title: 'Scope' });
    await coordinator.post(`/api/plans/${planId}/chapters`, { title: 'Two' });
    expect(seen).toEqual([
      [planId, { type: 'outline' }],
      [planId, { type: 'outline' }],
    ]);
  });

  it('refuses sections in a chapter of another plan, and bad bodies', async () => {
    const other = await coordinator.post('/api/plans', { title: 'Other', country: 'Belarus', periodStart: 2026, periodEnd: 2030 });
    const otherOutline = (await coordinator.get(`/api/plans/${other.body.id}`)).body as PlanOutline;
    const foreignChapter = otherOutline.chapters[0]!.id;
    const res = await coordinator.post(`/api/plans/${planId}/sections`, { chapterId: foreignChapter, title: 'X' });
    expect(res.status).toBe(404);
    const move = await coordinator.patch(`/api/plans/${planId}/sections/${sectionId}`, { chapterId: foreignChapter });
    expect(move.status).toBe(404);
    const empty = await coordinator.patch(`/api/plans/${planId}/chapters/${chapterId}`, {});
    expect(empty.status).toBe(400);
    expect(empty.body.error).toMatchObject({ code: 'invalid_request' });
    const negative = await coordinator.patch(`/api/plans/${planId}/chapters/${chapterId}`, { position: -1 });
    expect(negative.status).toBe(400);
    expect(negative.body.error.fields).toHaveProperty('position');
    // Nothing changed.
    expect(shape(await outlineOf(coordinator))).toEqual([{ '0:Introduction': ['0:Purpose and scope'] }]);
  });

  it('lets only coordinators change the outline; non-members get 404', async () => {
    const roles = ['drafter', 'commenter', 'observer'] as const;
    for (const role of roles) {
      const { client } = await addMember(server, coordinator, planId, role, {
        name: `A ${role}`,
        email: `${role}@ngo.example`,
        organisation: { name: `NGO ${role}`, side: 'civil_society' },
      });
      expect((await client.get(`/api/plans/${planId}`)).body.plan.role).toBe(role);
      const attempts = [
        client.post(`/api/plans/${planId}/chapters`, { title: 'Mine' }),
        client.patch(`/api/plans/${planId}/chapters/${chapterId}`, { title: 'Mine' }),
        client.delete(`/api/plans/${planId}/chapters/${chapterId}`),
        client.post(`/api/plans/${planId}/sections`, { chapterId, title: 'Mine' }),
        client.patch(`/api/plans/${planId}/sections/${sectionId}`, { title: 'Mine' }),
        client.delete(`/api/plans/${planId}/sections/${sectionId}`),
        client.patch(`/api/plans/${planId}`, { title: 'Mine' }),
      ];
      for (const res of await Promise.all(attempts)) {
        expect(res.status).toBe(403);
        expect(res.body.error.code).toBe('forbidden');
      }
    }
    expect(shape(await outlineOf(coordinator))).toEqual([{ '0:Introduction': ['0:Purpose and scope'] }]);

    // Someone outside the plan cannot tell it exists.
    const outsider = await addMember(server, coordinator, planId, 'observer', {
      name: 'Out Sider',
      email: 'out@ngo.example',
      organisation: { name: 'Elsewhere', side: 'international' },
    });
    const ownPlan = await outsider.client.post('/api/plans', { title: 'Own', country: 'X', periodStart: 2026, periodEnd: 2026 });
    await coordinator.delete(`/api/plans/${planId}/members/${outsider.userId}`);
    for (const res of [
      await outsider.client.get(`/api/plans/${planId}`),
      await outsider.client.get(`/api/plans/${planId}/members`),
      await outsider.client.post(`/api/plans/${planId}/chapters`, { title: 'x' }),
    ]) {
      expect(res.status).toBe(404);
    }
    expect((await outsider.client.get('/api/plans')).body.map((p: { id: string }) => p.id)).toEqual([ownPlan.body.id]);
  });
});
