import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { col, rowShape } from '../../server/db/rows.ts';
import type { Sql } from '../../server/db/sql/Sql.ts';
import { createThread, deleteComment, editComment, getThread, listThreads, parseMentions, reply, setThreadStatus } from '../../server/services/comments.ts';
import { listPositions, listStandingPositions, recordPosition, withdrawPosition } from '../../server/services/positions.ts';
import { findProposer, findProposerNow, tellProposer, tellProposerNow } from '../../server/services/proposals.ts';
import { isOrganisationVerified } from '../../server/services/verification.ts';
import type { DocumentAccess } from '../../server/sync/DocumentAccess.ts';
import { getSectionBody, sectionDocName } from '../../shared/doc/schema.ts';
import type { Thread } from '../../shared/api/index.ts';
import { actingAs, auditLog, fakeDateForTheFile, namedIds, outcome, sameRowsOnBothEngines, scenarioClock, testPerson } from '../helpers/postgres.ts';

/**
 * Comment threads, dissenting positions and proposers' notices, done the same way on SQLite and
 * PostgreSQL: the same people on the same plan start threads, reply, mention each other, edit,
 * delete, resolve and reopen, record and withdraw positions; each engine's answers and the rows it
 * wrote (threads, comments, notices, audit entries, positions) must be the same. Where the engines
 * could part: camelCase aliases, the 0/1 of "is the organisation verified", bytes of an anchor,
 * `IN` over the mentioned ids, the order of ties without SQLite's rowid.
 */

const AT = '2026-05-04T10:00:00.000Z';

const ROWS = [
  `INSERT INTO organisations (id, name, side, color, created_at) VALUES ('organisation-o1', 'Ministry of Justice', 'government', '#123456', '${AT}'),
     ('organisation-o2', 'Вясна', 'civil_society', '#222222', '${AT}'), ('organisation-o3', 'Amnesty International', 'civil_society', '#333333', '${AT}');`,
  `INSERT INTO users (id, email, name, password_hash, organisation_id, created_at) VALUES
     ('person-u1', 'coordinator@example.org', 'Coordinator', 'x', 'organisation-o1', '${AT}'),
     ('person-u2', 'ales@example.org', 'Алесь', 'x', 'organisation-o2', '${AT}'),
     ('person-u3', 'mary@example.org', 'Mary', 'x', 'organisation-o3', '${AT}'),
     ('person-u4', 'nasta@example.org', 'Наста', 'x', 'organisation-o2', '${AT}'),
     ('person-u9', 'outsider@example.org', 'Outsider', 'x', 'organisation-o3', '${AT}');`,
  `INSERT INTO plans (id, title, country, period_start, period_end, created_by, created_at)
     VALUES ('plan-one', 'National Human Rights Plan', 'BY', 2026, 2030, 'person-u1', '${AT}');`,
  `INSERT INTO chapters (id, plan_id, title, position) VALUES ('chapter-c1', 'plan-one', 'Justice', 0);`,
  `INSERT INTO sections (id, plan_id, chapter_id, title, position) VALUES ('section-s1', 'plan-one', 'chapter-c1', 'Fair trial', 0);`,
  `INSERT INTO sections (id, plan_id, chapter_id, title, position, deleted_at) VALUES ('section-s2', 'plan-one', 'chapter-c1', 'In the bin', 1, '${AT}');`,
  `INSERT INTO actions (id, plan_id, section_id, position, title, status, created_by, created_at, updated_at)
     VALUES ('action-a1', 'plan-one', 'section-s1', 0, 'Independent inspections of places of detention', 'planned', 'person-u1', '${AT}', '${AT}');`,
  `INSERT INTO plan_members (plan_id, user_id, role, joined_at) VALUES ('plan-one', 'person-u1', 'coordinator', '${AT}'),
     ('plan-one', 'person-u2', 'drafter', '${AT}'), ('plan-one', 'person-u3', 'commenter', '${AT}'), ('plan-one', 'person-u4', 'commenter', '${AT}');`,
  // The ministry and Вясна are verified for the plan, Amnesty is not.
  `INSERT INTO organisation_verifications (plan_id, organisation_id, side, verified_by, verified_at)
     VALUES ('plan-one', 'organisation-o1', 'government', NULL, '${AT}'), ('plan-one', 'organisation-o2', 'civil_society', 'person-u1', '${AT}');`,
].join('\n');

const both = sameRowsOnBothEngines(ROWS, { foreignKeys: true });

