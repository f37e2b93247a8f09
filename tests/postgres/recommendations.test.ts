import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { col, rowShape } from '../../server/db/rows.ts';
import type { Sql } from '../../server/db/sql/Sql.ts';
import { queryRecommendations } from '../../server/services/recommendationBrowse.ts';
import {
  confirmGroup,
  dismissGroup,
  getGroup,
  groupOfRecommendation,
  listGroups,
  proposeGroups,
  splitGroup,
} from '../../server/services/recommendationGroups/store.ts';
import {
  agreedSectionsCiting,
  allRecommendations,
  createRecommendation,
  deleteRecommendation,
  findBySourceKey,
  findRecommendation,
  getRecommendation,
  idForReference,
  storedFields,
  updateRecommendation,
} from '../../server/services/recommendations.ts';
import { RecommendationGroupQuerySchema, RecommendationQuerySchema, type RecommendationInput } from '../../shared/api/index.ts';
import { actingAs, fakeDateForTheFile, namedIds, outcome as stepOutcome, recommendationRow, sameRowsOnBothEngines, scenarioClock, testPerson } from '../helpers/postgres.ts';
import { sampleRecommendation } from '../helpers/recommendations.ts';

/**
 * A plan's recommendations entered, changed and deleted by hand, and its groups proposed, confirmed,
 * split and dismissed, the same way on SQLite and PostgreSQL. Each engine's answers, refusals and
 * the rows it wrote (recommendations with their tags and SDG goals, links, groups, dismissals,
 * audit entries) must be the same. Where the engines could part: camelCase aliases, the tags and
 * SDG goals a new row gets from its service (json_each against jsonb), RETURNING seq, ON CONFLICT
 * where SQLite said INSERT OR IGNORE / OR REPLACE, a boolean in ORDER BY, NULLs in order, ties.
 */

const AT = '2026-05-04T10:00:00.000Z';

