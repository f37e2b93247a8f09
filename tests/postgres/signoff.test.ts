import { sql } from 'kysely';
import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { z } from 'zod';
import type { Db } from '../../server/db/database.ts';
import { col, rowShape } from '../../server/db/rows.ts';
import type { Sql } from '../../server/db/sql/Sql.ts';
import { EventBus } from '../../server/events.ts';
import {
  getRule,
  listSignoffs,
  planSignedBy,
  reopen,
  sectionAgreement,
  setStatus,
  sign,
  withdrawOwnSignoff,
  withdrawStaleSignatures,
} from '../../server/services/agreement.ts';
import { hashLines } from '../../server/services/contentHash.ts';
import { recordPosition } from '../../server/services/positions.ts';
import { removeChapterRule, rulesOverview, setChapterRule, setPlanRule } from '../../server/services/signoffRuleChanges.ts';
import { updateRecommendation } from '../../server/services/recommendations.ts';
import { decide, getSuggestionRule, listDecisions, setSuggestionRule } from '../../server/services/suggestions.ts';
import type { DocumentAccess } from '../../server/sync/DocumentAccess.ts';
import { DocumentStore } from '../../server/storage/DocumentStore.ts';
import { PgDocumentStore } from '../../server/storage/postgres/PgDocumentStore.ts';
import type { MayStore } from '../../server/storage/documentLog.ts';
import { appendDocumentUpdate, lockDocumentFor } from '../../server/storage/appendDocument.ts';
import type { DocumentAppend } from '../../server/storage/documentLog.ts';
import { appendBlocks, getSectionBody, parseDocName, sectionDocName } from '../../shared/doc/schema.ts';
import { SUGGEST_DELETE, SUGGEST_INSERT } from '../../shared/doc/suggestions.ts';
import type { SectionAgreement } from '../../shared/api/index.ts';
import { actingAs, auditLog, fakeDateForTheFile, namedIds, outcome, sameRowsOnBothEngines, scenarioClock, testPerson } from '../helpers/postgres.ts';

/**
 * Sign-off and decisions on suggestions, taken the same way on SQLite and PostgreSQL: signing as
 * verified organisations of both sides, a refusal for an unverified one, a reservation and a
 * dissenting position, withdrawing, a signature made stale by someone's typing, reopening, sign-off
 * rules changed (the sections they agree, and one held by open suggestions), and suggestions
 * accepted, rejected and withdrawn. Each engine's answers, refusals and the rows it wrote
 * (signatures, sections, rules, decisions, positions, notices, audit entries) must be the same, and
 * the hash stored for the same content too. Where the engines could part: camelCase aliases and
 * `by` (reserved in PostgreSQL), 0/1 of "verified", the state vector's bytes, the order of
 * signatures without SQLite's rowid, the reason read out of an audit entry's JSON.
 *
 * Section texts live in the documents' logs of each engine (as the sync server stores them) and in
 * memory (TextsOf below, standing in for the sync server). On PostgreSQL what a sign-off hashes is
 * the log read under the document's lock; the last tests show an append from another process, and
 * a change of a reference the section cites, waiting for the sign-off.
 */

const AT = '2026-05-04T10:00:00.000Z';