const person = (userId: string, name: string, organisationId: string, organisationName: string) =>
  testPerson(userId, name, organisationId, organisationName, organisationId === 'organisation-o1' ? 'government' : 'civil_society');
const as = actingAs;
const olga = as(person('person-u1', 'Coordinator', 'organisation-o1', 'Ministry of Justice'), 'coordinator');
const ales = as(person('person-u2', 'Алесь', 'organisation-o2', 'Вясна'), 'drafter');
const mary = as(person('person-u3', 'Mary', 'organisation-o3', 'Amnesty International'), 'commenter');
const nasta = as(person('person-u4', 'Наста', 'organisation-o2', 'Вясна'), 'commenter');

// The section's text, as people see it: the same document for both engines.
const doc = new Y.Doc();
const paragraph = new Y.XmlElement('paragraph');
const SENTENCE = 'Everyone has the right to a fair trial by an independent court.';
paragraph.insert(0, [new Y.XmlText(SENTENCE)]);
getSectionBody(doc).insert(0, [paragraph]);
const sync: DocumentAccess = {
  readDocument: async () => null,
  readLiveDocument: async (name) => (name === sectionDocName('section-s1') ? doc : null),
  storeQueued: async () => {},
  openStoredStates: async () => new Map(),
  editDocument: () => {
    throw new Error('comments never edit the text');
  },
};
function anchor(quote: string) {
  const text = paragraph.get(0) as Y.XmlText;
  const from = SENTENCE.indexOf(quote);
  const rel = (i: number) => Buffer.from(Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(text, i, -1))).toString('base64');
  return { start: rel(from), end: rel(from + quote.length), quote };
}

const { tick, restart } = scenarioClock();

const brief = (t: Thread) => ({
  quote: t.quote,
  status: t.status,
  detached: t.detached,
  resolvedBy: t.resolvedBy,
  comments: t.comments.map((c) => [c.authorName, c.organisation, c.organisationVerified, c.body, c.mentions, c.editedAt !== null, c.deletedAt !== null]),
});

