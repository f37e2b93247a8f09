import { sql } from 'kysely';
import * as Y from 'yjs';
import { col, rowShape } from '../db/rows.ts';
import { flag } from '../db/sql/portable.ts';
import type { Sql } from '../db/sql/Sql.ts';
import { sectionDocName } from '../../shared/doc/schema.ts';
import { notFound } from '../errors.ts';
import type { DocumentAccess } from '../sync/DocumentAccess.ts';
import { diffActions, diffPlan, diffSection, type PlanDiffSummary, type SectionText } from './diff.ts';
import { parseActionsSnapshot, snapshotSectionActions } from './versionActions.ts';
import { currentDoc, storedPlanDocs } from './versions.ts';
import { sectionTextLines } from '../../shared/doc/canonical.ts';
import type { ActionsSnapshot, SectionCompare, Writer } from '../../shared/api/index.ts';

/**
 * Comparing versions: a section's text block by block with, beside it, its actions and indicators
 * field by field; the whole plan as a summary per section. "Current" is the text as stored now and
 * the actions as they are now. A version kept before versions held actions compares as text only.
 *
 * Versions, sections, the actions as they are now and who wrote what are read through Sql
 * (decision 0011); the current text is read from the stored documents first.
 */
export interface CompareDeps {
  sql: Sql;
  sync: DocumentAccess;
}

const Title = rowShape({ title: col.text });
const StoredVersion = rowShape({ sectionId: col.text, snapshot: col.blob, actions: col.nullableText });

/** A version as a comparison reads it: its text lines, the state vector of its document, its actions. */
interface ReadVersion {
  sectionId: string;
  lines: string[];
  vector: Uint8Array;
  actions: ActionsSnapshot | null;
}

function readVersion(row: { sectionId: string; snapshot: Uint8Array; actions: string | null }): ReadVersion {
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, new Uint8Array(row.snapshot.buffer, row.snapshot.byteOffset, row.snapshot.byteLength));
    return { sectionId: row.sectionId, lines: sectionTextLines(doc), vector: Y.encodeStateVector(doc), actions: parseActionsSnapshot(row.actions) };
  } finally {
    doc.destroy();
  }
}

/** A version of the plan's, or 404. */
async function versionOf(db: Sql, planId: string, versionId: string): Promise<ReadVersion> {
  const row = await db.row(StoredVersion, sql`SELECT section_id AS "sectionId", snapshot, actions FROM versions WHERE id = ${versionId} AND plan_id = ${planId}`);
  if (!row) throw notFound('version');
  return readVersion(row);
}

/** Compares a version of a section with another version of it, or with its current state. */
export async function compareSection(deps: CompareDeps, planId: string, sectionId: string, fromId: string, toId: string | 'current'): Promise<SectionCompare> {
  const { sql: db } = deps;
  const section = await db.row(Title, sql`SELECT title FROM sections WHERE id = ${sectionId} AND plan_id = ${planId} AND deleted_at IS NULL`);
  if (!section) throw notFound('section');
  const from = await versionOf(db, planId, fromId);
  if (from.sectionId !== sectionId) throw notFound('version');
  let to: Omit<ReadVersion, 'sectionId'>;
  if (toId === 'current') {
    const doc = await currentDoc(deps.sync, sectionId, 'compared');
    const [lines, vector] = [sectionTextLines(doc), Y.encodeStateVector(doc)];
    doc.destroy();
    to = { lines, vector, actions: await snapshotSectionActions(db, planId, sectionId) };
  } else {
    const version = await versionOf(db, planId, toId);
    if (version.sectionId !== sectionId) throw notFound('version');
    to = version;
  }
  return {
    ...diffSection(sectionId, section.title, from.lines, to.lines),
    actions: diffActions(from.actions, to.actions),
    writtenBy: await writtenBetween(db, sectionId, from.vector, to.vector),
  };
}

const Owner = rowShape({ clientId: col.int, userId: col.text });
const Person = rowShape({ id: col.text, name: col.text, organisation: col.nullableText });

/**
 * Who wrote what `to` holds beyond `from` (two state vectors of the section's document): the owners
 * of the Yjs clients that advanced, in the order of the clients. The server's own edits (restores,
 * accepted suggestions) are under client ids nobody owns, and name nobody.
 */
