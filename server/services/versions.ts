import { sql } from 'kysely';
import type { Logger } from 'pino';
import * as Y from 'yjs';
import type { z } from 'zod';
import type { Principal } from '../auth/sessions.ts';
import type { Db } from '../db/database.ts';
import { col, rowShape } from '../db/rows.ts';
import { flag } from '../db/sql/portable.ts';
import type { Sql } from '../db/sql/Sql.ts';
import { inTransaction, run, stepsOn, type Steps } from '../db/sql/steps.ts';
import { notFound } from '../errors.ts';
import type { EventBus } from '../events.ts';
import { idSequence, newId, nowIso } from '../ids.ts';
import type { DocumentAccess } from '../sync/DocumentAccess.ts';
import { recordAuditStep, type AuditRecord } from './audit.ts';
import { sectionActions, sectionNotAgreed } from './actions.ts';
import { recordSectionActionsReplaced } from './actionHistory.ts';
import { documentRefusal, editSectionText, storedSectionDoc } from './sectionText.ts';
import { hashLines } from './contentHash.ts';
import { requireSectionNotAgreed } from './sectionAgreed.ts';
import { announceRestore, describeActionsRestore, parseActionsSnapshot, restoringActions, sectionSnapshot, type RestoredActions } from './versionActions.ts';
import { sectionTextLines } from '../../shared/doc/canonical.ts';
import { sectionBlocks, type Block, type Inline } from '../../shared/doc/blocks.ts';
import { getSectionBody, sectionDocName } from '../../shared/doc/schema.ts';
import { VersionGroupSchema, VersionKindSchema } from '../../shared/api/index.ts';
import {
  VersionLabelSchema,
  type ActionsRestore,
  type ActionsSnapshot,
  type ListedVersion,
  type RestoredVersion,
  type Role,
  type Version,
  type VersionBlock,
  type VersionLabel,
} from '../../shared/api/index.ts';

/**
 * Named versions of sections. A version is a stored snapshot (Y.encodeStateAsUpdate of the
 * section document at that moment) with its text lines, and the section's actions with their
 * indicators, organisations and recommendation links (services/versionActions.ts; versions kept
 * before migration 016 hold text only); documents keep Yjs garbage collection on.
 * Restoring never rewrites history: it is one new edit that replaces the body with copies of the
 * version's blocks, made through the sync server so everyone connected sees it live, with the
 * actions made as they were in the same transaction. Comparing: services/versionCompare.ts.
 *
 * content_hash = sha256 hex of sectionTextLines(doc).join('\n') — the text only, not the section's
 * actions (a sign-off's hash covers both; it is kept by the agreement feature).
 *
 * On Sql (decision 0011). The documents are read before the transaction that keeps them. Ties of
 * time go by id: the rows one write keeps together (a restore's two versions, a whole-plan
 * version's sections) take `idSequence` ids, so they keep the order they were written in.
 */

export type VersionKind = Version['kind'];

/** Who acts: a person (with their role in the plan), or null for Accord itself (sign-off versions). */
export type VersionActor = { principal: Principal; role: Role } | null;

/** A row of COLUMNS. */
const VersionRow = rowShape({
  id: col.text,
  planId: col.text,
  sectionId: col.text,
  sectionTitle: col.text,
  groupId: col.nullableText,
  name: col.text,
  /** JSON VersionLabel for a name Accord gave (migration 025), or null. */
  label: col.nullableText,
  kind: VersionKindSchema,
  createdByName: col.text,
  createdAt: col.text,
  contentHash: col.text,
  holdsActions: col.bool,
  /** JSON array of names (automatic versions), or null. */
  editedBy: col.nullableText,
});
type VersionRow = z.output<typeof VersionRow>;
/** A version with what it keeps: its document's state and its actions (JSON, null: text only). */
const StoredVersionRow = VersionRow.extend({ snapshot: col.blob, actions: col.nullableText });
type StoredVersionRow = z.output<typeof StoredVersionRow>;
/** A whole-plan version as its rows give it: the label still JSON. */
const VersionGroupRow = VersionGroupSchema.extend({ label: col.nullableText });
const Title = rowShape({ title: col.text });
const Snapshot = rowShape({ snapshot: col.blob });
const PlanSection = rowShape({ id: col.text, title: col.text });

