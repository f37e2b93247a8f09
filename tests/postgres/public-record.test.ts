import { sql } from 'kysely';
import * as Y from 'yjs';
import { createHash } from 'node:crypto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import type { Sql } from '../../server/db/sql/Sql.ts';
import { loadPlanRecommendations } from '../../server/export/matrixRecommendations.ts';
import { buildPlanModel, type BuildOptions } from '../../server/export/model.ts';
import { HttpError } from '../../server/errors.ts';
import { principalOf } from '../../server/services/audit.ts';
import type { Actor } from '../../server/services/history.ts';
import { publicationSnapshot, publicRecordState, publishedBySlug, publishPlan, unpublishPlan } from '../../server/services/publicRecord/publications.ts';
import { buildSnapshot, type PublicSnapshot } from '../../server/services/publicRecord/snapshot.ts';
import { appendBlocks, DOC_SCHEMA_VERSION, sectionDocName } from '../../shared/doc/schema.ts';
import { PLAN_ROWS, recommendationRow, sameRowsOnBothEngines } from '../helpers/postgres.ts';

/**
 * The public record and the exports' plan model read the same on SQLite and PostgreSQL: the same
 * rows are inserted on both (an adopted plan with agreed sections, a section's stored document,
 * signatures with a reservation, dissent, civil society's proposals, two reporting rounds with a
 * correction and evidence, a saved whole-plan version), then the publication's snapshot (whose JSON
 * is hashed: it must be the same text), the model of every kind of export, publishing and
 * unpublishing are compared, with the rows and audit entries they write. Where the engines could
 * part: 0/1 read from a comparison, camelCase names, ties without SQLite's rowid, the ids of the
 * reports in force read from JSON, reading a document's log, probing the schema.
 */

const AT = '2026-05-04T10:00:00.000Z';

const report = (id: string, action: string, round: string, status: string, submittedAt: string, corrects: string | null = null) =>
  `INSERT INTO progress_reports (id, plan_id, action_id, round_id, state, status, narrative, spent_amount, currency, corrects, author_name, author_organisation_id,
       created_at, updated_at, submitted_at)
     VALUES ('${id}', 'p1', '${action}', '${round}', 'submitted', '${status}', 'Narrative of ${id}', 1500.5, 'EUR', ${corrects ? `'${corrects}'` : 'NULL'},
             'Reporter', 'o1', '${AT}', '${AT}', '${submittedAt}');`;