const ROWS = [
  `INSERT INTO organisations (id, name, side, color, created_at) VALUES ('org-ministry', 'Ministry of Foreign Affairs', 'government', '#123456', '${AT}'),
     ('org-viasna', 'Вясна', 'civil_society', '#222222', '${AT}'), ('org-amnesty', 'Amnesty International', 'civil_society', '#333333', '${AT}');`,
  `INSERT INTO users (id, email, name, password_hash, organisation_id, created_at) VALUES
     ('person-olga', 'olga@example.org', 'Olga', 'x', 'org-ministry', '${AT}'),
     ('person-ales', 'ales@example.org', 'Алесь', 'x', 'org-viasna', '${AT}'),
     ('person-nasta', 'nasta@example.org', 'Наста', 'x', 'org-viasna', '${AT}'),
     ('person-mary', 'mary@example.org', 'Mary', 'x', 'org-amnesty', '${AT}');`,
  `INSERT INTO plans (id, title, country, period_start, period_end, created_by, created_at)
     VALUES ('plan-one', 'National Human Rights Plan', 'BY', 2026, 2030, 'person-olga', '${AT}');`,
  `INSERT INTO plan_members (plan_id, user_id, role, joined_at) VALUES ('plan-one', 'person-olga', 'coordinator', '${AT}'),
     ('plan-one', 'person-ales', 'drafter', '${AT}'), ('plan-one', 'person-nasta', 'commenter', '${AT}'), ('plan-one', 'person-mary', 'drafter', '${AT}');`,
  // The ministry and Вясна are verified for the plan; Amnesty is not.
  `INSERT INTO organisation_verifications (plan_id, organisation_id, side, verified_by, verified_at)
     VALUES ('plan-one', 'org-ministry', 'government', NULL, '${AT}'), ('plan-one', 'org-viasna', 'civil_society', 'person-olga', '${AT}');`,
  `INSERT INTO plan_organisations (plan_id, organisation_id, added_by, added_at) VALUES ('plan-one', 'org-amnesty', 'person-olga', '${AT}');`,
  `INSERT INTO chapters (id, plan_id, title, position) VALUES ('chapter-c1', 'plan-one', 'Justice', 0), ('chapter-c2', 'plan-one', 'Health', 1);`,
  `INSERT INTO sections (id, plan_id, chapter_id, title, position) VALUES ('section-s1', 'plan-one', 'chapter-c1', 'Fair trial', 0), ('section-s2', 'plan-one', 'chapter-c1', 'Detention', 1),
     ('section-s3', 'plan-one', 'chapter-c2', 'Access to care', 0), ('section-s4', 'plan-one', 'chapter-c2', 'Medicines', 1), ('section-s5', 'plan-one', 'chapter-c2', 'Clinics', 2);`,
  // An action with what the canonical content spells out: names, budget, partners, an indicator.
  `INSERT INTO actions (id, plan_id, section_id, position, title, status, lead_agency_id, start_at, end_at, budget_amount, currency, funding_source,
       created_by, created_at, updated_at)
     VALUES ('action-a1', 'plan-one', 'section-s1', 0, 'Independent inspections of places of detention', 'planned', 'org-ministry', '2026-01', '2027-12', 120000.5, 'EUR', 'State budget',
       'person-olga', '${AT}', '${AT}');`,
  `INSERT INTO action_organisations (action_id, organisation_id, role, position) VALUES ('action-a1', 'org-viasna', 'cso_partner', 0);`,
  `INSERT INTO recommendations (id, plan_id, source_key, reference, sort_key, mechanism, state_under_review, text, language, position, themes,
       sdg_targets, created_at, updated_at)
     VALUES ('rec-detention', 'plan-one', 'upr:97.1', '97.1', '97.1', 'UPR', 'Belarus', 'Inspect places of detention', 'en', 'supported', '[]', '[]',
       '${AT}', '${AT}');`,
  `INSERT INTO action_recommendations (action_id, recommendation_id) VALUES ('action-a1', 'rec-detention');`,
  `INSERT INTO indicators (id, action_id, position, type, description, baseline_value, baseline_year, target_value, target_year, created_at, updated_at)
     VALUES ('indicator-i1', 'action-a1', 0, 'process', 'Inspections a year', '0', 2025, '12', 2027, '${AT}', '${AT}');`,
].join('\n');

const both = sameRowsOnBothEngines(ROWS, { foreignKeys: true });

const person = testPerson;
const as = actingAs;
const olga = as(person('person-olga', 'Olga', 'org-ministry', 'Ministry of Foreign Affairs', 'government'), 'coordinator');
const ales = as(person('person-ales', 'Алесь', 'org-viasna', 'Вясна', 'civil_society'), 'drafter');
const nasta = as(person('person-nasta', 'Наста', 'org-viasna', 'Вясна', 'civil_society'), 'commenter');
const mary = as(person('person-mary', 'Mary', 'org-amnesty', 'Amnesty International', 'civil_society'), 'drafter');

// ---- The texts: the same bytes for both engines ----------------------------------------------------

const SECTIONS = ['section-s1', 'section-s2', 'section-s3', 'section-s4', 'section-s5'] as const;
const FIRST: Record<(typeof SECTIONS)[number], string> = {
  'section-s1': 'Everyone has the right to a fair trial by an independent court.',
  'section-s2': 'The State will inspect every place of detention.',
  'section-s3': 'Care is free at the point of use.',
  'section-s4': 'Essential medicines are listed every year.',
  'section-s5': 'Every district has a clinic.',
};

/** A replica of a text under a fixed Yjs client id, whose edits are the updates a person's editor sends. */
function replica(updates: readonly Uint8Array[], clientID: number) {
  const doc = new Y.Doc();
  for (const u of updates) Y.applyUpdate(doc, u);
  doc.clientID = clientID;
  return {
    edit(change: (doc: Y.Doc) => void): Uint8Array {
      const made: Uint8Array[] = [];
      const listen = (u: Uint8Array) => made.push(u);
      doc.on('update', listen);
      doc.transact(() => change(doc));
      doc.off('update', listen);
      return Y.mergeUpdates(made);
    },
  };
}

