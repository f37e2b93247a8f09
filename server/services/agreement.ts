import { sql } from 'kysely';
import * as Y from 'yjs';
import type { z } from 'zod';
import { col, rowShape } from '../db/rows.ts';
import { flag, jsonText } from '../db/sql/portable.ts';
import type { Sql } from '../db/sql/Sql.ts';
import { lockRowsForChange } from '../db/sql/locks.ts';
import type { EventBus } from '../events.ts';
import type { DocumentAccess } from '../sync/DocumentAccess.ts';
import { conflict, forbidden, notFound } from '../errors.ts';
import { newId, nowIso } from '../ids.ts';
import type { Acting } from './acting.ts';
import { listActions } from './actions.ts';
import { readStoredDocument } from '../storage/readDocument.ts';
import { lockDocumentsIn } from '../storage/postgres/PgDocumentStore.ts';
import { recordAudit } from './audit.ts';
import { notify } from './notifications.ts';
import { verifiedOrganisations } from './verification.ts';
import { effectiveRule, ruleContext } from './signoffRuleStore.ts';
import { missingWords, ruleNeeds } from './signoffRules.ts';
import { storedSectionDoc } from './sectionText.ts';
import { hashLines } from './contentHash.ts';
import { requireSectionNotAgreed } from './sectionAgreed.ts';
import { canonicalSectionLines, type CanonicalAction } from '../../shared/doc/canonical.ts';
import { sectionDocName } from '../../shared/doc/schema.ts';
import { listSuggestions } from '../../shared/doc/suggestions.ts';
import { type Reopening, type Role, type SectionAgreement, type SectionStatus, type Side, type Signoff } from '../../shared/api/index.ts';
import { ReopeningSchema, SectionStatusSchema, SideSchema, SignoffSchema, WITHDRAWN_BACK_TO_DRAFTING, WITHDRAWN_CONTENT_CHANGED, withdrawnByReopening } from '../../shared/api/index.ts';

export { getRule } from './signoffRuleStore.ts';

/**
 * Agreement of sections. A section is agreed when its sign-off rule (its chapter's own, else the
 * plan's: signoffRuleStore.ts) is met by active
 * sign-offs on the hash of its current canonical content (shared/doc/canonical.ts). Agreed
 * sections are read-only everywhere: the sync server drops every update to them (see
 * the `sectionAgreed` event) and REST writes to their actions and outline entry answer 409.
 *
 * On PostgreSQL every transaction that changes a section's agreement locks the section's row
 * first (lockSection), as edits of its actions do (actions.ts sectionNotAgreed): they take turns,
 * each reading what the one before committed.
 */

export interface AgreementDeps {
  sql: Sql;
  sync: DocumentAccess;
  events: EventBus;
}

export type { Acting } from './acting.ts';

const One = rowShape({ one: col.int });

// ---- Content -------------------------------------------------------------------------------------

const IdName = rowShape({ id: col.text, name: col.text });
const Name = rowShape({ name: col.text });
const Owner = rowShape({ clientId: col.int, userId: col.text });
const Signer = rowShape({ userId: col.text });
const Stage = rowShape({ stage: col.text });
const LatestSignature = rowShape({ signedAt: col.nullableText });

const orgName = (names: Map<string, string>, id: string | null) => (id === null ? null : (names.get(id) ?? id));

/** "value (year)", or null when neither is set. */
function valueYear(value: string | null, year: number | null): string | null {
  if (value === null && year === null) return null;
  return year === null ? (value ?? '—') : `${value ?? '—'} (${year})`;
}

/**
 * A section's actions as the canonical content sees them (in position order): names instead of
 * ids, budget as "amount currency (funding source)", recommendation references, indicators with
 * baseline and target as "value (year)". Exports must use this to reproduce the hash.
 */
async function canonicalActions(q: Sql, planId: string, sectionId: string): Promise<CanonicalAction[]> {
  const names = new Map((await q.rows(IdName, sql`SELECT id, name FROM organisations`)).map((o) => [o.id, o.name]));
  return (await listActions(q, planId, sectionId, false)).map((a) => {
    const amount = a.budgetAmount === null ? null : [String(a.budgetAmount), a.currency].filter(Boolean).join(' ');
    const budget =
      amount === null && !a.fundingSource ? null : `${amount ?? '—'}${a.fundingSource ? ` (${a.fundingSource})` : ''}`;
    return {
      title: a.title,
      status: a.status,
      leadAgency: orgName(names, a.leadAgencyId),
      coImplementers: a.coImplementerIds.map((id) => orgName(names, id)!),
      civilSocietyPartners: a.civilSocietyPartnerIds.map((id) => orgName(names, id)!),
      start: a.start,
      end: a.end,
      budget,
      recommendations: a.recommendations.map((r) => r.reference),
      indicators: a.indicators.map((i) => ({
        type: i.type,
        description: i.description,
        baseline: valueYear(i.baselineValue, i.baselineYear),
        target: valueYear(i.targetValue, i.targetYear),
      })),
    };
  });
}

