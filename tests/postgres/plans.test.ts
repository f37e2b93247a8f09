import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { col, rowShape } from '../../server/db/rows.ts';
import type { Sql } from '../../server/db/sql/Sql.ts';
import { addMember } from '../../server/services/members.ts';
import { addChapter, addSection, createPlan, listPlans, planOutline, planSummary, updateChapter, updatePlan, updateSection } from '../../server/services/plans.ts';
import { loadSampleRecommendations } from '../../server/services/samplePlan.ts';
import { setUp, type SetUpInput } from '../../server/services/setUp.ts';
import { appendBlocks, sectionDocName, sectionPlainText } from '../../shared/doc/schema.ts';
import { actingAs, auditLog, fakeDateForTheFile, namedIds, outcome as stepOutcome, sameRowsOnBothEngines, scenarioClock, testPerson } from '../helpers/postgres.ts';

/**
 * Plans and their outline, and set-up with the sample plan, done the same way on SQLite and
 * PostgreSQL: plans created with and without their starter outline (in the language asked for, or
 * the creator's), chapters and sections added, renamed, moved and refused, the plan changed, then
 * listed and outlined as different members; a first start with the sample, a second refused, and
 * one whose sample fails half way leaving nothing. Each engine's answers, refusals and the rows it
 * wrote (plans, members, verifications, chapters, sections, their documents, sessions, audit
 * entries) must be the same. Where the engines could part: camelCase aliases, the 0/1 of a
 * verified signature, count(*) read as a number, ties of order without SQLite's rowid, a document's
 * seed written through Sql in the section's transaction.
 */

const AT = '2026-05-04T10:00:00.000Z';

const ROWS = [
  `INSERT INTO organisations (id, name, side, color, created_at) VALUES ('org-mfa', 'Ministry of Foreign Affairs', 'government', '#123456', '${AT}'),
     ('org-viasna', 'Вясна', 'civil_society', '#222222', '${AT}'), ('org-amnesty', 'Amnesty International', 'civil_society', '#333333', '${AT}');`,
  // Olga reads Accord in Russian: a plan she starts without naming a language gets a Russian starter outline.
  `INSERT INTO users (id, email, name, password_hash, organisation_id, created_at, language) VALUES
     ('u-olga', 'olga@example.org', 'Olga', 'x', 'org-mfa', '${AT}', 'ru'),
     ('u-ales', 'ales@example.org', 'Алесь', 'x', 'org-viasna', '${AT}', NULL),
     ('u-mary', 'mary@example.org', 'Mary', 'x', 'org-amnesty', '${AT}', NULL),
     ('u-out', 'out@example.org', 'Outsider', 'x', 'org-amnesty', '${AT}', NULL);`,
].join('\n');

const both = sameRowsOnBothEngines(ROWS, { foreignKeys: true });
/** What a refused step answered: its status and code, and its fields. */
const outcome = <T,>(step: () => Promise<T>) => stepOutcome(step, ['fields']);

const person = testPerson;
const as = actingAs;
const olga = as(person('u-olga', 'Olga', 'org-mfa', 'Ministry of Foreign Affairs', 'government'), 'coordinator');

const { tick, restart } = scenarioClock();
const seed = (text: string) => (doc: Y.Doc) => appendBlocks(doc, [{ type: 'paragraph', text }]);
const plan = (title: string) => ({ title, country: 'Belarus', periodStart: 2026, periodEnd: 2030 });

