import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { col, rowShape } from '../../server/db/rows.ts';
import { stepsOn } from '../../server/db/sql/steps.ts';
import type { Sql } from '../../server/db/sql/Sql.ts';
import { recordSectionActionsReplaced } from '../../server/services/actionHistory.ts';
import {
  countActionsUnder,
  createAction,
  deleteAction,
  getAction,
  linkRecommendation,
  linkRecommendationGroup,
  listActions,
  listPlanActions,
  reorderAction,
  setActionRecommendations,
  unlinkRecommendation,
  updateAction,
} from '../../server/services/actions.ts';
import { fixedActionNumbers } from '../../server/services/actionNumbers.ts';
import { addIndicator, deleteIndicator, findIndicator, updateIndicator } from '../../server/services/indicators.ts';
import { restoringActions, snapshotSectionActions } from '../../server/services/versionActions.ts';
import { ActionInputSchema, IndicatorInputSchema, type Action } from '../../shared/api/index.ts';
import { actingAs, fakeDateForTheFile, namedIds, outcome as stepOutcome, recommendationRow, sameRowsOnBothEngines, scenarioClock, testPerson } from '../helpers/postgres.ts';

/**
 * Actions and indicators edited the same way on SQLite and PostgreSQL: created, changed, moved,
 * reordered, linked to recommendations and a confirmed group, refused, deleted with and without
 * a reason, and a section's actions restored from a snapshot. Each engine's answers and the rows it
 * wrote (actions, their organisations, links and indicators, notices to proposers, audit entries
 * with before/after) must be the same. Where the engines could part: camelCase aliases and `end`
 * (reserved in PostgreSQL), ON CONFLICT for a link made twice, IS NOT DISTINCT FROM in a restore,
 * ties of order without SQLite's rowid, count(*) read as a number.
 */

const AT = '2026-05-04T10:00:00.000Z';

const ROWS = [
  `INSERT INTO organisations (id, name, side, color, created_at) VALUES ('org-justice', 'Ministry of Justice', 'government', '#123456', '${AT}'),
     ('org-viasna', 'Вясна', 'civil_society', '#222222', '${AT}'), ('org-amnesty', 'Amnesty International', 'civil_society', '#333333', '${AT}'),
     ('org-health', 'Ministry of Health', 'government', '#444444', '${AT}'), ('org-elsewhere', 'Not in this plan', 'government', '#555555', '${AT}');`,
  `INSERT INTO users (id, email, name, password_hash, organisation_id, created_at) VALUES
     ('u-olga', 'olga@example.org', 'Olga', 'x', 'org-justice', '${AT}'),
     ('u-ales', 'ales@example.org', 'Алесь', 'x', 'org-viasna', '${AT}'),
     ('u-nasta', 'nasta@example.org', 'Наста', 'x', 'org-viasna', '${AT}'),
     ('u-mary', 'mary@example.org', 'Mary', 'x', 'org-amnesty', '${AT}');`,
  `INSERT INTO plans (id, title, country, period_start, period_end, created_by, created_at)
     VALUES ('p1', 'National Human Rights Plan', 'BY', 2026, 2030, 'u-olga', '${AT}');`,
  `INSERT INTO plan_members (plan_id, user_id, role, joined_at) VALUES ('p1', 'u-olga', 'coordinator', '${AT}'),
     ('p1', 'u-ales', 'drafter', '${AT}'), ('p1', 'u-nasta', 'commenter', '${AT}'), ('p1', 'u-mary', 'commenter', '${AT}');`,
  // The Ministry of Health has no member: it is available to actions because it was added to the plan.
  `INSERT INTO plan_organisations (plan_id, organisation_id, added_by, added_at) VALUES ('p1', 'org-health', 'u-olga', '${AT}');`,
  `INSERT INTO chapters (id, plan_id, title, position) VALUES ('c1', 'p1', 'Justice', 0), ('c2', 'p1', 'Health', 1);`,
  `INSERT INTO sections (id, plan_id, chapter_id, title, position) VALUES ('s1', 'p1', 'c1', 'Fair trial', 0), ('s2', 'p1', 'c2', 'Access to care', 0);`,
  `INSERT INTO sections (id, plan_id, chapter_id, title, position, deleted_at) VALUES ('s-bin', 'p1', 'c1', 'In the bin', 1, '${AT}');`,
  `INSERT INTO sections (id, plan_id, chapter_id, title, position, status, agreed_at) VALUES ('s-agreed', 'p1', 'c1', 'Agreed', 2, 'agreed', '${AT}');`,
  recommendationRow('rec-fair', '97.1', 'Ensure fair trials', 'en'),
  recommendationRow('rec-lawyer', '97.2', 'Guarantee access to a lawyer', 'en'),
  recommendationRow('rec-arrest', '97.3', 'Guarantee access to a lawyer from arrest', 'en'),
  `INSERT INTO recommendation_groups (id, plan_id, status, score, proposed_by, proposed_at, confirmed_by, confirmed_at)
     VALUES ('g-confirmed', 'p1', 'confirmed', 0.9, 'u-olga', '${AT}', 'u-olga', '${AT}'), ('g-proposed', 'p1', 'proposed', 0.8, 'u-olga', '${AT}', NULL, NULL);`,
  `INSERT INTO recommendation_group_members (group_id, recommendation_id) VALUES ('g-confirmed', 'rec-lawyer'), ('g-confirmed', 'rec-arrest');`,
].join('\n');

