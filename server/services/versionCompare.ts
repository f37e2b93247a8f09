import * as Y from 'yjs';
import type { Db } from '../db/database.ts';
import { allRows, col, oneRow, rowShape } from '../db/rows.ts';
import { DocumentStore } from '../storage/DocumentStore.ts';
import { sectionDocName } from '../../shared/doc/schema.ts';
import { notFound } from '../errors.ts';
import type { DocumentAccess } from '../sync/DocumentAccess.ts';
import { diffActions, diffPlan, diffSection, type PlanDiffSummary, type SectionText } from './diff.ts';
import { snapshotSectionActions, versionActions } from './versionActions.ts';
import { currentDoc, linesOfVersion, listPlanVersionGroups, sectionRow, storedPlanDocs, versionRow } from './versions.ts';
import { sectionTextLines } from '../../shared/doc/canonical.ts';
import type { SectionCompare, Writer } from '../../shared/api/index.ts';

/**
 * Comparing versions: a section's text block by block with, beside it, its actions and indicators
 * field by field; the whole plan as a summary per section. "Current" is the text as stored now and
 * the actions as they are now. A version kept before versions held actions compares as text only.
 */

/** Compares a version of a section with another version of it, or with its current state. */
export function compareSection(db: Db, sync: DocumentAccess, planId: string, sectionId: string, fromId: string, toId: string | 'current'): SectionCompare {
  const { title } = sectionRow(db, planId, sectionId);
  const from = versionRow(db, planId, fromId);
  if (from.sectionId !== sectionId) throw notFound('version');
  let toLines: string[];
  let toActions;
  let toVector: Uint8Array;
  if (toId === 'current') {
    const doc = currentDoc(sync, sectionId, 'compared');
    toLines = sectionTextLines(doc);
    toVector = Y.encodeStateVector(doc);
    doc.destroy();
    toActions = snapshotSectionActions(db, planId, sectionId);
  } else {
    const to = versionRow(db, planId, toId);
    if (to.sectionId !== sectionId) throw notFound('version');
    toLines = linesOfVersion(db, to.id);
    toVector = snapshotVector(db, to.id);
    toActions = versionActions(db, to.id);
  }
  return {
    ...diffSection(sectionId, title, linesOfVersion(db, from.id), toLines),
    actions: diffActions(versionActions(db, from.id), toActions),
    writtenBy: writtenBetween(db, sectionId, snapshotVector(db, from.id), toVector),
  };
}

const Snapshot = rowShape({ snapshot: col.blob });
const WriterRow = rowShape({ name: col.text, organisation: col.nullableText });

/** The state vector of a version's snapshot. */
function snapshotVector(db: Db, versionId: string): Uint8Array {
  const row = oneRow(db.prepare('SELECT snapshot FROM versions WHERE id = ?'), Snapshot, versionId);
  if (!row) throw notFound('version');
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, new Uint8Array(row.snapshot.buffer, row.snapshot.byteOffset, row.snapshot.byteLength));
    return Y.encodeStateVector(doc);
  } finally {
    doc.destroy();
  }
}

/**
 * Who wrote what `to` holds beyond `from` (two state vectors of the section's document): the owners
 * of the Yjs clients that advanced, in the order of the clients. The server's own edits (restores,
 * accepted suggestions) are under client ids nobody owns, and name nobody.
 */
function writtenBetween(db: Db, sectionId: string, from: Uint8Array, to: Uint8Array): Writer[] {
  const before = Y.decodeStateVector(from);
  const owners = new DocumentStore(db).clientOwners(sectionDocName(sectionId));
  const userIds = new Set<string>();
  for (const [client, clock] of Y.decodeStateVector(to)) {
    const owner = owners.get(client);
    if (owner !== undefined && clock > (before.get(client) ?? 0)) userIds.add(owner);
  }
  const person = db.prepare(
    'SELECT u.name, o.name AS organisation FROM users u LEFT JOIN organisations o ON o.id = u.organisation_id WHERE u.id = ?',
  );
  return [...userIds].flatMap((id) => {
    const row = oneRow(person, WriterRow, id);
    return row ? [row] : [];
  });
}

const GroupVersion = rowShape({ id: col.text, sectionId: col.text, title: col.text });
const PlanSection = rowShape({ id: col.text, title: col.text });

function groupTexts(db: Db, planId: string, groupId: string): SectionText[] {
  const rows = allRows(
    db.prepare('SELECT id, section_id AS sectionId, section_title AS title FROM versions WHERE plan_id = ? AND group_id = ? ORDER BY rowid'),
    GroupVersion,
    planId,
    groupId,
  );
  if (rows.length === 0) throw notFound('versionGroup');
  return rows.map((r) => ({ sectionId: r.sectionId, title: r.title, lines: linesOfVersion(db, r.id), actions: versionActions(db, r.id) }));
}

function currentTexts(db: Db, sync: DocumentAccess, planId: string): SectionText[] {
  const sections = allRows(
    db.prepare(
      `SELECT s.id, s.title FROM sections s JOIN chapters c ON c.id = s.chapter_id
        WHERE s.plan_id = ? AND s.deleted_at IS NULL ORDER BY c.position, c.rowid, s.position, s.rowid`,
    ),
    PlanSection,
    planId,
  );
  return storedPlanDocs(sync, sections, 'compared').flatMap(({ id, title, doc }) => {
    if (!doc) return [];
    const lines = sectionTextLines(doc);
    doc.destroy();
    return [{ sectionId: id, title, lines, actions: snapshotSectionActions(db, planId, id) }];
  });
}

export interface PlanComparison extends PlanDiffSummary {
  from: { groupId: string; name: string; createdAt: string };
  to: { groupId: string | null; name: string; createdAt: string | null };
}

/** Per-section summary of what changed between two whole-plan versions, or one and the current plan. */
export function comparePlan(db: Db, sync: DocumentAccess, planId: string, fromGroup: string, toGroup: string | 'current'): PlanComparison {
  const groups = new Map(listPlanVersionGroups(db, planId).map((g) => [g.groupId, g]));
  const from = groups.get(fromGroup);
  if (!from) throw notFound('versionGroup');
  const to = toGroup === 'current' ? null : groups.get(toGroup);
  if (toGroup !== 'current' && !to) throw notFound('versionGroup');
  const summary = diffPlan(groupTexts(db, planId, fromGroup), to ? groupTexts(db, planId, to.groupId) : currentTexts(db, sync, planId));
  return {
    from: { groupId: from.groupId, name: from.name, createdAt: from.createdAt },
    to: to ? { groupId: to.groupId, name: to.name, createdAt: to.createdAt } : { groupId: null, name: 'Current text', createdAt: null },
    ...summary,
  };
}
