import { sql } from 'kysely';
import * as Y from 'yjs';
import type { z } from 'zod';
import type { Sql } from '../db/sql/Sql.ts';
import { rows, run, step, stepsOn, type Steps } from '../db/sql/steps.ts';
import { col, rowShape } from '../db/rows.ts';
import { conflict, forbidden, notFound } from '../errors.ts';
import { nowIso } from '../ids.ts';
import type { DocumentAccess } from '../sync/DocumentAccess.ts';
import type { Principal } from '../auth/sessions.ts';
import { recordAudit, recordAuditStep } from './audit.ts';
import { notifyStep } from './notifications.ts';
import { roleInPlan, roleInPlanNow } from './access.ts';
import { requireSectionNotAgreed } from './sectionAgreed.ts';
import { editSectionText, storedSectionDoc } from './sectionText.ts';
import { decideSuggestions, listSuggestions, type SuggestionSummary } from '../../shared/doc/suggestions.ts';
import { decisionFromRow, describeFormat, rowColumns, DecisionRow } from './formatDecisionRows.ts';
import { describeStructure } from '../../shared/doc/blockProposal.ts';
import {
  DEFAULT_SUGGESTION_RULE,
  SuggestionRuleSchema,
  textAccess,
  type DecideSuggestions,
  type Role,
  type SuggestionDecision,
  type SuggestionRule,
  type TextAccess,
} from '../../shared/api/index.ts';
import { SideSchema } from '../../shared/api/index.ts';

const Rule = rowShape({ rule: col.text });
const OrganisationSide = rowShape({ side: SideSchema });
const Id = rowShape({ id: col.text });
const Title = rowShape({ title: col.text });

interface Acting {
  principal: Principal;
  role: Role;
}

const ruleQuery = (planId: string) => sql`SELECT rule FROM plan_suggestion_rules WHERE plan_id = ${planId}`;
const sideQuery = (userId: string) => sql`SELECT o.side FROM users u JOIN organisations o ON o.id = u.organisation_id WHERE u.id = ${userId}`;
const ruleOf = (row: { rule: string } | undefined): SuggestionRule => (row ? SuggestionRuleSchema.parse(JSON.parse(row.rule)) : DEFAULT_SUGGESTION_RULE);

/** The plan's suggestion rule (DEFAULT_SUGGESTION_RULE unless a coordinator set one). */
export async function getSuggestionRule(q: Sql, planId: string): Promise<SuggestionRule> {
  return ruleOf(await q.row(Rule, ruleQuery(planId)));
}

/** What a member's sync connection may do to section text, or null for a non-member. */
export async function textAccessInPlan(q: Sql, planId: string, userId: string): Promise<TextAccess | null> {
  const role = await roleInPlan(q, planId, userId);
  if (!role) return null;
  const row = await q.row(OrganisationSide, sideQuery(userId));
  if (!row) return null;
  return textAccess(role, row.side, await getSuggestionRule(q, planId));
}