const both = sameRowsOnBothEngines(ROWS, { foreignKeys: true });
/** What a refused step answered: its status and code, and its fields. */
const outcome = <T,>(step: () => Promise<T>) => stepOutcome(step, ['fields']);

const person = (userId: string, name: string, organisationId: string, organisationName: string) =>
  testPerson(userId, name, organisationId, organisationName, organisationId === 'org-justice' ? 'government' : 'civil_society');
const as = actingAs;
const olga = as(person('u-olga', 'Olga', 'org-justice', 'Ministry of Justice'), 'coordinator');
const ales = as(person('u-ales', 'Алесь', 'org-viasna', 'Вясна'), 'drafter');

const { tick, restart } = scenarioClock();

const action = (fields: Record<string, unknown>) => ActionInputSchema.parse(fields);
const indicator = (fields: Record<string, unknown>) => IndicatorInputSchema.parse(fields);
const brief = (a: Action) => [a.title, a.sectionId, a.position, a.number, a.recommendationIds, a.indicators.map((i) => i.description)];

/** The same steps on one engine; everything they answered, in order. */
async function scenario(q: Sql) {
  restart();
  const answers: Record<string, unknown> = {};
  tick();
  const inspections = await createAction(
    q,
    'p1',
    's1',
    olga,
    action({
      title: 'Independent inspections',
      description: 'Visits without notice',
      leadAgencyId: 'org-justice',
      coImplementerIds: ['org-health'],
      civilSocietyPartnerIds: ['org-viasna', 'org-amnesty'],
      start: '2027',
      end: '2028-Q2',
      budgetAmount: 1500.5,
      currency: 'BYN',
      fundingSource: 'State budget',
      recommendationIds: ['rec-fair'],
    }),
  );
  answers.created = inspections;
  tick();
  const lawyers = await createAction(q, 'p1', 's1', ales, action({ title: 'Lawyers from the first hour', end: '2027-Q4' }));
  tick();
  // Olga records Amnesty's proposal from a meeting: Amnesty's member is told at once.
  const named = await createAction(q, 'p1', 's1', olga, action({ title: 'Publish every judgment', proposedByOrganisationId: 'org-amnesty' }));
  answers.refusedCreate = [
    await outcome(() => createAction(q, 'p1', 's1', olga, action({ title: 'Backwards', start: '2028', end: '2027-Q4' }))),
    await outcome(() => createAction(q, 'p1', 's1', olga, action({ title: 'Elsewhere', leadAgencyId: 'org-elsewhere' }))),
    await outcome(() => createAction(q, 'p1', 's1', olga, action({ title: 'Unknown', recommendationIds: ['rec-unknown'] }))),
    await outcome(() => createAction(q, 'p1', 's-bin', olga, action({ title: 'Binned' }))),
    await outcome(() => createAction(q, 'p1', 's-agreed', olga, action({ title: 'Agreed' }))),
  ];

  tick();
  // Olga changes Вясна's action: Вясна's members are told (Алесь and Наста).
  answers.updated = await updateAction(q, 'p1', lawyers.id, olga, { title: 'Lawyers from the first hour of detention', budgetAmount: 200, status: 'in_progress' });
  answers.reattribution = await outcome(() => updateAction(q, 'p1', lawyers.id, olga, { proposedByOrganisationId: 'org-justice' }));
  answers.refusedUpdate = await outcome(() => updateAction(q, 'p1', inspections.id, olga, { end: '2026-Q1' }));
  tick();
  // Moved to another chapter's section: its number changes with its place.
  answers.moved = await updateAction(q, 'p1', inspections.id, olga, { sectionId: 's2', position: 0 });
  answers.movedToAgreed = await outcome(() => updateAction(q, 'p1', inspections.id, olga, { sectionId: 's-agreed' }));
  tick();
  answers.reordered = await reorderAction(q, 'p1', 's1', named.id, olga, 0);
  answers.reorderedInPlace = (await reorderAction(q, 'p1', 's1', named.id, olga, 0)).moved;
  answers.reorderOutside = await outcome(() => reorderAction(q, 'p1', 's1', named.id, olga, 5));
  answers.reorderOtherSection = await outcome(() => reorderAction(q, 'p1', 's1', inspections.id, olga, 0));

  tick();
  const added = await addIndicator(q, 'p1', lawyers.id, olga, indicator({ type: 'process', description: 'Detainees who saw a lawyer', unit: '%', baselineYear: 2026, targetYear: 2029, disaggregation: ['sex', 'age'], proposedByOrganisationId: 'org-justice' }));
  answers.indicatorAdded = added;
  tick();
  const ours = await addIndicator(q, 'p1', lawyers.id, ales, indicator({ type: 'outcome', description: 'Complaints of ill-treatment', proposedByOrganisationId: 'org-viasna' }));
  answers.refusedIndicator = await outcome(() => addIndicator(q, 'p1', lawyers.id, olga, indicator({ type: 'outcome', description: 'Backwards', baselineYear: 2029, targetYear: 2026 })));
  tick();
  answers.indicatorUpdated = await updateIndicator(q, 'p1', ours.indicator.id, olga, { targetValue: '0', targetYear: 2030, unit: null });
  answers.indicatorFound = await findIndicator(q, 'p1', added.indicator.id);
  answers.indicatorNoReason = await outcome(() => deleteIndicator(q, 'p1', ours.indicator.id, olga));
  tick();
  answers.indicatorDeleted = await deleteIndicator(q, 'p1', ours.indicator.id, olga, '  Not measurable  ');

  tick();
  answers.linked = brief(await linkRecommendation(q, 'p1', named.id, olga, 'rec-lawyer'));
  answers.linkedTwice = brief(await linkRecommendation(q, 'p1', named.id, olga, 'rec-lawyer'));
  answers.linkUnknown = await outcome(() => linkRecommendation(q, 'p1', named.id, olga, 'rec-unknown'));
  tick();
  answers.unlinked = brief(await unlinkRecommendation(q, 'p1', named.id, olga, 'rec-lawyer'));
  tick();
  answers.set = brief(await setActionRecommendations(q, 'p1', lawyers.id, olga, ['rec-arrest', 'rec-fair']));
  tick();
  answers.group = brief(await linkRecommendationGroup(q, 'p1', named.id, olga, 'g-confirmed'));
  answers.groupProposed = await outcome(() => linkRecommendationGroup(q, 'p1', named.id, olga, 'g-proposed'));
  answers.groupUnknown = await outcome(() => linkRecommendationGroup(q, 'p1', named.id, olga, 'g-none'));

  // A snapshot of s1 now, to restore after the deletion below.
  const kept = await snapshotSectionActions(q, 'p1', 's1');
  answers.snapshot = kept;
  tick();
  answers.deleteNoReason = await outcome(() => deleteAction(q, 'p1', lawyers.id, olga));
  answers.deleted = await deleteAction(q, 'p1', lawyers.id, olga, 'Covered by the new code');
  answers.deletedTwice = await outcome(() => deleteAction(q, 'p1', lawyers.id, olga, 'Again'));
  tick();
  // The restore as versions.ts makes it: the actions back as kept, every change on the record.
  answers.restored = await q.transaction(async (tx) => {
    const before = await listActions(tx, 'p1', 's1', false);
    const restored = await stepsOn(tx, restoringActions('p1', 's1', kept, olga.principal.userId));
    await stepsOn(tx, recordSectionActionsReplaced('p1', olga, before, await listActions(tx, 'p1', 's1', false), 'restoring the version “Before the deletion”'));
    return restored;
  });

  answers.lists = {
    s1: await listActions(q, 'p1', 's1'),
    s2: (await listActions(q, 'p1', 's2')).map(brief),
    plan: (await listPlanActions(q, 'p1')).map(brief),
    bin: await outcome(() => listActions(q, 'p1', 's-bin')),
    otherPlan: await outcome(() => getAction(q, 'p2', inspections.id)),
    fixedNumbers: [...(await fixedActionNumbers(q, 'p1'))],
    under: [await countActionsUnder(q, { chapterId: 'c1' }), await countActionsUnder(q, { sectionId: 's2' })],
  };
  return answers;
}

