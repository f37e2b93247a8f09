/**
 * Civil society's independent assessment belongs to its organisation. Members of a verified
 * civil-society organisation record it per round and item; another member of the same
 * organisation revises it; nobody outside it — another NGO, the ministry, the government's
 * coordinator, an observer — can change it, and a refused attempt changes nothing.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openPlanEvents } from '../helpers/events.ts';
import { eventually, startTestServer, type TestServer } from '../helpers/server.ts';
import { monitoredPlan, ok } from '../helpers/monitoringPlan.ts';
import { AssessmentSchema } from '../../shared/api/index.ts';
import { expectAuditWorded } from '../helpers/auditWords.ts';
import { sql } from 'kysely';
import { z } from 'zod';
import { col, rowShape } from '../../server/db/rows.ts';

let server: TestServer;
let m: Awaited<ReturnType<typeof monitoredPlan>>;

beforeEach(async () => {
  server = await startTestServer();
  m = await monitoredPlan(server);
});
afterEach(async () => {
  await server.destroy();
});

const url = () => `${m.p}/rounds/${m.roundId}/assessments`;
const body = (over: Record<string, unknown> = {}) => ({
  targetType: 'recommendation',
  targetId: m.recId,
  rating: 'not_implemented',
  justification: 'No judge has been trained according to our monitoring of the courts.',
  evidenceLinks: ['https://helsinki.example/report-2028'],
  ...over,
});
const rows = async () => JSON.stringify(await server.sql.rows(z.record(z.string(), z.unknown()), sql`SELECT * FROM assessments ORDER BY id`));
const auditCount = async () => (await server.sql.theRow(rowShape({ n: col.int }), sql`SELECT count(*) AS n FROM audit_log WHERE action = 'assessment.saved'`)).n;

describe('civil society assessments', () => {
  it('a member of a verified NGO records one, attributed to the organisation, audited and announced', async () => {
    const events = await openPlanEvents(server.url, m.observer.client, m.planId);
    const saved = AssessmentSchema.parse(await ok(m.helsinki.client.request('PUT', url(), body())));
    expect(saved).toMatchObject({
      roundId: m.roundId,
      targetType: 'recommendation',
      targetId: m.recId,
      organisation: { id: m.helsinki.organisationId, name: 'Helsinki Committee', side: 'civil_society' },
      rating: 'not_implemented',
      author: 'Nina Monitor',
      evidenceLinks: ['https://helsinki.example/report-2028'],
    });
    // Every member reads it, the observer included.
    const listed = await ok(m.observer.client.get(url()));
    expect(listed.map((a: unknown) => AssessmentSchema.parse(a))).toEqual([saved]);
    const [entry] = await server.sql.rows(rowShape({ summary: col.text, details: col.text }), sql`SELECT summary, details FROM audit_log WHERE action = 'assessment.saved'`);
    expect(entry!.summary).toContain('Nina Monitor (Helsinki Committee) recorded Helsinki Committee');
    expect(JSON.parse(entry!.details)).toMatchObject({ before: null, after: { rating: 'not_implemented' } });
    await eventually(() => expect(events.received).toContainEqual({ type: 'progress', roundId: m.roundId }));
    await events.close();
  });

  it('ACCEPTANCE: nobody outside the organisation can change it; its other member revises it', async () => {
    const original = AssessmentSchema.parse(await ok(m.helsinki.client.request('PUT', url(), body())));
    const before = await rows();
    const audits = await auditCount();

    // The government's coordinator, the ministry's drafter and the observer are refused outright.
    for (const [who, client] of [
      ['coordinator', m.olga],
      ['ministry drafter', m.ministry.client],
      ['observer', m.observer.client],
      ['unverified NGO', m.unverified.client],
    ] as const) {
      const res = await client.request('PUT', url(), body({ rating: 'fully_implemented', justification: `Overwritten by the ${who}` }));
      expect(res.status, `${who}: ${JSON.stringify(res.body)}`).toBe(403);
      expect(res.body.error.message.length).toBeGreaterThan(10);
    }
    expect(await rows()).toBe(before);
    expect(await auditCount()).toBe(audits);

    // Another verified NGO can only write its own assessment, beside the first: it never touches Helsinki's.
    const viasna = AssessmentSchema.parse(await ok(m.viasna.client.request('PUT', url(), body({ rating: 'fully_implemented', justification: 'Viasna thinks otherwise' }))));
    expect(viasna.organisation.name).toBe('Viasna');
    expect(viasna.id).not.toBe(original.id);
    const helsinkiRow = await server.sql.row(
      rowShape({ rating: col.text, justification: col.text, author: col.text }),
      sql`SELECT rating, justification, author_name AS author FROM assessments WHERE id = ${original.id}`,
    );
    expect(helsinkiRow).toEqual({ rating: 'not_implemented', justification: original.justification, author: 'Nina Monitor' });

    // Lev, of the same organisation, revises it: same record, new rating, before and after on the record.
    const revised = AssessmentSchema.parse(
      await ok(m.helsinkiColleague.client.request('PUT', url(), body({ rating: 'partially_implemented', justification: 'One training took place in May.' }))),
    );
    expect(revised).toMatchObject({ id: original.id, rating: 'partially_implemented', author: 'Lev Monitor' });
    const last = await server.sql.theRow(
      rowShape({ details: col.text }),
      sql`SELECT details FROM audit_log WHERE action = 'assessment.saved' AND target_id = ${original.id} ORDER BY id DESC LIMIT 1`,
    );
    expect(JSON.parse(last.details)).toMatchObject({
      before: { rating: 'not_implemented', justification: original.justification },
      after: { rating: 'partially_implemented', justification: 'One training took place in May.' },
      changed: ['rating', 'justification'],
    });
    // One per organisation, round and item: two assessments, not three.
    expect((await ok(m.olga.get(url()))).length).toBe(2);
  });

  it('assesses actions too, only items of the plan, only in open rounds, with clear refusals', async () => {
    expect((await m.helsinki.client.request('PUT', url(), body({ targetType: 'action', targetId: m.actionId }))).status).toBe(200);
    const before = await rows();
    const notOurs = await m.helsinki.client.request('PUT', url(), body({ targetType: 'action', targetId: m.recId }));
    expect(notOurs.status).toBe(400);
    expect(notOurs.body.error.message).toContain('no such action');
    const noReason = await m.helsinki.client.request('PUT', url(), body({ justification: '  ' }));
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.fields.justification).toBe('justification_required');
    const badRating = await m.helsinki.client.request('PUT', url(), body({ rating: 'mostly' }));
    expect(badRating.status).toBe(400);
    const badLink = await m.helsinki.client.request('PUT', url(), body({ evidenceLinks: ['javascript:alert(1)'] }));
    expect(badLink.status).toBe(400);
    expect((await m.helsinki.client.request('PUT', `${m.p}/rounds/AAAAAAAAAAAAAAAAAAAAAA/assessments`, body())).status).toBe(404);

    await ok(m.olga.patch(`${m.p}/rounds/${m.roundId}`, { state: 'closed' }));
    const closed = await m.helsinki.client.request('PUT', url(), body());
    expect(closed.status).toBe(409);
    expect(closed.body.error.code).toBe('round_closed');
    expect(await rows()).toBe(before);
  });
});

it('words every audit entry it wrote in the reader’s language', async () => {
  await expectAuditWorded(server);
});