const COLUMNS = sql`id, plan_id AS "planId", section_id AS "sectionId", section_title AS "sectionTitle", group_id AS "groupId", name, label, kind,
  created_by_name AS "createdByName", created_at AS "createdAt", content_hash AS "contentHash", ${flag(sql`actions IS NOT NULL`)} AS "holdsActions",
  edited_by AS "editedBy"`;

const toVersion = (r: VersionRow): ListedVersion => ({
  id: r.id,
  planId: r.planId,
  sectionId: r.sectionId,
  groupId: r.groupId,
  name: r.name,
  label: parseLabel(r.label),
  kind: r.kind,
  createdBy: r.createdByName,
  createdAt: r.createdAt,
  contentHash: r.contentHash,
  holdsActions: r.holdsActions,
  editedBy: r.editedBy ? (JSON.parse(r.editedBy) as string[]) : [],
});

/** A stored label (JSON), or null when there is none or it cannot be read (then the name is shown). */
function parseLabel(json: string | null): VersionLabel | null {
  if (!json) return null;
  const parsed = VersionLabelSchema.safeParse(JSON.parse(json));
  return parsed.success ? parsed.data : null;
}

/** A live section of the plan (its title), or 404. */
export async function sectionRow(q: Sql, planId: string, sectionId: string): Promise<{ title: string }> {
  const found = await q.row(Title, sql`SELECT title FROM sections WHERE id = ${sectionId} AND plan_id = ${planId} AND deleted_at IS NULL`);
  if (!found) throw notFound('section');
  return found;
}

/** The stored state of a section's document (a copy), or 404; 503 while some edits are not stored. */
export function currentDoc(sync: DocumentAccess, sectionId: string, cannot: string): Promise<Y.Doc> {
  return storedSectionDoc(sync, sectionId, cannot);
}

/** Copies of every section document of a plan as stored; 503 while some edits are not stored. */
export async function storedPlanDocs(sync: DocumentAccess, sections: Array<{ id: string; title: string }>, cannot: string) {
  const docs: Array<{ id: string; title: string; doc: Y.Doc | null }> = [];
  try {
    for (const s of sections) docs.push({ ...s, doc: await sync.readDocument(sectionDocName(s.id)) });
    return docs;
  } catch (err) {
    for (const d of docs) d.doc?.destroy();
    throw documentRefusal(err, cannot, 'the plan');
  }
}

/** What a version keeps of a section's document: its text lines (as hashed) and its state. */
export interface KeptText {
  lines: string[];
  state: Uint8Array;
}

export const keptText = (doc: Y.Doc): KeptText => ({ lines: sectionTextLines(doc), state: Y.encodeStateAsUpdate(doc) });

/** A section's text as stored now, to keep; 404, or 503 while some edits are not stored. */
async function storedText(sync: DocumentAccess, sectionId: string, cannot: string): Promise<KeptText> {
  const doc = await currentDoc(sync, sectionId, cannot);
  try {
    return keptText(doc);
  } finally {
    doc.destroy();
  }
}

/** A section's stored text, to keep under a whole-plan version. */
export interface KeptSection {
  id: string;
  title: string;
  text: KeptText;
}

/**
 * The stored texts of the plan's live sections, in outline order (ties by id): read before the
 * transaction that keeps them. 503 while some section has edits not stored.
 */
export async function storedPlanTexts(q: Sql, sync: DocumentAccess, planId: string): Promise<KeptSection[]> {
  const sections = await q.rows(
    PlanSection,
    sql`SELECT s.id, s.title FROM sections s JOIN chapters c ON c.id = s.chapter_id
         WHERE s.plan_id = ${planId} AND s.deleted_at IS NULL ORDER BY c.position, c.id, s.position, s.id`,
  );
  const docs = await storedPlanDocs(sync, sections, 'kept as a version');
  try {
    return docs.flatMap(({ id, title, doc }) => (doc ? [{ id, title, text: keptText(doc) }] : []));
  } finally {
    for (const d of docs) d.doc?.destroy();
  }
}

interface NewVersion {
  /** Rows kept together give their order by id (idSequence); alone, a new id. */
  id?: string;
  planId: string;
  sectionId: string;
  sectionTitle: string;
  groupId: string | null;
  name: string;
  /** What a name Accord gave says (the client words it); omitted for a name a person typed. */
  label?: VersionLabel | null;
  kind: VersionKind;
  by: Principal | null;
  text: KeptText;
  /** Automatic versions: whose edits it holds (names), and the name shown as its maker. */
  editedBy?: string[];
  createdByName?: string;
}

