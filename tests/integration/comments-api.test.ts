import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { ApiClient } from '../helpers/api.ts';
import { connectPeer, type Peer } from '../helpers/peer.ts';
import { eventually, startTestServer, type TestServer } from '../helpers/server.ts';
import { addMember, setUpWorkspace } from '../helpers/workspace.ts';
import { getSectionBody, sectionDocName, sectionPlainText } from '../../shared/doc/schema.ts';
import { PlanOutlineSchema } from '../../shared/api/index.ts';
import { expectAuditWorded } from '../helpers/auditWords.ts';
import { sql } from 'kysely';
import { col, rowShape } from '../../server/db/rows.ts';

let server: TestServer;
let peer: Peer;
let planId: string;
let sectionId: string;
const c: Record<'coordinator' | 'drafter' | 'commenter' | 'commenter2' | 'observer' | 'outsider', ApiClient> = {} as never;
const ids: Record<string, string> = {};

const person = (key: string) => ({ name: `Person ${key}`, email: `${key.toLowerCase()}@api.example`, organisation: { name: `Org ${key}`, side: 'civil_society' as const } });

beforeAll(async () => {
  server = await startTestServer();
  const ws = await setUpWorkspace(server);
  planId = ws.planId;
  sectionId = ws.sectionId;
  c.coordinator = ws.coordinator;
  ids.coordinator = (await ws.coordinator.get('/api/auth/me')).body.user.id;
  for (const [key, role] of [['drafter', 'drafter'], ['commenter', 'commenter'], ['commenter2', 'commenter'], ['observer', 'observer']] as const) {
    const m = await addMember(server, ws.coordinator, planId, role, person(key));
    c[key] = m.client;
    ids[key] = m.userId;
  }
  const other = await ws.coordinator.post('/api/plans', { title: 'Other', country: 'Belarus', periodStart: 2026, periodEnd: 2030 });
  const outsider = await addMember(server, ws.coordinator, other.body.id, 'coordinator', person('Outsider'));
  c.outsider = outsider.client;
  ids.outsider = outsider.userId;
  peer = connectPeer(server.url, ws.coordinator, sectionId);
  await peer.synced();
  peer.typeParagraph('Everyone has the right to a fair trial.');
  await eventually(async () => expect(sectionPlainText((await server.sync.readDocument(sectionDocName(sectionId)))!)).toContain('fair trial'));
});
afterAll(async () => {
  peer?.destroy();
  await server?.destroy();
});

