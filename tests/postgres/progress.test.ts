import { describe, expect, it } from 'vitest';
import {
  assessmentsInRound,
  latestObservedValues,
  latestReportsInRound,
  planProgress,
  recommendationRatings,
} from '../../server/services/monitoring/progress.ts';
import { PLAN_ROWS, recommendationRow, sameRowsOnBothEngines } from '../helpers/postgres.ts';

/**
 * Monitoring's reads (the progress page, the assessments of a round, what the exports and the
 * public record take from them) give the same answers on SQLite and PostgreSQL, and the right ones.
 * The same plan is inserted on both by plain SQL: two rounds, reports in force, a correction in
 * force and one still in draft, observed values, both sides' assessments, an action in the bin.
 * Where the engines could part: reading a recommendation's themes out of its JSON, the 0/1 and
 * NULL spellings, the order of ties without SQLite's rowid, and lower() on Cyrillic names.
 */

const AT = '2026-05-04T10:00:00.000Z';
const TODAY = '2027-05-31';

const report = (id: string, action: string, round: string, state: string, status: string, submittedAt: string | null, corrects: string | null = null) =>
  `INSERT INTO progress_reports (id, plan_id, action_id, round_id, state, status, corrects, author_name, author_organisation_id, created_at, updated_at, submitted_at)
     VALUES ('${id}', 'p1', '${action}', '${round}', '${state}', '${status}', ${corrects ? `'${corrects}'` : 'NULL'}, 'Reporter', 'o1', '${AT}', '${AT}',
             ${submittedAt ? `'${submittedAt}'` : 'NULL'});`;
const value = (id: string, reportId: string, indicator: string, v: number, on: string) =>
  `INSERT INTO observed_values (id, report_id, indicator_id, value, observed_on) VALUES ('${id}', '${reportId}', '${indicator}', ${v}, '${on}');`;
const assessment = (id: string, round: string, targetType: string, targetId: string, organisation: string, rating: string) =>
  `INSERT INTO assessments (id, plan_id, round_id, target_type, target_id, organisation_id, rating, justification, evidence_links, author_name, created_at, updated_at)
     VALUES ('${id}', 'p1', '${round}', '${targetType}', '${targetId}', '${organisation}', '${rating}', 'Seen on visits', '["https://example.org/${id}"]',
             'Assessor', '${AT}', '2027-05-0${id.slice(-1)}T09:00:00.000Z');`;
const action = (id: string, section: string, position: number, title: string, endAt: string | null) =>
  `INSERT INTO actions (id, plan_id, section_id, position, title, status, created_by, created_at, updated_at, end_at)
     VALUES ('${id}', 'p1', '${section}', ${position}, '${title}', 'planned', 'u1', '${AT}', '${AT}', ${endAt ? `'${endAt}'` : 'NULL'});`;
const indicator = (id: string, actionId: string, description: string, unit: string | null, baseline: string, target: string) =>
  `INSERT INTO indicators (id, action_id, position, type, description, unit, baseline_value, baseline_year, target_value, target_year, created_at, updated_at)
     VALUES ('${id}', '${actionId}', 0, 'outcome', '${description}', ${unit ? `'${unit}'` : 'NULL'}, '${baseline}', 2025, '${target}', 2030, '${AT}', '${AT}');`;

