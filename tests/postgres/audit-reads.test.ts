import { describe, expect, it } from 'vitest';
import { allAudit, itemHistory, queryAudit } from '../../server/services/audit.ts';
import { AuditQuerySchema, type AuditEntry } from '../../shared/api/index.ts';
import { sameRowsOnBothEngines } from '../helpers/postgres.ts';

/**
 * The audit log's reads (the audit page, its CSV, an item's history) give the same answers on
 * SQLite and PostgreSQL, and the right ones: the same entries are written on both, then read with
 * every filter. What the engines spell differently (reading `actionId` out of an entry's JSON, "this
 * recommendation is one of the group's members") is where they could part.
 */

const COORDINATOR = `'person-u1', 'Coordinator', 'Ministry of Justice', 'coordinator'`;
const DRAFTER = `'person-u2', 'Алесь', 'Праваабарончы цэнтр «Вясна»', 'drafter'`;
const ACCORD = `NULL, 'Accord', '', NULL`;

/** [at, actor, action, target_type, target_id, summary, details]; ids 1, 2, … in this order on both engines. */
const ENTRIES: Array<[string, string, string, string, string | null, string, string]> = [
  ['2026-05-01T09:00:00.000Z', COORDINATOR, 'member.joined', 'member', 'person-u1', 'Coordinator joined the plan', '{}'],
  ['2026-05-02T10:00:00.000Z', COORDINATOR, 'action.created', 'action', 'action-a1', 'Coordinator created the action “Inspections”', '{"after":{"title":"Inspections"}}'],
  ['2026-05-02T11:00:00.000Z', DRAFTER, 'indicator.created', 'indicator', 'indicator-i1', 'Алесь added an indicator', '{"actionId":"action-a1","after":{"description":"Visits"}}'],
  ['2026-05-02T12:00:00.000Z', DRAFTER, 'indicator.created', 'indicator', 'indicator-i2', 'Алесь added an indicator to another action', '{"actionId":"action-a2"}'],
  ['2026-05-03T23:30:00.000Z', DRAFTER, 'link.added', 'action', 'action-a1', "Алесь linked recommendation 139.1 to O'Brien's action", '{"recommendationId":"recommend-1","actionId":"action-a1"}'],
  ['2026-05-04T00:00:00.000Z', DRAFTER, 'link.added', 'action', 'action-a2', 'Алесь linked recommendation 139.10', '{"recommendationId":"recommend-10","actionId":"action-a2"}'],
  ['2026-05-04T08:00:00.000Z', COORDINATOR, 'recommendation_group.confirmed', 'recommendation_group', 'group-g1', 'Coordinator confirmed a group', '{"status":"confirmed","memberIds":["recommend-4","recommend-1"]}'],
  ['2026-05-04T08:30:00.000Z', COORDINATOR, 'recommendation_group.confirmed', 'recommendation_group', 'group-g2', 'Coordinator confirmed another group', '{"status":"confirmed","memberIds":["recommend-10","recommend-11"]}'],
  ['2026-05-04T09:00:00.000Z', COORDINATOR, 'recommendation.updated', 'recommendation', 'recommend-1', 'Coordinator changed 139.1', '{"changed":["text"]}'],
  ['2026-05-04T10:00:00.000Z', ACCORD, 'section.status_changed', 'section', 'section-s1', 'The section went to review', '{}'],
  // Not in an item's history (HISTORY_ACTIONS), though about the same section.
  ['2026-05-04T11:00:00.000Z', COORDINATOR, 'section.signed', 'section', 'section-s1', 'Coordinator signed', '{"contentHash":"abc"}'],
  ['2026-05-05T00:00:00.000Z', COORDINATOR, 'export.created', 'export', null, 'Coordinator exported the plan', '{}'],
];

const quote = (s: string | null) => (s === null ? 'NULL' : `'${s.replace(/'/g, "''")}'`);

/** Plain INSERTs, one per entry (the log is append-only: what is written here stays), plus one entry of another plan. */
const AUDIT_ROWS = [
  ...ENTRIES.map(
    ([at, actor, action, targetType, targetId, summary, details]) =>
      `INSERT INTO audit_log (plan_id, at, actor_id, actor_name, actor_organisation, actor_role, action, target_type, target_id, summary, details)
         VALUES ('p1', '${at}', ${actor}, '${action}', '${targetType}', ${quote(targetId)}, ${quote(summary)}, ${quote(details)});`,
  ),
  `INSERT INTO audit_log (plan_id, at, actor_id, actor_name, actor_organisation, actor_role, action, target_type, target_id, summary, details)
     VALUES ('p2', '2026-05-02T10:30:00.000Z', ${COORDINATOR}, 'action.updated', 'action', 'action-a1', 'Another plan''s action', '{"actionId":"action-a1"}');`,
].join('\n');