const ROWS = [
  `INSERT INTO organisations (id, name, side, color, created_at) VALUES ('org-justice', 'Ministry of Justice', 'government', '#123456', '${AT}'),
     ('org-viasna', 'Вясна', 'civil_society', '#222222', '${AT}');`,
  `INSERT INTO users (id, email, name, password_hash, organisation_id, created_at) VALUES
     ('u-olga', 'olga@example.org', 'Olga', 'x', 'org-justice', '${AT}'), ('u-ales', 'ales@example.org', 'Алесь', 'x', 'org-viasna', '${AT}');`,
  `INSERT INTO plans (id, title, country, period_start, period_end, created_by, created_at)
     VALUES ('p1', 'National Human Rights Plan', 'BY', 2026, 2030, 'u-olga', '${AT}');`,
  `INSERT INTO plan_members (plan_id, user_id, role, joined_at) VALUES ('p1', 'u-olga', 'coordinator', '${AT}'), ('p1', 'u-ales', 'drafter', '${AT}');`,
  `INSERT INTO chapters (id, plan_id, title, position) VALUES ('c1', 'p1', 'Justice', 0), ('c2', 'p1', 'Life', 1);`,
  `INSERT INTO sections (id, plan_id, chapter_id, title, position) VALUES ('s1', 'p1', 'c1', 'Fair trial', 0), ('s2', 'p1', 'c2', 'Death penalty', 0);`,
  `INSERT INTO sections (id, plan_id, chapter_id, title, position, status, agreed_at) VALUES ('s-agreed', 'p1', 'c1', 'Prisons', 1, 'agreed', '${AT}');`,
  `INSERT INTO sections (id, plan_id, chapter_id, title, position, deleted_at) VALUES ('s-bin', 'p1', 'c1', 'In the bin', 2, '${AT}');`,
  `INSERT INTO actions (id, plan_id, section_id, position, title, status, created_by, created_at, updated_at) VALUES
     ('a-trial', 'p1', 's1', 0, 'Open court hearings', 'planned', 'u-olga', '${AT}', '${AT}'),
     ('a-life', 'p1', 's2', 0, 'A moratorium bill', 'planned', 'u-olga', '${AT}', '${AT}'),
     ('a-prison', 'p1', 's-agreed', 0, 'Inspect prisons', 'planned', 'u-olga', '${AT}', '${AT}'),
     ('a-bin', 'p1', 's-bin', 0, 'Binned', 'planned', 'u-olga', '${AT}', '${AT}');`,
  recommendationRow('rec-fair', '97.1', 'Ensure fair and public trials', 'en'),
  recommendationRow('rec-cited', '97.2', 'Inspect places of detention independently', 'en'),
  recommendationRow('rec-linked', '97.3', 'Guarantee access to a lawyer from the moment of arrest', 'en'),
  recommendationRow('rec-m1', '98.1', 'Declare a moratorium on executions with a view to abolishing the death penalty', 'en'),
  recommendationRow('rec-m2', '98.2', 'The State party should declare an official moratorium on executions with a view to abolishing the death penalty', 'en'),
  recommendationRow('rec-m3', '98.3', 'Establish a moratorium on executions with a view to abolishing the death penalty', 'en'),
  recommendationRow('rec-crpd1', '98.4', 'Ratify the Convention on the Rights of Persons with Disabilities', 'en'),
  recommendationRow('rec-crpd2', '98.5', 'Ratify the Convention on the Rights of Persons with Disabilities', 'en'),
  recommendationRow('rec-commute', '98.6', 'Commute all death sentences to terms of imprisonment', 'en'),
  // References Accord assigned before: the next one with this stem is UPR-S8-004.
  recommendationRow('rec-s8-1', 'UPR-S8-001', 'Strengthen the independence of the judiciary', 'en'),
  recommendationRow('rec-s8-3', 'UPR-S8-003', 'Protect journalists from harassment', 'en'),
  // A row of an import still being written: hidden from readers, but its key and reference are taken.
  `INSERT INTO imports (id, plan_id, format, filename, created_by, created_at, state) VALUES ('imp-busy', 'p1', 'accord-json', 'busy.json', 'u-olga', '${AT}', 'committing');`,
  recommendationRow('rec-hidden', '99.1', 'Hidden until its import is written', 'en'),
  `UPDATE recommendations SET import_id = 'imp-busy' WHERE id = 'rec-hidden';`,
  `INSERT INTO recommendation_group_dismissals (plan_id, members, dismissed_by, dismissed_at) VALUES ('p1', 'rec-m1 rec-m2', 'u-olga', '${AT}');`,
  `INSERT INTO action_recommendations (action_id, recommendation_id) VALUES
     ('a-trial', 'rec-linked'), ('a-life', 'rec-linked'), ('a-bin', 'rec-linked'), ('a-prison', 'rec-cited'), ('a-life', 'rec-m1');`,
].join('\n');

const both = sameRowsOnBothEngines(ROWS, { foreignKeys: true });
/** What a refused step answered: its status and code, and its message people read. */
const outcome = <T,>(step: () => Promise<T>) => stepOutcome(step, ['message']);

const person = (userId: string, name: string, organisationId: string, organisationName: string) =>
  testPerson(userId, name, organisationId, organisationName, organisationId === 'org-justice' ? 'government' : 'civil_society');
const as = actingAs;
const olga = as(person('u-olga', 'Olga', 'org-justice', 'Ministry of Justice'), 'coordinator');
const ales = as(person('u-ales', 'Алесь', 'org-viasna', 'Вясна'), 'drafter');

const { tick, restart } = scenarioClock();

/** A recommendation as a person enters it: no source key, so it gets a `manual:` one. */
const byHand = (n: number, overrides: Partial<RecommendationInput> = {}) => {
  const { sourceKey: _, ...input } = sampleRecommendation(n, overrides);
  return input;
};
const groups = (q: Sql, status?: 'proposed' | 'confirmed') => listGroups(q, 'p1', RecommendationGroupQuerySchema.parse(status ? { status } : {}));
const membersOf = (g: { members: Array<{ id: string }> }) => g.members.map((m) => m.id);
/** The references each filter of the registry finds. */
async function filtered(q: Sql, filters: Array<Record<string, unknown>>): Promise<string[][]> {
  const found: string[][] = [];
  for (const filter of filters) found.push((await queryRecommendations(q, 'p1', RecommendationQuerySchema.parse({ sort: 'reference', ...filter }))).items.map((r) => r.reference));
  return found;
}