const PROGRESS_ROWS = [
  PLAN_ROWS,
  // Civil society: Вясна is verified for the plan as civil society (its own record says otherwise), Amnesty is not verified.
  `INSERT INTO organisations (id, name, side, color, created_at) VALUES ('o2', 'Вясна', 'independent', '#222222', '${AT}'),
     ('o3', 'Amnesty International', 'civil_society', '#333333', '${AT}');`,
  `INSERT INTO organisation_verifications (plan_id, organisation_id, side, verified_by, verified_at) VALUES ('p1', 'o2', 'civil_society', 'u1', '${AT}');`,
  // A second plan, without rounds.
  `INSERT INTO plans (id, title, country, period_start, period_end, created_by, created_at) VALUES ('p2', 'Another plan', 'BY', 2026, 2030, 'u1', '${AT}');`,
  `UPDATE actions SET title = 'Inspections of places of detention' WHERE id = 'a1';`,
  `INSERT INTO chapters (id, plan_id, title, position) VALUES ('c2', 'p1', 'Education', 1);`,
  `INSERT INTO sections (id, plan_id, chapter_id, title, position) VALUES ('s2', 'p1', 'c2', 'Human rights education', 0);`,
  `INSERT INTO sections (id, plan_id, chapter_id, title, position, deleted_at) VALUES ('s3', 'p1', 'c2', 'In the bin', 1, '${AT}');`,
  action('a2', 's1', 1, 'Training of judges', '2026-Q4'),
  action('a3', 's2', 0, 'Teaching human rights in schools', '2027-Q1'),
  action('a4', 's3', 0, 'An action in the bin', '2026'),
  recommendationRow('r1', '139.1', 'Prevent torture in detention', 'en', { themes: '["Torture","Detention"]' }),
  recommendationRow('r2', '139.2', 'Ratify OP-CAT', 'en', { themes: '["Detention"]' }),
  recommendationRow('r3', '139.3', 'Ввести курс прав человека в школах', 'ru'),
  recommendationRow('r4', '139.4', 'Nobody answers this one', 'en', { themes: '["Torture"]' }),
  `UPDATE recommendations SET mechanism = 'CAT' WHERE id = 'r2';`,
  `INSERT INTO action_recommendations (action_id, recommendation_id) VALUES ('a1', 'r1'), ('a1', 'r2'), ('a2', 'r2'), ('a4', 'r1');`,
  indicator('i1', 'a1', 'Inspections carried out', 'visits', '10', '40'),
  indicator('i2', 'a2', 'Training law adopted', null, 'No', 'Yes'),
  indicator('i3', 'a4', 'Of an action in the bin', null, '0', '1'),
  `INSERT INTO reporting_rounds (id, plan_id, name, due_date, state, created_by, created_at) VALUES
     ('round-01', 'p1', '2026 first half', '2026-07-01', 'closed', 'u1', '2026-05-01T00:00:00.000Z'),
     ('round-02', 'p1', '2027', '2027-06-30', 'open', 'u1', '2027-01-10T00:00:00.000Z');`,
  // Round 1: a1 under way, a3 completed.
  report('rep0', 'a1', 'round-01', 'submitted', 'in_progress', '2026-06-20T10:00:00.000Z'),
  report('rep6', 'a3', 'round-01', 'submitted', 'completed', '2026-06-21T10:00:00.000Z'),
  // Round 2: a1 under way; a2 said completed, then corrected to delayed (a later correction is still a draft); a3 only a draft.
  report('rep1', 'a1', 'round-02', 'submitted', 'in_progress', '2027-04-02T10:00:00.000Z'),
  report('rep2', 'a2', 'round-02', 'submitted', 'completed', '2027-04-03T10:00:00.000Z'),
  report('rep3', 'a2', 'round-02', 'submitted', 'delayed', '2027-04-10T10:00:00.000Z', 'rep2'),
  report('rep5', 'a2', 'round-02', 'draft', 'completed', null, 'rep3'),
  report('rep4', 'a3', 'round-02', 'draft', 'in_progress', null),
  value('v0', 'rep0', 'i1', 15, '2026-06-01'),
  value('v1', 'rep1', 'i1', 22, '2027-03-31'),
  value('v2', 'rep2', 'i2', 1, '2027-02-01'),
  value('v3', 'rep3', 'i2', 0, '2027-02-01'),
  value('v5', 'rep5', 'i2', 1, '2027-05-01'),
  value('v4', 'rep4', 'i1', 30, '2027-05-01'),
  assessment('as0', 'round-01', 'action', 'a1', 'o2', 'fully_implemented'),
  assessment('as1', 'round-02', 'action', 'a1', 'o2', 'not_implemented'),
  assessment('as2', 'round-02', 'recommendation', 'r1', 'o2', 'fully_implemented'),
  assessment('as3', 'round-02', 'recommendation', 'r1', 'o3', 'fully_implemented'),
  assessment('as4', 'round-02', 'recommendation', 'r3', 'o2', 'no_information'),
  assessment('as5', 'round-02', 'recommendation', 'r2', 'o3', 'partially_implemented'),
].join('\n');

const both = sameRowsOnBothEngines(PROGRESS_ROWS, { foreignKeys: true });
const onBoth = both.onBoth;

