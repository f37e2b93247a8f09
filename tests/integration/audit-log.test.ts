import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../helpers/api.ts';
import { importFile } from '../helpers/imports.ts';
import { sampleRecommendation } from '../helpers/recommendations.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { addMember, setUpWorkspace } from '../helpers/workspace.ts';
import { toAccordJson } from '../../server/import/index.ts';
import { AuditEntrySchema, type AuditEntry } from '../../shared/api/index.ts';
import { auditSummary, summaryOf } from '../../client/features/audit/auditSummary.ts';
import { translator } from '../helpers/i18n.ts';
import { sql } from 'kysely';
import { col, rowShape } from '../../server/db/rows.ts';

let server: TestServer;
let coordinator: ApiClient;
let drafter: { client: ApiClient; userId: string };
let planId: string;
let sectionId: string;

const FORMULA_NAME = '=HYPERLINK("http://evil.example","x")';

beforeAll(async () => {
  server = await startTestServer();
  ({ coordinator, planId, sectionId } = await setUpWorkspace(server));
  drafter = await addMember(server, coordinator, planId, 'drafter', {
    name: 'Nina Lawyer',
    email: 'nina@hrc.example',
    organisation: { name: 'Human Rights Centre', side: 'civil_society' },
  });
  const hostile = await addMember(server, coordinator, planId, 'commenter', {
    name: FORMULA_NAME,
    email: 'evil@x.example',
    organisation: { name: '+Evil NGO', side: 'civil_society' },
  });
  const p = `/api/plans/${planId}`;
  expect((await coordinator.patch(`${p}/members/${hostile.userId}`, { role: 'observer' })).status).toBe(200);
  expect((await coordinator.delete(`${p}/members/${hostile.userId}`)).status).toBe(200);
  const invite = await coordinator.post(`${p}/invites`, { role: 'observer' });
  expect((await coordinator.delete(`${p}/invites/${invite.body.id}`)).status).toBe(204);
  const { record } = await importFile(drafter.client, planId, 'recs.json', toAccordJson([sampleRecommendation(1), sampleRecommendation(2)]));
  expect((await coordinator.post(`${p}/imports/${record.id}/undo`, {})).status).toBe(200);
  expect((await drafter.client.post(`${p}/sections/${sectionId}/status`, { status: 'in_review' })).status).toBe(200);
  const { currentHash } = (await coordinator.get(`${p}/sections/${sectionId}/agreement`)).body;
  expect((await coordinator.post(`${p}/sections/${sectionId}/signoffs`, { contentHash: currentHash })).status).toBe(201);
  expect((await drafter.client.post(`${p}/sections/${sectionId}/signoffs`, { contentHash: currentHash })).body.status).toBe('agreed');
  expect((await coordinator.post(`${p}/sections/${sectionId}/reopen`, { reason: '-1+1 reopened for a formula test' })).status).toBe(200);
  expect((await coordinator.request('PUT', `${p}/signoff-rule`, { kind: 'sides', sides: ['civil_society'] })).status).toBe(200);
});
afterAll(async () => {
  await server?.destroy();
});