/** A section's current content as signatures see it: the hash of text and actions, and the text's Yjs state vector. */
interface Content {
  hash: string;
  stateVector: Uint8Array;
}

/** The content of `doc` (a section's stored text, destroyed here) with the section's actions, read by `actions`. */
async function contentOf(doc: Y.Doc, actions: () => Promise<CanonicalAction[]>): Promise<Content> {
  try {
    return { hash: hashLines(canonicalSectionLines(doc, await actions())), stateVector: Y.encodeStateVector(doc) };
  } finally {
    doc.destroy();
  }
}

/** The document log of a section read through `q`, as a document (PostgreSQL: the stored text). */
async function loggedText(q: Sql, sectionId: string): Promise<Y.Doc> {
  const stored = await readStoredDocument(q, sectionDocName(sectionId));
  if (!stored) throw notFound('section');
  const doc = new Y.Doc();
  Y.transact(doc, () => {
    for (const update of stored.updates) Y.applyUpdate(doc, update);
  });
  return doc;
}

/**
 * A section's content as stored (never edits a crash could take back: 503 `unsaved_edits`, "so it
 * cannot be <cannot> now"). The sync server first stores what it holds of the section, or refuses;
 * on SQLite its copy is what this connection's log holds. On PostgreSQL the log is read through
 * `q`, with what every process stored.
 */
async function sectionContent(q: Sql, sync: DocumentAccess, planId: string, sectionId: string, cannot = 'signed'): Promise<Content> {
  const held = await storedSectionDoc(sync, sectionId, cannot);
  if (q.engine === 'postgres') held.destroy();
  const doc = q.engine === 'postgres' ? await loggedText(q, sectionId) : held;
  return contentOf(doc, () => canonicalActions(q, planId, sectionId));
}

/** The hash of a section's current canonical content: its text (as stored now) and its actions. */
export async function sectionContentHash(q: Sql, sync: DocumentAccess, planId: string, sectionId: string, cannot = 'signed'): Promise<string> {
  return (await sectionContent(q, sync, planId, sectionId, cannot)).hash;
}

/**
 * The contents of sections inside a transaction that decides on them (a sign-off, a re-evaluation
 * under a new rule), with no edit of them stored before it ends:
 * - SQLite: the transaction holds the write lock (`{ write: true }`) and began in the turn the
 *   caller read the texts through the sync server (openSuggestionCount), so nothing of this process
 *   was stored since, and the sync server's copy is read again now, synchronously: it holds what
 *   another process sharing the file (REDIS_URL) stored before the lock. Those processes check
 *   the agreement under the same lock before storing (SyncServer.isLockedInStorage).
 * - PostgreSQL: the documents' rows are locked first (lockDocuments, which every append takes),
 *   then their logs read: an append waits for the commit, and its guard then reads the agreement.
 */
async function lockedContents(tx: Sql, sync: DocumentAccess, planId: string, sectionIds: readonly string[], cannot: string): Promise<Map<string, Content>> {
  if (tx.engine === 'postgres') await lockDocumentsIn(tx, sectionIds.map(sectionDocName));
  const contents = new Map<string, Content>();
  for (const id of sectionIds) {
    const doc = tx.engine === 'postgres' ? await loggedText(tx, id) : await storedSectionDoc(sync, id, cannot);
    contents.set(id, await contentOf(doc, () => canonicalActions(tx, planId, id)));
  }
  return contents;
}

/** The people whose stored edits came after `signed` (a state vector), by the recorded authorship of Yjs clients. */
async function editorsSince(q: Sql, sectionId: string, signed: Uint8Array, current: Uint8Array): Promise<Editors> {
  const before = Y.decodeStateVector(signed);
  const owners = new Map(
    (await q.rows(Owner, sql`SELECT client_id AS "clientId", user_id AS "userId" FROM document_clients WHERE document_name = ${sectionDocName(sectionId)}`)).map(
      (o) => [o.clientId, o.userId],
    ),
  );
  const userIds = new Set<string>();
  for (const [client, clock] of Y.decodeStateVector(current)) {
    const owner = owners.get(client);
    if (clock > (before.get(client) ?? 0) && owner) userIds.add(owner);
  }
  const editors: Editors = [];
  for (const userId of userIds) editors.push({ userId, name: (await q.row(Name, sql`SELECT name FROM users WHERE id = ${userId}`))?.name ?? userId });
  return editors;
}

// ---- Reading -------------------------------------------------------------------------------------

const SectionRow = rowShape({
  id: col.text,
  planId: col.text,
  title: col.text,
  status: SectionStatusSchema,
  agreedAt: col.nullableText,
  agreedHash: col.nullableText,
});
type SectionRow = z.output<typeof SectionRow>;

async function requireSection(q: Sql, planId: string, sectionId: string): Promise<SectionRow> {
  const found = await q.row(
    SectionRow,
    sql`SELECT id, plan_id AS "planId", title, status, agreed_at AS "agreedAt", agreed_hash AS "agreedHash"
          FROM sections WHERE id = ${sectionId} AND plan_id = ${planId} AND deleted_at IS NULL`,
  );
  if (!found) throw notFound('section');
  return found;
}