/** Keeps a version, with the section's actions as they are in the database at this moment (inside a restore: before or after it). */
function* keeping(v: NewVersion): Steps<ListedVersion> {
  const actions = JSON.stringify(yield* sectionSnapshot(v.planId, v.sectionId));
  const row: VersionRow = {
    id: v.id ?? newId(),
    planId: v.planId,
    sectionId: v.sectionId,
    sectionTitle: v.sectionTitle,
    groupId: v.groupId,
    name: v.name,
    label: v.label ? JSON.stringify(v.label) : null,
    kind: v.kind,
    createdByName: v.createdByName ?? v.by?.name ?? 'Accord',
    createdAt: nowIso(),
    contentHash: hashLines(v.text.lines),
    holdsActions: true,
    editedBy: v.editedBy ? JSON.stringify(v.editedBy) : null,
  };
  yield* run(
    sql`INSERT INTO versions (id, plan_id, section_id, section_title, group_id, name, label, kind, created_by, created_by_name, created_at,
          content_hash, snapshot, text, actions, edited_by)
        VALUES (${row.id}, ${row.planId}, ${row.sectionId}, ${row.sectionTitle}, ${row.groupId}, ${row.name}, ${row.label}, ${row.kind},
          ${v.by?.userId ?? null}, ${row.createdByName}, ${row.createdAt}, ${row.contentHash}, ${Buffer.from(v.text.state)}, ${v.text.lines.join('\n')},
          ${actions}, ${row.editedBy})`,
  );
  return toVersion(row);
}

/** Keeps a version inside the caller's transaction (`tx`). */
export function insertVersion(tx: Sql, v: NewVersion): Promise<ListedVersion> {
  return stepsOn(tx, keeping(v));
}

/**
 * Keeps the current state of one section as a named version; with `audited`, on the audit log as
 * theirs, in the same transaction.
 */
export async function createVersion(
  q: Sql,
  sync: DocumentAccess,
  input: { planId: string; sectionId: string; name: string; label?: VersionLabel | null; kind: VersionKind; by: Principal | null },
  audited?: NonNullable<VersionActor>,
): Promise<ListedVersion> {
  const { title } = await sectionRow(q, input.planId, input.sectionId);
  const text = await storedText(sync, input.sectionId, 'kept as a version');
  return inTransaction(q, function* () {
    const version = yield* keeping({ ...input, sectionTitle: title, groupId: null, text });
    if (audited) yield* recordAuditStep(versionCreated(audited, input.planId, { sectionId: input.sectionId, groupId: null, name: input.name, title }));
    return version;
  });
}

export interface VersionGroup {
  groupId: string;
  name: string;
  label: VersionLabel | null;
  createdBy: string;
  createdAt: string;
  sectionCount: number;
}

/**
 * Keeps the sections' texts (storedPlanTexts, read before the transaction) under one name, in the
 * caller's transaction (`tx`): one row per section, one group id.
 */
export async function keepPlanVersion(
  tx: Sql,
  sections: KeptSection[],
  input: { planId: string; name: string; label?: VersionLabel | null; by: Principal | null },
): Promise<VersionGroup> {
  const groupId = newId();
  const nextId = idSequence();
  const versions: ListedVersion[] = [];
  for (const s of sections) {
    versions.push(
      await insertVersion(tx, {
        id: nextId(),
        planId: input.planId,
        sectionId: s.id,
        sectionTitle: s.title,
        groupId,
        name: input.name,
        label: input.label ?? null,
        kind: 'manual',
        by: input.by,
        text: s.text,
      }),
    );
  }
  return {
    groupId,
    name: input.name,
    label: input.label ?? null,
    createdBy: input.by?.name ?? 'Accord',
    createdAt: versions[0]?.createdAt ?? nowIso(),
    sectionCount: versions.length,
  };
}