const ROWS = [
  PLAN_ROWS,
  `INSERT INTO organisations (id, name, side, color, created_at) VALUES ('o2', 'Вясна', 'civil_society', '#222222', '${AT}'),
     ('o3', 'Amnesty International', 'civil_society', '#333333', '${AT}'), ('o4', 'Ministry of Education', 'government', '#444444', '${AT}');`,
  `INSERT INTO users (id, email, name, password_hash, organisation_id, created_at) VALUES
     ('u2', 'ales@example.org', 'Алесь', 'x', 'o2', '${AT}'), ('u3', 'amnesty@example.org', 'Anna', 'x', 'o3', '${AT}');`,
  `INSERT INTO plan_members (plan_id, user_id, role, joined_at) VALUES ('p1', 'u1', 'coordinator', '${AT}'), ('p1', 'u2', 'commenter', '${AT}'),
     ('p1', 'u3', 'commenter', '${AT}');`,
  `INSERT INTO organisation_verifications (plan_id, organisation_id, side, verified_by, verified_at) VALUES ('p1', 'o2', 'civil_society', 'u1', '${AT}');`,
  `UPDATE plans SET stage = 'in_implementation' WHERE id = 'p1';`,
  `INSERT INTO plan_adoptions (plan_id, act_title, act_number, act_date, act_url, adopted_by, adopted_by_name, adopted_at, version_group_id, content_hash, left_out)
     VALUES ('p1', 'Decree on the plan', '12', '2026-06-01', 'https://example.gov/12', 'u1', 'Coordinator', '${AT}', 'g1', 'plan-hash',
             '[{"sectionId":"s3","title":"Left out","reason":"Not agreed in time"}]');`,
  `UPDATE sections SET status = 'agreed', agreed_at = '${AT}', agreed_hash = 'hash-s1' WHERE id = 's1';`,
  `INSERT INTO chapters (id, plan_id, title, position) VALUES ('c2', 'p1', 'Education', 1), ('c3', 'p1', 'In the bin', 2);`,
  `UPDATE chapters SET deleted_at = '${AT}' WHERE id = 'c3';`,
  // s2 and s3 tie on position: they go by id on both engines.
  `INSERT INTO sections (id, plan_id, chapter_id, title, position, status, agreed_at, agreed_hash) VALUES
     ('s2', 'p1', 'c2', 'Human rights education', 0, 'agreed', '${AT}', 'hash-s2'),
     ('s3', 'p1', 'c2', 'Left out', 0, 'agreed', '${AT}', 'hash-s3'),
     ('s4', 'p1', 'c3', 'In a chapter in the bin', 0, 'drafting', NULL, NULL);`,
  `UPDATE actions SET lead_agency_id = 'o1', start_at = '2026-Q1', end_at = '2027', budget_amount = 25000, currency = 'EUR', funding_source = 'State budget',
     proposed_by_organisation_id = 'o2' WHERE id = 'a1';`,
  `INSERT INTO actions (id, plan_id, section_id, position, title, status, lead_agency_id, created_by, created_at, updated_at) VALUES
     ('a2', 'p1', 's1', 1, 'Training of judges', 'planned', NULL, 'u1', '2026-05-05T10:00:00.000Z', '${AT}'),
     ('a3', 'p1', 's2', 0, 'Teaching human rights in schools', 'in_progress', 'o4', 'u1', '${AT}', '${AT}'),
     ('a4', 'p1', 's3', 0, 'An action left out', 'planned', 'o4', 'u1', '${AT}', '${AT}');`,
  `INSERT INTO action_organisations (action_id, organisation_id, role, position) VALUES ('a1', 'o4', 'co_implementer', 0), ('a1', 'o2', 'cso_partner', 0),
     ('a1', 'o3', 'cso_partner', 1);`,
  `INSERT INTO indicators (id, action_id, position, type, description, unit, baseline_value, baseline_year, target_value, target_year, disaggregation,
       proposed_by_organisation_id, created_at, updated_at) VALUES
     ('i1', 'a1', 0, 'outcome', 'Inspections carried out', 'visits', '10', 2025, '40', 2030, '["sex","region"]', NULL, '${AT}', '${AT}'),
     ('i2', 'a1', 1, 'process', 'Inspection law adopted', NULL, 'No', 2025, 'Yes', 2027, '[]', 'o3', '${AT}', '${AT}'),
     ('i3', 'a3', 0, 'outcome', 'Schools teaching the course', '%', '5', NULL, '80', 2030, '[]', NULL, '${AT}', '${AT}');`,
  recommendationRow('r1', '139.1', 'Prevent torture in detention', 'en', { themes: '["Torture","Detention"]', sdgTargets: '["16.3"]' }),
  recommendationRow('r2', '139.2', 'Ratify OP-CAT', 'en', { themes: '["Detention"]' }),
  recommendationRow('r3', '139.3', 'Ввести курс прав человека в школах', 'ru'),
  `UPDATE recommendations SET kind = 'pledge', recommending_states = '["Poland","Lithuania"]' WHERE id = 'r2';`,
  `INSERT INTO action_recommendations (action_id, recommendation_id) VALUES ('a1', 'r1'), ('a1', 'r2'), ('a3', 'r3');`,
  `UPDATE recommendations SET action_count = 1 WHERE id IN ('r1', 'r2', 'r3');`,
  // Signatures: Вясна (verified) signs with a reservation; Amnesty (not verified) signs; a withdrawn one does not count.
  `INSERT INTO section_signoffs (id, section_id, user_id, organisation_id, side, content_hash, signed_at, reservation, withdrawn_at) VALUES
     ('so1', 's1', 'u1', 'o1', 'government', 'hash-s1', '2026-05-10T10:00:00.000Z', NULL, NULL),
     ('so3', 's1', 'u2', 'o2', 'civil_society', 'hash-s1', '2026-05-11T10:00:00.000Z', 'Only if inspections are unannounced', NULL),
     ('so2', 's1', 'u3', 'o3', 'civil_society', 'hash-s1', '2026-05-11T10:00:00.000Z', 'Budget too small', NULL),
     ('so4', 's2', 'u2', 'o2', 'civil_society', 'hash-old', '2026-05-09T10:00:00.000Z', 'Withdrawn reservation', '2026-05-10T10:00:00.000Z');`,
  `INSERT INTO dissenting_positions (id, plan_id, section_id, action_id, action_title, organisation_id, user_id, text, created_at) VALUES
     ('dp2', 'p1', 's1', 'a1', 'Inspections (old title)', 'o3', 'u3', 'Inspections must include police cells', '2026-05-12T10:00:00.000Z'),
     ('dp1', 'p1', 's1', NULL, NULL, 'o2', 'u2', 'The section ignores pre-trial detention', '2026-05-12T10:00:00.000Z');`,
  // The history of a civil-society proposal another organisation rejected.
  `INSERT INTO audit_log (plan_id, at, actor_id, actor_name, actor_organisation, actor_role, action, target_type, target_id, summary, details) VALUES
     ('p1', '2026-05-06T10:00:00.000Z', 'u2', 'Алесь', 'Вясна', 'commenter', 'action.created', 'action', 'gone', 'created',
      '{"after":{"title":"Free legal aid"},"proposedBySide":"civil_society","proposedByOrganisationName":"Вясна","sectionId":"s2"}'),
     ('p1', '2026-05-07T10:00:00.000Z', 'u1', 'Coordinator', 'Ministry of Justice', 'coordinator', 'action.deleted', 'action', 'gone', 'deleted',
      '{"before":{"title":"Free legal aid"},"reason":"Out of scope","proposedBySide":"civil_society","proposedByOrganisationName":"Вясна","sectionId":"s2"}');`,
  `INSERT INTO reporting_rounds (id, plan_id, name, due_date, state, created_by, created_at) VALUES
     ('round-01', 'p1', '2026', '2026-12-31', 'closed', 'u1', '2026-06-01T00:00:00.000Z'),
     ('round-02', 'p1', '2027', '2027-06-30', 'open', 'u1', '2027-01-10T00:00:00.000Z');`,
  report('rep1', 'a1', 'round-01', 'in_progress', '2026-12-01T10:00:00.000Z'),
  report('rep2', 'a1', 'round-02', 'completed', '2027-04-03T10:00:00.000Z'),
  report('rep3', 'a1', 'round-02', 'delayed', '2027-04-10T10:00:00.000Z', 'rep2'),
  // Submitted in the same millisecond: they go by id.
  report('rep5', 'a3', 'round-02', 'in_progress', '2027-04-10T10:00:00.000Z'),
  `INSERT INTO observed_values (id, report_id, indicator_id, value, observed_on) VALUES ('v1', 'rep1', 'i1', 15, '2026-11-01'),
     ('v2', 'rep3', 'i1', 22, '2027-03-31'), ('v3', 'rep5', 'i3', 30, '2027-03-01');`,
  `INSERT INTO evidence (id, plan_id, report_id, kind, url, label, created_by, created_at) VALUES
     ('e1', 'p1', 'rep3', 'link', 'https://example.org/visits', 'Visit reports', 'u1', '${AT}'),
     ('e2', 'p1', 'rep3', 'file', NULL, 'A file stays with members', 'u1', '${AT}');`,
  `INSERT INTO assessments (id, plan_id, round_id, target_type, target_id, organisation_id, rating, justification, evidence_links, author_name, created_at, updated_at)
     VALUES ('as1', 'p1', 'round-02', 'action', 'a1', 'o2', 'not_implemented', 'Not seen', '["https://example.org/a"]', 'Алесь', '${AT}', '2027-05-01T09:00:00.000Z');`,
].join('\n');