/**
 * On PostgreSQL, the section's row locked until the transaction ends (locks.ts, as an edit of its
 * actions locks it), before its agreement is read. SQLite's write transactions take turns already.
 */
const lockSection = (tx: Sql, sectionId: string) => lockRowsForChange(tx, 'sections', [sectionId]);

/** A row of signoffColumns: organisationVerified and withdrawnBySigner come as 0/1. */
const SignoffRow = SignoffSchema.extend({ organisationVerified: col.bool, withdrawnBySigner: col.bool });
const signoffColumns = sql`s.id, s.section_id AS "sectionId", s.user_id AS "userId", u.name, s.organisation_id AS "organisationId",
  o.name AS organisation, s.side, s.content_hash AS "contentHash", s.signed_at AS "signedAt", s.reservation,
  ${flag(sql`v.organisation_id IS NOT NULL AND v.side = s.side`)} AS "organisationVerified", s.signer_role AS role,
  s.withdrawn_at AS "withdrawnAt", s.withdrawn_reason AS "withdrawnReason", s.withdrawn_by_name AS "withdrawnByName",
  ${flag(sql`s.withdrawn_by = s.user_id AND s.withdrawn_by_name IS NULL`)} AS "withdrawnBySigner"`;

/**
 * Every sign-off of a section (active and withdrawn), oldest first. Signatures of a section never
 * share a time (signingTime), so the order is the order they were given on either engine.
 */
export async function listSignoffs(q: Sql, sectionId: string): Promise<Signoff[]> {
  return q.rows(
    SignoffRow,
    sql`SELECT ${signoffColumns} FROM section_signoffs s JOIN sections sec ON sec.id = s.section_id
          JOIN users u ON u.id = s.user_id JOIN organisations o ON o.id = s.organisation_id
          LEFT JOIN organisation_verifications v ON v.plan_id = sec.plan_id AND v.organisation_id = s.organisation_id
         WHERE s.section_id = ${sectionId} ORDER BY s.signed_at, s.id`,
  );
}

/**
 * When a signature is given: now, or a millisecond after the section's latest signature when now is
 * not later (two in one millisecond). Signatures of a section are then ordered by their time, in the
 * order they were given, on both engines (PostgreSQL has no rowid to break a tie); signing takes
 * turns (the write lock, the section's row), so the latest is read before the next is written.
 */
async function signingTime(tx: Sql, sectionId: string): Promise<string> {
  const now = nowIso();
  const { signedAt } = await tx.theRow(LatestSignature, sql`SELECT max(signed_at) AS "signedAt" FROM section_signoffs WHERE section_id = ${sectionId}`);
  return signedAt === null || signedAt < now ? now : new Date(Date.parse(signedAt) + 1).toISOString();
}

/** Who changed a section's content, when the change is known to come from people (names for the record). */
export type Editors = Array<{ userId: string; name: string }>;

/**
 * Withdraws active sign-offs on another hash than the current one: they were made on a text that
 * has changed since, and never count again. Not for agreed sections (their text cannot change).
 * Each withdrawal is an event: an audit entry naming whose change ended it, and a notice to the
 * signer. Whose change it was comes from `editors` when the caller knows (an action changed over
 * REST), else from who wrote the text's edits since the signature (its stored state vector).
 * Returns how many it withdrew.
 */
const StaleSignoff = rowShape({
  id: col.text,
  userId: col.text,
  name: col.text,
  organisation: col.text,
  signedAt: col.text,
  stateVector: col.blob.nullable(),
});

async function markStale(tx: Sql, section: SectionRow, current: Content, editors: Editors | null = null): Promise<number> {
  if (section.status === 'agreed') return 0;
  const stale = await tx.rows(
    StaleSignoff,
    sql`SELECT s.id, s.user_id AS "userId", u.name, o.name AS organisation, s.signed_at AS "signedAt", s.state_vector AS "stateVector"
          FROM section_signoffs s JOIN users u ON u.id = s.user_id JOIN organisations o ON o.id = s.organisation_id
         WHERE s.section_id = ${section.id} AND s.withdrawn_at IS NULL AND s.content_hash <> ${current.hash} ORDER BY s.signed_at, s.id`,
  );
  const at = nowIso();
  let withdrawn = 0;
  for (const s of stale) {
    const who = editors ?? (s.stateVector ? await editorsSince(tx, section.id, s.stateVector, current.stateVector) : []);
    const names = [...new Set(who.map((e) => e.name))];
    const byWhom = names.length > 0 ? names.join(', ') : null;
    const reason = byWhom ? `${byWhom} changed the section after it was signed.` : WITHDRAWN_CONTENT_CHANGED;
    const { changes } = await tx.run(
      sql`UPDATE section_signoffs SET withdrawn_at = ${at}, withdrawn_reason = ${reason}, withdrawn_by = ${who[0]?.userId ?? null}, withdrawn_by_name = ${byWhom}
           WHERE id = ${s.id} AND withdrawn_at IS NULL`,
    );
    if (changes === 0) continue;
    withdrawn += 1;
    await recordAudit(tx, {
      planId: section.planId,
      actor: null,
      role: null,
      action: 'section.signoff_withdrawn',
      targetType: 'section',
      targetId: section.id,
      summary: `The signature of ${s.name} (${s.organisation}) on ${quote(section.title)} was withdrawn: ${reason}`,
      details: { title: section.title, signer: s.name, organisation: s.organisation, signedAt: s.signedAt, editors: names, reason },
    });
    await notify(tx, {
      userId: s.userId,
      planId: section.planId,
      kind: 'signoff_withdrawn',
      summary: `Your signature on ${quote(section.title)} was withdrawn: ${reason} Read the section again and sign if you still agree.`,
      text: byWhom
        ? { key: 'signoff_withdrawn_edited', params: { title: section.title, editors: byWhom } }
        : { key: 'signoff_withdrawn', params: { title: section.title } },
      link: `/plans/${section.planId}/sections/${section.id}`,
    });
  }
  return withdrawn;
}