/** The same steps on one engine; everything they answered, in order. */
async function scenario(q: Sql) {
  restart();
  const answers: Record<string, unknown> = {};

  tick();
  const entered = await createRecommendation(
    q,
    'p1',
    byHand(1, {
      text: 'Guarantee the right to peaceful assembly',
      themes: ['Death penalty', 'Right to life'],
      recommendingStates: ['Norway', 'France'],
      affectedPersons: ['Persons deprived of their liberty'],
      sdgTargets: ['16.3 Promote the rule of law', '5.a', '99'],
    }),
    ales,
  );
  answers.entered = entered;
  tick();
  answers.indexedAtOnce = await filtered(q, [{ theme: 'Right to life' }, { sdg: '5' }, { state: 'Norway' }, { q: 'assembly' }]);
  tick();
  const next = await createRecommendation(q, 'p1', byHand(2, { text: 'Publish the statistics of the courts', themes: ['Detention'] }), olga);
  answers.next = next.reference;
  tick();
  answers.byCycle = (await createRecommendation(q, 'p1', { ...byHand(3, { text: 'Train the police in the use of force', session: null, cycle: 2, mechanism: 'CAT' }), sourceKey: 'cat:2:3' }, olga)).reference;
  answers.refusedCreate = [
    await outcome(() => createRecommendation(q, 'p1', byHand(4, { reference: '97.1' }), olga)),
    await outcome(() => createRecommendation(q, 'p1', byHand(4, { reference: '99.1' }), olga)),
    await outcome(() => createRecommendation(q, 'p1', { ...byHand(4), sourceKey: 'upr:99.1' }, olga)),
    await outcome(() => createRecommendation(q, 'p1', { ...byHand(4), sourceKey: 'cat:2:3' }, olga)),
  ];

  tick();
  answers.updated = await updateRecommendation(q, 'p1', entered.id, { notes: 'Discussed on 3 March', themes: ['Death penalty'], sdgTargets: ['16.1'] }, olga);
  tick();
  answers.renamed = (await updateRecommendation(q, 'p1', next.id, { reference: 'BLR-97.10' }, ales)).reference;
  answers.unchanged = await updateRecommendation(q, 'p1', next.id, { reference: 'BLR-97.10', notes: null }, ales);
  answers.refusedUpdate = [
    await outcome(() => updateRecommendation(q, 'p1', next.id, { reference: '97.1' }, olga)),
    await outcome(() => updateRecommendation(q, 'p1', next.id, { reference: '99.1' }, olga)),
    await outcome(() => updateRecommendation(q, 'p1', 'rec-cited', { reference: '97.2bis' }, olga)),
    await outcome(() => updateRecommendation(q, 'p1', 'rec-hidden', { notes: 'Not yet' }, olga)),
    await outcome(() => updateRecommendation(q, 'p1', 'rec-none', { notes: 'Nobody' }, olga)),
  ];
  tick();
  // An agreed section cites 97.2 by its reference only: its other fields may change.
  answers.citedNotes = (await updateRecommendation(q, 'p1', 'rec-cited', { notes: 'Visited in May', position: 'noted' }, olga)).notes;

  answers.linked = await getRecommendation(q, 'p1', 'rec-linked');
  answers.hidden = await outcome(() => getRecommendation(q, 'p1', 'rec-hidden'));
  answers.citing = await agreedSectionsCiting(q, ['rec-cited', 'rec-linked', 'rec-fair']);
  answers.found = {
    bySourceKey: (await findBySourceKey(q, 'p1', 'upr:99.1'))?.id,
    reference: await idForReference(q, 'p1', 'BLR-97.10'),
    hidden: await findRecommendation(q, 'p1', 'rec-hidden'),
  };

  answers.deleteCited = await outcome(() => deleteRecommendation(q, 'p1', 'rec-cited', olga));
  tick();
  answers.deleted = await deleteRecommendation(q, 'p1', 'rec-linked', olga);
  answers.deletedTwice = await outcome(() => deleteRecommendation(q, 'p1', 'rec-linked', olga));
  tick();
  answers.deletedEntered = await deleteRecommendation(q, 'p1', next.id, ales);

  answers.exported = (await allRecommendations(q, 'p1')).map(storedFields);
  answers.filters = await filtered(q, [
    { theme: 'Death penalty' },
    { theme: 'Right to life' },
    { state: 'Norway' },
    { affected: 'Persons deprived of their liberty' },
    { sdg: '16' },
    { sdg: '5' },
    { q: 'assembly' },
  ]);

  // Groups.
  answers.noGroups = await groups(q);
  tick();
  answers.proposed = await proposeGroups(q, 'p1', ales);
  const open = (await groups(q, 'proposed')).items;
  answers.proposals = open;
  const moratorium = open.find((g) => membersOf(g).includes('rec-m1'))!;
  const crpd = open.find((g) => membersOf(g).includes('rec-crpd1'))!;
  tick();
  answers.confirmed = await confirmGroup(q, 'p1', moratorium.id, ales);
  tick();
  answers.confirmedTwice = await confirmGroup(q, 'p1', moratorium.id, olga);
  answers.groupOf = await groupOfRecommendation(q, 'p1', 'rec-m2');
  answers.groupOfNone = await groupOfRecommendation(q, 'p1', 'rec-fair');
  answers.groupOfUnknown = await outcome(() => groupOfRecommendation(q, 'p1', 'rec-none'));
  answers.badSplit = await outcome(() => splitGroup(q, 'p1', moratorium.id, olga, [['rec-m1', 'rec-m1']]));
  answers.outsideSplit = await outcome(() => splitGroup(q, 'p1', moratorium.id, olga, [['rec-m1', 'rec-fair']]));
  tick();
  answers.split = await splitGroup(q, 'p1', moratorium.id, olga, [['rec-m1', 'rec-m2'], ['rec-m3']]);
  tick();
  answers.proposedAgain = await proposeGroups(q, 'p1', olga);
  const crpdAgain = (await groups(q, 'proposed')).items.find((g) => membersOf(g).includes('rec-crpd1'))!;
  answers.crpdGone = await outcome(() => getGroup(q, 'p1', crpd.id));
  tick();
  answers.lists = { all: await groups(q), confirmed: await groups(q, 'confirmed'), page: await listGroups(q, 'p1', RecommendationGroupQuerySchema.parse({ limit: 1, offset: 1 })) };
  tick();
  answers.splitApart = await splitGroup(q, 'p1', crpdAgain.id, ales, [['rec-crpd1'], ['rec-crpd2']]);
  tick();
  answers.proposedThird = await proposeGroups(q, 'p1', ales);
  const crpdThird = (await groups(q, 'proposed')).items[0]!;
  tick();
  answers.dismissed = await dismissGroup(q, 'p1', crpdThird.id, ales);
  answers.dismissedTwice = await outcome(() => dismissGroup(q, 'p1', crpdThird.id, ales));
  tick();
  answers.afterDismissal = await proposeGroups(q, 'p1', ales);
  tick();
  // A set dismissed before (a seeded dismissal of 98.1 and 98.2): dismissed again, in Алесь's name now.
  answers.dismissedConfirmed = await dismissGroup(q, 'p1', moratorium.id, ales);
  answers.none = await groups(q);
  return answers;
}