const both = sameRowsOnBothEngines(ROWS, { foreignKeys: true });

/** A stored section document (documents, document_updates) and a whole-plan version, written by each engine with its own bytes. */
async function storeDocumentAndVersion(q: Sql): Promise<void> {
  const doc = new Y.Doc();
  appendBlocks(doc, [
    { type: 'heading', level: 2, text: 'Inspections' },
    { type: 'paragraph', text: 'Places of detention are inspected without notice.' },
    { type: 'bulletList', items: ['Prisons', 'Police cells'] },
  ]);
  const update = Buffer.from(Y.encodeStateAsUpdate(doc));
  const later = new Y.Doc();
  Y.applyUpdate(later, update);
  const before = Y.encodeStateVector(later);
  appendBlocks(later, [{ type: 'paragraph', text: 'Written after the first update.' }]);
  const second = Buffer.from(Y.encodeStateAsUpdate(later, before));
  await q.run(sql`INSERT INTO documents (name, schema_version, created_at) VALUES (${sectionDocName('s1')}, ${DOC_SCHEMA_VERSION}, ${AT})`);
  await q.run(sql`INSERT INTO document_updates (document_name, seq, data, created_at) VALUES (${sectionDocName('s1')}, 1, ${update}, ${AT}), (${sectionDocName('s1')}, 2, ${second}, ${AT})`);
  // The version adopted: s1 and s2 kept in the same millisecond, s1's actions saved as they were.
  const saved = JSON.stringify({
    format: 1,
    organisations: { o1: 'Ministry of Justice (then)' },
    actions: [
      {
        id: 'a1',
        title: 'Inspections as saved',
        description: '',
        status: 'planned',
        leadAgencyId: 'o1',
        coImplementerIds: [],
        civilSocietyPartnerIds: [],
        start: null,
        end: '2027',
        budgetAmount: null,
        currency: null,
        fundingSource: null,
        createdBy: 'u1',
        createdAt: AT,
        recommendations: [
          { id: 'r1', reference: '139.1' },
          { id: 'deleted-since', reference: '140.9' },
        ],
        indicators: [],
      },
    ],
  });
  for (const [id, section, title, actions] of [
    ['ver-b', 's1', 'Torture prevention', saved],
    ['ver-a', 's2', 'Human rights education', null],
  ] as const) {
    await q.run(
      sql`INSERT INTO versions (id, plan_id, section_id, section_title, group_id, name, label, kind, created_by, created_by_name, created_at, content_hash, snapshot, text, actions)
           VALUES (${id}, 'p1', ${section}, ${title}, 'g1', 'Adopted plan', NULL, 'manual', 'u1', 'Coordinator', '2026-05-20T10:00:00.000Z', 'h', ${update}, '', ${actions})`,
    );
  }
}

