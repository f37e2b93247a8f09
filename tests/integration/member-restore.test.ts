/**
 * A coordinator who removed the wrong person brings them back: in the role they had, told by whom,
 * on the record. Only a removal can be undone (not someone's own leaving), only the latest thing
 * that happened to the membership, only soon after, and only by a coordinator of the person's side.
 */
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ApiClient } from '../helpers/api.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { addMember, setUpWorkspace } from '../helpers/workspace.ts';
import { NotificationSchema } from '../../shared/api/index.ts';
import { Limits } from '../../shared/limits.ts';

let server: TestServer;
/** The server's clock for time-based rules: moved forward to make a removal an hour old. */
let offsetMs = 0;
let olga: ApiClient;
let planId: string;
const plan = () => `/api/plans/${planId}`;

const PAVEL = { name: 'Pavel Drafter', email: 'pavel@justice.example', organisation: { name: 'Ministry of Justice', side: 'government' as const } };
const ANDREI = { name: 'Andrei Coordinator', email: 'andrei@hrh.example', organisation: { name: 'Human Rights House', side: 'civil_society' as const } };
const NINA = { name: 'Nina Lawyer', email: 'nina@legal.example', organisation: { name: 'Legal Initiative', side: 'civil_society' as const } };

beforeEach(async () => {
  offsetMs = 0;
  server = await startTestServer({ clock: { now: () => Date.now() + offsetMs } });
  ({ coordinator: olga, planId } = await setUpWorkspace(server));
});
afterEach(async () => {
  await server.destroy();
});

const roleOf = async (userId: string) =>
  (await server.sql.row(z.object({ role: z.string() }), sql`SELECT role FROM plan_members WHERE plan_id = ${planId} AND user_id = ${userId}`))?.role;
const notices = async (client: ApiClient) => ((await client.get('/api/notifications')).body as unknown[]).map((n) => NotificationSchema.parse(n));

describe('undoing a removal', () => {
  it('brings the person back in their role, tells them who did, and records it', async () => {
    const pavel = await addMember(server, olga, planId, 'drafter', PAVEL);
    const access: unknown[] = [];
    server.events.on('access', (...a) => access.push(a));
    expect((await olga.delete(`${plan()}/members/${pavel.userId}`)).status).toBe(200);
    expect((await pavel.client.get(`${plan()}/members`)).status).toBe(404);

    const back = await olga.post(`${plan()}/members/${pavel.userId}/restore`, {});
    expect(back.status).toBe(200);
    expect(back.body.map((m: { name: string; role: string }) => [m.name, m.role])).toContainEqual(['Pavel Drafter', 'drafter']);
    expect(await roleOf(pavel.userId)).toBe('drafter');
    expect(access).toContainEqual([planId, pavel.userId, 'drafter']);
    // The plan is open to him again, and he is told who brought him back.
    expect((await pavel.client.get(`${plan()}/members`)).status).toBe(200);
    const [latest] = await notices(pavel.client);
    expect(latest).toMatchObject({
      kind: 'restored_to_plan',
      link: `/plans/${planId}`,
      text: { key: 'restored_to_plan', params: { who: 'Olga Coordinator', organisation: 'Ministry of Foreign Affairs', role: 'drafter' } },
    });
    const audit = (await olga.get(`${plan()}/audit`)).body.items as Array<{ action: string; summary: string }>;
    expect(audit[0]).toMatchObject({ action: 'member.restored', summary: 'Olga Coordinator undid the removal of Pavel Drafter (drafter) from the plan' });

    // Done once: there is nothing left to undo.
    const again = await olga.post(`${plan()}/members/${pavel.userId}/restore`, {});
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('restore_not_removed');
  });

  it('does not bring back someone who left themselves, nor a removal an hour old', async () => {
    const pavel = await addMember(server, olga, planId, 'drafter', PAVEL);
    expect((await pavel.client.post(`${plan()}/leave`, {})).status).toBe(204);
    const left = await olga.post(`${plan()}/members/${pavel.userId}/restore`, {});
    expect(left.status).toBe(409);
    expect(left.body.error.code).toBe('restore_not_removed');
    expect(await roleOf(pavel.userId)).toBeUndefined();

    const nina = await addMember(server, olga, planId, 'commenter', NINA);
    expect((await olga.delete(`${plan()}/members/${nina.userId}`)).status).toBe(200);
    offsetMs = (Limits.memberRestoreMinutes + 1) * 60_000;
    const late = await olga.post(`${plan()}/members/${nina.userId}/restore`, {});
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('restore_too_late');
    expect(await roleOf(nina.userId)).toBeUndefined();
  });

  it('is for coordinators of the person’s side only', async () => {
    const nina = await addMember(server, olga, planId, 'drafter', NINA);
    const andrei = await addMember(server, olga, planId, 'coordinator', ANDREI);
    const pavel = await addMember(server, olga, planId, 'drafter', PAVEL);
    expect((await andrei.client.delete(`${plan()}/members/${nina.userId}`)).status).toBe(200);

    // The government's coordinator may not bring back civil society's people, nor may a drafter.
    const other = await olga.post(`${plan()}/members/${nina.userId}/restore`, {});
    expect(other.status).toBe(403);
    expect(other.body.error.code).toBe('other_side');
    expect((await pavel.client.post(`${plan()}/members/${nina.userId}/restore`, {})).status).toBe(403);
    expect(await roleOf(nina.userId)).toBeUndefined();
    expect((await andrei.client.post(`${plan()}/members/${nina.userId}/restore`, {})).status).toBe(200);
    expect(await roleOf(nina.userId)).toBe('drafter');
  });
});