const seeds = new Map(SECTIONS.map((id, i) => [id, replica([], 100 + i).edit((doc) => appendBlocks(doc, [{ type: 'paragraph', text: FIRST[id] }]))]));
/** Алесь types a sentence more at the end of s1 (client 201, his). */
const alesTypes = replica([seeds.get('section-s1')!], 201).edit((doc) => {
  const text = (getSectionBody(doc).get(0) as Y.XmlElement).get(0) as Y.XmlText;
  text.insert(text.length, ' Hearings are public.');
});
/** Suggestions in s2, marked as their editors mark them: Алесь proposes "independent " and deletes "The ", Mary proposes " monthly". */
const INSERT_ID = 'sugg-independent';
const DELETE_ID = 'sugg-the';
const MARY_ID = 'sugg-monthly';
const suggested = replica([seeds.get('section-s2')!], 202).edit((doc) => {
  const text = (getSectionBody(doc).get(0) as Y.XmlElement).get(0) as Y.XmlText;
  text.insert(FIRST['section-s2'].indexOf('place'), 'independent ', { [SUGGEST_INSERT]: { id: INSERT_ID, author: 'person-ales', at: 1 } });
  text.format(0, 4, { [SUGGEST_DELETE]: { id: DELETE_ID, author: 'person-ales', at: 2 } });
});
const marySuggests = replica([seeds.get('section-s2')!, suggested], 203).edit((doc) => {
  const text = (getSectionBody(doc).get(0) as Y.XmlElement).get(0) as Y.XmlText;
  text.insert(text.length - 1, ' monthly', { [SUGGEST_INSERT]: { id: MARY_ID, author: 'person-mary', at: 3 } });
});
/** Another process's typing in s4 and s5 (Алесь again, client 204). */
const typedElsewhere = (sectionId: 'section-s4' | 'section-s5') =>
  replica([seeds.get(sectionId)!], 204).edit((doc) => appendBlocks(doc, [{ type: 'paragraph', text: 'Typed through another process.' }]));

/** A document's log on one engine: SQLite's DocumentStore or PostgreSQL's, as the sync server would write it. */
interface Log {
  create(name: string): Promise<void>;
  append(batch: DocumentAppend[]): Promise<void>;
}

const sqliteLog = (db: Db): Log => ({
  create: async (name) => new DocumentStore(db).create(name),
  append: async (batch) => new DocumentStore(db).appendMany(batch),
});
const postgresLog = (pool: pg.Pool): Log => ({
  create: (name) => new PgDocumentStore(pool).create(name),
  append: async (batch) => {
    await new PgDocumentStore(pool).appendMany(batch);
  },
});

/**
 * The sections' texts as the sync server holds them, for one engine: every edit is stored in the
 * engine's log as well. A server edit (a decision on suggestions) runs on a copy under a fixed
 * client id, so both engines store the same bytes, in the caller's transaction with its records,
 * as the sync server stores it; the text changes once that commits.
 */
class TextsOf implements DocumentAccess {
  private readonly docs = new Map<string, Y.Doc>();
  private readonly storing: Array<Promise<void>> = [];
  private serverClient = 900;

  constructor(private readonly log: Log) {}

  async create(sectionId: string, seed: Uint8Array): Promise<void> {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, seed);
    this.docs.set(sectionDocName(sectionId), doc);
    await this.log.create(sectionDocName(sectionId));
    await this.log.append([{ name: sectionDocName(sectionId), update: seed }]);
  }

  /** Someone's edit, stored with who writes under its client id. */
  async type(sectionId: string, update: Uint8Array, owner: [clientId: number, userId: string]): Promise<void> {
    Y.applyUpdate(this.docs.get(sectionDocName(sectionId))!, update);
    await this.log.append([{ name: sectionDocName(sectionId), update, owners: [owner] }]);
  }

  async stored(): Promise<void> {
    await Promise.all(this.storing.splice(0));
  }

  async readDocument(name: string): Promise<Y.Doc | null> {
    const doc = this.docs.get(name);
    if (!doc) return null;
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
    return copy;
  }

  readLiveDocument(name: string): Promise<Y.Doc | null> {
    return this.readDocument(name);
  }

  async storeQueued(): Promise<void> {}

  async openStoredStates(): Promise<Map<string, Uint8Array>> {
    return new Map();
  }

  async editDocument<T>(tx: Sql, name: string, _planId: string, edit: (doc: Y.Doc) => T): Promise<T> {
    await lockDocumentFor(tx, name);
    const copy = (await this.readDocument(name))!;
    copy.clientID = this.serverClient++;
    const updates: Uint8Array[] = [];
    copy.on('update', (u: Uint8Array) => updates.push(u));
    try {
      const result = copy.transact(() => edit(copy));
      if (updates.length > 0) {
        const update = Y.mergeUpdates(updates);
        await appendDocumentUpdate(tx, name, update);
        tx.afterCommit(() => Y.applyUpdate(this.docs.get(name)!, update));
      }
      return result;
    } finally {
      copy.destroy();
    }
  }
}