const RecommendationTable = rowShape({
  id: col.text,
  source_key: col.text,
  reference: col.text,
  sort_key: col.text,
  mechanism: col.text,
  cycle: col.nullableInt,
  session: col.nullableText,
  recommending_states: col.text,
  text: col.text,
  position: col.text,
  themes: col.text,
  affected_persons: col.text,
  sdg_targets: col.text,
  notes: col.nullableText,
  import_id: col.nullableText,
  action_count: col.int,
  created_at: col.text,
  updated_at: col.text,
});
const TagTable = rowShape({ reference: col.text, kind: col.text, value: col.text });
const SdgTable = rowShape({ reference: col.text, target: col.text, goal: col.int });
const LinkTable = rowShape({ action_id: col.text, reference: col.text });
const GroupTable = rowShape({ id: col.text, status: col.text, score: col.num, proposed_by: col.text, proposed_at: col.text, confirmed_by: col.nullableText, confirmed_at: col.nullableText });
const MemberTable = rowShape({ group_id: col.text, reference: col.text });
const DismissalTable = rowShape({ members: col.text, dismissed_by: col.text, dismissed_at: col.text });
const NoticeTable = rowShape({ user_id: col.text, kind: col.text, summary: col.text });
const AuditTable = rowShape({ id: col.int, at: col.text, actor_id: col.nullableText, actor_role: col.nullableText, action: col.text, target_type: col.text, target_id: col.nullableText, summary: col.text, details: col.text });