/** The same steps on one engine; everything they answered, in order. */
async function scenario(q: Sql) {
  restart();
  const answers: Record<string, unknown> = {};
  tick();
  answers.mentions = await parseMentions(q, 'plan-one', 'Ask @[Алесь](person-u2), @[Outsider](person-u9), @[Mary](person-u3) and @[Алесь](person-u2) again');
  tick();
  // Mary (unverified) mentions Алесь and an outsider, and herself: only Алесь is told.
  const fair = await createThread(q, sync, 'plan-one', 'section-s1', mary, { anchor: anchor('a fair trial'), body: 'What of @[Алесь](person-u2), @[Outsider](person-u9) and @[Mary](person-u3)?' });
  answers.created = brief(fair);
  tick();
  const court = await createThread(q, sync, 'plan-one', 'section-s1', olga, { anchor: anchor('Everyone'), body: 'Everyone, citizens or not.' });
  tick();
  answers.replied = brief(await reply(q, sync, 'plan-one', fair.id, ales, 'Agreed, @[Coordinator](person-u1) should decide.'));
  tick();
  // Editing adds Olga: she is told; Алесь, already told, is not told again.
  answers.edited = brief(await editComment(q, sync, 'plan-one', fair.comments[0]!.id, mary, 'What of @[Алесь](person-u2) and @[Coordinator](person-u1)?'));
  answers.editByOther = await outcome(() => editComment(q, sync, 'plan-one', fair.comments[0]!.id, olga, 'No'));
  tick();
  const thread = await getThread(q, sync, 'plan-one', fair.id);
  const alesReply = thread.comments[1]!.id;
  answers.deleted = await outcome(async () => {
    const { thread: t, changed } = await deleteComment(q, sync, 'plan-one', alesReply, ales);
    return { thread: brief(t), changed };
  });
  answers.deletedTwice = (await deleteComment(q, sync, 'plan-one', alesReply, ales)).changed;
  answers.editDeleted = await outcome(() => editComment(q, sync, 'plan-one', alesReply, ales, 'Again'));
  tick();
  answers.resolveOthers = await outcome(() => setThreadStatus(q, sync, 'plan-one', court.id, mary, 'resolved'));
  const resolved = await setThreadStatus(q, sync, 'plan-one', court.id, ales, 'resolved');
  answers.resolved = { thread: brief(resolved.thread), changed: resolved.changed };
  answers.resolvedTwice = (await setThreadStatus(q, sync, 'plan-one', court.id, olga, 'resolved')).changed;
  tick();
  answers.resolvedOwn = (await setThreadStatus(q, sync, 'plan-one', fair.id, mary, 'resolved')).changed;
  tick();
  answers.reopened = (await setThreadStatus(q, sync, 'plan-one', fair.id, olga, 'open')).changed;
  tick();
  answers.lists = {
    all: (await listThreads(q, sync, 'plan-one', 'section-s1', { status: 'all' })).map(brief),
    open: (await listThreads(q, sync, 'plan-one', 'section-s1', { status: 'open' })).map((t) => t.quote),
    resolved: (await listThreads(q, sync, 'plan-one', 'section-s1', { status: 'resolved' })).map((t) => t.quote),
    byAmnesty: (await listThreads(q, sync, 'plan-one', 'section-s1', { status: 'all', organisationId: 'organisation-o3' })).map((t) => t.quote),
    // Алесь's only comment is deleted: it does not count.
    byViasna: (await listThreads(q, sync, 'plan-one', 'section-s1', { status: 'all', organisationId: 'organisation-o2' })).map((t) => t.quote),
  };
  answers.inTheBin = await outcome(() => listThreads(q, sync, 'plan-one', 'section-s2', { status: 'all' }));
  answers.otherPlan = await outcome(() => getThread(q, sync, 'plan-two', fair.id));

  tick();
  answers.unverified = await outcome(() => recordPosition(q, 'plan-one', 'section-s1', mary, { text: 'We object.' }));
  answers.observer = await outcome(() => recordPosition(q, 'plan-one', 'section-s1', { principal: ales.principal, role: 'observer' }, { text: 'We object.' }));
  answers.noSuchAction = await outcome(() => recordPosition(q, 'plan-one', 'section-s1', ales, { text: 'We object.', actionId: 'action-a9' }));
  const onSection = await recordPosition(q, 'plan-one', 'section-s1', ales, { text: 'Courts are not independent yet.' });
  tick();
  const onAction = await recordPosition(q, 'plan-one', 'section-s1', nasta, { text: 'Inspections need NGOs.', actionId: 'action-a1' });
  answers.recorded = [onSection, onAction];
  tick();
  answers.withdrawByOther = await outcome(() => withdrawPosition(q, 'plan-one', onSection.id, olga));
  answers.withdrawn = await withdrawPosition(q, 'plan-one', onSection.id, nasta);
  answers.withdrawnTwice = await outcome(() => withdrawPosition(q, 'plan-one', onSection.id, ales));
  answers.positions = await listPositions(q, 'plan-one', 'section-s1');
  answers.standing = await listStandingPositions(q, 'plan-one');
  answers.positionsInOtherPlan = await outcome(() => listPositions(q, 'plan-two', 'section-s1'));

  tick();
  answers.verified = [await isOrganisationVerified(q, 'plan-one', 'organisation-o2'), await isOrganisationVerified(q, 'plan-one', 'organisation-o3')];
  const viasna = await findProposer(q, 'organisation-o2');
  answers.proposers = [viasna, await findProposer(q, 'organisation-o9'), await findProposer(q, null)];
  const proposal = { planId: 'plan-one', proposer: viasna, kind: 'proposal_removed' as const, summary: 'Olga removed Вясна’s action', text: { key: 'proposal_removed_action' as const, params: { who: 'Olga', organisation: 'Ministry of Justice', title: 'Inspections', proposer: 'Вясна' } }, link: '/plans/plan-one' };
  answers.told = await q.transaction(async (tx) => [
    await tellProposer(tx, { ...proposal, who: olga }),
    // Вясна acting on its own proposal tells nobody.
    await tellProposer(tx, { ...proposal, who: nasta }),
  ]);
  return answers;
}

const ThreadTable = rowShape({ quote: col.text, anchor_start: col.blob, anchor_end: col.blob, status: col.text, resolved_by: col.nullableText, resolved_at: col.nullableText, created_by: col.text, created_at: col.text });
const CommentTable = rowShape({ quote: col.text, author_id: col.text, body: col.text, mentions: col.text, created_at: col.text, edited_at: col.nullableText, deleted_at: col.nullableText });
const NoticeTable = rowShape({ user_id: col.text, kind: col.text, summary: col.text, text: col.nullableText, link: col.nullableText, created_at: col.text, read_at: col.nullableText });
const PositionTable = rowShape({ section_id: col.text, action_id: col.nullableText, action_title: col.nullableText, organisation_id: col.text, user_id: col.text, text: col.text, created_at: col.text, withdrawn_at: col.nullableText, withdrawn_by: col.nullableText });