// ---- The steps -----------------------------------------------------------------------------------

const { tick, restart } = scenarioClock();

const brief = (a: SectionAgreement) => ({
  status: a.status,
  currentHash: a.currentHash,
  agreedHash: a.agreedHash,
  needs: a.needs,
  missing: a.missing,
  rule: a.rule,
  ruleSource: a.ruleSource,
  openSuggestions: a.openSuggestions,
  reopenings: a.reopenings,
  signoffs: a.signoffs.map((s) => [s.name, s.organisation, s.side, s.role, s.organisationVerified, s.contentHash, s.signedAt, s.reservation, s.withdrawnReason, s.withdrawnByName, s.withdrawnBySigner]),
});

/** Each engine's texts, as its scenario left them. */
const textsOf: Partial<Record<Sql['engine'], TextsOf>> = {};

/** The same steps on one engine; everything they answered, in order. */
async function scenario(q: Sql, log: Log) {
  restart();
  const texts = new TextsOf(log);
  const bus = new EventBus();
  const events: string[] = [];
  bus.on('sectionAgreed', (planId, sectionId, hash) => events.push(`agreed ${planId} ${sectionId} ${hash}`));
  bus.on('sectionReopened', (planId, sectionId) => events.push(`reopened ${planId} ${sectionId}`));
  textsOf[q.engine] = texts;
  for (const id of SECTIONS) await texts.create(id, seeds.get(id)!);
  const deps = { sql: q, sync: texts, events: bus };
  const answers: Record<string, unknown> = {};
  const agreement = async (sectionId: string) => brief(await sectionAgreement(deps, 'plan-one', sectionId));
  const signed = async (sectionId: string, who: typeof olga, hash: string, reservation: string | null = null) =>
    outcome(async () => brief(await sign(deps, 'plan-one', sectionId, who, hash, reservation)));

  tick();
  const first = await agreement('section-s1');
  answers.first = first;
  tick();
  answers.unverified = await signed('section-s1', mary, first.currentHash);
  answers.commenter = await signed('section-s1', nasta, first.currentHash);
  answers.otherHash = await signed('section-s1', olga, 'f'.repeat(64));
  answers.notInPlan = await signed('section-s9', olga, first.currentHash);
  tick();
  answers.olgaSigns = await signed('section-s1', olga, first.currentHash);
  answers.twice = await signed('section-s1', olga, first.currentHash);
  // Withdrawn and given again within the second: the two signatures keep the order they were given.
  answers.withdrawn = brief(await withdrawOwnSignoff(deps, 'plan-one', 'section-s1', olga, 'We read it again.'));
  answers.withdrawnTwice = await outcome(() => withdrawOwnSignoff(deps, 'plan-one', 'section-s1', olga, null));
  answers.signsAgain = await signed('section-s1', olga, first.currentHash);
  tick();
  // Алесь types: Olga's signature is on a text that is no longer there; his stored edits name him.
  await texts.type('section-s1', alesTypes, [201, 'person-ales']);
  answers.afterTyping = await agreement('section-s1');
  const typed = await agreement('section-s1');
  tick();
  answers.olgaSignsTyped = await signed('section-s1', olga, typed.currentHash);
  tick();
  const reservation = 'Вясна signs on the understanding that hearings are public from 2026.';
  answers.agreed = await signed('section-s1', ales, typed.currentHash, reservation);
  tick();
  answers.dissent = await recordPosition(q, 'plan-one', 'section-s1', ales, { text: 'Military courts should be named.' });
  answers.moveAgreed = await outcome(() => setStatus(deps, 'plan-one', 'section-s1', ales, 'drafting'));
  answers.withdrawAgreed = await outcome(() => withdrawOwnSignoff(deps, 'plan-one', 'section-s1', ales, null));
  answers.reopenByDrafter = await outcome(() => reopen(deps, 'plan-one', 'section-s1', ales, 'Let us talk again.'));
  tick();
  answers.reopened = brief(await reopen(deps, 'plan-one', 'section-s1', olga, 'The ministry asks for a different timeline.'));
  answers.reopenDrafting = await outcome(() => reopen(deps, 'plan-one', 'section-s1', olga, 'Again.'));
  tick();
  answers.signedAfterReopening = await signed('section-s1', ales, typed.currentHash);
  tick();
  answers.backToDrafting = brief(await setStatus(deps, 'plan-one', 'section-s1', olga, 'drafting'));
  answers.inReview = brief(await setStatus(deps, 'plan-one', 'section-s1', olga, 'in_review'));

  // Rules: a chapter's own agrees what its signatures already meet; one held by open suggestions.
  tick();
  const care = await agreement('section-s3');
  answers.careSigned = await signed('section-s3', olga, care.currentHash);
  const detention = await agreement('section-s2');
  answers.detentionSigned = await signed('section-s2', olga, detention.currentHash);
  tick();
  await texts.type('section-s2', suggested, [202, 'person-ales']);
  await texts.type('section-s2', marySuggests, [203, 'person-mary']);
  answers.openSuggestions = await signed('section-s2', ales, detention.currentHash);
  tick();
  answers.chapterRule = await setChapterRule(deps, 'plan-one', 'chapter-c2', olga, { kind: 'sides', sides: ['government'] });
  answers.ruleByDrafter = await outcome(() => setPlanRule(deps, 'plan-one', ales, { kind: 'sides', sides: ['government'] }));
  answers.ruleNotMet = await outcome(() => setPlanRule(deps, 'plan-one', olga, { kind: 'organisations', organisationIds: ['org-nowhere'] }));
  tick();
  answers.planRule = await setPlanRule(deps, 'plan-one', olga, { kind: 'sides', sides: ['government'] });
  tick();
  answers.chapterRuleRemoved = await removeChapterRule(deps, 'plan-one', 'chapter-c2', olga);
  answers.chapterRuleRemovedTwice = await outcome(() => removeChapterRule(deps, 'plan-one', 'chapter-c2', olga));
  answers.rules = [await getRule(q, 'plan-one'), await rulesOverview(q, 'plan-one')];
  tick();
  answers.bothSides = await setPlanRule(deps, 'plan-one', olga, { kind: 'sides', sides: ['government', 'civil_society'] });

  // Suggestions decided.
  tick();
  answers.commenterAccepts = await outcome(() => decide({ sql: q, sync: texts }, 'plan-one', 'section-s2', nasta, { decision: 'accept', ids: [INSERT_ID] }));
  const decided = async (who: typeof olga, input: Parameters<typeof decide>[4]) =>
    outcome(async () => {
      const answer = await decide({ sql: q, sync: texts }, 'plan-one', 'section-s2', who, input);
      await texts.stored();
      return answer;
    });
  answers.accepted = await decided(olga, { decision: 'accept', ids: [INSERT_ID] });
  answers.acceptedTwice = await decided(olga, { decision: 'accept', ids: [INSERT_ID] });
  tick();
  answers.ownWithdrawn = await decided(ales, { decision: 'reject', ids: [DELETE_ID] });
  tick();
  answers.amnestyRejected = await decided(olga, { decision: 'reject', organisationId: 'org-amnesty', reason: 'Monthly is too often.' });
  answers.decisions = await listDecisions(q, 'plan-one', 'section-s2');
  answers.afterDecisions = await agreement('section-s2');
  tick();
  answers.suggestionRule = await setSuggestionRule(q, 'plan-one', olga, { commentersSuggest: false, suggestOnlySides: ['civil_society', 'civil_society'] });
  answers.suggestionRuleByDrafter = await outcome(() => setSuggestionRule(q, 'plan-one', ales, { commentersSuggest: true, suggestOnlySides: [] }));
  answers.suggestionRuleRead = await getSuggestionRule(q, 'plan-one');

  // A stale signature withdrawn in the name of whoever changed the actions (routes/actions.ts, a restore).
  tick();
  const medicines = await agreement('section-s4');
  await signed('section-s4', olga, medicines.currentHash);
  await q.run(sql`UPDATE actions SET title = 'Inspections, announced and not' WHERE id = 'action-a1'`);
  await q.run(sql`UPDATE actions SET section_id = 'section-s4' WHERE id = 'action-a1'`);
  const editors = [{ userId: 'person-mary', name: 'Mary' }];
  answers.staleByEditor = await withdrawStaleSignatures(deps, 'plan-one', 'section-s4', editors);
  answers.staleAgain = await withdrawStaleSignatures(deps, 'plan-one', 'section-s4', editors);
  answers.signedBy = Object.fromEntries(await planSignedBy(q, 'plan-one'));
  answers.signoffs = await listSignoffs(q, 'section-s1');
  answers.events = events;
  return answers;
}