const activeSignatures = (planId: string, sectionId: string) =>
  sql`SELECT 1 AS one FROM section_signoffs s JOIN sections sec ON sec.id = s.section_id
       WHERE s.section_id = ${sectionId} AND sec.plan_id = ${planId} AND s.withdrawn_at IS NULL LIMIT 1`;

/**
 * Withdraws the signatures a change made stale, naming who changed it. Called when edits to a
 * section's text are stored and when its actions change. Returns how many were withdrawn.
 */
export async function withdrawStaleSignatures(
  deps: Pick<AgreementDeps, 'sql' | 'sync'>,
  planId: string,
  sectionId: string,
  editors: Editors | null,
): Promise<number> {
  const { sql: q } = deps;
  if (!(await q.row(One, activeSignatures(planId, sectionId)))) return 0;
  const current = await sectionContent(q, deps.sync, planId, sectionId);
  return q.transaction(async (tx) => {
    await lockSection(tx, sectionId);
    return markStale(tx, await requireSection(tx, planId, sectionId), current, editors);
  });
}

async function agreementOf(q: Sql, section: SectionRow, currentHash: string, openSuggestions = 0): Promise<SectionAgreement> {
  const signoffs = await listSignoffs(q, section.id);
  const hash = section.status === 'agreed' && section.agreedHash ? section.agreedHash : currentHash;
  const { rule, source } = await effectiveRule(q, section.planId, section.id);
  // Only organisations a coordinator verified count (ruleNeeds checks): a self-named "Ministry" signs for nobody.
  const active = signoffs
    .filter((s) => s.withdrawnAt === null && s.contentHash === hash)
    .map((s) => ({ organisationId: s.organisationId, side: s.side, role: s.role, verified: s.organisationVerified }));
  const needs = section.status === 'agreed' ? [] : ruleNeeds(rule, active, await ruleContext(q, section.planId));
  return {
    sectionId: section.id,
    status: section.status,
    currentHash,
    signoffs,
    missing: missingWords(needs),
    needs,
    rule,
    ruleSource: source,
    agreedAt: section.agreedAt,
    agreedHash: section.agreedHash,
    openSuggestions,
    reopenings: await reopeningsOf(q, section.planId, section.id),
  };
}

/** An audit entry of a reopening, with the reason from its details. */
const ReopeningRow = ReopeningSchema.extend({ reason: col.nullableText });

/**
 * The section's reopenings, newest first, from the audit log (which keeps the coordinator's name
 * and organisation as they were). The reason is for everyone who worked towards the agreement,
 * not only for the coordinators who may read the whole log.
 */
async function reopeningsOf(q: Sql, planId: string, sectionId: string): Promise<Reopening[]> {
  const rows = await q.rows(
    ReopeningRow,
    sql`SELECT at, actor_name AS "by", actor_organisation AS organisation, ${jsonText(q.engine, sql`details`, 'reason')} AS reason FROM audit_log
         WHERE plan_id = ${planId} AND action = 'section.reopened' AND target_id = ${sectionId} ORDER BY id DESC`,
  );
  return rows.map((r) => ({ ...r, reason: r.reason ?? '' }));
}

const staleSignatures = (planId: string, sectionId: string, currentHash: string) =>
  sql`SELECT 1 AS one FROM section_signoffs s JOIN sections sec ON sec.id = s.section_id
       WHERE s.section_id = ${sectionId} AND sec.plan_id = ${planId} AND sec.status <> 'agreed'
         AND s.withdrawn_at IS NULL AND s.content_hash <> ${currentHash} LIMIT 1`;

/**
 * A section's status, sign-offs and what agreement still needs. Stale sign-offs are withdrawn on
 * the way. Reading locks nothing (one snapshot on PostgreSQL): a read of the panel neither waits
 * for a sign-off or an edit holding the section nor holds them up. Only a withdrawal, when a
 * signature has gone stale, takes the section's lock, as every change of its agreement does.
 */