/** The rows the steps wrote, in an order that does not depend on random ids. */
async function written(q: Sql) {
  const members = await q.rows(MemberTable, sql`SELECT m.group_id, r.reference FROM recommendation_group_members m JOIN recommendations r ON r.id = m.recommendation_id ORDER BY r.reference`);
  const groupRows = await q.rows(GroupTable, sql`SELECT id, status, score, proposed_by, proposed_at, confirmed_by, confirmed_at FROM recommendation_groups`);
  const withMembers = groupRows
    .map((g) => ({ ...g, members: members.filter((m) => m.group_id === g.id).map((m) => m.reference) }))
    .sort((a, b) => a.members.join().localeCompare(b.members.join()));
  return {
    recommendations: await q.rows(
      RecommendationTable,
      sql`SELECT id, source_key, reference, sort_key, mechanism, cycle, session, recommending_states, text, position, themes, affected_persons,
            sdg_targets, notes, import_id, action_count, created_at, updated_at FROM recommendations ORDER BY reference`,
    ),
    tags: await q.rows(TagTable, sql`SELECT r.reference, t.kind, t.value FROM recommendation_tags t JOIN recommendations r ON r.id = t.recommendation_id ORDER BY r.reference, t.kind, t.value`),
    sdgs: await q.rows(SdgTable, sql`SELECT r.reference, s.target, s.goal FROM recommendation_sdgs s JOIN recommendations r ON r.id = s.recommendation_id ORDER BY r.reference, s.target`),
    links: await q.rows(LinkTable, sql`SELECT l.action_id, r.reference FROM action_recommendations l JOIN recommendations r ON r.id = l.recommendation_id ORDER BY l.action_id, r.reference`),
    groups: withMembers,
    dismissals: await q.rows(DismissalTable, sql`SELECT members, dismissed_by, dismissed_at FROM recommendation_group_dismissals ORDER BY members`),
    notices: await q.rows(NoticeTable, sql`SELECT user_id, kind, summary FROM notifications ORDER BY created_at, user_id, kind, summary`),
    audit: await q.rows(AuditTable, sql`SELECT id, at, actor_id, actor_role, action, target_type, target_id, summary, details FROM audit_log ORDER BY id`),
  };
}

let answers: { sqlite: Awaited<ReturnType<typeof scenario>>; postgres: Awaited<ReturnType<typeof scenario>> };
let rows: { sqlite: Awaited<ReturnType<typeof written>>; postgres: Awaited<ReturnType<typeof written>> };

fakeDateForTheFile();

