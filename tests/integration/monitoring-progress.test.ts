/**
 * Where the plan stands: the ministry reports an action in progress with an observed value, an NGO
 * assesses the same action and recommendation as not implemented, and both items show disputed;
 * counts by chapter, theme and mechanism; each indicator's baseline, values in force and target;
 * a correction replaces what it corrects; overdue actions and reports still due.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { monitoredPlan, ok, submitReport } from '../helpers/monitoringPlan.ts';
import { exportPlan } from '../helpers/exportPlan.ts';
import { endOfPeriod } from '../../server/services/monitoring/progress.ts';
import { numericValue } from '../../shared/indicators/numericValue.ts';
import { lastObservableDay } from '../../server/services/monitoring/reports.ts';
import { PlanProgressSchema, type PlanProgress } from '../../shared/api/index.ts';

let server: TestServer;

beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await server.destroy();
});

type Plan = Awaited<ReturnType<typeof monitoredPlan>>;
const progress = async (m: Plan, query = ''): Promise<PlanProgress> => PlanProgressSchema.parse(await ok(m.observer.client.get(`${m.p}/progress${query}`)));
const assess = (m: Plan, targetType: 'action' | 'recommendation', targetId: string, rating: string) =>
  ok(m.helsinki.client.request('PUT', `${m.p}/rounds/${m.roundId}/assessments`, { targetType, targetId, rating, justification: 'Our court monitoring' }));
const value = (m: Plan, v: number, date: string) => ({ indicatorId: m.indicatorId, value: v, date, source: 'Judicial academy' });

describe('the progress summary', () => {
  it('before any round: no round and empty lists', async () => {
    const m = await monitoredPlan(server, { round: false });
    const p = await progress(m);
    expect(p.round).toBeNull();
    expect(p.actions).toEqual([]);
    expect(p.indicators).toEqual([]);
    expect(p.recommendations).toEqual({ total: 0, inPlan: 2, implementedByGovernment: 0, implementedByCivilSociety: 0, disputed: 0 });
  });

  it('a report in progress and an assessment "not implemented" mark the action and its recommendation disputed', async () => {
    const m = await monitoredPlan(server);
    const fresh = await progress(m);
    expect(fresh.round?.id).toBe(m.roundId);
    expect(fresh.reportsDue).toEqual([{ actionId: m.actionId, title: 'Train judges on the prohibition of torture', dueDate: '2099-01-31' }]);
    expect(fresh.actions[0]).toMatchObject({ governmentRating: 'no_information', disputed: false, reportedStatus: null });
    expect(fresh.byChapter[0]!.actions).toEqual({ total: 1, notReported: 1, onTrack: 0, delayed: 0, done: 0, cancelled: 0 });

    // A draft counts for nothing yet.
    await ok(m.ministry.client.post(`${m.p}/rounds/${m.roundId}/actions/${m.actionId}/reports`, { status: 'completed' }));
    expect((await progress(m)).actions[0]!.reportedStatus).toBeNull();

    await submitReport(m, { status: 'in_progress', values: [value(m, 20, '2026-03-01')] });
    await assess(m, 'action', m.actionId, 'not_implemented');
    await assess(m, 'recommendation', m.recId, 'not_implemented');

    const p = await progress(m, `?roundId=${m.roundId}`);
    expect(p.actions).toHaveLength(1);
    expect(p.actions[0]).toMatchObject({ targetId: m.actionId, reportedStatus: 'in_progress', governmentRating: 'partially_implemented', disputed: true });
    expect(p.actions[0]!.assessments.map((a) => [a.organisation.name, a.rating])).toEqual([['Helsinki Committee', 'not_implemented']]);
    const rec = p.recommendationItems.find((r) => r.targetId === m.recId)!;
    expect(rec).toMatchObject({ governmentRating: 'partially_implemented', disputed: true });
    expect(rec.title).toBe('UPR-S8-001 Recommendation number 1 about torture and other cid treatment and reform');
    // The second recommendation has no action and no assessment: not among the items.
    expect(p.recommendationItems.map((r) => r.targetId)).toEqual([m.recId]);
    expect(p.recommendations).toEqual({ total: 1, inPlan: 2, implementedByGovernment: 0, implementedByCivilSociety: 0, disputed: 1 });

    const onTrack = { total: 1, notReported: 0, onTrack: 1, delayed: 0, done: 0, cancelled: 0 };
    expect(p.byChapter[0]!.actions).toEqual(onTrack);
    expect(p.byTheme).toEqual([{ theme: 'Torture and other CID treatment', actions: onTrack }]);
    expect(p.byMechanism).toEqual([{ mechanism: 'UPR', actions: onTrack }]);
    expect(p.reportsDue).toEqual([]);

    expect(p.indicators).toEqual([
      {
        indicatorId: m.indicatorId,
        actionId: m.actionId,
        description: 'Judges trained',
        unit: 'judges',
        measure: 'number',
        baseline: { value: 12, year: 2025 },
        target: { value: 40, year: 2030 },
        values: [{ roundId: m.roundId, date: '2026-03-01', value: 20 }],
      },
    ]);

    // Agreement clears the mark: the NGO revises its view to the government's.
    await assess(m, 'action', m.actionId, 'partially_implemented');
    expect((await progress(m)).actions[0]!.disputed).toBe(false);
  });

  it('a correction replaces the report it corrects; values of every round stay in the series, in date order', async () => {
    const m = await monitoredPlan(server);
    const first = await submitReport(m, { status: 'in_progress', values: [value(m, 20, '2026-03-01')] });
    await submitReport(m, { status: 'completed', corrects: first.id, values: [value(m, 25, '2026-03-01'), value(m, 18, '2025-12-31')] });
    const p = await progress(m);
    expect(p.actions[0]).toMatchObject({ reportedStatus: 'completed', governmentRating: 'fully_implemented' });
    expect(p.indicators[0]!.values.map((v) => [v.date, v.value])).toEqual([
      ['2025-12-31', 18],
      ['2026-03-01', 25],
    ]);
    expect(p.recommendations).toMatchObject({ total: 1, implementedByGovernment: 1 });

    // A later round: nothing reported in it yet, but the series still shows round one's values.
    const second = await ok(m.olga.post(`${m.p}/rounds`, { name: 'Final 2030', dueDate: '2099-12-31' }));
    const later = await progress(m);
    expect(later.round?.id).toBe(second.id);
    expect(later.actions[0]).toMatchObject({ reportedStatus: null, governmentRating: 'no_information' });
    expect(later.indicators[0]!.values).toHaveLength(2);
    expect(later.reportsDue.map((d) => d.dueDate)).toEqual(['2099-12-31']);
    // Round one is still there to read.
    expect((await progress(m, `?roundId=${m.roundId}`)).actions[0]!.reportedStatus).toBe('completed');
    expect((await m.observer.client.get(`${m.p}/progress?roundId=AAAAAAAAAAAAAAAAAAAAAA`)).status).toBe(404);
    expect((await m.observer.client.get(`${m.p}/progress?roundId=not%20an%20id`)).status).toBe(400);
  });

  it('refuses a value observed after today, naming the field, and keeps nothing of the report; today is accepted', async () => {
    const m = await monitoredPlan(server);
    const draft = await ok(m.ministry.client.post(`${m.p}/rounds/${m.roundId}/actions/${m.actionId}/reports`, { narrative: 'Two trainings held', status: 'in_progress' }));
    const future = await m.ministry.client.patch(`${m.p}/reports/${draft.id}`, { status: 'in_progress', values: [value(m, 20, '2062-03-01')] });
    expect(future.status).toBe(400);
    expect(future.body.error).toMatchObject({ fields: { 'values.0.date': 'observed_in_future' }, fieldParams: { 'values.0.date': { date: '2062-03-01' } } });
    const listed = await ok(m.ministry.client.get(`${m.p}/rounds/${m.roundId}/reports`));
    expect(listed.find((r: { id: string }) => r.id === draft.id).values).toEqual([]);
    // Today in UTC is today everywhere it is not yet tomorrow.
    const today = new Date().toISOString().slice(0, 10);
    const saved = await ok(m.ministry.client.patch(`${m.p}/reports/${draft.id}`, { status: 'in_progress', values: [value(m, 20, today)] }));
    expect(saved.values.map((v: { date: string }) => v.date)).toEqual([today]);
    expect(lastObservableDay(new Date('2026-12-06T09:59:59Z'))).toBe('2026-12-06');
    expect(lastObservableDay(new Date('2026-12-06T10:00:00Z'))).toBe('2026-12-07');
  });

  it('a yes/no indicator ("No" → "Yes") takes 1 or 0, charts them, and the matrix says "Yes"', async () => {
    const m = await monitoredPlan(server, {
      indicator: { type: 'structural', description: 'Optional Protocol ratified', unit: null, baselineValue: 'No', targetValue: 'Yes' },
    });
    const draft = await ok(m.ministry.client.post(`${m.p}/rounds/${m.roundId}/actions/${m.actionId}/reports`, { narrative: 'Bill tabled', status: 'in_progress' }));
    const wrong = await m.ministry.client.patch(`${m.p}/reports/${draft.id}`, { status: 'in_progress', values: [value(m, 5, '2026-03-01')] });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toMatchObject({ fields: { 'values.0.value': 'yes_no_value' } });
    expect(wrong.body.error.message).toContain('1 (yes) or 0 (no)');
    await ok(m.ministry.client.patch(`${m.p}/reports/${draft.id}`, { status: 'in_progress', values: [value(m, 1, '2026-03-01')] }));
    await ok(m.ministry.client.post(`${m.p}/reports/${draft.id}/submit`, {}));

    const series = (await progress(m)).indicators.find((i) => i.indicatorId === m.indicatorId)!;
    expect(series).toMatchObject({ measure: 'yes_no', baseline: { value: 0, year: 2025 }, target: { value: 1, year: 2030 } });
    expect(series.values.map((v) => v.value)).toEqual([1]);
    const matrix = (await exportPlan(server, m.olga, m.planId, 'matrix-csv')).bytes.toString('utf8');
    expect(matrix).toContain('Structural: Optional Protocol ratified; baseline No (2025); target Yes (2030); latest value Yes; observed on 2026-03-01 (Mid-term 2028)');
  });

  it('lists actions past their end that are not completed or cancelled', async () => {
    const m = await monitoredPlan(server, { actionEnd: '2020-Q2' });
    expect((await progress(m)).overdueActions).toEqual([{ actionId: m.actionId, title: 'Train judges on the prohibition of torture', end: '2020-Q2' }]);
    await submitReport(m, { status: 'delayed', reason: 'No trainers' });
    const delayed = await progress(m);
    expect(delayed.overdueActions).toHaveLength(1);
    expect(delayed.byChapter[0]!.actions.delayed).toBe(1);
    await submitReport(m, { status: 'cancelled', reason: 'Merged into another action' });
    const cancelled = await progress(m);
    expect(cancelled.overdueActions).toEqual([]);
    expect(cancelled.byChapter[0]!.actions.cancelled).toBe(1);
  });
});

describe('reading periods and numbers', () => {
  it('takes the end of a year, a quarter or a date', () => {
    expect(endOfPeriod('2027')).toBe('2027-12-31');
    expect(endOfPeriod('2027-Q1')).toBe('2027-03-31');
    expect(endOfPeriod('2027-Q3')).toBe('2027-09-30');
    expect(endOfPeriod('2027-05-31')).toBe('2027-05-31');
  });

  it('reads baselines and targets as numbers only when they are numbers', () => {
    expect(numericValue('42')).toBe(42);
    expect(numericValue(' 12.5 ')).toBe(12.5);
    expect(numericValue('35%')).toBe(35);
    expect(numericValue('1 200')).toBe(1200);
    expect(numericValue('1,200')).toBe(1200);
    expect(numericValue('1 200,5')).toBe(1200.5);
    expect(numericValue('12,5')).toBe(12.5);
    expect(numericValue('12,5 %')).toBe(12.5);
    expect(numericValue('1,200.5')).toBe(1200.5);
    expect(numericValue('-3')).toBe(-3);
    expect(numericValue('no law in force')).toBeNull();
    expect(numericValue('12 courts')).toBeNull();
    expect(numericValue('')).toBeNull();
    expect(numericValue(null)).toBeNull();
  });
});