const ActionTable = rowShape({
  id: col.text,
  section_id: col.text,
  position: col.int,
  title: col.text,
  description: col.text,
  lead_agency_id: col.nullableText,
  start_at: col.nullableText,
  end_at: col.nullableText,
  status: col.text,
  budget_amount: col.nullableNum,
  currency: col.nullableText,
  funding_source: col.nullableText,
  proposed_by_organisation_id: col.nullableText,
  created_by: col.text,
  created_at: col.text,
  updated_at: col.text,
});
const OrganisationTable = rowShape({ action_id: col.text, organisation_id: col.text, role: col.text, position: col.int });
const LinkTable = rowShape({ action_id: col.text, recommendation_id: col.text });
const IndicatorTable = rowShape({
  id: col.text,
  action_id: col.text,
  position: col.int,
  type: col.text,
  description: col.text,
  unit: col.nullableText,
  baseline_year: col.nullableInt,
  target_value: col.nullableText,
  target_year: col.nullableInt,
  disaggregation: col.text,
  proposed_by_organisation_id: col.nullableText,
  created_at: col.text,
  updated_at: col.text,
});
const NoticeTable = rowShape({ user_id: col.text, kind: col.text, summary: col.text, text: col.nullableText, link: col.nullableText, created_at: col.text });
const AuditTable = rowShape({ id: col.int, at: col.text, actor_id: col.nullableText, actor_role: col.nullableText, action: col.text, target_type: col.text, target_id: col.nullableText, summary: col.text, details: col.text });
const CountTable = rowShape({ id: col.text, action_count: col.int });