// Once, from the first test that needs it: the engines are set up by the helper's own beforeAll.
let stored: Promise<void> | undefined;
beforeEach(async () => {
  stored ??= (async () => {
    await storeDocumentAndVersion(both.sqlite);
    await storeDocumentAndVersion(both.postgres);
  })();
  await stored;
});

const snapshotOn = (q: Sql, kind: 'adopted' | 'consultation') =>
  q.transaction((tx) => buildSnapshot(tx, 'p1', kind, '2027-06-01T00:00:00.000Z'), { snapshot: true });

describe('the public record snapshot on both engines', () => {
  it('an adopted plan: the same JSON, to the byte, with its text, signatures, dissent and monitoring', async () => {
    const [onSqlite, onPostgres] = [JSON.stringify(await snapshotOn(both.sqlite, 'adopted')), JSON.stringify(await snapshotOn(both.postgres, 'adopted'))];
    expect(onPostgres).toBe(onSqlite);
    const s = JSON.parse(onSqlite) as PublicSnapshot;
    expect(s.plan).toMatchObject({ id: 'p1', stage: 'in_implementation' });
    expect(s.adoption).toMatchObject({ actTitle: 'Decree on the plan', leftOut: [{ sectionId: 's3', title: 'Left out', reason: 'Not agreed in time' }] });
    // The chapter in the bin is out; s2 before s3 (same position, by id); s3 left out at adoption.
    expect(s.chapters.map((c) => [c.id, c.sections.map((x) => [x.id, x.included])])).toEqual([
      ['c1', [['s1', true]]],
      ['c2', [['s2', true], ['s3', false]]],
    ]);
    const s1 = s.chapters[0]!.sections[0]!;
    // The document's whole log is read: both updates.
    expect(JSON.stringify(s1.blocks)).toContain('Places of detention are inspected without notice.');
    expect(JSON.stringify(s1.blocks)).toContain('Written after the first update.');
    expect(s1.signers.map((g) => [g.organisation, g.verified])).toEqual([
      ['Ministry of Justice', false],
      ['Amnesty International', false],
      ['Вясна', true],
    ]);
    // Signed in the same millisecond: so2 before so3, by id.
    expect(s1.reservations.map((r) => [r.organisation, r.text, r.verified])).toEqual([
      ['Amnesty International', 'Budget too small', false],
      ['Вясна', 'Only if inspections are unannounced', true],
    ]);
    expect(s1.dissent.map((d) => [d.organisation, d.actionTitle, d.verified])).toEqual([
      ['Вясна', null, true],
      ['Amnesty International', 'Independent inspections of places of detention', false],
    ]);
    expect(s1.actions.map((a) => [a.id, a.leadAgency, a.coImplementers, a.csoPartners, a.budget, a.recommendationIds, a.reportedStatus])).toEqual([
      ['a1', 'Ministry of Justice', ['Ministry of Education'], ['Вясна', 'Amnesty International'], '25000 EUR (State budget)', ['r1', 'r2'], 'delayed'],
      ['a2', null, [], [], null, [], null],
    ]);
    expect(s1.actions[0]!.indicators.map((i) => [i.id, i.values])).toEqual([
      ['i1', [{ roundId: 'round-01', date: '2026-11-01', value: 15 }, { roundId: 'round-02', date: '2027-03-31', value: 22 }]],
      ['i2', []],
    ]);
    expect(s.recommendations.map((r) => [r.reference, r.kind, r.recommendingStates])).toEqual([
      ['139.1', 'recommendation', []],
      ['139.2', 'pledge', ['Poland', 'Lithuania']],
      ['139.3', 'recommendation', []],
    ]);
    expect(s.rounds.map((r) => [r.id, r.reports.map((x) => [x.actionId, x.status, x.links, x.corrects?.map((c) => c.status) ?? null])])).toEqual([
      ['round-01', [['a1', 'in_progress', [], null]]],
      [
        'round-02',
        [
          ['a1', 'delayed', [{ url: 'https://example.org/visits', label: 'Visit reports' }], ['completed']],
          ['a3', 'in_progress', [], null],
        ],
      ],
    ]);
    expect(s.rounds[1]!.assessments.map((a) => [a.targetId, a.organisation, a.rating])).toEqual([['a1', 'Вясна', 'not_implemented']]);
  });

  it('a consultation draft: the same JSON, every section\'s current text, no monitoring', async () => {
    const [onSqlite, onPostgres] = [
      JSON.stringify(await snapshotOn(both.sqlite, 'consultation')),
      JSON.stringify(await snapshotOn(both.postgres, 'consultation')),
    ];
    expect(onPostgres).toBe(onSqlite);
    const s = JSON.parse(onSqlite) as PublicSnapshot;
    expect(s.rounds).toEqual([]);
    expect(s.chapters[0]!.sections[0]!.actions[0]!.reportedStatus).toBeNull();
  });
});