export async function sectionAgreement(deps: Pick<AgreementDeps, 'sql' | 'sync'>, planId: string, sectionId: string): Promise<SectionAgreement> {
  const { sql: q, sync } = deps;
  await requireSection(q, planId, sectionId);
  const current = await sectionContent(q, sync, planId, sectionId, 'checked for agreement');
  const open = await openSuggestionCount(sync, sectionId, 'checked for agreement');
  if (await q.row(One, staleSignatures(planId, sectionId, current.hash))) {
    await q.transaction(async (tx) => {
      await lockSection(tx, sectionId);
      await markStale(tx, await requireSection(tx, planId, sectionId), current);
    });
  }
  return q.transaction(async (tx) => agreementOf(tx, await requireSection(tx, planId, sectionId), current.hash, open), { snapshot: true });
}

const SectionSigner = rowShape({ sectionId: col.text, name: col.text, organisation: col.text, side: SideSchema, verified: col.bool });
type SignedBy = Map<string, Array<{ name: string; organisation: string; side: Side; verified: boolean }>>;

// Verified as the agreement panel counts it (organisationVerified): vouched for, for the side signed for.
const planSignersQuery = (planId: string) =>
  sql`SELECT s.section_id AS "sectionId", u.name, o.name AS organisation, s.side,
        ${flag(sql`v.organisation_id IS NOT NULL AND v.side = s.side`)} AS verified
        FROM section_signoffs s JOIN sections sec ON sec.id = s.section_id
        JOIN users u ON u.id = s.user_id JOIN organisations o ON o.id = s.organisation_id
        LEFT JOIN organisation_verifications v ON v.plan_id = sec.plan_id AND v.organisation_id = s.organisation_id
       WHERE sec.plan_id = ${planId} AND sec.deleted_at IS NULL AND s.withdrawn_at IS NULL
         AND (sec.status <> 'agreed' OR s.content_hash = sec.agreed_hash)
       ORDER BY s.signed_at, s.id`;

/** Names, organisations and sides of the active sign-offs of each section of a plan (for the outline). */
export async function planSignedBy(q: Sql, planId: string): Promise<SignedBy> {
  const out: SignedBy = new Map();
  for (const { sectionId, verified, ...who } of await q.rows(SectionSigner, planSignersQuery(planId))) {
    const list = out.get(sectionId) ?? [];
    list.push({ ...who, verified });
    out.set(sectionId, list);
  }
  return out;
}

// ---- Writing -------------------------------------------------------------------------------------

const quote = (title: string) => `“${title}”`;
const canWrite = (role: Role) => role === 'coordinator' || role === 'drafter';

/** Tells each signer whose signature `who` just withdrew (not `who` themself) why it ended. */
async function tellSigners(
  tx: Sql,
  signers: readonly string[],
  who: Acting,
  planId: string,
  sectionId: string,
  notice: Pick<Parameters<typeof notify>[1], 'summary' | 'text'>,
): Promise<void> {
  for (const userId of new Set(signers)) {
    if (userId === who.principal.userId) continue;
    await notify(tx, { userId, planId, kind: 'signoff_withdrawn', ...notice, link: `/plans/${planId}/sections/${sectionId}` });
  }
}

/** Withdraws every standing signature of a section; returns whose they were (in the order given). */
async function withdrawActiveSignoffs(tx: Sql, sectionId: string, reason: string): Promise<string[]> {
  const signers = await tx.rows(Signer, sql`SELECT user_id AS "userId" FROM section_signoffs WHERE section_id = ${sectionId} AND withdrawn_at IS NULL ORDER BY signed_at, id`);
  await tx.run(sql`UPDATE section_signoffs SET withdrawn_at = ${nowIso()}, withdrawn_reason = ${reason} WHERE section_id = ${sectionId} AND withdrawn_at IS NULL`);
  return signers.map((r) => r.userId);
}

/** Moves a section between drafting and in review (coordinators and drafters; never an agreed one). */
export async function setStatus(
  deps: AgreementDeps,
  planId: string,
  sectionId: string,
  who: Acting,
  status: 'drafting' | 'in_review',
): Promise<SectionAgreement> {
  const { sql: q } = deps;
  if (!canWrite(who.role)) throw forbidden();
  await requireSection(q, planId, sectionId);
  const current = await sectionContent(q, deps.sync, planId, sectionId, 'moved to another status');
  return q.transaction(async (tx) => {
    await lockSection(tx, sectionId);
    const section = await requireSection(tx, planId, sectionId);
    await requireSectionNotAgreed(tx, sectionId);
    await markStale(tx, section, current);
    if (section.status !== status) {
      // Back to drafting: the text is expected to change, so sign-offs of the reviewed text go,
      // and, as when a section is reopened, never without a word to their signers.
      const signers = status === 'drafting' ? await withdrawActiveSignoffs(tx, sectionId, WITHDRAWN_BACK_TO_DRAFTING) : [];
      await tellSigners(tx, signers, who, planId, sectionId, {
        summary: `${who.principal.name} (${who.principal.organisationName}) sent ${quote(section.title)} back to drafting, so your signature on it was withdrawn.`,
        text: { key: 'signoff_withdrawn_drafting', params: { who: who.principal.name, title: section.title } },
      });
      await tx.run(sql`UPDATE sections SET status = ${status} WHERE id = ${sectionId}`);
      await recordAudit(tx, {
        planId,
        actor: who.principal,
        role: who.role,
        action: 'section.status_changed',
        targetType: 'section',
        targetId: sectionId,
        summary: `${who.principal.name} moved ${quote(section.title)} from ${section.status} to ${status}`,
        details: { from: section.status, to: status, title: section.title, withdrawnSignoffs: signers.length },
      });
      section.status = status;
    }
    return agreementOf(tx, section, current.hash);
  });
}