/** The rows the steps wrote, in an order that does not depend on random ids. */
async function written(q: Sql) {
  return {
    actions: await q.rows(ActionTable, sql`SELECT id, section_id, position, title, description, lead_agency_id, start_at, end_at, status, budget_amount, currency,
      funding_source, proposed_by_organisation_id, created_by, created_at, updated_at FROM actions ORDER BY created_at, title`),
    organisations: await q.rows(OrganisationTable, sql`SELECT o.action_id, o.organisation_id, o.role, o.position FROM action_organisations o JOIN actions a ON a.id = o.action_id
      ORDER BY a.created_at, o.role, o.position`),
    links: await q.rows(LinkTable, sql`SELECT l.action_id, l.recommendation_id FROM action_recommendations l JOIN actions a ON a.id = l.action_id ORDER BY a.created_at, l.recommendation_id`),
    indicators: await q.rows(IndicatorTable, sql`SELECT id, action_id, position, type, description, unit, baseline_year, target_value, target_year, disaggregation,
      proposed_by_organisation_id, created_at, updated_at FROM indicators ORDER BY created_at, description`),
    notices: await q.rows(NoticeTable, sql`SELECT user_id, kind, summary, text, link, created_at FROM notifications ORDER BY created_at, user_id, kind, summary`),
    audit: await q.rows(AuditTable, sql`SELECT id, at, actor_id, actor_role, action, target_type, target_id, summary, details FROM audit_log ORDER BY id`),
    actionCounts: await q.rows(CountTable, sql`SELECT id, action_count FROM recommendations ORDER BY id`),
  };
}