describe('the exports\' plan model on both engines', () => {
  const modelOn = (q: Sql, options: Parameters<typeof buildPlanModel>[2]) =>
    q.transaction(
      async (tx) => {
        const model = await buildPlanModel(tx, 'p1', options);
        model.planRecommendations = await loadPlanRecommendations(tx, 'p1', model);
        return model;
      },
      { snapshot: true },
    );

  const cases: Array<[string, BuildOptions]> = [
    ['the current draft', { scope: 'current', language: 'ru' }],
    ['the agreed sections', { scope: 'agreed' }],
    ['a saved whole-plan version', { scope: 'current', versionGroupId: 'g1', language: 'be' }],
  ];
  it.each(cases)('%s: the same model', async (_, options) => {
    const exportedAt = '2027-06-01T00:00:00.000Z';
    const model = await both.onBoth((q) => modelOn(q, { ...options, exportedAt }));
    // Annexes and the matrix's list hold what the rows say.
    const annexes = JSON.stringify(model.annexes);
    expect(annexes).toContain('Only if inspections are unannounced');
    expect(annexes).toContain('Free legal aid');
    expect(model.planRecommendations!.map((r) => r.reference)).toEqual(options.versionGroupId ? ['139.1', '139.2', '139.3', '140.9'] : ['139.1', '139.2', '139.3']);
    expect(model.latestRound).toEqual({ id: 'round-02', name: '2027', dueDate: '2027-06-30' });
    const actions = model.chapters.flatMap((c) => c.sections.flatMap((s) => s.actions));
    if (options.versionGroupId) {
      expect(model.madeFrom).not.toBe('');
      expect(actions.map((a) => [a.id, a.title, a.leadAgency])).toEqual([
        ['a1', 'Inspections as saved', 'Ministry of Justice (then)'],
        ['a3', 'Teaching human rights in schools', 'Ministry of Education'],
      ]);
      expect(model.recommendations.map((r) => r.reference)).toEqual(['139.1', '139.3', '140.9']);
    } else {
      expect(actions.find((a) => a.id === 'a1')).toMatchObject({ number: 1, reportedStatus: 'delayed', indicators: [{ id: 'i1', latest: { value: 22 } }, { id: 'i2' }] });
    }
  });
});

