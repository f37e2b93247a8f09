import * as Y from 'yjs';
import type { z } from 'zod';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { flag } from '../db/sql/portable.ts';
import type { Sql } from '../db/sql/Sql.ts';
import { allRows, col, oneRow, rowShape, theRow } from '../db/rows.ts';
import type { EventBus } from '../events.ts';
import type { DocumentAccess } from '../sync/DocumentAccess.ts';
import { conflict, forbidden, notFound } from '../errors.ts';
import { newId, nowIso } from '../ids.ts';
import type { Acting } from './acting.ts';
import { listActionsNow } from './actions.ts';
import { DocumentStore } from '../storage/DocumentStore.ts';
import { recordAuditNow } from './audit.ts';
import { notifyNow } from './notifications.ts';
import { verifiedOrganisationsNow } from './verification.ts';
import { effectiveRule, ruleContext } from './signoffRuleStore.ts';
import { missingWords, ruleNeeds } from './signoffRules.ts';
import { storedSectionDoc } from './sectionText.ts';
import { hashLines } from './contentHash.ts';
import { requireSectionNotAgreedNow } from './sectionAgreed.ts';
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
 */

export interface AgreementDeps {
  db: Db;
  sync: DocumentAccess;
  events: EventBus;
}

export type { Acting } from './acting.ts';

// ---- Content -------------------------------------------------------------------------------------

