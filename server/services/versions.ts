import type { Logger } from 'pino';
import * as Y from 'yjs';
import type { Principal } from '../auth/sessions.ts';
import type { z } from 'zod';
import type { Db } from '../db/database.ts';
import { allRows, col, oneRow, rowShape } from '../db/rows.ts';
import { notFound } from '../errors.ts';
import type { EventBus } from '../events.ts';
import { newId, nowIso } from '../ids.ts';
import type { DocumentAccess } from '../sync/DocumentAccess.ts';
import { recordAuditNow } from './audit.ts';
import { listActionsNow } from './actions.ts';
import { recordSectionActionsReplacedNow } from './actionHistory.ts';
import { documentRefusal, editSectionText, storedSectionDoc } from './sectionText.ts';
import { hashLines } from './contentHash.ts';
import { requireSectionNotAgreedNow } from './sectionAgreed.ts';
import { announceRestore, describeActionsRestore, restoreSectionActionsNow, snapshotSectionActionsNow, versionActionsNow, type RestoredActions } from './versionActions.ts';
import { sectionTextLines } from '../../shared/doc/canonical.ts';
import { sectionBlocks, type Block, type Inline } from '../../shared/doc/blocks.ts';
import { getSectionBody, sectionDocName } from '../../shared/doc/schema.ts';
import { VersionGroupSchema, VersionKindSchema } from '../../shared/api/index.ts';
import { VersionLabelSchema, type ActionsRestore, type ListedVersion, type RestoredVersion, type Role, type Version, type VersionBlock, type VersionLabel } from '../../shared/api/index.ts';

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
/** A whole-plan version as its rows give it: the label still JSON. */
const VersionGroupRow = VersionGroupSchema.extend({ label: col.nullableText });
const Title = rowShape({ title: col.text });
const Snapshot = rowShape({ snapshot: col.blob });
const PlanSection = rowShape({ id: col.text, title: col.text });

const COLUMNS = `id, plan_id AS planId, section_id AS sectionId, section_title AS sectionTitle, group_id AS groupId, name, label, kind,
  created_by_name AS createdByName, created_at AS createdAt, content_hash AS contentHash, actions IS NOT NULL AS holdsActions, edited_by AS editedBy`;

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

export function sectionRow(db: Db, planId: string, sectionId: string): { title: string } {
  const row = oneRow(db.prepare('SELECT title FROM sections WHERE id = ? AND plan_id = ? AND deleted_at IS NULL'), Title, sectionId, planId);
  if (!row) throw notFound('section');
  return row;
}

/** The stored state of a section's document (a copy), or 404; 503 while some edits are not stored. */
export function currentDoc(sync: DocumentAccess, sectionId: string, cannot: string): Y.Doc {
  return storedSectionDoc(sync, sectionId, cannot);
}

/** Copies of every section document of a plan as stored; 503 while some edits are not stored. */
export function storedPlanDocs(sync: DocumentAccess, sections: Array<{ id: string; title: string }>, cannot: string) {
  const docs: Array<{ id: string; title: string; doc: Y.Doc | null }> = [];
  try {
    for (const s of sections) docs.push({ ...s, doc: sync.readDocument(sectionDocName(s.id)) });
    return docs;
  } catch (err) {
    for (const d of docs) d.doc?.destroy();
    throw documentRefusal(err, cannot, 'the plan');
  }
}

interface NewVersion {
  planId: string;
  sectionId: string;
  sectionTitle: string;
  groupId: string | null;
  name: string;
  /** What a name Accord gave says (the client words it); omitted for a name a person typed. */
  label?: VersionLabel | null;
  kind: VersionKind;
  by: Principal | null;
  doc: Y.Doc;
  /** Automatic versions: whose edits it holds (names), and the name shown as its maker. */
  editedBy?: string[];
  createdByName?: string;
}

