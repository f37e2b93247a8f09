import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ApiClient } from '../helpers/api.ts';
import { openPlanEvents } from '../helpers/events.ts';
import { eventually, startTestServer, type TestServer } from '../helpers/server.ts';
import { addMember, setUpWorkspace } from '../helpers/workspace.ts';
import { ActionSchema, type PlanOutline } from '../../shared/api/index.ts';

/**
 * Reordering a section's actions (PUT …/sections/:sectionId/actions/:actionId/position): the
 * place is checked against the section, the action must be of that section, an agreed section
 * refuses it, the move is recorded and announced, and since the order is part of what is signed
 * it changes the section's content hash.
 */

let server: TestServer;
let coordinator: ApiClient;
let ngo: ApiClient;
let commenter: ApiClient;
let planId: string;
let chapterId: string;
let sectionId: string;

beforeEach(async () => {
  server = await startTestServer();
  ({ coordinator, planId, chapterId, sectionId } = await setUpWorkspace(server));
  ngo = (
    await addMember(server, coordinator, planId, 'drafter', {
      name: 'Nina Lawyer',
      email: 'nina@hrc.example',
      organisation: { name: 'Human Rights Centre', side: 'civil_society' },
    })
  ).client;
  commenter = (
    await addMember(server, coordinator, planId, 'commenter', {
      name: 'Carl Reader',
      email: 'carl@readers.example',
      organisation: { name: 'Readers Association', side: 'civil_society' },
    })
  ).client;
});
afterEach(async () => {
  await server.destroy();
});

const sectionPath = (s = sectionId) => `/api/plans/${planId}/sections/${s}`;
const movePath = (actionId: string, s = sectionId) => `${sectionPath(s)}/actions/${actionId}/position`;

const move = (client: ApiClient, path: string, body: unknown) => client.request('PUT', path, body);

async function addActions(titles: string[], s = sectionId): Promise<string[]> {
  const ids: string[] = [];
  for (const title of titles) {
    const res = await coordinator.post(`${sectionPath(s)}/actions`, { title });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    ids.push(res.body.id);
  }
  return ids;
}

async function titlesInOrder(s = sectionId): Promise<string[]> {
  const res = await coordinator.get(`${sectionPath(s)}/actions`);
  return (res.body as Array<{ title: string; position: number }>).sort((a, b) => a.position - b.position).map((a) => a.title);
}

const moves = () =>
  server.sql.rows(
    z.object({ summary: z.string(), details: z.string() }),
    sql`SELECT summary, details FROM audit_log WHERE plan_id = ${planId} AND action = 'action.moved' ORDER BY id`,
  );