describe('recommendations and their groups on SQLite and PostgreSQL', () => {
  it('answer the same steps alike on both engines', async () => {
    answers = { sqlite: await scenario(both.sqlite), postgres: await scenario(both.postgres) };
    expect(namedIds(answers.postgres)).toEqual(namedIds(answers.sqlite));
  });

  it('write the same recommendations, tags, SDG goals, links, groups, dismissals and audit entries on both engines', async () => {
    rows = { sqlite: await written(both.sqlite), postgres: await written(both.postgres) };
    expect(rows.postgres.audit.length).toBeGreaterThan(12);
    expect(namedIds(rows.postgres)).toEqual(namedIds(rows.sqlite));
  });

  it('answer what the rules say', () => {
    const a = answers.postgres as Record<string, any>;
    expect(a.entered).toMatchObject({ reference: 'UPR-S8-004', sourceKey: expect.stringMatching(/^manual:/), themes: ['Death penalty', 'Right to life'] });
    expect(a.next).toBe('UPR-S8-005');
    expect(a.byCycle).toBe('CAT-C2-001');
    expect(a.refusedCreate.map((r: { code: string }) => r.code)).toEqual(['reference_taken', 'reference_taken', 'source_key_taken', 'source_key_taken']);
    expect(a.updated).toMatchObject({ notes: 'Discussed on 3 March', themes: ['Death penalty'], sdgTargets: ['16.1'] });
    expect(a.renamed).toBe('BLR-97.10');
    expect(a.refusedUpdate).toMatchObject([
      { refused: 409, code: 'reference_taken' },
      { refused: 409, code: 'reference_taken' },
      { refused: 409, code: 'section_agreed', message: expect.stringContaining('“Prisons” (cites 97.2)') },
      { refused: 404 },
      { refused: 404 },
    ]);
    expect(a.citedNotes).toBe('Visited in May');
    // In outline order; the action in the bin is left out.
    expect(a.linked.actions).toEqual([
      { id: 'a-trial', title: 'Open court hearings', sectionId: 's1', sectionTitle: 'Fair trial' },
      { id: 'a-life', title: 'A moratorium bill', sectionId: 's2', sectionTitle: 'Death penalty' },
    ]);
    expect(a.hidden).toMatchObject({ refused: 404 });
    expect(a.citing).toEqual([{ id: 's-agreed', title: 'Prisons', references: ['97.2'] }]);
    expect(a.found).toEqual({ bySourceKey: 'rec-hidden', reference: expect.any(String), hidden: null });
    expect(a.deleteCited).toMatchObject({ refused: 409, code: 'section_agreed' });
    expect(a.deleted).toEqual(['s-bin', 's1', 's2']);
    expect(a.deletedTwice).toMatchObject({ refused: 404 });
    // Tags and SDG goals written with the row, then rewritten by its change.
    expect(a.indexedAtOnce).toEqual([['UPR-S8-004'], ['UPR-S8-004'], ['UPR-S8-004'], ['UPR-S8-004']]);
    expect(a.filters).toEqual([['UPR-S8-004'], [], ['UPR-S8-004'], ['UPR-S8-004'], ['UPR-S8-004'], [], ['UPR-S8-004']]);
    expect(a.noGroups).toEqual({ total: 0, items: [] });
    expect(a.proposed.proposed).toBe(2);
    expect(a.proposals.map(membersOf)).toEqual([
      ['rec-crpd1', 'rec-crpd2'],
      ['rec-m1', 'rec-m2', 'rec-m3'],
    ]);
    expect(a.confirmed).toMatchObject({ status: 'confirmed', confirmed: { userId: 'u-ales', name: 'Алесь' } });
    expect(a.confirmedTwice).toEqual(a.confirmed);
    expect(a.groupOf.id).toBe(a.confirmed.id);
    expect(a.groupOfNone).toBeNull();
    expect(a.groupOfUnknown).toMatchObject({ refused: 404 });
    expect(a.badSplit).toMatchObject({ refused: 400, code: 'recommendation_group_parts_invalid' });
    expect(a.outsideSplit).toMatchObject({ refused: 400, code: 'recommendation_group_parts_invalid' });
    expect(a.split.map(membersOf)).toEqual([['rec-m1', 'rec-m2']]);
    // The confirmed group is kept; rec-m3, split off, has nothing left to be grouped with.
    expect(a.proposedAgain).toEqual({ proposed: 1, compared: a.proposed.compared - 2 });
    expect(a.crpdGone).toMatchObject({ refused: 404 });
    // Proposals first, surest first; then confirmed groups.
    expect(a.lists.all.items.map((g: { status: string; members: Array<{ id: string }> }) => [g.status, membersOf(g)])).toEqual([
      ['proposed', ['rec-crpd1', 'rec-crpd2']],
      ['confirmed', ['rec-m1', 'rec-m2']],
    ]);
    expect(a.lists.confirmed.total).toBe(1);
    expect(a.lists.page).toMatchObject({ total: 2, items: [{ status: 'confirmed' }] });
    expect(a.splitApart).toEqual([]);
    expect(a.proposedThird).toMatchObject({ proposed: 1 });
    expect(a.dismissedTwice).toMatchObject({ refused: 404 });
    expect(a.afterDismissal).toMatchObject({ proposed: 0 });
    expect(a.none).toEqual({ total: 0, items: [] });
  });

  it('leave on the record what was done, in each member’s name', () => {
    const r = rows.postgres;
    expect(r.audit.map((e) => e.action)).toEqual(
      expect.arrayContaining(['recommendation.created', 'recommendation.updated', 'recommendation.deleted', 'link.removed', 'recommendation_group.proposed',
        'recommendation_group.confirmed', 'recommendation_group.split', 'recommendation_group.dismissed']),
    );
    // The deletion of 97.3 unlinked it from all three actions, the one in the bin too.
    expect(r.audit.filter((e) => e.action === 'link.removed').map((e) => e.target_id)).toEqual(['a-bin', 'a-trial', 'a-life']);
    // Nothing changed, nothing recorded: one update of BLR-97.10 only (its rename).
    expect(r.audit.filter((e) => e.action === 'recommendation.updated').length).toBe(3);
    expect(r.tags.filter((t) => t.reference === 'UPR-S8-004')).toEqual([
      { reference: 'UPR-S8-004', kind: 'affected', value: 'Persons deprived of their liberty' },
      { reference: 'UPR-S8-004', kind: 'state', value: 'France' },
      { reference: 'UPR-S8-004', kind: 'state', value: 'Norway' },
      { reference: 'UPR-S8-004', kind: 'theme', value: 'Death penalty' },
    ]);
    expect(r.sdgs.filter((s) => s.reference === 'UPR-S8-004')).toEqual([{ reference: 'UPR-S8-004', target: '16.1', goal: 16 }]);
    expect(r.dismissals).toEqual([
      { members: 'rec-crpd1 rec-crpd2', dismissed_by: 'u-ales', dismissed_at: expect.not.stringMatching(AT) },
      { members: 'rec-m1 rec-m2', dismissed_by: 'u-ales', dismissed_at: expect.not.stringMatching(AT) },
    ]);
  });
});