/**
 * Signs the section as the caller, on the hash they read. 409 `content_changed` when the content
 * changed since; 409 `already_signed` when they have an active sign-off on this content. When the
 * rule is then met, the section becomes agreed: it is locked in the sync server and `sectionAgreed`
 * is emitted (the versions feature keeps an automatic version).
 */
export async function sign(
  deps: AgreementDeps,
  planId: string,
  sectionId: string,
  who: Acting,
  contentHash: string,
  reservation: string | null = null,
): Promise<SectionAgreement> {
  const { sql: q, sync } = deps;
  if (!canWrite(who.role)) throw forbidden();
  const target = await requireSection(q, planId, sectionId);
  const side = (await verifiedOrganisations(q, planId)).get(who.principal.organisationId);
  if (side !== who.principal.side) {
    // The attempt itself is on the record: a side that claims to sign without a coordinator's word.
    await recordAudit(q, {
      planId,
      actor: who.principal,
      role: who.role,
      action: 'section.signoff_refused',
      targetType: 'section',
      targetId: sectionId,
      summary: `${who.principal.name} (${who.principal.organisationName}) could not sign ${quote(target.title)}: the organisation is not verified for this plan`,
      details: { title: target.title, organisation: who.principal.organisationName, side: who.principal.side },
    });
    throw forbidden(
      `${who.principal.organisationName} has not been verified by a coordinator of this plan, so its signature would not count for the ${who.principal.side.replace('_', ' ')} side. Ask a coordinator to verify your organisation on the Members page.`,
      'organisation_unverified',
    );
  }
  // Only stored text is signed: while some edits are not stored, signing is refused (503).
  const open = await openSuggestionCount(sync, sectionId, 'signed');
  if (open > 0) {
    throw conflict(
      'open_suggestions',
      `This section has ${open} open suggestion${open === 1 ? '' : 's'}. Accept or reject ${open === 1 ? 'it' : 'them'} before signing: a signature is on one text, not on proposals.`,
    );
  }
  // From the read above to the commit nothing is awaited but the transaction's own queries, so on
  // SQLite it is one turn of the event loop, and `sectionAgreed` (after the commit, in the same
  // turn) locks the room: no edit can arrive between the hash and the lock. lockedContents says
  // how other processes are kept out.
  return q.transaction(
    async (tx) => {
      // The plan's row first, which a change of a recommendation's reference takes too
      // (recommendations.ts lockPlanRecommendations): the references the section cites are part of
      // what is hashed, and one is not changed while the section is being agreed on it.
      await lockRowsForChange(tx, 'plans', [planId]);
      await lockSection(tx, sectionId);
      const current = (await lockedContents(tx, sync, planId, [sectionId], 'signed')).get(sectionId)!;
      const section = await requireSection(tx, planId, sectionId);
      await requireSectionNotAgreed(tx, sectionId);
      await markStale(tx, section, current);
      if (contentHash !== current.hash) {
        throw conflict('content_changed', 'The section changed since you read it. Read it again before signing.');
      }
      const mine = await tx.row(One, sql`SELECT 1 AS one FROM section_signoffs WHERE section_id = ${sectionId} AND user_id = ${who.principal.userId} AND withdrawn_at IS NULL`);
      if (mine) throw conflict('already_signed', 'You have already signed this version of the section.');
      const { principal } = who;
      const at = await signingTime(tx, sectionId);
      await tx.run(
        sql`INSERT INTO section_signoffs (id, section_id, user_id, organisation_id, side, content_hash, signed_at, reservation, state_vector, signer_role)
            VALUES (${newId()}, ${sectionId}, ${principal.userId}, ${principal.organisationId}, ${principal.side}, ${current.hash}, ${at}, ${reservation},
              ${current.stateVector}, ${who.role})`,
      );
      await recordAudit(tx, {
        planId,
        actor: principal,
        role: who.role,
        action: 'section.signed',
        targetType: 'section',
        targetId: sectionId,
        summary: `${principal.name} (${principal.organisationName}) signed ${quote(section.title)}${reservation ? ` with a reservation: ${reservation}` : ''}`,
        details: { title: section.title, contentHash: current.hash, side: principal.side, reservation },
      });
      if (section.status === 'drafting') {
        await tx.run(sql`UPDATE sections SET status = 'in_review' WHERE id = ${sectionId}`);
        section.status = 'in_review';
      }
      const before = await agreementOf(tx, section, current.hash);
      if (before.needs.length > 0) return before;
      await markAgreed(tx, deps.events, section, before, at, who, '');
      return agreementOf(tx, { ...section, status: 'agreed', agreedAt: at, agreedHash: current.hash }, current.hash);
    },
    { write: true },
  );
}