/** The same steps on one engine; everything they answered, in order. */
async function scenario(q: Sql) {
  restart();
  const a: Record<string, unknown> = {};
  tick();
  const p1 = await createPlan(q, 'u-olga', plan('National Human Rights Plan'));
  tick();
  const p2 = await createPlan(q, 'u-olga', { ...plan('План на беларускай'), language: 'be' });
  tick();
  const p3 = await createPlan(q, 'u-ales', { ...plan('Shadow plan'), source: 'Written by Вясна' }, 'empty');
  const elsewhere = await addChapter(q, p3, 'Another plan’s chapter');
  await addMember(q, p1, 'u-ales', 'drafter');
  await addMember(q, p1, 'u-mary', 'commenter');

  tick();
  const justice = await addChapter(q, p1, 'Justice', olga);
  tick();
  const freedoms = await addChapter(q, p1, 'Freedoms', olga);
  tick();
  const fairTrial = await addSection(q, p1, justice, 'Fair trial', seed('Everyone is heard by an independent court.'), olga);
  const detention = await addSection(q, p1, justice, 'Detention', undefined, olga);
  const assembly = await addSection(q, p1, freedoms, 'Assembly', seed('Peaceful assemblies are not dispersed.'), olga);
  a.refused = {
    sectionInOtherPlansChapter: await outcome(() => addSection(q, p1, elsewhere, 'Misplaced', undefined, olga)),
    unknownChapter: await outcome(() => updateChapter(q, p1, 'chapter-none', { title: 'x' }, olga)),
    otherPlansChapter: await outcome(() => updateChapter(q, p1, elsewhere, { title: 'x' }, olga)),
    sectionToOtherPlan: await outcome(() => updateSection(q, p1, fairTrial, { chapterId: elsewhere }, olga)),
    unknownSection: await outcome(() => updateSection(q, p1, 'section-none', { title: 'x' }, olga)),
    periodBackwards: await outcome(() => updatePlan(q, p1, { periodEnd: 2020 })),
    unknownPlan: await outcome(() => updatePlan(q, 'plan-none', { title: 'x' })),
    outlineOfOutsider: await outcome(() => planOutline(q, p1, 'u-out')),
  };

  tick();
  await updateChapter(q, p1, freedoms, { title: 'Freedoms of expression and assembly', position: 0 }, olga);
  await updateChapter(q, p1, justice, { title: 'Justice' }, olga);
  await updateChapter(q, p1, justice, { position: 99 }, olga);
  tick();
  await updateSection(q, p1, detention, { position: 0 }, olga);
  await updateSection(q, p1, fairTrial, { chapterId: freedoms }, olga);
  tick();
  await updateSection(q, p1, fairTrial, { chapterId: justice, position: 0, title: 'Fair trial and appeal' }, olga);
  // An agreed section may move, not be renamed: its title is part of what was agreed.
  await q.run(sql`UPDATE sections SET status = 'agreed', agreed_at = ${AT}, agreed_hash = 'h' WHERE id = ${assembly}`);
  a.renameAgreed = await outcome(() => updateSection(q, p1, assembly, { title: 'Assemblies' }, olga));
  tick();
  await updateSection(q, p1, assembly, { chapterId: justice, position: 1 }, olga);
  tick();
  await updatePlan(q, p1, { title: 'National Human Rights Plan 2027–2031', periodStart: 2027, periodEnd: 2031 });

  // What the outline shows besides titles: who signed (verified or not; ties of time by id) and open threads.
  await q.run(sql`INSERT INTO section_signoffs (id, section_id, user_id, organisation_id, side, content_hash, signed_at, signer_role) VALUES
    ('sig-2', ${fairTrial}, 'u-olga', 'org-mfa', 'government', 'h', ${AT}, 'coordinator'),
    ('sig-1', ${fairTrial}, 'u-ales', 'org-viasna', 'civil_society', 'h', ${AT}, 'drafter'),
    ('sig-3', ${detention}, 'u-mary', 'org-amnesty', 'civil_society', 'h', ${AT}, 'commenter')`);
  await q.run(sql`UPDATE section_signoffs SET withdrawn_at = ${AT} WHERE id = 'sig-3'`);
  await q.run(sql`INSERT INTO comment_threads (id, plan_id, section_id, anchor_start, anchor_end, quote, status, created_by, created_at) VALUES
    ('t-1', ${p1}, ${fairTrial}, ${Buffer.from([1])}, ${Buffer.from([2])}, 'heard', 'open', 'u-mary', ${AT}),
    ('t-2', ${p1}, ${fairTrial}, ${Buffer.from([1])}, ${Buffer.from([2])}, 'court', 'open', 'u-ales', ${AT}),
    ('t-3', ${p1}, ${fairTrial}, ${Buffer.from([1])}, ${Buffer.from([2])}, 'court', 'resolved', 'u-ales', ${AT}),
    ('t-4', ${p1}, ${detention}, ${Buffer.from([1])}, ${Buffer.from([2])}, 'held', 'open', 'u-mary', ${AT})`);

  a.lists = {
    olga: await listPlans(q, 'u-olga'),
    ales: await listPlans(q, 'u-ales'),
    mary: await listPlans(q, 'u-mary'),
    outsider: await listPlans(q, 'u-out'),
  };
  a.summaries = [await planSummary(q, p1, 'u-mary'), await planSummary(q, p1, 'u-out'), await planSummary(q, 'plan-none', 'u-olga')];
  a.outlines = {
    olga: await planOutline(q, p1, 'u-olga'),
    mary: await planOutline(q, p1, 'u-mary'),
    belarusian: await planOutline(q, p2, 'u-olga'),
    empty: await planOutline(q, p3, 'u-ales'),
  };
  return a;
}