const SignoffTable = rowShape({
  section_id: col.text,
  user_id: col.text,
  organisation_id: col.text,
  side: col.text,
  content_hash: col.text,
  signed_at: col.text,
  withdrawn_at: col.nullableText,
  withdrawn_reason: col.nullableText,
  reservation: col.nullableText,
  withdrawn_by: col.nullableText,
  withdrawn_by_name: col.nullableText,
  state_vector: col.blob.nullable(),
  signer_role: col.nullableText,
});
const SectionTable = rowShape({ id: col.text, status: col.text, agreed_at: col.nullableText, agreed_hash: col.nullableText });
const RuleTable = rowShape({ plan_id: col.text, rule: col.text, updated_by: col.nullableText, updated_at: col.text });
const ChapterRuleTable = rowShape({ chapter_id: col.text, plan_id: col.text, rule: col.text, updated_by: col.nullableText, updated_at: col.text });
const DecisionTable = rowShape({
  id: col.int,
  section_id: col.text,
  suggestion_id: col.text,
  decision: col.text,
  kind: col.text,
  inserted: col.text,
  deleted: col.text,
  author_id: col.text,
  author_name: col.text,
  author_organisation: col.text,
  decided_by: col.text,
  decided_by_name: col.text,
  decided_by_organisation: col.text,
  decided_at: col.text,
  reason: col.nullableText,
  formatted: col.text,
  format: col.nullableText,
  block: col.nullableText,
});
const PositionTable = rowShape({ section_id: col.text, organisation_id: col.text, user_id: col.text, text: col.text, created_at: col.text });
const NoticeTable = rowShape({ user_id: col.text, kind: col.text, summary: col.text, text: col.nullableText, link: col.nullableText, created_at: col.text });