const IdName = rowShape({ id: col.text, name: col.text });
const Name = rowShape({ name: col.text });
const SectionPlan = rowShape({ planId: col.text });
const Signer = rowShape({ userId: col.text });
const Stage = rowShape({ stage: col.text });

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
export function canonicalActions(db: Db, planId: string, sectionId: string): CanonicalAction[] {
  const names = new Map(
    allRows(db.prepare('SELECT id, name FROM organisations'), IdName).map((o) => [o.id, o.name]),
  );
  return listActionsNow(db, planId, sectionId, false).map((a) => {
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

/**
 * A section's content as stored (never edits a crash could take back: 503 `unsaved_edits`, "so it
 * cannot be <cannot> now").
 */
function sectionContent(db: Db, sync: DocumentAccess, sectionId: string, cannot = 'signed'): Content {
  const section = oneRow(db.prepare('SELECT plan_id AS planId FROM sections WHERE id = ?'), SectionPlan, sectionId);
  if (!section) throw notFound('section');
  const doc = storedSectionDoc(sync, sectionId, cannot);
  try {
    return { hash: hashLines(canonicalSectionLines(doc, canonicalActions(db, section.planId, sectionId))), stateVector: Y.encodeStateVector(doc) };
  } finally {
    doc.destroy();
  }
}

/** The hash of a section's current canonical content: its text (as stored now) and its actions. */
export function sectionContentHash(db: Db, sync: DocumentAccess, sectionId: string, cannot = 'signed'): string {
  return sectionContent(db, sync, sectionId, cannot).hash;
}

/** The people whose stored edits came after `signed` (a state vector), by the recorded authorship of Yjs clients. */
function editorsSince(db: Db, sectionId: string, signed: Uint8Array, current: Uint8Array): Editors {
  const before = Y.decodeStateVector(signed);
  const owners = new DocumentStore(db).clientOwners(sectionDocName(sectionId));
  const userIds = new Set<string>();
  for (const [client, clock] of Y.decodeStateVector(current)) {
    const owner = owners.get(client);
    if (clock > (before.get(client) ?? 0) && owner) userIds.add(owner);
  }
  const name = db.prepare('SELECT name FROM users WHERE id = ?');
  return [...userIds].map((userId) => ({ userId, name: oneRow(name, Name, userId)?.name ?? userId }));
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

function requireSection(db: Db, planId: string, sectionId: string): SectionRow {
  const row = oneRow(
    db.prepare(
      `SELECT id, plan_id AS planId, title, status, agreed_at AS agreedAt, agreed_hash AS agreedHash
         FROM sections WHERE id = ? AND plan_id = ? AND deleted_at IS NULL`,
    ),
    SectionRow,
    sectionId,
    planId,
  );
  if (!row) throw notFound('section');
  return row;
}

const SIGNOFF_COLUMNS = `s.id, s.section_id AS sectionId, s.user_id AS userId, u.name, s.organisation_id AS organisationId,
  o.name AS organisation, s.side, s.content_hash AS contentHash, s.signed_at AS signedAt, s.reservation,
  v.organisation_id IS NOT NULL AND v.side = s.side AS organisationVerified, s.signer_role AS role,
  s.withdrawn_at AS withdrawnAt, s.withdrawn_reason AS withdrawnReason, s.withdrawn_by_name AS withdrawnByName,
  coalesce(s.withdrawn_by = s.user_id AND s.withdrawn_by_name IS NULL, 0) AS withdrawnBySigner`;
/** A row of SIGNOFF_COLUMNS: SQLite gives organisationVerified and withdrawnBySigner as 0/1. */
const SignoffRow = SignoffSchema.extend({ organisationVerified: col.bool, withdrawnBySigner: col.bool });

/** Every sign-off of a section (active and withdrawn), oldest first. */
export function listSignoffs(db: Db, sectionId: string): Signoff[] {
  return allRows(
    db.prepare(
      `SELECT ${SIGNOFF_COLUMNS} FROM section_signoffs s JOIN sections sec ON sec.id = s.section_id
         JOIN users u ON u.id = s.user_id JOIN organisations o ON o.id = s.organisation_id
         LEFT JOIN organisation_verifications v ON v.plan_id = sec.plan_id AND v.organisation_id = s.organisation_id
        WHERE s.section_id = ? ORDER BY s.signed_at, s.rowid`,
    ),
    SignoffRow,
    sectionId,
  );
}


/** Who changed a section's content, when the change is known to come from people (names for the record). */
export type Editors = Array<{ userId: string; name: string }>;

/**
 * Withdraws active sign-offs on another hash than the current one: they were made on a text that
 * has changed since, and never count again. Not for agreed sections (their text cannot change).
 * Each withdrawal is an event: an audit entry naming whose change ended it, and a notice to the
 * signer. Whose change it was comes from `editors` when the caller knows (an action changed over
 * REST), else from who wrote the text's edits since the signature (its stored state vector).
 */
const StaleSignoff = rowShape({
  id: col.text,
  userId: col.text,
  name: col.text,
  organisation: col.text,
  signedAt: col.text,
  stateVector: col.blob.nullable(),
});

function markStale(db: Db, section: SectionRow, current: Content, editors: Editors | null = null): number {
  if (section.status === 'agreed') return 0;
  const stale = allRows(
    db.prepare(
      `SELECT s.id, s.user_id AS userId, u.name, o.name AS organisation, s.signed_at AS signedAt, s.state_vector AS stateVector
         FROM section_signoffs s JOIN users u ON u.id = s.user_id JOIN organisations o ON o.id = s.organisation_id
        WHERE s.section_id = ? AND s.withdrawn_at IS NULL AND s.content_hash <> ?`,
    ),
    StaleSignoff,
    section.id,
    current.hash,
  );
  if (stale.length === 0) return 0;
  const at = nowIso();
  const withdraw = db.prepare('UPDATE section_signoffs SET withdrawn_at = ?, withdrawn_reason = ?, withdrawn_by = ?, withdrawn_by_name = ? WHERE id = ?');
  for (const s of stale) {
    const who = editors ?? (s.stateVector ? editorsSince(db, section.id, s.stateVector, current.stateVector) : []);
    const names = [...new Set(who.map((e) => e.name))];
    const byWhom = names.length > 0 ? names.join(', ') : null;
    const reason = byWhom ? `${byWhom} changed the section after it was signed.` : WITHDRAWN_CONTENT_CHANGED;
    withdraw.run(at, reason, who[0]?.userId ?? null, byWhom, s.id);
    recordAuditNow(db, {
      planId: section.planId,
      actor: null,
      role: null,
      action: 'section.signoff_withdrawn',
      targetType: 'section',
      targetId: section.id,
      summary: `The signature of ${s.name} (${s.organisation}) on ${quote(section.title)} was withdrawn: ${reason}`,
      details: { title: section.title, signer: s.name, organisation: s.organisation, signedAt: s.signedAt, editors: names, reason },
    });
    notifyNow(db, {
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
  return stale.length;
}

/**
 * Withdraws the signatures a change made stale, naming who changed it. Called when edits to a
 * section's text are stored and when its actions change. Returns how many were withdrawn.
 */
export function withdrawStaleSignatures(
  deps: Pick<AgreementDeps, 'db' | 'sync'>,
  planId: string,
  sectionId: string,
  editors: Editors | null,
): number {
  const { db } = deps;
  const active = db.prepare('SELECT 1 FROM section_signoffs WHERE section_id = ? AND withdrawn_at IS NULL').get(sectionId);
  if (!active) return 0;
  const known = db.prepare('SELECT 1 FROM sections WHERE id = ? AND plan_id = ?').get(sectionId, planId);
  if (!known) return 0;
  const current = sectionContent(db, deps.sync, sectionId);
  return db.transaction(() => markStale(db, requireSection(db, planId, sectionId), current, editors))();
}

function agreementOf(db: Db, section: SectionRow, currentHash: string, openSuggestions = 0): SectionAgreement {
  const signoffs = listSignoffs(db, section.id);
  const hash = section.status === 'agreed' && section.agreedHash ? section.agreedHash : currentHash;
  const { rule, source } = effectiveRule(db, section.planId, section.id);
  // Only organisations a coordinator verified count (ruleNeeds checks): a self-named "Ministry" signs for nobody.
  const active = signoffs
    .filter((s) => s.withdrawnAt === null && s.contentHash === hash)
    .map((s) => ({ organisationId: s.organisationId, side: s.side, role: s.role, verified: s.organisationVerified }));
  const needs = section.status === 'agreed' ? [] : ruleNeeds(rule, active, ruleContext(db, section.planId));
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
    reopenings: reopeningsOf(db, section.planId, section.id),
  };
}

/**
 * The section's reopenings, newest first, from the audit log (which keeps the coordinator's name
 * and organisation as they were). The reason is for everyone who worked towards the agreement,
 * not only for the coordinators who may read the whole log.
 */
/** An audit entry of a reopening; its details (JSON) hold the reason. */
const ReopeningRow = ReopeningSchema.omit({ reason: true }).extend({ details: col.text });

function reopeningsOf(db: Db, planId: string, sectionId: string): Reopening[] {
  const rows = allRows(
    db.prepare(
      `SELECT at, actor_name AS by, actor_organisation AS organisation, details FROM audit_log
        WHERE plan_id = ? AND action = 'section.reopened' AND target_id = ? ORDER BY id DESC`,
    ),
    ReopeningRow,
    planId,
    sectionId,
  );
  return rows.map(({ details, ...r }) => ({ ...r, reason: String((JSON.parse(details) as { reason?: unknown }).reason ?? '') }));
}

/** A section's status, sign-offs and what agreement still needs. Stale sign-offs are withdrawn on the way. */
export function sectionAgreement(deps: Pick<AgreementDeps, 'db' | 'sync'>, planId: string, sectionId: string): SectionAgreement {
  const { db } = deps;
  requireSection(db, planId, sectionId);
  const current = sectionContent(db, deps.sync, sectionId, 'checked for agreement');
  const currentHash = current.hash;
  return db.transaction(() => {
    const section = requireSection(db, planId, sectionId);
    markStale(db, section, current);
    return agreementOf(db, section, currentHash, openSuggestionCount(deps.sync, sectionId, 'checked for agreement'));
  })();
}

const SectionSigner = rowShape({ sectionId: col.text, name: col.text, organisation: col.text, side: SideSchema, verified: col.bool });

/** Names, organisations and sides of the active sign-offs of each section of a plan (for the outline). */
export async function planSignedBy(q: Sql, planId: string): Promise<Map<string, Array<{ name: string; organisation: string; side: Side; verified: boolean }>>> {
  // Verified as the agreement panel counts it (organisationVerified): vouched for, for the side signed for.
  // Sign-offs of one moment go by id: PostgreSQL has no rowid.
  const rows = await q.rows(
    SectionSigner,
    sql`SELECT s.section_id AS "sectionId", u.name, o.name AS organisation, s.side,
         ${flag(sql`v.organisation_id IS NOT NULL AND v.side = s.side`)} AS verified
         FROM section_signoffs s JOIN sections sec ON sec.id = s.section_id
         JOIN users u ON u.id = s.user_id JOIN organisations o ON o.id = s.organisation_id
         LEFT JOIN organisation_verifications v ON v.plan_id = sec.plan_id AND v.organisation_id = s.organisation_id
        WHERE sec.plan_id = ${planId} AND sec.deleted_at IS NULL AND s.withdrawn_at IS NULL
          AND (sec.status <> 'agreed' OR s.content_hash = sec.agreed_hash)
        ORDER BY s.signed_at, s.id`,
  );
  const out = new Map<string, Array<{ name: string; organisation: string; side: Side; verified: boolean }>>();
  for (const { sectionId, verified, ...who } of rows) {
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
function tellSigners(
  db: Db,
  signers: readonly string[],
  who: Acting,
  planId: string,
  sectionId: string,
  notice: Pick<Parameters<typeof notifyNow>[1], 'summary' | 'text'>,
): void {
  for (const userId of new Set(signers)) {
    if (userId === who.principal.userId) continue;
    notifyNow(db, { userId, planId, kind: 'signoff_withdrawn', ...notice, link: `/plans/${planId}/sections/${sectionId}` });
  }
}

/** Withdraws every standing signature of a section; returns whose they were. */
function withdrawActiveSignoffs(db: Db, sectionId: string, reason: string): string[] {
  const signers = allRows(db.prepare('SELECT user_id AS userId FROM section_signoffs WHERE section_id = ? AND withdrawn_at IS NULL'), Signer, sectionId).map(
    (r) => r.userId,
  );
  db.prepare('UPDATE section_signoffs SET withdrawn_at = ?, withdrawn_reason = ? WHERE section_id = ? AND withdrawn_at IS NULL').run(nowIso(), reason, sectionId);
  return signers;
}

/** Moves a section between drafting and in review (coordinators and drafters; never an agreed one). */
export function setStatus(
  deps: AgreementDeps,
  planId: string,
  sectionId: string,
  who: Acting,
  status: 'drafting' | 'in_review',
): SectionAgreement {
  const { db } = deps;
  if (!canWrite(who.role)) throw forbidden();
  requireSection(db, planId, sectionId);
  const current = sectionContent(db, deps.sync, sectionId, 'moved to another status');
  const currentHash = current.hash;
  return db.transaction(() => {
    const section = requireSection(db, planId, sectionId);
    requireSectionNotAgreedNow(db, sectionId);
    markStale(db, section, current);
    if (section.status !== status) {
      // Back to drafting: the text is expected to change, so sign-offs of the reviewed text go,
      // and, as when a section is reopened, never without a word to their signers.
      const signers = status === 'drafting' ? withdrawActiveSignoffs(db, sectionId, WITHDRAWN_BACK_TO_DRAFTING) : [];
      const withdrawn = signers.length;
      tellSigners(db, signers, who, planId, sectionId, {
        summary: `${who.principal.name} (${who.principal.organisationName}) sent ${quote(section.title)} back to drafting, so your signature on it was withdrawn.`,
        text: { key: 'signoff_withdrawn_drafting', params: { who: who.principal.name, title: section.title } },
      });
      db.prepare('UPDATE sections SET status = ? WHERE id = ?').run(status, sectionId);
      recordAuditNow(db, {
        planId,
        actor: who.principal,
        role: who.role,
        action: 'section.status_changed',
        targetType: 'section',
        targetId: sectionId,
        summary: `${who.principal.name} moved ${quote(section.title)} from ${section.status} to ${status}`,
        details: { from: section.status, to: status, title: section.title, withdrawnSignoffs: withdrawn },
      });
      section.status = status;
    }
    return agreementOf(db, section, currentHash);
  })();
}

/**
 * Signs the section as the caller, on the hash they read. 409 `content_changed` when the content
 * changed since; 409 `already_signed` when they have an active sign-off on this content. When the
 * rule is then met, the section becomes agreed: it is locked in the sync server and `sectionAgreed`
 * is emitted (the versions feature keeps an automatic version).
 */
export function sign(
  deps: AgreementDeps,
  planId: string,
  sectionId: string,
  who: Acting,
  contentHash: string,
  reservation: string | null = null,
): SectionAgreement {
  const { db, sync } = deps;
  if (!canWrite(who.role)) throw forbidden();
  const target = requireSection(db, planId, sectionId);
  const side = verifiedOrganisationsNow(db, planId).get(who.principal.organisationId);
  if (side !== who.principal.side) {
    // The attempt itself is on the record: a side that claims to sign without a coordinator's word.
    recordAuditNow(db, {
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
  const open = openSuggestionCount(sync, sectionId, 'signed');
  if (open > 0) {
    throw conflict(
      'open_suggestions',
      `This section has ${open} open suggestion${open === 1 ? '' : 's'}. Accept or reject ${open === 1 ? 'it' : 'them'} before signing: a signature is on one text, not on proposals.`,
    );
  }
  // Everything from here to the lock runs in one turn of the event loop: no edit can arrive
  // between the hash computed here and the room being locked.
  const current = sectionContent(db, sync, sectionId, 'signed');
  const currentHash = current.hash;
  // Other Accord processes (REDIS_URL) store edits in turns of their own: the transaction takes
  // the write lock first and reads the stored text again under it, and they check the section is
  // not agreed under the same lock before storing (SyncServer.isLockedInStorage).
  const result = db.transaction(() => {
    if (sectionContent(db, sync, sectionId, 'signed').hash !== currentHash) {
      throw conflict('content_changed', 'The section changed since you read it. Read it again before signing.');
    }
    const section = requireSection(db, planId, sectionId);
    requireSectionNotAgreedNow(db, sectionId);
    markStale(db, section, current);
    if (contentHash !== currentHash) {
      throw conflict('content_changed', 'The section changed since you read it. Read it again before signing.');
    }
    const mine = db
      .prepare('SELECT 1 FROM section_signoffs WHERE section_id = ? AND user_id = ? AND withdrawn_at IS NULL')
      .get(sectionId, who.principal.userId);
    if (mine) throw conflict('already_signed', 'You have already signed this version of the section.');
    const { principal } = who;
    const at = nowIso();
    db.prepare(
      `INSERT INTO section_signoffs (id, section_id, user_id, organisation_id, side, content_hash, signed_at, reservation, state_vector, signer_role)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(newId(), sectionId, principal.userId, principal.organisationId, principal.side, currentHash, at, reservation, current.stateVector, who.role);
    recordAuditNow(db, {
      planId,
      actor: principal,
      role: who.role,
      action: 'section.signed',
      targetType: 'section',
      targetId: sectionId,
      summary: `${principal.name} (${principal.organisationName}) signed ${quote(section.title)}${reservation ? ` with a reservation: ${reservation}` : ''}`,
      details: { title: section.title, contentHash: currentHash, side: principal.side, reservation },
    });
    if (section.status === 'drafting') {
      db.prepare("UPDATE sections SET status = 'in_review' WHERE id = ?").run(sectionId);
      section.status = 'in_review';
    }
    const before = agreementOf(db, section, currentHash);
    if (before.needs.length > 0) return { agreement: before, agreed: false };
    markAgreed(db, section, before, at, who, '');
    return { agreement: agreementOf(db, { ...section, status: 'agreed', agreedAt: at, agreedHash: currentHash }, currentHash), agreed: true };
  }).immediate();
  if (result.agreed) afterAgreed(deps, planId, sectionId, currentHash);
  return result.agreement;
}

/**
 * Makes an in-review section agreed on its current hash, inside the caller's transaction, with the
 * audit entry `section.agreed` naming the signers that counted and the rule they met. The same
 * path for a last signature and for a rule change that the signatures already meet. `cause` ends
 * the summary (e.g. " under the new sign-off rule"). The caller runs afterAgreed after the commit.
 */
function markAgreed(db: Db, section: SectionRow, agreement: SectionAgreement, at: string, who: Acting, cause: string): void {
  const hash = agreement.currentHash;
  db.prepare("UPDATE sections SET status = 'agreed', agreed_at = ?, agreed_hash = ? WHERE id = ?").run(at, hash, section.id);
  const signers = agreement.signoffs
    .filter((s) => s.withdrawnAt === null && s.contentHash === hash && s.organisationVerified)
    .map((s) => ({ userId: s.userId, name: s.name, organisation: s.organisation, side: s.side, role: s.role, reservation: s.reservation }));
  recordAuditNow(db, {
    planId: section.planId,
    actor: who.principal,
    role: who.role,
    action: 'section.agreed',
    targetType: 'section',
    targetId: section.id,
    summary: `${quote(section.title)} is agreed${cause} (signed by ${signers.map((s) => `${s.name}, ${s.organisation}`).join('; ')})`,
    details: { title: section.title, contentHash: hash, rule: agreement.rule, ruleSource: agreement.ruleSource, signers },
  });
}

/** After the commit: `sectionAgreed` locks the section's document and versions keep it. */
function afterAgreed(deps: Pick<AgreementDeps, 'events'>, planId: string, sectionId: string, hash: string): void {
  deps.events.emit('sectionAgreed', planId, sectionId, hash);
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
 * Everything from reading the stored content to locking the rooms runs in one turn of the event
 * loop, as in sign(), so no edit can slip in between.
 */
export function reevaluateUnderRule<T extends object>(
  deps: AgreementDeps,
  planId: string,
  sectionIds: string[],
  who: Acting,
  write: () => T,
  record: (written: T, outcome: Reevaluated) => void,
): T & Reevaluated {
  const { db, sync } = deps;
  // Read first (503 `unsaved_edits` while a section has edits storage refused: then nothing is written).
  const read = sectionIds.map((id) => ({
    id,
    content: sectionContent(db, sync, id, 'checked against the new rule'),
    open: openSuggestionCount(sync, id, 'checked against the new rule'),
  }));
  const at = nowIso();
  const agreedHashes = new Map<string, string>();
  // As in sign: the write lock first, then the stored text read again under it, so an edit
  // another process (REDIS_URL) stores meanwhile is either in what is judged or refused after.
  const result = db.transaction(() => {
    const written = write();
    const outcome: Reevaluated = { changed: [], held: [] };
    const toAgree: Array<{ section: SectionRow; agreement: SectionAgreement }> = [];
    for (const { id, open } of read) {
      const section = requireSection(db, planId, id);
      if (section.status !== 'in_review') continue;
      const content = sectionContent(db, sync, id, 'checked against the new rule');
      agreedHashes.set(id, content.hash);
      markStale(db, section, content);
      const agreement = agreementOf(db, section, content.hash);
      if (agreement.needs.length > 0) continue;
      if (open > 0) outcome.held.push({ sectionId: id, title: section.title, openSuggestions: open });
      else {
        toAgree.push({ section, agreement });
        outcome.changed.push({ sectionId: id, title: section.title, from: 'in_review', to: 'agreed' });
      }
    }
    record(written, outcome);
    for (const { section, agreement } of toAgree) markAgreed(db, section, agreement, at, who, ' under the new sign-off rule');
    return { ...written, ...outcome };
  }).immediate();
  for (const { sectionId } of result.changed) afterAgreed(deps, planId, sectionId, agreedHashes.get(sectionId)!);
  return result;
}

/**
 * Takes back the caller's own standing signature on a section that is not yet agreed, with their
 * reason if they give one. Nobody else's signature is touched, and the section stays where it is.
 * An agreed section's signatures are its agreement: only a coordinator's reopening ends them.
 */
export function withdrawOwnSignoff(deps: AgreementDeps, planId: string, sectionId: string, who: Acting, reason: string | null): SectionAgreement {
  const { db } = deps;
  // Any member: a signer whose role was lowered since (to commenter, say) keeps a signature that
  // counts, and must be able to take it back. Only their own is withdrawn (not_signed otherwise).
  requireSection(db, planId, sectionId);
  // Read before anything is written (503 while edits are not stored): the answer needs it, and a
  // signature an edit had already outdated is withdrawn as the edit's, not as the signer's.
  const current = sectionContent(db, deps.sync, sectionId, 'withdrawn');
  return db.transaction(() => {
    const section = requireSection(db, planId, sectionId);
    markStale(db, section, current);
    if (section.status === 'agreed') {
      throw conflict('section_agreed', 'This section is agreed: its signatures are its agreement. A coordinator can reopen it, with a reason everyone reads.');
    }
    const mine = oneRow(
      db.prepare('SELECT id FROM section_signoffs WHERE section_id = ? AND user_id = ? AND withdrawn_at IS NULL'),
      rowShape({ id: col.text }),
      sectionId,
      who.principal.userId,
    );
    if (!mine) throw conflict('not_signed', 'You have no signature on this section to withdraw.');
    db.prepare('UPDATE section_signoffs SET withdrawn_at = ?, withdrawn_reason = ?, withdrawn_by = ?, withdrawn_by_name = NULL WHERE id = ?').run(
      nowIso(),
      reason,
      who.principal.userId,
      mine.id,
    );
    recordAuditNow(db, {
      planId,
      actor: who.principal,
      role: who.role,
      action: 'section.signoff_withdrawn',
      targetType: 'section',
      targetId: sectionId,
      summary: `${who.principal.name} (${who.principal.organisationName}) withdrew their signature on ${quote(section.title)}${reason ? `: ${reason}` : ''}`,
      details: { title: section.title, signer: who.principal.name, organisation: who.principal.organisationName, bySigner: true, ...(reason ? { note: reason } : {}) },
    });
    return agreementOf(db, section, current.hash);
  })();
}

/** Reopens a section (coordinators; a reason is required): back to drafting, every active sign-off withdrawn. */
export function reopen(deps: AgreementDeps, planId: string, sectionId: string, who: Acting, reason: string): SectionAgreement {
  const { db, sync } = deps;
  if (who.role !== 'coordinator') throw forbidden('Only a coordinator can reopen a section.', 'coordinator_only');
  requireSection(db, planId, sectionId);
  // The adopted plan is what the adopting act names and its hash records: its agreed text is not
  // reopened afterwards. Sections left out at adoption were never agreed, so nothing reaches them here.
  const { stage } = theRow(db.prepare('SELECT stage FROM plans WHERE id = ?'), Stage, planId);
  if (stage !== 'drafting') {
    throw conflict('plan_adopted', 'The plan has been adopted: its agreed sections are the adopted text and are not reopened. A change needs a new plan or a revision adopted the same way.');
  }
  // Checked before anything is written: the answer below reads the stored text too (503 while not stored).
  sectionContentHash(db, sync, sectionId, 'reopened');
  const result = db.transaction(() => {
    const section = requireSection(db, planId, sectionId);
    if (section.status === 'drafting') throw conflict('not_in_review', 'This section is being drafted already: there is nothing to reopen.');
    // The reason stays with each signature, with who reopened: "withdrawn: reopened by Olga: …".
    const signers = withdrawActiveSignoffs(db, sectionId, withdrawnByReopening(who.principal.name, reason));
    const withdrawn = signers.length;
    db.prepare("UPDATE sections SET status = 'drafting', agreed_at = NULL, agreed_hash = NULL WHERE id = ?").run(sectionId);
    // A signature never ends without a word to its signer.
    tellSigners(db, signers, who, planId, sectionId, {
      summary: `${who.principal.name} (${who.principal.organisationName}) reopened ${quote(section.title)}, so your signature on it was withdrawn. Reason: ${reason}`,
      text: { key: 'signoff_withdrawn_reopened', params: { who: who.principal.name, title: section.title, reason } },
    });
    recordAuditNow(db, {
      planId,
      actor: who.principal,
      role: who.role,
      action: 'section.reopened',
      targetType: 'section',
      targetId: sectionId,
      summary: `${who.principal.name} reopened ${quote(section.title)}: ${reason}`,
      details: { title: section.title, reason, from: section.status, agreedHash: section.agreedHash, withdrawnSignoffs: withdrawn },
    });
    return { wasAgreed: section.status === 'agreed' };
  })();
  if (result.wasAgreed) deps.events.emit('sectionReopened', planId, sectionId);
  return sectionAgreement(deps, planId, sectionId);
}

function openSuggestionCount(sync: AgreementDeps['sync'], sectionId: string, cannot: string): number {
  const doc = storedSectionDoc(sync, sectionId, cannot);
  try {
    return listSuggestions(doc).length;
  } finally {
    doc.destroy();
  }
}