/** The rows the steps wrote, in an order that does not depend on random ids. */
async function written(q: Sql) {
  return {
    threads: await q.rows(ThreadTable, sql`SELECT quote, anchor_start, anchor_end, status, resolved_by, resolved_at, created_by, created_at FROM comment_threads ORDER BY created_at`),
    comments: await q.rows(
      CommentTable,
      sql`SELECT t.quote, c.author_id, c.body, c.mentions, c.created_at, c.edited_at, c.deleted_at FROM comments c JOIN comment_threads t ON t.id = c.thread_id
        ORDER BY c.created_at, c.author_id`,
    ),
    notices: await q.rows(NoticeTable, sql`SELECT user_id, kind, summary, text, link, created_at, read_at FROM notifications ORDER BY created_at, user_id`),
    audit: await auditLog(q),
    positions: await q.rows(PositionTable, sql`SELECT section_id, action_id, action_title, organisation_id, user_id, text, created_at, withdrawn_at, withdrawn_by FROM dissenting_positions ORDER BY created_at`),
  };
}

let answers: { sqlite: Awaited<ReturnType<typeof scenario>>; postgres: Awaited<ReturnType<typeof scenario>> };
let rows: { sqlite: Awaited<ReturnType<typeof written>>; postgres: Awaited<ReturnType<typeof written>> };

fakeDateForTheFile();