/** The rows the steps wrote, in an order that does not depend on random ids. */
async function written(q: Sql) {
  return {
    signoffs: await q.rows(
      SignoffTable,
      sql`SELECT section_id, user_id, organisation_id, side, content_hash, signed_at, withdrawn_at, withdrawn_reason, reservation, withdrawn_by,
            withdrawn_by_name, state_vector, signer_role FROM section_signoffs ORDER BY section_id, signed_at`,
    ),
    sections: await q.rows(SectionTable, sql`SELECT id, status, agreed_at, agreed_hash FROM sections ORDER BY id`),
    planRules: await q.rows(RuleTable, sql`SELECT plan_id, rule, updated_by, updated_at FROM plan_signoff_rules ORDER BY plan_id`),
    chapterRules: await q.rows(ChapterRuleTable, sql`SELECT chapter_id, plan_id, rule, updated_by, updated_at FROM chapter_signoff_rules ORDER BY chapter_id`),
    suggestionRules: await q.rows(RuleTable, sql`SELECT plan_id, rule, updated_by, updated_at FROM plan_suggestion_rules ORDER BY plan_id`),
    decisions: await q.rows(
      DecisionTable,
      sql`SELECT id, section_id, suggestion_id, decision, kind, inserted, deleted, author_id, author_name, author_organisation, decided_by,
            decided_by_name, decided_by_organisation, decided_at, reason, formatted, format, block FROM suggestion_decisions ORDER BY id`,
    ),
    positions: await q.rows(PositionTable, sql`SELECT section_id, organisation_id, user_id, text, created_at FROM dissenting_positions ORDER BY created_at`),
    notices: await q.rows(NoticeTable, sql`SELECT user_id, kind, summary, text, link, created_at FROM notifications ORDER BY created_at, user_id, kind, summary`),
    audit: await auditLog(q),
  };
}

let answers: { sqlite: Awaited<ReturnType<typeof scenario>>; postgres: Awaited<ReturnType<typeof scenario>> };
let rows: { sqlite: Awaited<ReturnType<typeof written>>; postgres: Awaited<ReturnType<typeof written>> };
let pool: pg.Pool;

fakeDateForTheFile();