async function writtenBetween(db: Sql, sectionId: string, from: Uint8Array, to: Uint8Array): Promise<Writer[]> {
  const before = Y.decodeStateVector(from);
  const owners = new Map(
    (
      await db.rows(Owner, sql`SELECT client_id AS "clientId", user_id AS "userId" FROM document_clients WHERE document_name = ${sectionDocName(sectionId)}`)
    ).map((r) => [r.clientId, r.userId]),
  );
  const userIds = new Set<string>();
  for (const [client, clock] of Y.decodeStateVector(to)) {
    const owner = owners.get(client);
    if (owner !== undefined && clock > (before.get(client) ?? 0)) userIds.add(owner);
  }
  if (userIds.size === 0) return [];
  const people = new Map(
    (
      await db.rows(
        Person,
        sql`SELECT u.id, u.name, o.name AS organisation FROM users u LEFT JOIN organisations o ON o.id = u.organisation_id
             WHERE u.id IN (${sql.join([...userIds])})`,
      )
    ).map((p) => [p.id, p]),
  );
  return [...userIds].flatMap((id) => {
    const person = people.get(id);
    return person ? [{ name: person.name, organisation: person.organisation }] : [];
  });
}

const GroupVersion = rowShape({ sectionId: col.text, title: col.text, snapshot: col.blob, actions: col.nullableText });
const PlanSection = rowShape({ id: col.text, title: col.text });

/**
 * The sections a whole-plan version kept, in the order they were kept: by the time each was kept,
 * and within the same millisecond by their place in the plan now (sections since removed for good
 * last). A version row holds no place of its own, and PostgreSQL has no insertion order (SQLite's
 * rowid) to read one from.
 */
async function groupTexts(db: Sql, planId: string, groupId: string): Promise<SectionText[]> {
  const rows = await db.rows(
    GroupVersion,
    sql`SELECT v.section_id AS "sectionId", v.section_title AS title, v.snapshot, v.actions
          FROM versions v LEFT JOIN sections s ON s.id = v.section_id LEFT JOIN chapters c ON c.id = s.chapter_id
         WHERE v.plan_id = ${planId} AND v.group_id = ${groupId}
         ORDER BY v.created_at, ${flag(sql`c.id IS NULL`)}, c.position, s.position, v.id`,
  );
  if (rows.length === 0) throw notFound('versionGroup');
  return rows.map((r) => {
    const { lines, actions } = readVersion(r);
    return { sectionId: r.sectionId, title: r.title, lines, actions };
  });
}

async function currentTexts(deps: CompareDeps, planId: string): Promise<SectionText[]> {
  const sections = await deps.sql.rows(
    PlanSection,
    sql`SELECT s.id, s.title FROM sections s JOIN chapters c ON c.id = s.chapter_id
         WHERE s.plan_id = ${planId} AND s.deleted_at IS NULL ORDER BY c.position, c.id, s.position, s.id`,
  );
  const texts = (await storedPlanDocs(deps.sync, sections, 'compared')).flatMap(({ id, title, doc }) => {
    if (!doc) return [];
    const lines = sectionTextLines(doc);
    doc.destroy();
    return [{ sectionId: id, title, lines }];
  });
  const current: SectionText[] = [];
  for (const text of texts) current.push({ ...text, actions: await snapshotSectionActions(deps.sql, planId, text.sectionId) });
  return current;
}

export interface PlanComparison extends PlanDiffSummary {
  from: { groupId: string; name: string; createdAt: string };
  to: { groupId: string | null; name: string; createdAt: string | null };
}

const Group = rowShape({ groupId: col.text, name: col.text, createdAt: col.text });

/** A whole-plan version of the plan's (its name and when it was kept, as the list of versions gives them), or 404. */
async function groupOf(db: Sql, planId: string, groupId: string): Promise<{ groupId: string; name: string; createdAt: string }> {
  const group = await db.row(
    Group,
    sql`SELECT group_id AS "groupId", min(name) AS name, min(created_at) AS "createdAt"
          FROM versions WHERE plan_id = ${planId} AND group_id = ${groupId} GROUP BY group_id`,
  );
  if (!group) throw notFound('versionGroup');
  return group;
}

/** Per-section summary of what changed between two whole-plan versions, or one and the current plan. */
export async function comparePlan(deps: CompareDeps, planId: string, fromGroup: string, toGroup: string | 'current'): Promise<PlanComparison> {
  const { sql: db } = deps;
  const from = await groupOf(db, planId, fromGroup);
  const to = toGroup === 'current' ? null : await groupOf(db, planId, toGroup);
  const summary = diffPlan(await groupTexts(db, planId, from.groupId), to ? await groupTexts(db, planId, to.groupId) : await currentTexts(deps, planId));
  return {
    from,
    to: to ?? { groupId: null, name: 'Current text', createdAt: null },
    ...summary,
  };
}