const PlanTable = rowShape({ id: col.text, title: col.text, country: col.text, period_start: col.int, period_end: col.int, source: col.nullableText, created_by: col.text, created_at: col.text });
const MemberTable = rowShape({ plan_id: col.text, user_id: col.text, role: col.text, joined_at: col.text });
const VerificationTable = rowShape({ plan_id: col.text, organisation_id: col.text, side: col.text, verified_by: col.nullableText, verified_at: col.text });
const ChapterTable = rowShape({ id: col.text, plan_id: col.text, title: col.text, position: col.int });
const SectionTable = rowShape({ id: col.text, plan_id: col.text, chapter_id: col.text, title: col.text, position: col.int, status: col.text });
const DocumentTable = rowShape({ name: col.text, schema_version: col.int, created_at: col.text });
const UpdateTable = rowShape({ document_name: col.text, seq: col.int, data: col.blob, created_at: col.text });
const UserTable = rowShape({ id: col.text, email: col.text, name: col.text, password_hash: col.text, organisation_id: col.text, language: col.nullableText, browser_language: col.nullableText, created_at: col.text });
const OrganisationTable = rowShape({ id: col.text, name: col.text, side: col.text, color: col.text, created_at: col.text });
const SessionTable = rowShape({ token_hash: col.text, id: col.nullableText, user_id: col.text, user_agent: col.nullableText, created_at: col.text, expires_at: col.text });

/** A section's document as people read it: Yjs updates carry a random client id, so the text is compared. */
const textOf = (updates: Array<{ data: Uint8Array }>) => {
  const doc = new Y.Doc();
  for (const u of updates) Y.applyUpdate(doc, new Uint8Array(u.data));
  return sectionPlainText(doc);
};

/** The rows the steps wrote, in an order that does not depend on random ids. */
async function written(q: Sql) {
  const sections = await q.rows(
    SectionTable,
    sql`SELECT s.id, s.plan_id, s.chapter_id, s.title, s.position, s.status FROM sections s JOIN chapters c ON c.id = s.chapter_id JOIN plans p ON p.id = s.plan_id
      ORDER BY p.created_at, c.position, s.position`,
  );
  const documents = new Map((await q.rows(DocumentTable, sql`SELECT name, schema_version, created_at FROM documents`)).map((d) => [d.name, d]));
  const updates = await q.rows(UpdateTable, sql`SELECT document_name, seq, data, created_at FROM document_updates ORDER BY seq`);
  return {
    plans: await q.rows(PlanTable, sql`SELECT id, title, country, period_start, period_end, source, created_by, created_at FROM plans ORDER BY created_at`),
    members: await q.rows(MemberTable, sql`SELECT m.plan_id, m.user_id, m.role, m.joined_at FROM plan_members m JOIN plans p ON p.id = m.plan_id ORDER BY p.created_at, m.user_id`),
    verifications: await q.rows(
      VerificationTable,
      sql`SELECT v.plan_id, v.organisation_id, v.side, v.verified_by, v.verified_at FROM organisation_verifications v JOIN plans p ON p.id = v.plan_id ORDER BY p.created_at, v.organisation_id`,
    ),
    chapters: await q.rows(ChapterTable, sql`SELECT c.id, c.plan_id, c.title, c.position FROM chapters c JOIN plans p ON p.id = c.plan_id ORDER BY p.created_at, c.position`),
    sections: sections.map((s) => {
      const name = sectionDocName(s.id);
      const log = updates.filter((u) => u.document_name === name);
      return { ...s, document: documents.get(name) ?? null, updates: log.map((u) => [u.seq, u.created_at]), text: textOf(log) };
    }),
    documentsWithoutSection: documents.size - sections.length,
    audit: await auditLog(q),
  };
}