/** Keeps the current state of every section of the plan under one name; with `audited`, on the audit log as theirs. */
export async function createPlanVersion(
  q: Sql,
  sync: DocumentAccess,
  input: { planId: string; name: string; label?: VersionLabel | null; by: Principal | null },
  audited?: NonNullable<VersionActor>,
): Promise<VersionGroup> {
  const sections = await storedPlanTexts(q, sync, input.planId);
  return q.transaction(async (tx) => {
    const group = await keepPlanVersion(tx, sections, input);
    if (audited) await stepsOn(tx, recordAuditStep(versionCreated(audited, input.planId, { sectionId: null, groupId: group.groupId, name: input.name })));
    return group;
  });
}

/** A section's versions, newest first. */
export async function listVersions(q: Sql, planId: string, sectionId: string): Promise<ListedVersion[]> {
  await sectionRow(q, planId, sectionId);
  const found = await q.rows(
    VersionRow,
    sql`SELECT ${COLUMNS} FROM versions WHERE plan_id = ${planId} AND section_id = ${sectionId} ORDER BY created_at DESC, id DESC`,
  );
  return found.map(toVersion);
}

/** The plan's whole-plan version groups, newest first. */
export async function listPlanVersionGroups(q: Sql, planId: string): Promise<VersionGroup[]> {
  const found = await q.rows(
    VersionGroupRow,
    sql`SELECT group_id AS "groupId", min(name) AS name, min(label) AS label, min(created_by_name) AS "createdBy", min(created_at) AS "createdAt",
               count(*) AS "sectionCount"
          FROM versions WHERE plan_id = ${planId} AND group_id IS NOT NULL
         GROUP BY group_id ORDER BY min(created_at) DESC, group_id DESC`,
  );
  return found.map((g) => ({ ...g, label: parseLabel(g.label) }));
}

/** A version of the plan's with what it keeps, or 404. */
async function storedVersion(q: Sql, planId: string, versionId: string): Promise<StoredVersionRow> {
  const found = await q.row(StoredVersionRow, sql`SELECT ${COLUMNS}, snapshot, actions FROM versions WHERE id = ${versionId} AND plan_id = ${planId}`);
  if (!found) throw notFound('version');
  return found;
}

/** A kept document (a new Y.Doc; destroy it when done). */
function docOf(snapshot: Uint8Array): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, new Uint8Array(snapshot.buffer, snapshot.byteOffset, snapshot.byteLength));
  return doc;
}

export async function linesOfVersion(q: Sql, versionId: string): Promise<string[]> {
  const found = await q.row(Snapshot, sql`SELECT snapshot FROM versions WHERE id = ${versionId}`);
  if (!found) throw notFound('version');
  const doc = docOf(found.snapshot);
  try {
    return sectionTextLines(doc);
  } finally {
    doc.destroy();
  }
}

/**
 * A version's text as the version reader shows it, without markup: one block per line of
 * sectionTextLines, in the same order and with the same text, saying what kind of block it is.
 */
export function versionBlocks(doc: Y.Doc): VersionBlock[] {
  const out: VersionBlock[] = [];
  const flatten = (blocks: Block[], list: { kind: 'bullet' | 'ordered'; depth: number } | null) => {
    for (const block of blocks) {
      switch (block.type) {
        case 'paragraph': {
          const text = inlineText(block.inlines);
          out.push(list ? { type: 'listItem', text, list: list.kind, depth: list.depth } : { type: 'paragraph', text });
          break;
        }
        case 'heading':
          out.push({ type: 'heading', text: inlineText(block.inlines), level: block.level });
          break;
        case 'codeBlock':
          out.push({ type: 'codeBlock', text: block.text.normalize('NFC') });
          break;
        case 'table':
          for (const row of block.rows) {
            const cells = row.cells.map(inlineText);
            out.push({ type: 'tableRow', text: cells.join(' | ').normalize('NFC'), cells });
          }
          break;
        case 'list': {
          const inner = { kind: block.ordered ? ('ordered' as const) : ('bullet' as const), depth: (list?.depth ?? 0) + 1 };
          for (const item of block.items) flatten(item, inner);
          break;
        }
        case 'blockquote':
          flatten(block.blocks, list);
          break;
        case 'rule':
          break;
      }
    }
  };
  flatten(sectionBlocks(doc), null);
  return out;
}

/** Inline text as a line of sectionTextLines has it: a hard break adds nothing. */
const inlineText = (inlines: Inline[]) => inlines.map((i) => i.text).join('').normalize('NFC');