describe('sign-off and decisions on suggestions on SQLite and PostgreSQL', () => {
  it('answer the same steps alike on both engines', async () => {
    pool = both.pool({ max: 4 });
    answers = {
      sqlite: await scenario(both.sqlite, sqliteLog(both.db)),
      postgres: await scenario(both.postgres, postgresLog(pool)),
    };
    expect(namedIds(answers.postgres)).toEqual(namedIds(answers.sqlite));
  });

  it('write the same signatures, sections, rules, decisions, positions, notices and audit entries on both engines', async () => {
    rows = { sqlite: await written(both.sqlite), postgres: await written(both.postgres) };
    // The stored hashes and state vectors first: the same content is the same hash on either engine.
    expect(rows.postgres.signoffs).toEqual(rows.sqlite.signoffs);
    expect(rows.postgres.sections).toEqual(rows.sqlite.sections);
    expect(namedIds(rows.postgres)).toEqual(namedIds(rows.sqlite));
  });

  it('hash what the canonical content says, and answer what the rules say', () => {
    const a = answers.postgres;
    // The stored text and the action, line by line (shared/doc/canonical.ts): the hash people recompute from an export.
    expect(a.first).toMatchObject({
      status: 'drafting',
      currentHash: hashLines([
        FIRST['section-s1'],
        'Action 1: Independent inspections of places of detention',
        'Status: planned',
        'Lead agency: Ministry of Foreign Affairs',
        'Co-implementers: —',
        'Civil society partners: Вясна',
        'Timeline: 2026-01 – 2027-12',
        'Budget: 120000.5 EUR (State budget)',
        'Recommendations: 97.1',
        'Indicator 1 (process): Inspections a year; baseline 0 (2025); target 12 (2027)',
      ]),
    });
    expect([a.unverified, a.commenter, a.otherHash, a.notInPlan, a.twice, a.withdrawnTwice]).toEqual([
      { refused: 403, code: 'organisation_unverified' },
      { refused: 403, code: 'forbidden' },
      { refused: 409, code: 'content_changed' },
      { refused: 404, code: 'not_found' },
      { refused: 409, code: 'already_signed' },
      { refused: 409, code: 'not_signed' },
    ]);
    expect((a.signsAgain as ReturnType<typeof brief>).signoffs.map((s) => [s[6], s[8]])).toEqual([
      ['2026-06-01T09:00:02.000Z', 'We read it again.'],
      ['2026-06-01T09:00:02.001Z', null],
    ]);
    const typedHash = (a.olgaSignsTyped as { currentHash: string }).currentHash;
    expect(typedHash).not.toBe((a.first as { currentHash: string }).currentHash);
    expect(a.afterTyping).toMatchObject({ signoffs: [expect.arrayContaining(['We read it again.']), expect.arrayContaining(['Алесь changed the section after it was signed.', 'Алесь'])] });
    expect(a.agreed).toMatchObject({ status: 'agreed', agreedHash: typedHash, needs: [] });
    expect((a.agreed as { signoffs: unknown[][] }).signoffs.at(-1)).toEqual(expect.arrayContaining(['Алесь', 'Вясна', 'civil_society', 'drafter', true, typedHash]));
    expect([a.moveAgreed, a.withdrawAgreed, a.reopenByDrafter, a.reopenDrafting]).toEqual([
      { refused: 409, code: 'section_agreed' },
      { refused: 409, code: 'section_agreed' },
      { refused: 403, code: 'coordinator_only' },
      { refused: 409, code: 'not_in_review' },
    ]);
    expect(a.reopened).toMatchObject({ status: 'drafting', agreedHash: null, reopenings: [{ by: 'Olga', reason: 'The ministry asks for a different timeline.' }] });
    expect(a.backToDrafting).toMatchObject({ status: 'drafting', needs: [{ side: 'government' }, { side: 'civil_society' }] });
    expect(a.chapterRule).toMatchObject({ changed: [{ sectionId: 'section-s3', from: 'in_review', to: 'agreed' }], held: [] });
    expect(a.planRule).toMatchObject({ changed: [], held: [{ sectionId: 'section-s2', openSuggestions: 3 }] });
    expect([a.openSuggestions, a.ruleByDrafter, a.ruleNotMet, a.chapterRuleRemovedTwice]).toEqual([
      { refused: 409, code: 'open_suggestions' },
      { refused: 403, code: 'coordinator_only' },
      { refused: 400, code: 'invalid_request' },
      { refused: 409, code: 'no_chapter_rule' },
    ]);
    expect(a.events).toEqual([
      `agreed plan-one section-s1 ${typedHash}`,
      'reopened plan-one section-s1',
      `agreed plan-one section-s3 ${(a.careSigned as { currentHash: string }).currentHash}`,
    ]);
    expect([a.commenterAccepts, a.acceptedTwice, a.suggestionRuleByDrafter]).toEqual([
      { refused: 403, code: 'accept_not_allowed' },
      { refused: 409, code: 'suggestion_gone' },
      { refused: 403, code: 'forbidden' },
    ]);
    expect((a.decisions as Array<{ suggestionId: string; decision: string; decidedByName: string }>).map((d) => [d.suggestionId, d.decision, d.decidedByName])).toEqual([
      [MARY_ID, 'reject', 'Olga'],
      [DELETE_ID, 'reject', 'Алесь'],
      [INSERT_ID, 'accept', 'Olga'],
    ]);
    expect([a.staleByEditor, a.staleAgain]).toEqual([1, 0]);
  });

  it('leave on the record who signed, who was told and what was decided', () => {
    const { audit, notices } = rows.postgres;
    expect(audit.map((e) => e.action)).toEqual([
      'section.signoff_refused',
      'section.signed',
      'section.signoff_withdrawn',
      'section.signed',
      'section.signoff_withdrawn',
      'section.signed',
      'section.signed',
      'section.agreed',
      'dissent.recorded',
      'section.reopened',
      'section.signed',
      'section.status_changed',
      'section.status_changed',
      'section.signed',
      'section.signed',
      'signoff_rule.changed',
      'section.agreed',
      'signoff_rule.changed',
      'signoff_rule.changed',
      'signoff_rule.changed',
      'suggestion.accepted',
      'suggestion.rejected',
      'suggestion.rejected',
      'section.signoff_withdrawn',
      'suggestion_rule.changed',
      'section.signed',
      'section.signoff_withdrawn',
    ]);
    expect(audit.find((e) => e.action === 'section.signoff_refused')).toMatchObject({ actor_name: 'Mary', target_id: 'section-s1' });
    // Signers are told when their signature ends through someone else; authors when someone else decides their suggestion.
    expect(notices.map((n) => [n.user_id, n.kind])).toEqual([
      ['person-olga', 'signoff_withdrawn'],
      ['person-ales', 'signoff_withdrawn'],
      ['person-ales', 'signoff_withdrawn'],
      ['person-ales', 'suggestion_decided'],
      ['person-mary', 'suggestion_decided'],
      ['person-olga', 'signoff_withdrawn'],
      ['person-olga', 'signoff_withdrawn'],
    ]);
  });
});