async function entries(query = ''): Promise<{ total: number; items: AuditEntry[] }> {
  const res = await coordinator.get(`/api/plans/${planId}/audit${query}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return { total: res.body.total, items: res.body.items.map((e: unknown) => AuditEntrySchema.parse(e)) };
}

describe('the audit log', () => {
  it('records every listed action with actor name, organisation and role', async () => {
    const { total, items } = await entries('?limit=500');
    expect(total).toBe(items.length);
    const actions = items.map((e) => e.action);
    for (const action of [
      'member.joined',
      'member.role_changed',
      'member.removed',
      'invite.created',
      'invite.revoked',
      'import.committed',
      'import.undone',
      'section.status_changed',
      'section.signed',
      'section.agreed',
      'section.reopened',
      'signoff_rule.changed',
    ]) {
      expect(actions, action).toContain(action);
    }
    // Newest first.
    expect(items[0]!.action).toBe('signoff_rule.changed');
    const joined = items.find((e) => e.action === 'member.joined' && e.actorName === 'Nina Lawyer')!;
    expect(joined).toMatchObject({ actorOrganisation: 'Human Rights Centre', actorRole: 'drafter', targetId: drafter.userId });
    // Whose invitation let her in is on the record with her joining, not only in the invite's own entry.
    const invite = items.find((e) => e.action === 'invite.created' && e.targetId === joined.details.inviteId);
    expect(invite?.actorName).toBe('Olga Coordinator');
    expect(joined.details).toMatchObject({ invitedByName: 'Olga Coordinator', invitedByOrganisation: 'Ministry of Foreign Affairs' });
    expect(joined.summary).toContain('invited by Olga Coordinator');
    const imported = items.find((e) => e.action === 'import.committed')!;
    expect(imported).toMatchObject({ actorName: 'Nina Lawyer', actorRole: 'drafter', details: { created: 2 } });
    const signed = items.filter((e) => e.action === 'section.signed');
    expect(signed.map((e) => `${e.actorName} / ${e.actorOrganisation} / ${e.actorRole}`).sort()).toEqual([
      'Nina Lawyer / Human Rights Centre / drafter',
      'Olga Coordinator / Ministry of Foreign Affairs / coordinator',
    ]);
  });

  it('reads in the reader’s language: every entry the server wrote has the details its Russian sentence needs', async () => {
    const t = await translator('ru');
    const { items } = await entries('?limit=500');
    expect(items.filter((e) => summaryOf(e, t, 'ru') === null).map((e) => e.action)).toEqual([]);
    for (const e of items) expect(auditSummary(e, t, 'ru'), e.action).not.toBe(e.summary);
    const reopened = items.find((e) => e.action === 'section.reopened')!;
    expect(auditSummary(reopened, t, 'ru')).toMatch(/^Раздел «.+» возвращён на доработку$/);
  });

  it('filters by action and actor, and pages', async () => {
    const signed = await entries('?action=section.signed');
    expect(signed.total).toBe(2);
    const nina = await entries(`?actorId=${drafter.userId}`);
    expect(nina.items.every((e) => e.actorId === drafter.userId)).toBe(true);
    const page = await entries('?limit=2&offset=1');
    expect(page.items).toHaveLength(2);
    expect((await coordinator.get(`/api/plans/${planId}/audit?action=nonsense`)).status).toBe(400);
  });

  it('downloads as CSV with formula-looking cells neutralised', async () => {
    const res = await fetch(`${server.url}/api/plans/${planId}/audit.csv`, { headers: { cookie: coordinator.cookie! } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="audit-\d{4}-\d{2}-\d{2}\.csv"$/);
    const text = (await res.text()).replace(/^\uFEFF/, '');
    const rows = Papa.parse<string[]>(text.trim(), { skipEmptyLines: true }).data;
    expect(rows[0]).toEqual(['id', 'at', 'actor', 'organisation', 'role', 'action', 'target_type', 'target_id', 'summary', 'details']);
    const cells = rows.slice(1).flat();
    expect(cells.filter((c) => /^[=+\-@\t\r\n]/.test(c))).toEqual([]);
    expect(cells).toContain(`'${FORMULA_NAME}`);
    expect(cells).toContain("'+Evil NGO");
    expect(cells.some((c) => c.startsWith(`'${FORMULA_NAME} (+Evil NGO) joined`))).toBe(true);
    expect(rows.length - 1).toBe((await entries()).total);
  });

  it('is append-only in the database: UPDATE and DELETE abort', async () => {
    await expect(server.sql.run(sql`UPDATE audit_log SET summary = 'rewritten'`)).rejects.toThrow(/append-only/);
    await expect(server.sql.run(sql`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
    await expect(server.sql.run(sql`DELETE FROM audit_log WHERE id = 1`)).rejects.toThrow(/append-only/);
    const { n } = await server.sql.theRow(rowShape({ n: col.int }), sql`SELECT count(*) AS n FROM audit_log`);
    expect(n).toBeGreaterThan(10);
  });

  it('is for coordinators only', async () => {
    for (const path of ['audit', 'audit.csv']) {
      expect((await drafter.client.get(`/api/plans/${planId}/${path}`)).status).toBe(403);
    }
  });
});