/** A version with its text: lines (as hashed) and structured blocks; and its actions (null: text only). */
export async function versionContent(q: Sql, planId: string, versionId: string) {
  const stored = await storedVersion(q, planId, versionId);
  const doc = docOf(stored.snapshot);
  try {
    return {
      ...toVersion(stored),
      sectionTitle: stored.sectionTitle,
      text: sectionTextLines(doc),
      blocks: versionBlocks(doc),
      actions: parseActionsSnapshot(stored.actions),
    };
  } finally {
    doc.destroy();
  }
}

export interface VersionDeps {
  /**
   * SQLite's connection: where the sync server stores section documents (a restore's records are
   * written in the same transaction as its text edit when `sql` is this database), and what
   * sign-off, not yet on Sql, reads when a restore withdraws stale signatures.
   */
  db: Db;
  sql: Sql;
  sync: DocumentAccess;
  events: EventBus;
  logger?: Logger;
}

const AGREED_RESTORE = 'This section is agreed, so its text and actions cannot change. Reopen it first to restore a version.';

/** A restore as read before anything is written. */
interface Restoring {
  planId: string;
  sectionId: string;
  sectionTitle: string;
  from: { name: string; label: VersionLabel | null; versionId: string; title: string };
  /** The version's actions; null for a version kept before versions held actions (text only). */
  targetActions: ActionsSnapshot | null;
  actor: VersionActor;
}

interface RestoreOutcome {
  kept: ListedVersion;
  restored: RestoredActions | null;
}

/**
 * What a restore writes beside its text edit, in the same transaction: the text before as a
 * `before_restore` version, the actions made as the version holds them (each change in its item's
 * history), the text after as a `restore` version, and the audit entry. Written once as steps: on
 * SQLite they run inside the transaction storing the edit, synchronously.
 */
function* restoreRecords(r: Restoring, before: KeptText, after: KeptText): Steps<RestoreOutcome> {
  // Checked again inside the transaction: a sign-off may have agreed the section meanwhile.
  yield* sectionNotAgreed(r.sectionId, AGREED_RESTORE);
  const nextId = idSequence();
  const by = r.actor?.principal ?? null;
  const from = { name: r.from.name, label: r.from.label };
  const version = (name: string, kind: 'restore' | 'before_restore', text: KeptText) =>
    keeping({
      id: nextId(),
      planId: r.planId,
      sectionId: r.sectionId,
      sectionTitle: r.sectionTitle,
      groupId: null,
      name,
      label: { key: kind === 'restore' ? 'restored' : 'before_restore', from },
      kind,
      by,
      text,
    });
  yield* version(`Before restoring “${r.from.name}”`, 'before_restore', before);
  let restored: RestoredActions | null = null;
  if (r.targetActions) {
    const actionsBefore = yield* sectionActions(r.planId, r.sectionId, false);
    restored = yield* restoringActions(r.planId, r.sectionId, r.targetActions, by?.userId ?? null);
    // Each action and indicator the restore changed is in its own history too, not only in this version's entry.
    if (r.actor && restored.changed) {
      const actionsAfter = yield* sectionActions(r.planId, r.sectionId, false);
      yield* recordSectionActionsReplaced(r.planId, r.actor, actionsBefore, actionsAfter, `restoring the version “${r.from.name}”`);
    }
  }
  const kept = yield* version(`Restored “${r.from.name}”`, 'restore', after);
  if (r.actor) {
    const report = actionsReport(restored);
    yield* recordAuditStep({
      planId: r.planId,
      actor: r.actor.principal,
      role: r.actor.role,
      action: 'version.restored',
      targetType: 'section',
      targetId: r.sectionId,
      summary: `${r.actor.principal.name} restored the version “${r.from.name}” of “${r.from.title}” (${describeActionsRestore(report)})`,
      details: { versionId: r.from.versionId, restoreVersionId: kept.id, contentHash: kept.contentHash, actions: report, name: r.from.name, label: r.from.label, title: r.from.title },
    });
  }
  return { kept, restored };
}

function replaceBody(doc: Y.Doc, blocks: Array<Y.XmlElement | Y.XmlText>): void {
  const body = getSectionBody(doc);
  if (body.length > 0) body.delete(0, body.length);
  body.insert(0, blocks);
}