describe('reordering actions within a section', () => {
  it('moves an action to the place asked, records it, announces it and changes what would be signed', async () => {
    const [, , third] = await addActions(['First', 'Second', 'Third']);
    const hashBefore = (await coordinator.get(`${sectionPath()}/agreement`)).body.currentHash as string;
    const stream = await openPlanEvents(server.url, ngo, planId);

    // A drafter of the other side may reorder, as they may edit actions.
    const res = await move(ngo, movePath(third!), { position: 0 });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const list = (res.body as unknown[]).map((a) => ActionSchema.parse(a));
    expect(list.map((a) => [a.title, a.position])).toEqual([
      ['Third', 0],
      ['First', 1],
      ['Second', 2],
    ]);
    expect(await titlesInOrder()).toEqual(['Third', 'First', 'Second']);
    await eventually(() => expect(stream.received).toContainEqual({ type: 'actions', sectionId }));
    await stream.close();

    expect(await moves()).toHaveLength(1);
    expect((await moves())[0]!.summary).toContain('moved the action “Third” from place 3 to 1');
    expect(JSON.parse((await moves())[0]!.details)).toMatchObject({ before: { position: 2 }, after: { position: 0 } });

    // Canonical lines number the actions: the order is part of the signed content.
    const hashAfter = (await coordinator.get(`${sectionPath()}/agreement`)).body.currentHash as string;
    expect(hashAfter).not.toBe(hashBefore);

    // Down again, to the end.
    expect((await move(coordinator, movePath(third!), { position: 2 })).status).toBe(200);
    expect(await titlesInOrder()).toEqual(['First', 'Second', 'Third']);
    expect((await coordinator.get(`${sectionPath()}/agreement`)).body.currentHash).toBe(hashBefore);
  });

  it('leaves the order and the record alone when the action is already there', async () => {
    const [first] = await addActions(['First', 'Second']);
    const res = await move(coordinator, movePath(first!), { position: 0 });
    expect(res.status).toBe(200);
    expect(res.body.map((a: { title: string }) => a.title)).toEqual(['First', 'Second']);
    expect(await moves()).toHaveLength(0);
  });

  it('refuses a place outside the section, and a body that is not a place, with 400', async () => {
    const [first] = await addActions(['First', 'Second', 'Third']);
    for (const body of [{ position: 3 }, { position: 99 }, { position: -1 }, { position: 1.5 }, { position: '1' }, {}, { position: 1, sectionId }]) {
      const res = await move(coordinator, movePath(first!), body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
    }
    const tooFar = await move(coordinator, movePath(first!), { position: 3 });
    expect(tooFar.body.error.fields.position).toBe('position_out_of_range');
    expect(tooFar.body.error.fieldParams.position).toEqual({ max: 2 });
    expect(await titlesInOrder()).toEqual(['First', 'Second', 'Third']);
    expect(await moves()).toHaveLength(0);
  });

  it('does not find an action through another section, nor a section that is not in the plan', async () => {
    const [mine] = await addActions(['Mine', 'Also mine']);
    const outline = await coordinator.post(`/api/plans/${planId}/sections`, { chapterId, title: 'Other section' });
    expect(outline.status, JSON.stringify(outline.body)).toBe(200);
    const other = { body: (outline.body as PlanOutline).chapters[0]!.sections.find((s) => s.title === 'Other section')! };
    await addActions(['Theirs', 'Also theirs'], other.body.id);

    const across = await move(coordinator, movePath(mine!, other.body.id), { position: 1 });
    expect(across.status).toBe(404);
    expect((await move(coordinator, movePath(mine!, 'no-such-section'), { position: 0 })).status).toBe(404);
    expect((await move(coordinator, movePath('no-such-action'), { position: 0 })).status).toBe(404);

    expect(across.body.error.message).toBe('The action was not found.');
    expect(await titlesInOrder()).toEqual(['Mine', 'Also mine']);
    expect(await titlesInOrder(other.body.id)).toEqual(['Theirs', 'Also theirs']);
    expect(await moves()).toHaveLength(0);

    // Through its own section the same move is made.
    expect((await move(coordinator, movePath(mine!), { position: 1 })).status).toBe(200);
    expect(await titlesInOrder()).toEqual(['Also mine', 'Mine']);
    expect(await titlesInOrder(other.body.id)).toEqual(['Theirs', 'Also theirs']);
  });

  it('refuses to reorder an agreed section, whose order was signed', async () => {
    const [first] = await addActions(['First', 'Second']);
    const { currentHash } = (await coordinator.get(`${sectionPath()}/agreement`)).body;
    expect((await coordinator.post(`${sectionPath()}/signoffs`, { contentHash: currentHash })).status).toBe(201);
    expect((await ngo.post(`${sectionPath()}/signoffs`, { contentHash: currentHash })).body.status).toBe('agreed');

    const res = await move(coordinator, movePath(first!), { position: 1 });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('section_agreed');
    expect(await titlesInOrder()).toEqual(['First', 'Second']);
    expect((await coordinator.get(`${sectionPath()}/agreement`)).body).toMatchObject({ status: 'agreed', currentHash });
  });

  it('is for those who may edit actions: a commenter is refused', async () => {
    const [first] = await addActions(['First', 'Second']);
    expect((await move(commenter, movePath(first!), { position: 1 })).status).toBe(403);
    expect(await titlesInOrder()).toEqual(['First', 'Second']);
  });
});