/**
 * Set-up's rows: people, organisations, sessions, and the plan rows above. An audit entry's number
 * is left out: PostgreSQL does not give back the numbers a rolled-back transaction took (a failed
 * set-up's), SQLite does.
 */
async function writtenBySetUp(q: Sql) {
  const { audit, ...plans } = await written(q);
  return {
    users: await q.rows(UserTable, sql`SELECT id, email, name, password_hash, organisation_id, language, browser_language, created_at FROM users ORDER BY email`),
    organisations: await q.rows(OrganisationTable, sql`SELECT id, name, side, color, created_at FROM organisations ORDER BY name`),
    sessions: await q.rows(SessionTable, sql`SELECT token_hash, id, user_id, user_agent, created_at, expires_at FROM sessions ORDER BY created_at`),
    ...plans,
    audit: audit.map(({ id: _, ...entry }) => entry),
  };
}

let answers: { sqlite: Awaited<ReturnType<typeof scenario>>; postgres: Awaited<ReturnType<typeof scenario>> };
let rows: { sqlite: Awaited<ReturnType<typeof written>>; postgres: Awaited<ReturnType<typeof written>> };

fakeDateForTheFile();

describe('plans and their outline on SQLite and PostgreSQL', () => {
  it('answer the same steps alike on both engines', async () => {
    answers = { sqlite: await scenario(both.sqlite), postgres: await scenario(both.postgres) };
    expect(namedIds(answers.postgres)).toEqual(namedIds(answers.sqlite));
  });

  it('write the same plans, members, verifications, chapters, sections, documents and audit entries', async () => {
    rows = { sqlite: await written(both.sqlite), postgres: await written(both.postgres) };
    expect(rows.postgres.audit.map((e) => e.action)).toEqual(rows.sqlite.audit.map((e) => e.action));
    expect(namedIds(rows.postgres)).toEqual(namedIds(rows.sqlite));
  });

  it('answer what the rules say', () => {
    const a = answers.postgres as Record<string, Record<string, unknown>>;
    expect(a.refused).toEqual({
      sectionInOtherPlansChapter: expect.objectContaining({ refused: 404, code: 'not_found' }),
      unknownChapter: expect.objectContaining({ refused: 404 }),
      otherPlansChapter: expect.objectContaining({ refused: 404 }),
      sectionToOtherPlan: expect.objectContaining({ refused: 404 }),
      unknownSection: expect.objectContaining({ refused: 404 }),
      periodBackwards: { refused: 400, code: 'invalid_request', fields: { periodEnd: { code: 'period_order' } } },
      unknownPlan: expect.objectContaining({ refused: 404 }),
      outlineOfOutsider: expect.objectContaining({ refused: 404 }),
    });
    expect(a.renameAgreed).toMatchObject({ refused: 409, code: 'section_agreed' });
    const lists = a.lists as Record<string, Array<{ title: string; role: string }>>;
    expect(lists.olga!.map((p) => [p.title, p.role])).toEqual([
      ['План на беларускай', 'coordinator'],
      ['National Human Rights Plan 2027–2031', 'coordinator'],
    ]);
    expect(lists.ales!.map((p) => [p.title, p.role])).toEqual([
      ['Shadow plan', 'coordinator'],
      ['National Human Rights Plan 2027–2031', 'drafter'],
    ]);
    expect(lists.outsider).toEqual([]);
    expect(a.summaries).toEqual([expect.objectContaining({ role: 'commenter', periodStart: 2027, periodEnd: 2031 }), null, null]);
    type Outline = { chapters: Array<{ title: string; position: number; sections: Array<{ title: string; position: number; signedBy: unknown[]; openThreads: number; status: string }> }> };
    const outlines = a.outlines as Record<string, Outline>;
    const shape = (o: Outline) => o.chapters.map((c) => [c.position, c.title, c.sections.map((s) => [s.position, s.title])]);
    expect(shape(outlines.olga!)).toEqual([
      [0, 'Freedoms of expression and assembly', []],
      [1, 'Введение', [[0, 'Цель и сфера применения']]],
      [2, 'Justice', [[0, 'Fair trial and appeal'], [1, 'Assembly'], [2, 'Detention']]],
    ]);
    expect(outlines.mary!.chapters).toEqual(outlines.olga!.chapters);
    const fairTrial = outlines.olga!.chapters[2]!.sections[0]!;
    expect(fairTrial).toMatchObject({
      openThreads: 2,
      signedBy: [
        { name: 'Алесь', organisation: 'Вясна', side: 'civil_society', verified: false },
        { name: 'Olga', organisation: 'Ministry of Foreign Affairs', side: 'government', verified: true },
      ],
    });
    expect(outlines.olga!.chapters[2]!.sections[2]).toMatchObject({ title: 'Detention', openThreads: 1, signedBy: [] });
    expect(shape(outlines.belarusian!)).toEqual([[0, 'Уводзіны', [[0, 'Мэта і сфера прымянення']]]]);
    expect(shape(outlines.empty!)).toEqual([[0, 'Another plan’s chapter', []]]);
  });

  it('put every change of the outline on the record, and a plan’s making as one entry', () => {
    const r = rows.postgres;
    expect(r.audit.map((e) => e.action)).toEqual([
      'plan.created',
      'plan.created',
      'plan.created',
      'chapter.created',
      'chapter.created',
      'section.created',
      'section.created',
      'section.created',
      'chapter.renamed',
      'chapter.moved',
      'section.moved',
      'section.moved',
      'section.renamed',
      'section.moved',
      'section.moved',
    ]);
    const fair = r.sections.find((s) => s.title === 'Fair trial and appeal')!;
    expect([fair.text, fair.updates.length, fair.document?.schema_version]).toEqual(['Everyone is heard by an independent court.', 1, expect.any(Number)]);
    expect(r.sections.find((s) => s.title === 'Detention')).toMatchObject({ text: '', updates: [] });
    expect(r.documentsWithoutSection).toBe(0);
    expect(r.verifications.map((v) => [v.organisation_id, v.side, v.verified_by])).toEqual([
      ['org-mfa', 'government', null],
      ['org-mfa', 'government', null],
      ['org-viasna', 'civil_society', null],
    ]);
  });
});