export function insertVersion(db: Db, v: NewVersion): ListedVersion {
  const lines = sectionTextLines(v.doc);
  // The actions as they are in the database at this moment (inside a restore: before or after it).
  const actions = JSON.stringify(snapshotSectionActionsNow(db, v.planId, v.sectionId));
  const row: VersionRow = {
    id: newId(),
    planId: v.planId,
    sectionId: v.sectionId,
    sectionTitle: v.sectionTitle,
    groupId: v.groupId,
    name: v.name,
    label: v.label ? JSON.stringify(v.label) : null,
    kind: v.kind,
    createdByName: v.createdByName ?? v.by?.name ?? 'Accord',
    createdAt: nowIso(),
    contentHash: hashLines(lines),
    holdsActions: true,
    editedBy: v.editedBy ? JSON.stringify(v.editedBy) : null,
  };
  db.prepare(
    `INSERT INTO versions (id, plan_id, section_id, section_title, group_id, name, label, kind, created_by, created_by_name, created_at,
       content_hash, snapshot, text, actions, edited_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    row.id,
    row.planId,
    row.sectionId,
    row.sectionTitle,
    row.groupId,
    row.name,
    row.label,
    row.kind,
    v.by?.userId ?? null,
    row.createdByName,
    row.createdAt,
    row.contentHash,
    Buffer.from(Y.encodeStateAsUpdate(v.doc)),
    lines.join('\n'),
    actions,
    row.editedBy,
  );
  return toVersion(row);
}

/** Keeps the current state of one section as a named version. */
export function createVersion(
  db: Db,
  sync: DocumentAccess,
  input: { planId: string; sectionId: string; name: string; label?: VersionLabel | null; kind: VersionKind; by: Principal | null },
): ListedVersion {
  const { title } = sectionRow(db, input.planId, input.sectionId);
  const doc = currentDoc(sync, input.sectionId, 'kept as a version');
  try {
    return insertVersion(db, { ...input, sectionTitle: title, groupId: null, doc });
  } finally {
    doc.destroy();
  }
}

export interface VersionGroup {
  groupId: string;
  name: string;
  label: VersionLabel | null;
  createdBy: string;
  createdAt: string;
  sectionCount: number;
}

/** Keeps the current state of every section of the plan under one name: one row per section, one group id. */
export function createPlanVersion(
  db: Db,
  sync: DocumentAccess,
  input: { planId: string; name: string; label?: VersionLabel | null; by: Principal | null },
): VersionGroup {
  const sections = allRows(
    db.prepare(
      `SELECT s.id, s.title FROM sections s JOIN chapters c ON c.id = s.chapter_id
        WHERE s.plan_id = ? AND s.deleted_at IS NULL ORDER BY c.position, c.rowid, s.position, s.rowid`,
    ),
    PlanSection,
    input.planId,
  );
  // Read every document first: a read may store what is queued, outside the transaction below.
  const docs = storedPlanDocs(sync, sections, 'kept as a version');
  const groupId = newId();
  try {
    const versions = db.transaction(() =>
      docs.flatMap(({ id, title, doc }) =>
        doc
          ? [insertVersion(db, { planId: input.planId, sectionId: id, sectionTitle: title, groupId, name: input.name, label: input.label ?? null, kind: 'manual', by: input.by, doc })]
          : [],
      ),
    )();
    return {
      groupId,
      name: input.name,
      label: input.label ?? null,
      createdBy: input.by?.name ?? 'Accord',
      createdAt: versions[0]?.createdAt ?? nowIso(),
      sectionCount: versions.length,
    };
  } finally {
    for (const d of docs) d.doc?.destroy();
  }
}

/** A section's versions, newest first. */
export function listVersions(db: Db, planId: string, sectionId: string): ListedVersion[] {
  sectionRow(db, planId, sectionId);
  return allRows(
    db.prepare(`SELECT ${COLUMNS} FROM versions WHERE plan_id = ? AND section_id = ? ORDER BY created_at DESC, rowid DESC`),
    VersionRow,
    planId,
    sectionId,
  ).map(toVersion);
}

/** The plan's whole-plan version groups, newest first. */
export function listPlanVersionGroups(db: Db, planId: string): VersionGroup[] {
  return allRows(
    db.prepare(
      `SELECT group_id AS groupId, min(name) AS name, min(label) AS label, min(created_by_name) AS createdBy, min(created_at) AS createdAt,
              count(*) AS sectionCount
         FROM versions WHERE plan_id = ? AND group_id IS NOT NULL
        GROUP BY group_id ORDER BY min(created_at) DESC, min(rowid) DESC`,
    ),
    VersionGroupRow,
    planId,
  ).map((g) => ({ ...g, label: parseLabel(g.label) }));
}

export function versionRow(db: Db, planId: string, versionId: string): VersionRow {
  const row = oneRow(db.prepare(`SELECT ${COLUMNS} FROM versions WHERE id = ? AND plan_id = ?`), VersionRow, versionId, planId);
  if (!row) throw notFound('version');
  return row;
}

/** The document as it was when the version was kept (a new Y.Doc; destroy it when done). */
function versionDoc(db: Db, versionId: string): Y.Doc {
  const row = oneRow(db.prepare('SELECT snapshot FROM versions WHERE id = ?'), Snapshot, versionId);
  if (!row) throw notFound('version');
  const doc = new Y.Doc();
  Y.applyUpdate(doc, new Uint8Array(row.snapshot.buffer, row.snapshot.byteOffset, row.snapshot.byteLength));
  return doc;
}

export function linesOfVersion(db: Db, versionId: string): string[] {
  const doc = versionDoc(db, versionId);
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
export function versionContent(db: Db, planId: string, versionId: string) {
  const row = versionRow(db, planId, versionId);
  const doc = versionDoc(db, versionId);
  try {
    return {
      ...toVersion(row),
      sectionTitle: row.sectionTitle,
      text: sectionTextLines(doc),
      blocks: versionBlocks(doc),
      actions: versionActionsNow(db, versionId),
    };
  } finally {
    doc.destroy();
  }
}

export interface VersionDeps {
  db: Db;
  sync: DocumentAccess;
  events: EventBus;
  logger?: Logger;
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
export function restoreVersion(deps: VersionDeps, input: { planId: string; versionId: string; actor: VersionActor }): RestoredVersion {
  const { db, sync, events } = deps;
  const source = versionRow(db, input.planId, input.versionId);
  const { title } = sectionRow(db, input.planId, source.sectionId);
  const refuseIfAgreed = () =>
    requireSectionNotAgreedNow(db, source.sectionId, 'This section is agreed, so its text and actions cannot change. Reopen it first to restore a version.');
  refuseIfAgreed();
  const by = input.actor?.principal ?? null;
  const targetActions = versionActionsNow(db, source.id);
  const vdoc = versionDoc(db, source.id);
  const from = { name: source.name, label: parseLabel(source.label) };
  const version = (name: string, kind: 'restore' | 'before_restore', doc: Y.Doc) =>
    insertVersion(db, {
      planId: input.planId,
      sectionId: source.sectionId,
      sectionTitle: title,
      groupId: null,
      name,
      label: { key: kind === 'restore' ? 'restored' : 'before_restore', from },
      kind,
      by,
      doc,
    });
  const kept: ListedVersion[] = [];
  // Set inside the transaction's callbacks (a holder, so the type checker sees it may change).
  const outcome: { restored: RestoredActions | null } = { restored: null };
  try {
    const clones = getSectionBody(vdoc)
      .toArray()
      .filter((c): c is Y.XmlElement | Y.XmlText => c instanceof Y.XmlElement || c instanceof Y.XmlText)
      .map((c) => c.clone());
    // The text and actions before, the change, the state after and the audit entry are stored together, or none.
    editSectionText(
      sync,
      input.planId,
      source.sectionId,
      'restored',
      (doc) => {
        // Checked again inside the transaction: a sign-off may have agreed the section meanwhile.
        refuseIfAgreed();
        version(`Before restoring “${source.name}”`, 'before_restore', doc);
        const body = getSectionBody(doc);
        if (body.length > 0) body.delete(0, body.length);
        body.insert(0, clones);
      },
      (_, doc) => {
        if (targetActions) {
          const before = listActionsNow(db, input.planId, source.sectionId, false);
          outcome.restored = restoreSectionActionsNow(db, input.planId, source.sectionId, targetActions, by?.userId ?? null);
          // Each action and indicator the restore changed is in its own history too, not only in this version's entry.
          if (input.actor && outcome.restored.changed) {
            const after = listActionsNow(db, input.planId, source.sectionId, false);
            recordSectionActionsReplacedNow(db, input.planId, input.actor, before, after, `restoring the version “${source.name}”`);
          }
        }
        const after = version(`Restored “${source.name}”`, 'restore', doc);
        kept.push(after);
        if (!input.actor) return;
        const report = actionsReport(outcome.restored);
        recordAuditNow(db, {
          planId: input.planId,
          actor: input.actor.principal,
          role: input.actor.role,
          action: 'version.restored',
          targetType: 'section',
          targetId: source.sectionId,
          summary: `${input.actor.principal.name} restored the version “${source.name}” of “${source.sectionTitle}” (${describeActionsRestore(report)})`,
          details: { versionId: source.id, restoreVersionId: after.id, contentHash: after.contentHash, actions: report, name: source.name, label: from.label, title: source.sectionTitle },
        });
      },
    );
  } finally {
    vdoc.destroy();
  }
  events.emit('plan', input.planId, { type: 'versions', sectionId: source.sectionId });
  announceRestore(deps, input.planId, source.sectionId, outcome.restored, input.actor);
  return { ...kept[0]!, actionsRestore: actionsReport(outcome.restored) };
}

/** What the restore did to the actions, without the flags only the server needs. */
function actionsReport(restored: RestoredActions | null): ActionsRestore {
  if (!restored) return { restored: false, reason: 'text_only' };
  const { changed: _changed, linksChanged: _links, ...report } = restored;
  return report;
}

/** Audit entry for a version kept by hand (of a section, or of the whole plan). */
export function auditVersionCreated(db: Db, actor: NonNullable<VersionActor>, planId: string, target: { sectionId: string | null; groupId: string | null; name: string; title?: string }): void {
  recordAuditNow(db, {
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
  });
}

/**
 * Automatic versions: when a section becomes agreed, its agreed text is kept as a `signoff`
 * version. Registered where the app is composed (server/server.ts). Returns the unregister function.
 */
export function registerVersionHooks(deps: VersionDeps): () => void {
  const onAgreed = (planId: string, sectionId: string, hash: string) => {
    try {
      createVersion(deps.db, deps.sync, { planId, sectionId, name: 'Agreed text', label: { key: 'signoff' }, kind: 'signoff', by: null });
      deps.events.emit('plan', planId, { type: 'versions', sectionId });
    } catch (err) {
      deps.logger?.error({ err, planId, sectionId, hash }, 'keeping the agreed version failed');
    }
  };
  deps.events.on('sectionAgreed', onAgreed);
  return () => deps.events.off('sectionAgreed', onAgreed);
}