let answers: { sqlite: Awaited<ReturnType<typeof scenario>>; postgres: Awaited<ReturnType<typeof scenario>> };
let rows: { sqlite: Awaited<ReturnType<typeof written>>; postgres: Awaited<ReturnType<typeof written>> };

fakeDateForTheFile();

describe('actions and indicators on SQLite and PostgreSQL', () => {
  it('answer the same steps alike on both engines', async () => {
    answers = { sqlite: await scenario(both.sqlite), postgres: await scenario(both.postgres) };
    expect(namedIds(answers.postgres)).toEqual(namedIds(answers.sqlite));
  });

  it('write the same actions, links, indicators, notices and audit entries on both engines', async () => {
    rows = { sqlite: await written(both.sqlite), postgres: await written(both.postgres) };
    expect(rows.postgres.audit.length).toBeGreaterThan(20);
    expect(namedIds(rows.postgres)).toEqual(namedIds(rows.sqlite));
  });

  it('answer what the rules say', () => {
    const a = answers.postgres;
    expect(a.created).toMatchObject({
      title: 'Independent inspections',
      sectionId: 's1',
      position: 0,
      number: 1,
      start: '2027',
      end: '2028-Q2',
      budgetAmount: 1500.5,
      coImplementerIds: ['org-health'],
      civilSocietyPartnerIds: ['org-viasna', 'org-amnesty'],
      recommendationIds: ['rec-fair'],
      proposedByOrganisationId: 'org-justice',
    });
    expect(a.refusedCreate).toEqual([
      { refused: 400, code: 'invalid_request', fields: { end: { code: 'end_before_start' } } },
      { refused: 400, code: 'invalid_request', fields: { leadAgencyId: { code: 'not_in_plan' } } },
      { refused: 400, code: 'invalid_request', fields: { recommendationIds: { code: 'not_in_plan' } } },
      expect.objectContaining({ refused: 404, code: 'not_found' }),
      expect.objectContaining({ refused: 409, code: 'section_agreed' }),
    ]);
    expect(a.reattribution).toMatchObject({ refused: 403, code: 'proposal_not_yours' });
    expect(a.refusedUpdate).toMatchObject({ refused: 400, fields: { end: { code: 'end_before_start' } } });
    expect(a.moved).toMatchObject({ fromSectionId: 's1', action: { sectionId: 's2', position: 0, number: 3 } });
    expect(a.movedToAgreed).toMatchObject({ refused: 409, code: 'section_agreed' });
    expect(a.reordered).toMatchObject({ moved: true, actions: [{ title: 'Publish every judgment', position: 0 }, { title: 'Lawyers from the first hour of detention', position: 1 }] });
    expect(a.reorderedInPlace).toBe(false);
    expect(a.reorderOutside).toMatchObject({ refused: 400, fields: { position: { code: 'position_out_of_range', params: { max: 1 } } } });
    expect(a.reorderOtherSection).toMatchObject({ refused: 404 });
    expect(a.indicatorAdded).toMatchObject({ sectionId: 's1', indicator: { position: 0, disaggregation: ['sex', 'age'], baselineYear: 2026, targetYear: 2029 } });
    expect(a.refusedIndicator).toMatchObject({ refused: 400, fields: { targetYear: { code: 'target_before_baseline' } } });
    expect(a.indicatorNoReason).toMatchObject({ refused: 400, code: 'invalid_request', fields: { reason: { code: 'removal_reason_required' } } });
    expect(a.linked).toEqual(a.linkedTwice);
    expect(a.linkUnknown).toMatchObject({ refused: 404 });
    expect(a.set).toMatchObject([expect.anything(), 's1', 1, 2, ['rec-fair', 'rec-arrest'], ['Detainees who saw a lawyer']]);
    expect(a.group).toMatchObject([expect.anything(), 's1', 0, 1, ['rec-lawyer', 'rec-arrest'], []]);
    expect(a.groupProposed).toMatchObject({ refused: 409, code: 'recommendation_group_not_confirmed' });
    expect(a.groupUnknown).toMatchObject({ refused: 404 });
    expect(a.deleteNoReason).toMatchObject({ refused: 400, fields: { reason: { code: 'removal_reason_required' } } });
    expect(a.deleted).toEqual({ sectionId: 's1', hadLinks: true });
    expect(a.deletedTwice).toMatchObject({ refused: 404 });
    expect(a.restored).toMatchObject({ restored: true, changed: true, linksChanged: true, summary: { actionsAdded: 1, indicatorsAdded: 1 } });
    const lists = a.lists as { s1: Action[]; plan: unknown[]; bin: unknown; otherPlan: unknown; under: number[] };
    expect(lists.s1.map((x) => [x.title, x.position, x.recommendationIds, x.indicators.map((i) => i.description)])).toEqual([
      ['Publish every judgment', 0, ['rec-lawyer', 'rec-arrest'], []],
      ['Lawyers from the first hour of detention', 1, ['rec-fair', 'rec-arrest'], ['Detainees who saw a lawyer']],
    ]);
    expect(lists.plan).toHaveLength(3);
    expect(lists.bin).toMatchObject({ refused: 404 });
    expect(lists.otherPlan).toMatchObject({ refused: 404 });
    expect(lists.under).toEqual([2, 1]);
  });

  it('leave on the record who was told and what was done', () => {
    const r = rows.postgres;
    const actions = r.audit.map((e) => e.action);
    for (const kind of ['action.created', 'action.updated', 'action.moved', 'action.deleted', 'link.added', 'link.removed', 'indicator.created', 'indicator.updated', 'indicator.deleted']) {
      expect(actions).toContain(kind);
    }
    const deletedIndicator = r.audit.find((e) => e.action === 'indicator.deleted' && e.summary.includes('Complaints'))!;
    expect(JSON.parse(deletedIndicator.details)).toMatchObject({ reason: 'Not measurable', withdrawnByProposer: false, proposedByOrganisationName: 'Вясна', before: { description: 'Complaints of ill-treatment' }, after: null });
    const updated = r.audit.find((e) => e.action === 'action.updated')!;
    expect(JSON.parse(updated.details)).toMatchObject({ changed: ['title', 'status', 'budgetAmount'], before: { budgetAmount: null, status: 'planned' }, after: { budgetAmount: 200, status: 'in_progress' } });
    // Amnesty's member hears of the action put in Amnesty's name; Вясна's two members of every change to theirs.
    expect(r.notices.filter((n) => n.user_id === 'u-mary').map((n) => n.kind)).toContain('proposal_changed');
    expect(new Set(r.notices.filter((n) => n.kind === 'proposal_removed').map((n) => n.user_id))).toEqual(new Set(['u-ales', 'u-nasta']));
    expect(r.notices.some((n) => n.user_id === 'u-olga')).toBe(false);
    expect(r.actionCounts).toEqual([
      { id: 'rec-arrest', action_count: 2 },
      { id: 'rec-fair', action_count: 2 },
      { id: 'rec-lawyer', action_count: 1 },
    ]);
  });
});

describe('actions added at once on PostgreSQL', () => {
  it('take different places in their section: edits of one section take turns', async () => {
    const added = await Promise.all(
      Array.from({ length: 6 }, (_, i) => createAction(both.postgres, 'p1', 's2', i % 2 ? olga : ales, action({ title: `At once ${i}` }))),
    );
    const places = (await listActions(both.postgres, 'p1', 's2')).map((a) => a.position);
    expect(places).toEqual(places.map((_, i) => i));
    expect(new Set(added.map((a) => a.position)).size).toBe(added.length);
  });
});