const organisation = {
  vyasna: { id: 'o2', name: 'Вясна', side: 'civil_society' },
  amnesty: { id: 'o3', name: 'Amnesty International', side: 'civil_society' },
};
const assessed = (id: string, targetType: string, targetId: string, org: keyof typeof organisation, rating: string) => ({
  id,
  roundId: 'round-02',
  targetType,
  targetId,
  organisation: organisation[org],
  rating,
  justification: 'Seen on visits',
  evidenceLinks: [`https://example.org/${id}`],
  author: 'Assessor',
  updatedAt: `2027-05-0${id.slice(-1)}T09:00:00.000Z`,
});
const counts = (c: Partial<Record<'notReported' | 'onTrack' | 'delayed' | 'done' | 'cancelled', number>>) => {
  const all = { notReported: 0, onTrack: 0, delayed: 0, done: 0, cancelled: 0, ...c };
  return { total: Object.values(all).reduce((a, b) => a + b, 0), ...all };
};

describe('monitoring progress on both engines', () => {
  it('the latest round: counts, both sides on each item, indicator series, overdue actions and reports due', async () => {
    const progress = await onBoth((sql) => planProgress(sql, 'p1', null, TODAY));
    expect(progress.round).toEqual({ id: 'round-02', name: '2027', dueDate: '2027-06-30', state: 'open', createdAt: '2027-01-10T00:00:00.000Z' });
    // a2 counts as delayed: its correction in force, not the report it corrects nor the draft correcting that.
    expect(progress.byChapter).toEqual([
      { id: 'c1', title: 'Justice', actions: counts({ onTrack: 1, delayed: 1 }) },
      { id: 'c2', title: 'Education', actions: counts({ notReported: 1 }) },
    ]);
    // a1 once under Detention though two of its recommendations name it; the action in the bin nowhere.
    expect(progress.byTheme).toEqual([
      { theme: 'Detention', actions: counts({ onTrack: 1, delayed: 1 }) },
      { theme: 'Torture', actions: counts({ onTrack: 1 }) },
    ]);
    expect(progress.byMechanism).toEqual([
      { mechanism: 'CAT', actions: counts({ onTrack: 1, delayed: 1 }) },
      { mechanism: 'UPR', actions: counts({ onTrack: 1 }) },
    ]);
    expect(progress.recommendations).toEqual({ total: 3, inPlan: 4, implementedByGovernment: 0, implementedByCivilSociety: 1, disputed: 1 });
    expect(progress.actions).toEqual([
      {
        targetType: 'action',
        targetId: 'a1',
        title: 'Inspections of places of detention',
        reportedStatus: 'in_progress',
        governmentRating: 'partially_implemented',
        assessments: [assessed('as1', 'action', 'a1', 'vyasna', 'not_implemented')],
        disputed: true,
      },
      { targetType: 'action', targetId: 'a2', title: 'Training of judges', reportedStatus: 'delayed', governmentRating: 'partially_implemented', assessments: [], disputed: false },
      { targetType: 'action', targetId: 'a3', title: 'Teaching human rights in schools', reportedStatus: null, governmentRating: 'no_information', assessments: [], disputed: false },
    ]);
    // Ordered by reference; within an item by organisation name ("Amnesty" before "Вясна" on both engines).
    expect(progress.recommendationItems).toEqual([
      {
        targetType: 'recommendation',
        targetId: 'r1',
        title: '139.1 Prevent torture in detention',
        reportedStatus: null,
        governmentRating: 'partially_implemented',
        assessments: [assessed('as3', 'recommendation', 'r1', 'amnesty', 'fully_implemented'), assessed('as2', 'recommendation', 'r1', 'vyasna', 'fully_implemented')],
        disputed: true,
      },
      {
        targetType: 'recommendation',
        targetId: 'r2',
        title: '139.2 Ratify OP-CAT',
        reportedStatus: null,
        governmentRating: 'partially_implemented',
        assessments: [assessed('as5', 'recommendation', 'r2', 'amnesty', 'partially_implemented')],
        disputed: false,
      },
      {
        targetType: 'recommendation',
        targetId: 'r3',
        title: '139.3 Ввести курс прав человека в школах',
        reportedStatus: null,
        governmentRating: 'no_information',
        assessments: [assessed('as4', 'recommendation', 'r3', 'vyasna', 'no_information')],
        disputed: false,
      },
    ]);
    // Values in force of every round, in date order; drafts and corrected reports left out.
    expect(progress.indicators).toEqual([
      {
        indicatorId: 'i1',
        actionId: 'a1',
        description: 'Inspections carried out',
        unit: 'visits',
        measure: 'number',
        baseline: { value: 10, year: 2025 },
        target: { value: 40, year: 2030 },
        values: [
          { roundId: 'round-01', date: '2026-06-01', value: 15 },
          { roundId: 'round-02', date: '2027-03-31', value: 22 },
        ],
      },
      {
        indicatorId: 'i2',
        actionId: 'a2',
        description: 'Training law adopted',
        unit: null,
        measure: 'yes_no',
        baseline: { value: 0, year: 2025 },
        target: { value: 1, year: 2030 },
        values: [{ roundId: 'round-02', date: '2027-02-01', value: 0 }],
      },
    ]);
    // a2 ended in 2026 and is delayed; a3 ended in 2027-Q1 but was completed in round 1.
    expect(progress.overdueActions).toEqual([{ actionId: 'a2', title: 'Training of judges', end: '2026-Q4' }]);
    expect(progress.reportsDue).toEqual([{ actionId: 'a3', title: 'Teaching human rights in schools', dueDate: '2027-06-30' }]);
  });

  it('an earlier round by its id, an unknown round, a plan without rounds', async () => {
    const first = await onBoth((sql) => planProgress(sql, 'p1', 'round-01', TODAY));
    expect(first.actions.map((a) => [a.targetId, a.reportedStatus, a.governmentRating, a.assessments.map((x) => x.rating)])).toEqual([
      ['a1', 'in_progress', 'partially_implemented', ['fully_implemented']],
      ['a2', null, 'no_information', []],
      ['a3', 'completed', 'fully_implemented', []],
    ]);
    expect(first.byChapter.map((c) => c.actions)).toEqual([counts({ onTrack: 1, notReported: 1 }), counts({ done: 1 })]);
    expect(first.reportsDue.map((r) => r.actionId)).toEqual(['a2']);

    for (const sql of [both.sqlite, both.postgres]) await expect(planProgress(sql, 'p1', 'no-such-round', TODAY)).rejects.toMatchObject({ status: 404 });

    const empty = await onBoth((sql) => planProgress(sql, 'p2', null, TODAY));
    expect(empty).toMatchObject({ round: null, actions: [], recommendations: { total: 0, inPlan: 0 } });
  });

  it('the reads the exports, the public record and the notices take', async () => {
    const latest = await onBoth(async (sql) => [...(await latestReportsInRound(sql, 'p1', 'round-02'))]);
    expect(latest).toEqual([
      ['a1', { reportId: 'rep1', status: 'in_progress', organisationId: 'o1' }],
      ['a2', { reportId: 'rep3', status: 'delayed', organisationId: 'o1' }],
    ]);
    expect(await onBoth(async (sql) => [...(await latestReportsInRound(sql, 'p1', 'round-02', 'a2'))])).toEqual([latest[1]]);

    const values = await onBoth(async (sql) => [...(await latestObservedValues(sql, 'p1'))]);
    expect(values).toEqual([
      ['i1', { value: 22, date: '2027-03-31', roundId: 'round-02', roundName: '2027' }],
      ['i2', { value: 0, date: '2027-02-01', roundId: 'round-02', roundName: '2027' }],
    ]);

    const ofR1 = await onBoth((sql) => assessmentsInRound(sql, 'p1', 'round-02', { targetType: 'recommendation', targetId: 'r1' }));
    expect(ofR1.map((a) => a.id)).toEqual(['as3', 'as2']);
    expect((await onBoth((sql) => assessmentsInRound(sql, 'p1', 'round-02'))).map((a) => a.id)).toEqual(['as1', 'as3', 'as2', 'as5', 'as4']);

    const reports = new Map(latest);
    const ratings = await onBoth(async (sql) => [...(await recommendationRatings(sql, 'p1', reports))].sort());
    expect(ratings).toEqual([
      ['r1', 'partially_implemented'],
      ['r2', 'partially_implemented'],
    ]);
    expect(await onBoth(async (sql) => [...(await recommendationRatings(sql, 'p1', reports, 'r2'))])).toEqual([['r2', 'partially_implemented']]);
  });
});