const notAgreed: MayStore = async (name, tx) => {
  const row = await tx.row(z.object({ status: z.string() }), sql`SELECT status FROM sections WHERE id = ${parseDocName(name)?.sectionId}`);
  return row?.status !== 'agreed';
};

const Pid = z.array(z.object({ pid: z.number() }));

/**
 * The backends `pid` holds up, once there are `count` of them (asked of PostgreSQL, not a timed
 * wait); null when `settled` says one of them finished instead of waiting.
 */
async function heldUpBy(pid: number, count: number, settled: () => boolean): Promise<number[] | null> {
  while (!settled()) {
    const held = Pid.parse((await pool.query('SELECT pid FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid)) ORDER BY pid', [pid])).rows);
    if (held.length >= count) return held.map((p) => p.pid);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return null;
}

/** Whether a promise has settled, for heldUpBy. */
function settledOf(promise: Promise<unknown>): () => boolean {
  let settled = false;
  void promise.finally(() => (settled = true)).catch(() => undefined);
  return () => settled;
}

describe('a sign-off on PostgreSQL and another process appending to the text', () => {
  const deps = () => ({ sql: both.postgres, sync: textsOf.postgres!, events: new EventBus() });

  it('hashes what another process stored before the sign-off took the document', async () => {
    tick();
    const { currentHash } = await sectionAgreement(deps(), 'plan-one', 'section-s5');
    // Stored through another process: the sync server here has not heard of it.
    await new PgDocumentStore(pool).appendMany([{ name: sectionDocName('section-s5'), update: typedElsewhere('section-s5'), owners: [[204, 'person-ales']] }]);
    expect(await outcome(() => sign(deps(), 'plan-one', 'section-s5', olga, currentHash))).toEqual({ refused: 409, code: 'content_changed' });
    const now = await sectionAgreement(deps(), 'plan-one', 'section-s5');
    expect(now.currentHash).not.toBe(currentHash);
    expect(await sign(deps(), 'plan-one', 'section-s5', olga, now.currentHash)).toMatchObject({ signoffs: [{ contentHash: now.currentHash }] });
  });

  it('keeps an append and a change of a cited reference waiting until the sign-off commits; both are then refused', async () => {
    tick();
    const name = sectionDocName('section-s4');
    const { currentHash } = await sectionAgreement(deps(), 'plan-one', 'section-s4');
    await sign(deps(), 'plan-one', 'section-s4', olga, currentHash);
    // Holds the sign-off after it took its locks (its signature waits for the table), so what comes
    // next can be seen waiting for the sign-off rather than having come too early or too late.
    const holder = await pool.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE section_signoffs IN SHARE MODE');
      const holderPid = Pid.parse((await holder.query('SELECT pg_backend_pid() AS pid')).rows)[0]!.pid;
      const signing = sign(deps(), 'plan-one', 'section-s4', ales, currentHash);
      const [signerPid] = (await heldUpBy(holderPid, 1, settledOf(signing))) ?? [];
      expect(signerPid).toBeDefined();

      // Another process stores an edit typed before the news, and a coordinator renumbers the
      // recommendation the section's action cites.
      const appending = new PgDocumentStore(pool).appendMany([{ name, update: typedElsewhere('section-s4'), owners: [[204, 'person-ales']] }], notAgreed);
      const renumbering = outcome(() => updateRecommendation(both.postgres, 'plan-one', 'rec-detention', { reference: '97.9' }, olga));
      const settled = [settledOf(appending), settledOf(renumbering)];
      expect(await heldUpBy(signerPid!, 2, () => settled.some((s) => s()))).toHaveLength(2);
      await holder.query('COMMIT');
      expect(await signing).toMatchObject({ status: 'agreed', agreedHash: currentHash });
      expect(await appending).toEqual({ refused: [name] });
      expect(await renumbering).toEqual({ refused: 409, code: 'section_agreed' });
    } finally {
      holder.release();
    }
    expect((await sectionAgreement(deps(), 'plan-one', 'section-s4')).currentHash).toBe(currentHash);
  });
});