/**
 * Makes an in-review section agreed on its current hash, inside the caller's transaction, with the
 * audit entry `section.agreed` naming the signers that counted and the rule they met. The same
 * path for a last signature and for a rule change that the signatures already meet. `cause` ends
 * the summary (e.g. " under the new sign-off rule"). Once committed, `sectionAgreed` locks the
 * section's document and versions keep it.
 */
async function markAgreed(tx: Sql, events: EventBus, section: SectionRow, agreement: SectionAgreement, at: string, who: Acting, cause: string): Promise<void> {
  const hash = agreement.currentHash;
  await tx.run(sql`UPDATE sections SET status = 'agreed', agreed_at = ${at}, agreed_hash = ${hash} WHERE id = ${section.id}`);
  const signers = agreement.signoffs
    .filter((s) => s.withdrawnAt === null && s.contentHash === hash && s.organisationVerified)
    .map((s) => ({ userId: s.userId, name: s.name, organisation: s.organisation, side: s.side, role: s.role, reservation: s.reservation }));
  await recordAudit(tx, {
    planId: section.planId,
    actor: who.principal,
    role: who.role,
    action: 'section.agreed',
    targetType: 'section',
    targetId: section.id,
    summary: `${quote(section.title)} is agreed${cause} (signed by ${signers.map((s) => `${s.name}, ${s.organisation}`).join('; ')})`,
    details: { title: section.title, contentHash: hash, rule: agreement.rule, ruleSource: agreement.ruleSource, signers },
  });
  tx.afterCommit(() => events.emit('sectionAgreed', section.planId, section.id, hash));
}

/** A section whose status a rule change changed, or would have but for open suggestions. */
export interface Reevaluated {
  changed: Array<{ sectionId: string; title: string; from: SectionStatus; to: SectionStatus }>;
  held: Array<{ sectionId: string; title: string; openSuggestions: number }>;
}

/**
 * A rule change and its consequences, in one transaction: `write` stores the rule; then each of
 * `sectionIds` still in review is judged under the rule now in force for it, and those whose
 * current, valid signatures meet it become agreed as if the last signature had just been given
 * (but not while suggestions are open: nobody can sign then either). `record` writes the rule
 * change's audit entry, knowing which sections changed, before their own entries. Sections
 * already agreed are not among them: they were agreed under the rule in force then, and stay so.
 * From reading the stored texts to locking the rooms, as in sign(): no edit can slip in between.
 */
export async function reevaluateUnderRule<T extends object>(
  deps: AgreementDeps,
  planId: string,
  sectionIds: string[],
  who: Acting,
  write: (tx: Sql) => Promise<T>,
  record: (tx: Sql, written: T, outcome: Reevaluated) => Promise<void>,
): Promise<T & Reevaluated> {
  const { sql: q, sync } = deps;
  // Read first (503 `unsaved_edits` while a section has edits storage refused: then nothing is written).
  const open = new Map<string, number>();
  for (const id of sectionIds) open.set(id, await openSuggestionCount(sync, id, 'checked against the new rule'));
  const at = nowIso();
  return q.transaction(
    async (tx) => {
      const written = await write(tx);
      await lockRowsForChange(tx, 'sections', sectionIds);
      const contents = await lockedContents(tx, sync, planId, sectionIds, 'checked against the new rule');
      const outcome: Reevaluated = { changed: [], held: [] };
      const toAgree: Array<{ section: SectionRow; agreement: SectionAgreement }> = [];
      for (const id of sectionIds) {
        const section = await requireSection(tx, planId, id);
        if (section.status !== 'in_review') continue;
        const content = contents.get(id)!;
        await markStale(tx, section, content);
        const agreement = await agreementOf(tx, section, content.hash);
        if (agreement.needs.length > 0) continue;
        const openSuggestions = open.get(id) ?? 0;
        if (openSuggestions > 0) outcome.held.push({ sectionId: id, title: section.title, openSuggestions });
        else {
          toAgree.push({ section, agreement });
          outcome.changed.push({ sectionId: id, title: section.title, from: 'in_review', to: 'agreed' });
        }
      }
      await record(tx, written, outcome);
      for (const { section, agreement } of toAgree) await markAgreed(tx, deps.events, section, agreement, at, who, ' under the new sign-off rule');
      return { ...written, ...outcome };
    },
    { write: true },
  );
}

/**
 * Takes back the caller's own standing signature on a section that is not yet agreed, with their
 * reason if they give one. Nobody else's signature is touched, and the section stays where it is.
 * An agreed section's signatures are its agreement: only a coordinator's reopening ends them.
 */