export async function setSuggestionRule(q: Sql, planId: string, who: Acting, input: SuggestionRule): Promise<SuggestionRule> {
  if (who.role !== 'coordinator') throw forbidden();
  const rule: SuggestionRule = { commentersSuggest: input.commentersSuggest, suggestOnlySides: [...new Set(input.suggestOnlySides)] };
  await q.transaction(async (tx) => {
    await tx.run(
      sql`INSERT INTO plan_suggestion_rules (plan_id, rule, updated_by, updated_at) VALUES (${planId}, ${JSON.stringify(rule)}, ${who.principal.userId}, ${nowIso()})
          ON CONFLICT (plan_id) DO UPDATE SET rule = excluded.rule, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
    );
    const parts = [
      rule.commentersSuggest ? 'commenters may suggest changes' : 'commenters only comment',
      rule.suggestOnlySides.length
        ? `drafters of ${rule.suggestOnlySides.map((s) => s.replace('_', ' ')).join(', ')} must suggest`
        : 'drafters edit',
    ];
    await recordAudit(tx, {
      planId,
      actor: who.principal,
      role: who.role,
      action: 'suggestion_rule.changed',
      targetType: 'plan',
      targetId: planId,
      summary: `${who.principal.name} changed who must suggest changes: ${parts.join('; ')}`,
      details: { rule },
    });
  });
  return rule;
}

const AuthorRow = rowShape({ id: col.text, name: col.text, organisationId: col.text, organisation: col.text });
type AuthorRow = z.output<typeof AuthorRow>;

function* people(ids: string[]): Steps<Map<string, AuthorRow>> {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return new Map();
  const found = yield* rows(
    AuthorRow,
    sql`SELECT u.id, u.name, o.id AS "organisationId", o.name AS organisation FROM users u JOIN organisations o ON o.id = u.organisation_id
         WHERE u.id IN (${sql.join(wanted)})`,
  );
  return new Map(found.map((r) => [r.id, r]));
}

/** What a decision is about, for its records. */
interface Deciding {
  planId: string;
  sectionId: string;
  title: string;
  who: Acting;
  decision: 'accept' | 'reject';
  reason: string | null;
}

/** What a decision answers: the decisions recorded, and how many authors were told. */
type Decided = { decided: SuggestionDecision[]; notified: number };
type Edit = (doc: Y.Doc) => SuggestionSummary[];

/**
 * Accepts or rejects suggestions in a section as one server-side edit (stored and broadcast like
 * anyone's), and records each decision with who made it. Accepting needs edit access to the text;
 * a person who may only suggest can still reject (withdraw) their own.
 */
export async function decide(
  deps: { sql: Sql; sync: DocumentAccess },
  planId: string,
  sectionId: string,
  who: Acting,
  input: DecideSuggestions,
): Promise<Decided> {
  const { sql: q, sync } = deps;
  const section = await q.row(Id, sql`SELECT id FROM sections WHERE id = ${sectionId} AND plan_id = ${planId} AND deleted_at IS NULL`);
  if (!section) throw notFound('section');
  await requireSectionNotAgreed(q, sectionId, 'This section is agreed, so its text cannot change. Reopen it first.');
  const access = (await textAccessInPlan(q, planId, who.principal.userId)) ?? 'read';
  const me = who.principal.userId;
  const mayDecide = (author: string) => access === 'edit' || (input.decision === 'reject' && author === me && access === 'suggest');

  const ids = input.ids ? new Set(input.ids) : null;
  let orgAuthors: Set<string> | null = null;
  if (input.organisationId) {
    const rows = await q.rows(Id, sql`SELECT id FROM users WHERE organisation_id = ${input.organisationId}`);
    orgAuthors = new Set(rows.map((r) => r.id));
  }
  const selected = (s: { id: string; author: string }) =>
    ids ? ids.has(s.id) : orgAuthors ? orgAuthors.has(s.author) : true;
  const { title } = await q.theRow(Title, sql`SELECT title FROM sections WHERE id = ${sectionId}`);

  // Checked on the stored text first: a refusal must not leave half a decision in the live document.
  const stored = await storedSectionDoc(sync, sectionId, 'changed');
  try {
    const candidates = listSuggestions(stored).filter(selected);
    if (ids && candidates.length === 0) {
      throw conflict('suggestion_gone', 'That suggestion is no longer in the text: someone accepted, rejected or removed it.');
    }
    if (ids && candidates.some((s) => !mayDecide(s.author))) {
      throw input.decision === 'accept'
        ? forbidden('Only people who edit this text can accept suggestions.', 'accept_not_allowed')
        : forbidden('You can only reject your own suggestions.', 'reject_not_own');
    }
    if (!candidates.some((s) => mayDecide(s.author))) return { decided: [], notified: 0 };
    const deciding: Deciding = { planId, sectionId, title, who, decision: input.decision, reason: input.reason ? input.reason : null };
    // "All" (or one organisation's) covers only what this person may decide.
    const edit: Edit = (doc) => decideSuggestions(doc, (s) => selected(s) && mayDecide(s.author), input.decision, null, (s) => mayDecide(s.author));
    // The edit is made again on the text stored when the decision's transaction takes it: what
    // was decided there is what is recorded, in the same transaction.
    return await editSectionText(q, sync, planId, sectionId, 'changed', edit, (tx, decided) => stepsOn(tx, recordDecisions(deciding, decided)));
  } finally {
    stored.destroy();
  }
}

/** The records of decided suggestions: one row and one audit entry each, and a notice to each author told. */
function* recordDecisions(d: Deciding, decided: SuggestionSummary[]): Steps<Decided> {
  const { planId, sectionId, title, who, decision, reason } = d;
  const me = who.principal.userId;
  const authors = yield* people(decided.map((s) => s.author));
  const at = nowIso();
  const records: SuggestionDecision[] = [];
  for (const s of decided) {
    const author = authors.get(s.author);
    const authorName = author?.name ?? 'A former member';
    const authorOrganisation = author?.organisation ?? '';
    const row = rowColumns(s);
    yield* run(
      sql`INSERT INTO suggestion_decisions (plan_id, section_id, suggestion_id, decision, kind, inserted, deleted, author_id, author_name,
            author_organisation, decided_by, decided_by_name, decided_by_organisation, decided_at, reason, formatted, format, block)
          VALUES (${planId}, ${sectionId}, ${s.id}, ${decision}, ${row.kind}, ${row.inserted}, ${row.deleted}, ${s.author}, ${authorName},
            ${authorOrganisation}, ${me}, ${who.principal.name}, ${who.principal.organisationName}, ${at}, ${reason}, ${row.formatted}, ${row.format}, ${row.block})`,
    );
    records.push({
      suggestionId: s.id,
      decision,
      kind: s.kind,
      inserted: s.inserted,
      deleted: s.deleted,
      formatted: s.formatted ?? '',
      format: s.format ?? null,
      block: s.block ?? null,
      authorName,
      authorOrganisation,
      decidedByName: who.principal.name,
      decidedByOrganisation: who.principal.organisationName,
      decidedAt: at,
      reason,
    });
    yield* recordAuditStep({
      planId,
      actor: who.principal,
      role: who.role,
      action: decision === 'accept' ? 'suggestion.accepted' : 'suggestion.rejected',
      targetType: 'section',
      targetId: sectionId,
      summary:
        s.author === me && decision === 'reject'
          ? `${who.principal.name} withdrew their suggestion in “${title}”: ${describe(s)}`
          : `${who.principal.name} ${decision === 'accept' ? 'accepted' : 'rejected'} ${authorName}’s suggestion in “${title}”: ${describe(s)}${reason ? `. Reason: ${reason}` : ''}`,
      details: {
        suggestionId: s.id,
        kind: s.kind,
        inserted: s.inserted,
        deleted: s.deleted,
        ...(s.format ? { formatted: s.formatted, format: s.format } : {}),
        ...(s.block ? { formatted: s.formatted, block: s.block } : {}),
        authorId: s.author,
        authorName,
        title,
        ...(reason ? { reason } : {}),
      },
    });
  }
  return { decided: records, notified: yield* tellAuthors(d, decided) };
}

/** How many decided suggestions one notice spells out; the rest are counted. */
const LISTED = 3;

/**
 * Tells each author whose suggestions someone else accepted or rejected: one notice per author per
 * decision, naming who decided, the section, what the suggestions were and the reason if given.
 * Nobody is told about withdrawing their own suggestion, or about accounts since removed.
 */
function* tellAuthors(d: Deciding, decided: SuggestionSummary[]): Steps<number> {
  const { planId, sectionId, who } = d;
  const byAuthor = new Map<string, SuggestionSummary[]>();
  for (const s of decided) {
    if (s.author === who.principal.userId) continue;
    byAuthor.set(s.author, [...(byAuthor.get(s.author) ?? []), s]);
  }
  const verb = d.decision === 'accept' ? 'accepted' : 'rejected';
  let told = 0;
  for (const [userId, mine] of byAuthor) {
    if (!(yield* step({ now: (db) => roleInPlanNow(db, planId, userId), on: (q) => roleInPlan(q, planId, userId) }))) continue;
    const what = mine.length === 1 ? 'your suggestion' : `${mine.length} of your suggestions`;
    const listed = mine.slice(0, LISTED).map(describe).join('; ');
    const more = mine.length > LISTED ? `; and ${mine.length - LISTED} more` : '';
    yield* notifyStep({
      userId,
      planId,
      kind: 'suggestion_decided',
      summary: `${who.principal.name} (${who.principal.organisationName}) ${verb} ${what} in “${d.title}”: ${listed}${more}.${d.reason ? ` Reason: ${d.reason}` : ''}`,
      text: {
        key: d.decision === 'accept' ? 'suggestions_accepted' : d.reason ? 'suggestions_rejected_reason' : 'suggestions_rejected',
        params: { who: who.principal.name, title: d.title, count: mine.length, ...(d.reason ? { reason: d.reason } : {}) },
      },
      link: `/plans/${planId}/sections/${sectionId}`,
    });
    told += 1;
  }
  return told;
}

function describe(s: SuggestionSummary): string {
  const q = (t: string) => `“${t.length > 80 ? t.slice(0, 79) + '…' : t}”`;
  if (s.kind === 'format' && s.format) return describeFormat(s.format, q(s.formatted ?? ''));
  if (s.kind === 'block' && s.block) return describeStructure(s.block, q(s.formatted ?? ''));
  if (s.kind === 'replace') return `replace ${q(s.deleted)} with ${q(s.inserted)}`;
  if (s.kind === 'delete') return `delete ${q(s.deleted)}`;
  return `insert ${q(s.inserted)}`;
}

const SuggestionId = rowShape({ suggestionId: col.text });

/** The ids of the section's suggestions that were accepted or rejected (none may come back open). */
export async function decidedSuggestionIds(q: Sql, sectionId: string): Promise<string[]> {
  const rows = await q.rows(SuggestionId, sql`SELECT suggestion_id AS "suggestionId" FROM suggestion_decisions WHERE section_id = ${sectionId}`);
  return rows.map((r) => r.suggestionId);
}

/** The section's decided suggestions, newest first. */
export async function listDecisions(q: Sql, planId: string, sectionId: string, limit = 200): Promise<SuggestionDecision[]> {
  const rows = await q.rows(
    DecisionRow,
    sql`SELECT suggestion_id AS "suggestionId", decision, kind, inserted, deleted, author_name AS "authorName",
          author_organisation AS "authorOrganisation", decided_by_name AS "decidedByName",
          decided_by_organisation AS "decidedByOrganisation", decided_at AS "decidedAt", reason, formatted, format, block
        FROM suggestion_decisions WHERE plan_id = ${planId} AND section_id = ${sectionId} ORDER BY id DESC LIMIT ${limit}`,
  );
  return rows.map(decisionFromRow);
}