describe('outline changes at once on PostgreSQL', () => {
  it('take turns: chapters and sections added at once get places of their own, dense from 0', async () => {
    const q = both.postgres;
    const planId = await createPlan(q, 'u-olga', plan('Plan written at once'), 'empty');
    const chapters = await Promise.all(Array.from({ length: 5 }, (_, i) => addChapter(q, planId, `Chapter ${i}`, olga)));
    const sections = await Promise.all(Array.from({ length: 6 }, (_, i) => addSection(q, planId, chapters[0]!, `Section ${i}`, seed(`Text ${i}`), olga)));
    await Promise.all([
      updateSection(q, planId, sections[5]!, { position: 0 }, olga),
      updateSection(q, planId, sections[1]!, { chapterId: chapters[1]! }, olga),
      updateChapter(q, planId, chapters[4]!, { position: 0 }, olga),
    ]);
    const outline = await planOutline(q, planId, 'u-olga');
    expect(outline.chapters.map((c) => c.position)).toEqual([0, 1, 2, 3, 4]);
    for (const c of outline.chapters) expect(c.sections.map((s) => s.position)).toEqual(c.sections.map((_, i) => i));
    expect(outline.chapters.flatMap((c) => c.sections)).toHaveLength(6);
  });
});

// ---- Set-up ---------------------------------------------------------------------------------------

const fresh = sameRowsOnBothEngines('SELECT 1;', { foreignKeys: true });
const racing = sameRowsOnBothEngines('SELECT 1;', { foreignKeys: true });

const FIRST: SetUpInput = {
  name: 'Olga Coordinator',
  email: 'olga@mfa.example',
  passwordHash: 'argon2-hash',
  organisation: { name: 'Ministry of Foreign Affairs', side: 'government' },
  acceptLanguage: 'be-BY,be;q=0.9,ru;q=0.8',
  userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0',
  sample: null,
};

