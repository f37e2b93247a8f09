/**
 * Monitoring's notices: a submitted report reaches the coordinators and the monitoring body; an
 * assessment that disputes a report reaches the reporting organisation's people; reports due
 * within two weeks or overdue reach the people who may report, once per round, action and kind —
 * when a round opens, and at every start of the server.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ApiClient } from '../helpers/api.ts';
import { eventually, startTestServer, type TestServer } from '../helpers/server.ts';
import { monitoredPlan, ok, submitReport } from '../helpers/monitoringPlan.ts';
import { checkReportsDue } from '../../server/services/monitoring/notices.ts';
import { NotificationSchema, type Notification } from '../../shared/api/index.ts';
import { sql } from 'kysely';

let server: TestServer;
afterEach(async () => {
  await server.destroy();
});

const notices = async (client: ApiClient, kind?: Notification['kind']) =>
  ((await ok(client.get('/api/notifications'))) as unknown[]).map((n) => NotificationSchema.parse(n)).filter((n) => !kind || n.kind === kind);
/** The per-action reminders, not the one notice that announced the round's opening. */
const reminders = async (client: ApiClient, kind: Notification['kind']) => (await notices(client, kind)).filter((n) => n.link?.includes('&action='));
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

describe('monitoring notices', () => {
  it('a submitted report reaches the coordinators and the monitoring body, not its author', async () => {
    server = await startTestServer();
    const m = await monitoredPlan(server);
    await ok(m.olga.request('PUT', `${m.p}/monitoring-body`, { organisationId: m.helsinki.organisationId }));
    await submitReport(m, { status: 'in_progress' });
    for (const client of [m.olga, m.helsinki.client, m.helsinkiColleague.client]) {
      const [notice] = await notices(client, 'report_submitted');
      expect(notice).toMatchObject({ planId: m.planId, link: `/plans/${m.planId}/progress?round=${m.roundId}&action=${m.actionId}` });
      expect(notice!.summary).toBe(
        'Pavel Drafter (Ministry of Justice) submitted the progress report on the action “Train judges on the prohibition of torture” for the round “Mid-term 2028”.',
      );
    }
    expect(await notices(m.ministry.client, 'report_submitted')).toEqual([]);
    expect(await notices(m.viasna.client, 'report_submitted')).toEqual([]);
  });

  it('an assessment that disputes a report reaches the reporting organisation once; agreement and silence do not', async () => {
    server = await startTestServer();
    const m = await monitoredPlan(server);
    const assess = (targetType: string, targetId: string, rating: string, justification = 'Our court monitoring') =>
      ok(m.helsinki.client.request('PUT', `${m.p}/rounds/${m.roundId}/assessments`, { targetType, targetId, rating, justification }));

    // Nothing reported yet: there is nothing to dispute.
    await assess('action', m.actionId, 'not_implemented');
    expect(await notices(m.ministry.client, 'assessment_disputes')).toEqual([]);

    await submitReport(m, { status: 'in_progress' });
    await assess('action', m.actionId, 'partially_implemented');
    expect(await notices(m.ministry.client, 'assessment_disputes')).toEqual([]);

    await assess('action', m.actionId, 'not_implemented');
    const [notice] = await notices(m.ministry.client, 'assessment_disputes');
    expect(notice!.summary).toBe(
      'Helsinki Committee assessed the action “Train judges on the prohibition of torture” as not implemented in the round “Mid-term 2028”, which disputes the government\'s report (partially implemented).',
    );
    // Revising only the justification is no new dispute.
    await assess('action', m.actionId, 'not_implemented', 'More detail from our monitoring');
    expect(await notices(m.ministry.client, 'assessment_disputes')).toHaveLength(1);

    // The recommendation the action answers: disputed too, told to the same organisation.
    await assess('recommendation', m.recId, 'fully_implemented');
    const both = await notices(m.ministry.client, 'assessment_disputes');
    expect(both).toHaveLength(2);
    expect(both[0]!.summary).toContain('assessed recommendation UPR-S8-001 as fully implemented');
    // The assessor's own side hears nothing of it.
    expect(await notices(m.helsinki.client, 'assessment_disputes')).toEqual([]);
  });

  it('opening a round tells each person who may report once, with how many of their organisation\'s actions are due', async () => {
    server = await startTestServer();
    const m = await monitoredPlan(server);
    const opened = (await notices(m.ministry.client, 'report_due')).filter((n) => !n.link?.includes('&action='));
    expect(opened).toHaveLength(1);
    expect(opened[0]).toMatchObject({ planId: m.planId, link: `/plans/${m.planId}/progress?round=${m.roundId}` });
    expect(opened[0]!.summary).toBe(`Olga Coordinator opened the reporting round “Mid-term 2028”: reports on 1 of your organisation's actions are due 2099-01-31.`);
    // Not the civil society organisations, the observer, nor the coordinator who opened it.
    for (const client of [m.olga, m.helsinki.client, m.viasna.client, m.observer.client]) expect(await notices(client, 'report_due')).toEqual([]);
  });

  it('a person whose organisation answers for several actions hears of the round once, with their number', async () => {
    server = await startTestServer();
    const m = await monitoredPlan(server, { round: false });
    await ok(m.olga.post(`${m.p}/sections/${m.sectionId}/actions`, { title: 'Publish the prison inspection reports', leadAgencyId: m.ministry.organisationId }));
    const round = await ok(m.olga.post(`${m.p}/rounds`, { name: 'Final 2030', dueDate: '2099-06-30' }));
    const opened = (await notices(m.ministry.client, 'report_due')).filter((n) => n.link === `/plans/${m.planId}/progress?round=${round.id}`);
    expect(opened).toHaveLength(1);
    expect(opened[0]!.summary).toContain(`reports on 2 of your organisation's actions are due 2099-06-30.`);
  });

  it('reports due soon are announced when the round opens, once; overdue ones at the next start; none after submission', async () => {
    server = await startTestServer();
    const m = await monitoredPlan(server, { dueDate: day(7) });
    // The check runs once the round's opening is committed, beside the request that opened it.
    const [due] = await eventually(async () => {
      const found = await reminders(m.ministry.client, 'report_due');
      expect(found).not.toEqual([]);
      return found;
    });
    expect(due).toMatchObject({ link: `/plans/${m.planId}/progress?round=${m.roundId}&action=${m.actionId}` });
    expect(due!.summary).toBe(`The progress report on the action “Train judges on the prohibition of torture” for the round “Mid-term 2028” is due on ${day(7)}.`);
    // Only the people who may report it: not the coordinator of another organisation, not the NGOs or the observer.
    for (const client of [m.olga, m.helsinki.client, m.observer.client]) expect(await reminders(client, 'report_due')).toEqual([]);

    // Checking again (another round change, the hourly check) repeats nothing.
    await ok(m.olga.patch(`${m.p}/rounds/${m.roundId}`, { name: 'Mid-term 2028 (first)' }));
    expect((await checkReportsDue(server.sql)).size).toBe(0);
    expect(await reminders(m.ministry.client, 'report_due')).toHaveLength(1);

    // The due date passes while the server is down: the next start announces the overdue report.
    // Written just before the server stops (its only check until then is hourly), through its own
    // connection, which is gone once it is closed, whichever engine holds the data.
    const dataDir = server.dataDir;
    await server.sql.run(sql`UPDATE reporting_rounds SET due_date = ${day(-2)} WHERE id = ${m.roundId}`);
    await server.close();
    server = await startTestServer({ dataDir });
    // Pavel's session is stored: the same person, on the restarted server's address.
    const pavel = new ApiClient(server.url);
    pavel.cookie = m.ministry.client.cookie;
    const [overdue] = await eventually(async () => {
      const found = await notices(pavel, 'report_overdue');
      expect(found).not.toEqual([]);
      return found;
    });
    expect(overdue!.summary).toContain(`is overdue: it was due on ${day(-2)}.`);
    expect((await checkReportsDue(server.sql)).size).toBe(0);

    // Once submitted, nothing more is due for that action and round.
    await submitReport(m, { status: 'completed' }, pavel);
    await server.sql.run(sql`DELETE FROM notifications WHERE kind IN ('report_due', 'report_overdue')`);
    expect((await checkReportsDue(server.sql)).size).toBe(0);
  });
});