describe('comments, positions and proposals on SQLite and PostgreSQL', () => {
  it('answer the same steps alike on both engines', async () => {
    answers = { sqlite: await scenario(both.sqlite), postgres: await scenario(both.postgres) };
    expect(namedIds(answers.postgres)).toEqual(namedIds(answers.sqlite));
  });

  it('write the same threads, comments, notices, audit entries and positions on both engines', async () => {
    rows = { sqlite: await written(both.sqlite), postgres: await written(both.postgres) };
    expect(rows.postgres.threads).toEqual(rows.sqlite.threads);
    expect(namedIds(rows.postgres)).toEqual(namedIds(rows.sqlite));
  });

  it('answer what the rules say', () => {
    const a = answers.postgres;
    expect(a.mentions).toEqual(['person-u2', 'person-u3']);
    expect(a.created).toEqual({
      quote: 'a fair trial',
      status: 'open',
      detached: false,
      resolvedBy: null,
      comments: [['Mary', 'Amnesty International', false, 'What of @[Алесь](person-u2), @[Outsider](person-u9) and @[Mary](person-u3)?', ['person-u2', 'person-u3'], false, false]],
    });
    expect(a.replied).toMatchObject({ comments: [expect.anything(), ['Алесь', 'Вясна', true, 'Agreed, @[Coordinator](person-u1) should decide.', ['person-u1'], false, false]] });
    expect(a.edited).toMatchObject({ comments: [['Mary', 'Amnesty International', false, 'What of @[Алесь](person-u2) and @[Coordinator](person-u1)?', ['person-u2', 'person-u1'], true, false], expect.anything()] });
    expect(a.editByOther).toEqual({ refused: 403, code: 'not_comment_author' });
    expect(a.deleted).toMatchObject({ changed: true, thread: { comments: [expect.anything(), ['Алесь', 'Вясна', true, '', [], false, true]] } });
    expect(a.deletedTwice).toBe(false);
    expect(a.editDeleted).toEqual({ refused: 409, code: 'comment_deleted' });
    expect(a.resolveOthers).toEqual({ refused: 403, code: 'resolve_not_allowed' });
    expect(a.resolved).toMatchObject({ changed: true, thread: { status: 'resolved', resolvedBy: 'Алесь' } });
    expect([a.resolvedTwice, a.resolvedOwn, a.reopened]).toEqual([false, true, true]);
    // In text order: "Everyone" comes before "a fair trial", though started later.
    expect(a.lists).toEqual({
      all: [expect.objectContaining({ quote: 'Everyone', status: 'resolved' }), expect.objectContaining({ quote: 'a fair trial', status: 'open', resolvedBy: null })],
      open: ['a fair trial'],
      resolved: ['Everyone'],
      byAmnesty: ['a fair trial'],
      byViasna: [],
    });
    expect(a.inTheBin).toEqual({ refused: 404, code: 'not_found' });
    expect(a.otherPlan).toEqual({ refused: 404, code: 'not_found' });

    expect(a.unverified).toEqual({ refused: 403, code: 'organisation_unverified' });
    expect(a.observer).toEqual({ refused: 403, code: 'observer_no_position' });
    expect(a.noSuchAction).toEqual({ refused: 404, code: 'not_found' });
    expect(a.recorded).toEqual([
      expect.objectContaining({ organisation: 'Вясна', organisationVerified: true, author: 'Алесь', actionId: null, actionTitle: null, withdrawnAt: null }),
      expect.objectContaining({ author: 'Наста', actionId: 'action-a1', actionTitle: 'Independent inspections of places of detention' }),
    ]);
    expect(a.withdrawByOther).toEqual({ refused: 403, code: 'position_not_yours' });
    expect(a.withdrawn).toMatchObject({ text: 'Courts are not independent yet.', withdrawnAt: '2026-06-01T09:00:12.000Z' });
    expect(a.withdrawnTwice).toEqual({ refused: 409, code: 'already_withdrawn' });
    expect((a.positions as Array<{ text: string }>).map((p) => p.text)).toEqual(['Courts are not independent yet.', 'Inspections need NGOs.']);
    expect((a.standing as Array<{ text: string }>).map((p) => p.text)).toEqual(['Inspections need NGOs.']);
    expect(a.positionsInOtherPlan).toEqual({ refused: 404, code: 'not_found' });

    expect(a.verified).toEqual([true, false]);
    expect(a.proposers).toEqual([{ id: 'organisation-o2', name: 'Вясна', side: 'civil_society' }, null, null]);
    expect(a.told).toEqual([2, 0]);
  });

  it('leave on the record who was told and what was done', () => {
    const r = rows.postgres;
    expect(r.threads.map((t) => [t.quote, t.status, t.resolved_by])).toEqual([
      ['a fair trial', 'open', null],
      ['Everyone', 'resolved', 'person-u2'],
    ]);
    // Mary's mention tells Алесь; Алесь's reply tells Olga; Mary's edit adds Olga, who is told again for that comment; Вясна hears of its proposal.
    expect(r.notices.map((n) => [n.user_id, n.kind])).toEqual([
      ['person-u2', 'mention'],
      ['person-u1', 'mention'],
      ['person-u1', 'mention'],
      ['person-u2', 'proposal_removed'],
      ['person-u4', 'proposal_removed'],
    ]);
    expect(r.notices[0]!.link).toMatch(/^\/plans\/plan-one\/sections\/section-s1#thread-/);
    expect(r.audit.map((e) => [e.action, e.actor_id, e.actor_role, e.target_type])).toEqual([
      ['comment.thread_created', 'person-u3', 'commenter', 'thread'],
      ['comment.thread_created', 'person-u1', 'coordinator', 'thread'],
      ['comment.deleted', 'person-u2', 'drafter', 'comment'],
      ['comment.thread_resolved', 'person-u2', 'drafter', 'thread'],
      ['comment.thread_resolved', 'person-u3', 'commenter', 'thread'],
      ['comment.thread_reopened', 'person-u1', 'coordinator', 'thread'],
      ['dissent.recorded', 'person-u2', 'drafter', 'section'],
      ['dissent.recorded', 'person-u4', 'commenter', 'section'],
      ['dissent.withdrawn', 'person-u4', 'commenter', 'section'],
    ]);
    expect(r.positions.map((p) => [p.user_id, p.action_title, p.withdrawn_by])).toEqual([
      ['person-u2', null, 'person-u4'],
      ['person-u4', 'Independent inspections of places of detention', null],
    ]);
  });

  it('the synchronous forms kept for unmoved callers read what the Sql forms read', async () => {
    expect(findProposerNow(both.db, 'organisation-o2')).toEqual(await findProposer(both.sqlite, 'organisation-o2'));
    const who = olga;
    const told = tellProposerNow(both.db, { planId: 'plan-one', proposer: await findProposer(both.sqlite, 'organisation-o2'), who, kind: 'proposal_changed', summary: 'Changed', text: { key: 'proposal_removed_action', params: { who: 'Olga', organisation: 'Ministry of Justice', title: 'Inspections', proposer: 'Вясна' } }, link: null });
    expect(told).toBe(2);
  });
});