describe('writes at once on PostgreSQL', () => {
  it('recommendations entered at once take different references: a plan’s writes take turns', async () => {
    const entered = await Promise.all(Array.from({ length: 6 }, (_, i) => createRecommendation(both.postgres, 'p1', byHand(100 + i, { session: '20' }), i % 2 ? olga : ales)));
    expect(entered.map((r) => r.reference).sort()).toEqual(['UPR-S20-001', 'UPR-S20-002', 'UPR-S20-003', 'UPR-S20-004', 'UPR-S20-005', 'UPR-S20-006']);
  });

  it('a recommendation deleted twice at once is deleted once, with one entry', async () => {
    const doomed = await createRecommendation(both.postgres, 'p1', byHand(200, { session: '21' }), olga);
    const results = await Promise.all([1, 2].map(() => outcome(() => deleteRecommendation(both.postgres, 'p1', doomed.id, olga))));
    expect(results).toEqual(expect.arrayContaining([[], expect.objectContaining({ refused: 404 })]));
    const entries = await both.postgres.rows(rowShape({ n: col.int }), sql`SELECT count(*) AS n FROM audit_log WHERE action = 'recommendation.deleted' AND target_id = ${doomed.id}`);
    expect(entries).toEqual([{ n: 1 }]);
  });

  it('a deletion waits for a link being made to the recommendation, and puts its removal on the record', async () => {
    const doomed = await createRecommendation(both.postgres, 'p1', byHand(300, { session: '22' }), olga);
    let linked!: (pid: number) => void;
    let release!: () => void;
    const linkMade = new Promise<number>((resolve) => (linked = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    // An action's link, committed only once the deletion has had to wait for it.
    const linking = both.postgres.transaction(async (tx) => {
      await tx.run(sql`INSERT INTO action_recommendations (action_id, recommendation_id) VALUES ('a-trial', ${doomed.id})`);
      linked((await tx.theRow(rowShape({ pid: col.int }), sql`SELECT pg_backend_pid() AS pid`)).pid);
      await released;
    });
    const pid = await linkMade;
    const deleting = deleteRecommendation(both.postgres, 'p1', doomed.id, olga);
    const Waiting = rowShape({ n: col.int });
    while ((await both.postgres.theRow(Waiting, sql`SELECT count(*) AS n FROM pg_stat_activity WHERE ${pid} = ANY(pg_blocking_pids(pid))`)).n === 0) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    release();
    await linking;
    expect(await deleting).toEqual(['s1']);
    const removed = await both.postgres.rows(Waiting, sql`SELECT count(*) AS n FROM audit_log WHERE action = 'link.removed' AND target_id = 'a-trial' AND details LIKE ${`%${doomed.id}%`}`);
    expect(removed).toEqual([{ n: 1 }]);
  });
});