/**
 * Restores a version as a new change: keeps the stored state as a `before_restore` version,
 * replaces the body with copies of the version's blocks in one server-side edit, makes the
 * section's actions what the version holds (services/versionActions.ts; a version kept before
 * versions held actions leaves them as they are, and says so), and keeps the result as a `restore`
 * version, which it returns with what happened to the actions. The edit, the actions, both
 * versions and the audit entry are stored in one transaction, and only then applied and broadcast;
 * if storing fails, nothing is (503 storage_failed). Refused (409 section_agreed) while the
 * section is agreed: its text and actions are frozen.
 */
export async function restoreVersion(deps: VersionDeps, input: { planId: string; versionId: string; actor: VersionActor }): Promise<RestoredVersion> {
  const { sql: q, events } = deps;
  const source = await storedVersion(q, input.planId, input.versionId);
  const { title } = await sectionRow(q, input.planId, source.sectionId);
  await requireSectionNotAgreed(q, source.sectionId, AGREED_RESTORE);
  const r: Restoring = {
    planId: input.planId,
    sectionId: source.sectionId,
    sectionTitle: title,
    from: { name: source.name, label: parseLabel(source.label), versionId: source.id, title: source.sectionTitle },
    targetActions: parseActionsSnapshot(source.actions),
    actor: input.actor,
  };
  const vdoc = docOf(source.snapshot);
  let outcome: RestoreOutcome;
  try {
    const blocks = getSectionBody(vdoc)
      .toArray()
      .filter((c): c is Y.XmlElement | Y.XmlText => c instanceof Y.XmlElement || c instanceof Y.XmlText)
      .map((c) => c.clone());
    outcome = await editSectionText(
      q,
      deps.sync,
      r.planId,
      r.sectionId,
      'restored',
      (doc) => {
        const before = keptText(doc);
        replaceBody(doc, blocks);
        return { before, after: keptText(doc) };
      },
      (tx, { before, after }) => stepsOn(tx, restoreRecords(r, before, after)),
    );
  } finally {
    vdoc.destroy();
  }
  events.emit('plan', input.planId, { type: 'versions', sectionId: source.sectionId });
  await announceRestore(deps, input.planId, source.sectionId, outcome.restored, input.actor);
  return { ...outcome.kept, actionsRestore: actionsReport(outcome.restored) };
}

/** What the restore did to the actions, without the flags only the server needs. */
function actionsReport(restored: RestoredActions | null): ActionsRestore {
  if (!restored) return { restored: false, reason: 'text_only' };
  const { changed: _changed, linksChanged: _links, ...report } = restored;
  return report;
}

/** Audit entry for a version kept by hand (of a section, or of the whole plan). */
function versionCreated(actor: NonNullable<VersionActor>, planId: string, target: { sectionId: string | null; groupId: string | null; name: string; title?: string }): AuditRecord {
  return {
    planId,
    actor: actor.principal,
    role: actor.role,
    action: 'version.created',
    targetType: target.sectionId ? 'section' : 'plan',
    targetId: target.sectionId ?? planId,
    summary: target.sectionId
      ? `${actor.principal.name} kept the version “${target.name}” of “${target.title ?? ''}”`
      : `${actor.principal.name} kept the whole plan as “${target.name}”`,
    // The name and title let the log say it in the reader's language (client/features/audit).
    details: { ...(target.groupId ? { groupId: target.groupId } : {}), name: target.name, ...(target.title !== undefined ? { title: target.title } : {}) },
  };
}

/**
 * Automatic versions: when a section becomes agreed, its agreed text is kept as a `signoff`
 * version. Registered where the app is composed (server/server.ts). Returns the unregister function.
 */
export function registerVersionHooks(deps: { sql: Sql; sync: DocumentAccess; events: EventBus; logger?: Logger }): () => void {
  const onAgreed = (planId: string, sectionId: string, hash: string) => {
    createVersion(deps.sql, deps.sync, { planId, sectionId, name: 'Agreed text', label: { key: 'signoff' }, kind: 'signoff', by: null }).then(
      () => deps.events.emit('plan', planId, { type: 'versions', sectionId }),
      (err: unknown) => deps.logger?.error({ err, planId, sectionId, hash }, 'keeping the agreed version failed'),
    );
  };
  deps.events.on('sectionAgreed', onAgreed);
  return () => deps.events.off('sectionAgreed', onAgreed);
}