/** First start on one engine: one that fails half way through the sample, then one that loads it, then a second refused. */
async function setUpScenario(q: Sql) {
  restart();
  const a: Record<string, unknown> = {};
  const recommendations = loadSampleRecommendations();
  tick();
  a.failed = await setUp(q, {
    ...FIRST,
    sample: {
      language: 'ru',
      recommendations,
      registry: async () => {
        throw new Error('The sample’s registry could not be written');
      },
    },
  }).then(
    () => 'set up',
    (error: Error) => error.message,
  );
  a.leftByTheFailure = await writtenBySetUp(q);
  tick();
  const done = await setUp(q, { ...FIRST, sample: { language: 'ru', recommendations } });
  a.done = done;
  tick();
  a.again = await outcome(() => setUp(q, { ...FIRST, email: 'second@mfa.example', organisation: { name: 'Second', side: 'government' } }));
  a.outline = await planOutline(q, done.samplePlanId!, done.userId);
  return a;
}

/** Tokens and their hashes (43 characters) are random too. */
const TOKENS = { tokens: true };

describe('set-up with the sample plan on SQLite and PostgreSQL', () => {
  let setUpAnswers: { sqlite: Awaited<ReturnType<typeof setUpScenario>>; postgres: Awaited<ReturnType<typeof setUpScenario>> };

  it('answers and writes alike on both engines: the first person, their session and the sample plan, in one transaction', async () => {
    setUpAnswers = { sqlite: await setUpScenario(fresh.sqlite), postgres: await setUpScenario(fresh.postgres) };
    expect(namedIds(setUpAnswers.postgres, TOKENS)).toEqual(namedIds(setUpAnswers.sqlite, TOKENS));
    const setUpRows = { sqlite: await writtenBySetUp(fresh.sqlite), postgres: await writtenBySetUp(fresh.postgres) };
    expect(namedIds(setUpRows.postgres, TOKENS)).toEqual(namedIds(setUpRows.sqlite, TOKENS));

    const r = setUpRows.postgres;
    expect(r.users).toMatchObject([{ name: 'Olga Coordinator', browser_language: 'be', language: null }]);
    expect(r.sessions).toMatchObject([{ user_agent: FIRST.userAgent }]);
    expect(r.plans).toMatchObject([{ country: 'Беларусь', source: expect.stringContaining('A/HRC/15/16') }]);
    expect(r.sections.length).toBeGreaterThan(10);
    expect(r.sections.every((s) => s.updates.length === 1 && s.text.startsWith(`${s.title}\n`))).toBe(true);
    expect(r.audit.map((e) => e.action)).toEqual(['plan.created']);
  });

  it('leaves nothing when the sample fails half way, refuses a second set-up, and outlines the sample', () => {
    const a = setUpAnswers.postgres as Record<string, unknown>;
    expect(a.failed).toBe('The sample’s registry could not be written');
    const left = a.leftByTheFailure as Record<string, unknown[] | number>;
    expect(Object.fromEntries(Object.entries(left).map(([k, v]) => [k, Array.isArray(v) ? v.length : v]))).toEqual({
      users: 0,
      organisations: 0,
      sessions: 0,
      plans: 0,
      members: 0,
      verifications: 0,
      chapters: 0,
      sections: 0,
      documentsWithoutSection: 0,
      audit: 0,
    });
    expect(a.again).toEqual({ refused: 409, code: 'already_set_up', fields: null });
    const outline = a.outline as { plan: { role: string }; chapters: Array<{ title: string }> };
    expect(outline.plan.role).toBe('coordinator');
    expect(outline.chapters.map((c) => c.title)).toContain('Смертная казнь');
  });

  it('lets one of two first visitors at once be the first on PostgreSQL; the other is told Accord is set up', async () => {
    const q = racing.postgres;
    const results = await Promise.all(
      ['first', 'second', 'third'].map((who) =>
        outcome(() => setUp(q, { ...FIRST, email: `${who}@mfa.example`, organisation: { name: `Ministry ${who}`, side: 'government' } })),
      ),
    );
    expect(results.filter((r) => 'refused' in r)).toEqual([
      { refused: 409, code: 'already_set_up', fields: null },
      { refused: 409, code: 'already_set_up', fields: null },
    ]);
    expect((await q.theRow(rowShape({ n: col.int }), sql`SELECT count(*) AS n FROM users`)).n).toBe(1);
  });
});