describe('publishing and unpublishing on both engines', () => {
  const Publication = z.object({
    plan_id: z.string(),
    slug: z.string(),
    kind: z.string(),
    published_by: z.string(),
    published_by_name: z.string(),
    hash: z.string(),
    ended_reason: z.string().nullable(),
    ended_by: z.string().nullable(),
    ended: z.number(),
  });
  const AuditRow = z.object({ action: z.string(), actor_name: z.string(), target_id: z.string().nullable(), summary: z.string(), kind: z.string().nullable() });
  const Slug = z.object({ slug: z.string(), plan_id: z.string() });

  /** What an engine ends with after the same steps: answers (ids and times named by order), refusals and rows. */
  async function play(q: Sql) {
    const who: Actor = { principal: (await principalOf(q, 'u1'))!, role: 'coordinator' };
    const refusal = async (step: () => Promise<unknown>) => {
      try {
        await step();
        return 'done';
      } catch (err) {
        if (err instanceof HttpError) return `${err.status} ${err.code}`;
        throw err;
      }
    };
    const steps: unknown[] = [];
    steps.push(await refusal(() => unpublishPlan(q, 'p1', who)));
    steps.push(await refusal(() => publishPlan(q, 'p1', who, {})));
    const first = await publishPlan(q, 'p1', who, { slug: 'national-plan' });
    steps.push(await refusal(() => publishPlan(q, 'p1', who, { slug: 'another-address' })));
    const second = await publishPlan(q, 'p1', who, {});
    const served = await publishedBySlug(q, 'national-plan');
    steps.push(served?.id === second.id, (await publicationSnapshot(q, first.id)) === null);
    const snapshot = await publicationSnapshot(q, second.id);
    const state = await publicRecordState(q, 'p1');
    const ids = new Map([first.id, second.id].map((id, n) => [id, `publication-${n + 1}`]));
    steps.push({
      ...state,
      current: state.current && { ...state.current, id: ids.get(state.current.id), publishedAt: 'time' },
      history: state.history.map((p) => ({ ...p, id: ids.get(p.id), publishedAt: 'time', endedAt: p.endedAt && 'time' })),
    });
    await unpublishPlan(q, 'p1', who);
    steps.push(await publishedBySlug(q, 'national-plan'), await refusal(() => unpublishPlan(q, 'p1', who)));
    const rows = {
      publications: await q.rows(
        Publication,
        sql`SELECT plan_id, slug, kind, published_by, published_by_name, hash, ended_reason, ended_by,
              (CASE WHEN ended_at IS NULL THEN 0 ELSE 1 END) AS ended FROM publications ORDER BY published_at, ended_reason`,
      ),
      slugs: await q.rows(Slug, sql`SELECT slug, plan_id FROM plan_slugs ORDER BY slug`),
      audit: await q.rows(
        AuditRow,
        sql`SELECT action, actor_name, target_id, summary, (CASE WHEN action = 'plan.published' THEN 'publication' ELSE NULL END) AS kind
              FROM audit_log WHERE action LIKE 'plan.%' ORDER BY id`,
      ),
    };
    return { steps, rows, snapshot };
  }

  it('the same answers, refusals, publications, address and audit entries; the stored snapshot the same text', async () => {
    // One clock for both (only Date: the pool's timers run), so both snapshots, and their hashes,
    // are of the same moment. Both publications then share a millisecond: the one in force comes first.
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2027-06-01T00:00:00.000Z') });
    let a: Awaited<ReturnType<typeof play>>, b: typeof a;
    try {
      [a, b] = [await play(both.sqlite), await play(both.postgres)];
    } finally {
      vi.useRealTimers();
    }
    expect(b.snapshot).toBe(a.snapshot);
    expect(a.rows.publications[1]!.hash).toBe(createHash('sha256').update(a.snapshot!, 'utf8').digest('hex'));
    expect(b.steps).toEqual(a.steps);
    expect(b.rows).toEqual(a.rows);
    expect(a.steps.slice(0, 3)).toEqual(['409 not_published', '400 invalid_request', '400 invalid_request']);
    expect(a.steps.slice(3, 5)).toEqual([true, true]);
    expect(a.steps[5]).toMatchObject({ slug: 'national-plan', nextKind: 'adopted', current: { id: 'publication-2', kind: 'adopted' } });
    expect((a.steps[5] as { history: Array<{ id: string; endedReason: string | null }> }).history.map((p) => [p.id, p.endedReason])).toEqual([
      ['publication-2', null],
      ['publication-1', 'replaced'],
    ]);
    expect(a.steps.slice(6)).toEqual([null, '409 not_published']);
    expect(a.rows.publications.map((p) => [p.ended, p.ended_reason])).toEqual([
      [1, 'replaced'],
      [1, 'unpublished'],
    ]);
    expect(a.rows.audit.map((e) => e.action)).toEqual(['plan.published', 'plan.published', 'plan.unpublished']);
    expect(a.rows.audit[1]!.summary).toContain('replacing the earlier publication');
  });
});