function anchor(from: number, to: number, quote: string) {
  const text = (getSectionBody(peer.doc).get(0) as Y.XmlElement).get(0) as Y.XmlText;
  const rel = (i: number) => Buffer.from(Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(text, i, -1))).toString('base64');
  return { start: rel(from), end: rel(to), quote };
}
const p = () => `/api/plans/${planId}`;
const newThread = async (who: ApiClient, body = 'A point') => {
  const res = await who.post(`${p()}/sections/${sectionId}/threads`, { anchor: anchor(4, 12, 'one has'), body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
};
const openCount = async () =>
  PlanOutlineSchema.parse((await c.coordinator.get(p())).body).chapters.flatMap((ch) => ch.sections).find((s) => s.id === sectionId)!.openThreads;

describe('comment threads: roles', () => {
  it('observers cannot comment; non-members get 404; bad anchors 400', async () => {
    expect((await c.observer.post(`${p()}/sections/${sectionId}/threads`, { anchor: anchor(0, 3, 'Eve'), body: 'x' })).status).toBe(403);
    expect((await c.outsider.post(`${p()}/sections/${sectionId}/threads`, { anchor: anchor(0, 3, 'Eve'), body: 'x' })).status).toBe(404);
    expect((await c.outsider.get(`${p()}/sections/${sectionId}/threads`)).status).toBe(404);
    expect((await c.observer.get(`${p()}/sections/${sectionId}/threads`)).status).toBe(200);
    const junk = { start: Buffer.from([1, 2, 3]).toString('base64'), end: 'AAAA', quote: '' };
    expect((await c.commenter.post(`${p()}/sections/${sectionId}/threads`, { anchor: junk, body: 'x' })).status).toBe(400);
    expect((await c.commenter.post(`${p()}/sections/${sectionId}/threads`, { anchor: anchor(12, 4, 'x'), body: 'x' })).status).toBe(400);
  });

  it('the author is the signed-in person; only the author edits or deletes', async () => {
    const thread = await newThread(c.commenter);
    const comment = thread.comments[0];
    expect(comment.authorId).toBe(ids.commenter);
    const reply = await c.observer.post(`${p()}/threads/${thread.id}/comments`, { body: 'me too' });
    expect(reply.status).toBe(403);
    const replied = await c.drafter.post(`${p()}/threads/${thread.id}/comments`, { body: 'Agreed', authorId: ids.coordinator });
    expect(replied.status).toBe(201);
    expect(replied.body.comments[1].authorId).toBe(ids.drafter);
    for (const who of [c.coordinator, c.drafter, c.commenter2]) {
      expect((await who.patch(`${p()}/comments/${comment.id}`, { body: 'hijack' })).status).toBe(403);
      expect((await who.delete(`${p()}/comments/${comment.id}`)).status).toBe(403);
    }
    expect((await c.observer.patch(`${p()}/comments/${comment.id}`, { body: 'x' })).status).toBe(403);
    expect((await c.outsider.patch(`${p()}/comments/${comment.id}`, { body: 'x' })).status).toBe(404);
    const edited = await c.commenter.patch(`${p()}/comments/${comment.id}`, { body: 'A clearer point' });
    expect(edited.status).toBe(200);
    expect(edited.body.comments[0]).toMatchObject({ body: 'A clearer point', editedAt: expect.any(String) });
    const deleted = await c.commenter.delete(`${p()}/comments/${comment.id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body.comments.map((x: { body: string; deletedAt: string | null }) => [x.body, x.deletedAt !== null])).toEqual([
      ['', true],
      ['Agreed', false],
    ]);
    expect((await c.commenter.patch(`${p()}/comments/${comment.id}`, { body: 'back' })).status).toBe(409);
  });

  it('resolve and reopen: drafters, coordinators and the thread author, not other commenters or observers', async () => {
    const thread = await newThread(c.commenter);
    expect((await c.commenter2.post(`${p()}/threads/${thread.id}/resolve`)).status).toBe(403);
    expect((await c.observer.post(`${p()}/threads/${thread.id}/resolve`)).status).toBe(403);
    expect((await c.outsider.post(`${p()}/threads/${thread.id}/resolve`)).status).toBe(404);
    const byAuthor = await c.commenter.post(`${p()}/threads/${thread.id}/resolve`);
    expect(byAuthor.body).toMatchObject({ status: 'resolved', resolvedBy: 'Person commenter' });
    expect((await c.drafter.post(`${p()}/threads/${thread.id}/reopen`)).body.status).toBe('open');
    expect((await c.coordinator.post(`${p()}/threads/${thread.id}/resolve`)).body.status).toBe('resolved');
    const resolved = await c.coordinator.get(`${p()}/sections/${sectionId}/threads?status=resolved`);
    expect(resolved.body.map((t: { id: string }) => t.id)).toContain(thread.id);
    const open = await c.coordinator.get(`${p()}/sections/${sectionId}/threads?status=open`);
    expect(open.body.map((t: { id: string }) => t.id)).not.toContain(thread.id);
    const audit = await server.sql.rows(rowShape({ action: col.text }), sql`SELECT action FROM audit_log WHERE target_id = ${thread.id} ORDER BY id`);
    expect(audit.map((a) => a.action)).toEqual(['comment.thread_created', 'comment.thread_resolved', 'comment.thread_reopened', 'comment.thread_resolved']);
  });
});

describe('mentions and counts', () => {
  it('keeps mentions of plan members only', async () => {
    const body = `@[Drafter](${ids.drafter}) and @[Outsider](${ids.outsider}) and @[Again](${ids.drafter}) @[Ghost](zzzzzzzzzzzz)`;
    const thread = await newThread(c.commenter, body);
    expect(thread.comments[0].mentions).toEqual([ids.drafter]);
    const edited = await c.commenter.patch(`${p()}/comments/${thread.comments[0].id}`, { body: `@[Obs](${ids.observer})` });
    expect(edited.body.comments[0].mentions).toEqual([ids.observer]);
  });

  it('counts open threads per section in the outline', async () => {
    const before = await openCount();
    const thread = await newThread(c.drafter);
    expect(await openCount()).toBe(before + 1);
    await c.drafter.post(`${p()}/threads/${thread.id}/resolve`);
    expect(await openCount()).toBe(before);
    await c.drafter.post(`${p()}/threads/${thread.id}/reopen`);
    expect(await openCount()).toBe(before + 1);
  });
});

it('words every audit entry it wrote in the reader’s language', async () => {
  await expectAuditWorded(server);
});