const both = sameRowsOnBothEngines(AUDIT_ROWS);
const onBoth = both.onBoth;

const page = async (filters: Record<string, string>) => {
  const { total, items } = await onBoth((engine) => queryAudit(engine, 'p1', AuditQuerySchema.parse(filters)));
  return { total, ids: items.map((e) => e.id) };
};
const ids = (entries: AuditEntry[]) => entries.map((e) => e.id);

describe('the audit log read on SQLite and PostgreSQL', () => {
  it('pages the plan’s entries newest first, with every column as written', async () => {
    expect(await page({})).toEqual({ total: 12, ids: [12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1] });
    expect(await page({ limit: '3', offset: '2' })).toEqual({ total: 12, ids: [10, 9, 8] });
    const { items } = await onBoth((engine) => queryAudit(engine, 'p1', AuditQuerySchema.parse({ limit: '1', offset: '7' })));
    expect(items).toEqual([
      {
        id: 5,
        at: '2026-05-03T23:30:00.000Z',
        actorId: 'person-u2',
        actorName: 'Алесь',
        actorOrganisation: 'Праваабарончы цэнтр «Вясна»',
        actorRole: 'drafter',
        action: 'link.added',
        targetType: 'action',
        targetId: 'action-a1',
        summary: "Алесь linked recommendation 139.1 to O'Brien's action",
        details: { recommendationId: 'recommend-1', actionId: 'action-a1' },
      },
    ]);
  });

  it('filters by action, actor, organisation and time (a bare `to` date includes its whole day)', async () => {
    expect(await page({ action: 'indicator.created' })).toEqual({ total: 2, ids: [4, 3] });
    expect(await page({ actorId: 'person-u2' })).toEqual({ total: 4, ids: [6, 5, 4, 3] });
    expect(await page({ organisation: 'Праваабарончы цэнтр «Вясна»' })).toEqual({ total: 4, ids: [6, 5, 4, 3] });
    expect(await page({ from: '2026-05-02T11:00:00.000Z', to: '2026-05-03' })).toEqual({ total: 3, ids: [5, 4, 3] });
    expect(await page({ to: '2026-05-02T11:00:00.000Z' })).toEqual({ total: 3, ids: [3, 2, 1] });
    expect(await page({ from: '2026-05-04', action: 'recommendation_group.confirmed', actorId: 'person-u1' })).toEqual({ total: 2, ids: [8, 7] });
  });

  it('gathers an item’s entries: an action with its indicators and links, a recommendation with its links and groups', async () => {
    expect(await page({ targetType: 'action', targetId: 'action-a1' })).toEqual({ total: 3, ids: [5, 3, 2] });
    expect(await page({ targetType: 'recommendation', targetId: 'recommend-1' })).toEqual({ total: 3, ids: [9, 7, 5] });
    expect(await page({ targetType: 'recommendation', targetId: 'recommend-10' })).toEqual({ total: 2, ids: [8, 6] });
    expect(await page({ targetType: 'section', targetId: 'section-s1' })).toEqual({ total: 2, ids: [11, 10] });
    expect(await page({ targetType: 'indicator' })).toEqual({ total: 2, ids: [4, 3] });
    expect(await page({ targetId: 'action-a1' })).toEqual({ total: 2, ids: [5, 2] });
  });

  it('shows an item’s history without coordinators’ business, newest first and limited', async () => {
    expect(ids(await onBoth((engine) => itemHistory(engine, 'p1', 'action', 'action-a1', 200)))).toEqual([5, 3, 2]);
    expect(ids(await onBoth((engine) => itemHistory(engine, 'p1', 'recommendation', 'recommend-1', 2)))).toEqual([9, 7]);
    expect(ids(await onBoth((engine) => itemHistory(engine, 'p1', 'section', 'section-s1', 200)))).toEqual([10]);
    expect(ids(await onBoth((engine) => itemHistory(engine, 'p2', 'action', 'action-a1', 200)))).toEqual([13]);
  });

  it('lists every matching entry oldest first for the download', async () => {
    expect(ids(await onBoth((engine) => allAudit(engine, 'p1', {})))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    const group = await onBoth((engine) => allAudit(engine, 'p1', { targetType: 'recommendation', targetId: 'recommend-4' }));
    expect(group.map((e) => [e.id, e.details.memberIds])).toEqual([[7, ['recommend-4', 'recommend-1']]]);
    expect(ids(await onBoth((engine) => allAudit(engine, 'p1', { to: '2026-05-01' })))).toEqual([1]);
    const byAccord = await onBoth((engine) => allAudit(engine, 'p1', { action: 'section.status_changed' }));
    expect(byAccord).toEqual([expect.objectContaining({ actorId: null, actorName: 'Accord', actorRole: null, targetId: 'section-s1' })]);
  });
});