export async function withdrawOwnSignoff(deps: AgreementDeps, planId: string, sectionId: string, who: Acting, reason: string | null): Promise<SectionAgreement> {
  const { sql: q } = deps;
  // Any member: a signer whose role was lowered since (to commenter, say) keeps a signature that
  // counts, and must be able to take it back. Only their own is withdrawn (not_signed otherwise).
  await requireSection(q, planId, sectionId);
  // Read before anything is written (503 while edits are not stored): the answer needs it, and a
  // signature an edit had already outdated is withdrawn as the edit's, not as the signer's.
  const current = await sectionContent(q, deps.sync, planId, sectionId, 'withdrawn');
  return q.transaction(async (tx) => {
    await lockSection(tx, sectionId);
    const section = await requireSection(tx, planId, sectionId);
    await markStale(tx, section, current);
    if (section.status === 'agreed') {
      throw conflict('section_agreed', 'This section is agreed: its signatures are its agreement. A coordinator can reopen it, with a reason everyone reads.');
    }
    const { changes } = await tx.run(
      sql`UPDATE section_signoffs SET withdrawn_at = ${nowIso()}, withdrawn_reason = ${reason}, withdrawn_by = ${who.principal.userId}, withdrawn_by_name = NULL
           WHERE section_id = ${sectionId} AND user_id = ${who.principal.userId} AND withdrawn_at IS NULL`,
    );
    if (changes === 0) throw conflict('not_signed', 'You have no signature on this section to withdraw.');
    await recordAudit(tx, {
      planId,
      actor: who.principal,
      role: who.role,
      action: 'section.signoff_withdrawn',
      targetType: 'section',
      targetId: sectionId,
      summary: `${who.principal.name} (${who.principal.organisationName}) withdrew their signature on ${quote(section.title)}${reason ? `: ${reason}` : ''}`,
      details: { title: section.title, signer: who.principal.name, organisation: who.principal.organisationName, bySigner: true, ...(reason ? { note: reason } : {}) },
    });
    return agreementOf(tx, section, current.hash);
  });
}

/** Reopens a section (coordinators; a reason is required): back to drafting, every active sign-off withdrawn. */
export async function reopen(deps: AgreementDeps, planId: string, sectionId: string, who: Acting, reason: string): Promise<SectionAgreement> {
  const { sql: q, sync } = deps;
  if (who.role !== 'coordinator') throw forbidden('Only a coordinator can reopen a section.', 'coordinator_only');
  await requireSection(q, planId, sectionId);
  // The adopted plan is what the adopting act names and its hash records: its agreed text is not
  // reopened afterwards. Sections left out at adoption were never agreed, so nothing reaches them here.
  const { stage } = await q.theRow(Stage, sql`SELECT stage FROM plans WHERE id = ${planId}`);
  if (stage !== 'drafting') {
    throw conflict('plan_adopted', 'The plan has been adopted: its agreed sections are the adopted text and are not reopened. A change needs a new plan or a revision adopted the same way.');
  }
  // Checked before anything is written: the answer below reads the stored text too (503 while not stored).
  await sectionContent(q, sync, planId, sectionId, 'reopened');
  await q.transaction(async (tx) => {
    await lockSection(tx, sectionId);
    const section = await requireSection(tx, planId, sectionId);
    if (section.status === 'drafting') throw conflict('not_in_review', 'This section is being drafted already: there is nothing to reopen.');
    // The reason stays with each signature, with who reopened: "withdrawn: reopened by Olga: …".
    const signers = await withdrawActiveSignoffs(tx, sectionId, withdrawnByReopening(who.principal.name, reason));
    await tx.run(sql`UPDATE sections SET status = 'drafting', agreed_at = NULL, agreed_hash = NULL WHERE id = ${sectionId}`);
    // A signature never ends without a word to its signer.
    await tellSigners(tx, signers, who, planId, sectionId, {
      summary: `${who.principal.name} (${who.principal.organisationName}) reopened ${quote(section.title)}, so your signature on it was withdrawn. Reason: ${reason}`,
      text: { key: 'signoff_withdrawn_reopened', params: { who: who.principal.name, title: section.title, reason } },
    });
    await recordAudit(tx, {
      planId,
      actor: who.principal,
      role: who.role,
      action: 'section.reopened',
      targetType: 'section',
      targetId: sectionId,
      summary: `${who.principal.name} reopened ${quote(section.title)}: ${reason}`,
      details: { title: section.title, reason, from: section.status, agreedHash: section.agreedHash, withdrawnSignoffs: signers.length },
    });
    if (section.status === 'agreed') tx.afterCommit(() => deps.events.emit('sectionReopened', planId, sectionId));
  });
  return sectionAgreement(deps, planId, sectionId);
}

async function openSuggestionCount(sync: DocumentAccess, sectionId: string, cannot: string): Promise<number> {
  const doc = await storedSectionDoc(sync, sectionId, cannot);
  try {
    return listSuggestions(doc).length;
  } finally {
    doc.destroy();
  }
}
