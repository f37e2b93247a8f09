/**
 * Publishing a plan to the public record and taking it down (issue #16). A publication is a
 * snapshot with its date and sha256; the public routes serve only the one in force, looked up by
 * the plan's slug, so ending a publication makes every public address of it answer 404 at once.
 */
import { createHash } from 'node:crypto';
import type { Db } from '../../db/database.ts';
import { sqliteSql } from '../../db/sql/sqliteSql.ts';
import { allRows, col, oneRow, rowShape, theRow } from '../../db/rows.ts';
import { conflict, badRequest } from '../../errors.ts';
import { newId, nowIso } from '../../ids.ts';
import { recordAuditNow } from '../audit.ts';
import type { Actor } from '../history.ts';
import { planStageNow } from '../monitoring/lifecycle.ts';
import { buildSnapshot } from './snapshot.ts';
import { PublicationSchema, type Publication, type PublicationKind, type PublicRecordState, type PublishPlan } from '../../../shared/api/index.ts';
import { asciiSlug } from '../../fileNames.ts';

const SlugRow = rowShape({ slug: col.text });
const SlugOwnerRow = rowShape({ planId: col.text });
const PlanTitleRow = rowShape({ title: col.text, periodStart: col.int, periodEnd: col.int });
const PublishedRow = rowShape({ id: col.text, hash: col.text });
const SnapshotRow = rowShape({ snapshot: col.text });

const COLUMNS = `id, slug, kind, published_at AS publishedAt, published_by_name AS publishedBy, hash, ended_at AS endedAt,
  ended_reason AS endedReason`;

export const publicAddress = (slug: string) => `/p/${slug}`;

/**
 * A readable address from the plan's title ("National Human Rights Plan 2026–2030" →
 * national-human-rights-plan-2026-2030; a Belarusian or Russian title transliterated).
 */
export function suggestSlug(title: string, periodStart: number, periodEnd: number): string {
  const words = asciiSlug(title, 60);
  return words.length >= 3 ? words : `plan-${periodStart}-${periodEnd}`;
}

/** Before adoption a plan can only be put out for consultation; after, it is the adopted plan. */
export const nextKind = (db: Db, planId: string): PublicationKind => (planStageNow(db, planId) === 'drafting' ? 'consultation' : 'adopted');

export function planSlug(db: Db, planId: string): string | null {
  return oneRow(db.prepare('SELECT slug FROM plan_slugs WHERE plan_id = ?'), SlugRow, planId)?.slug ?? null;
}

export function publicRecordState(db: Db, planId: string): PublicRecordState {
  const plan = theRow(db.prepare('SELECT title, period_start AS periodStart, period_end AS periodEnd FROM plans WHERE id = ?'), PlanTitleRow, planId);
  const history = allRows(db.prepare(`SELECT ${COLUMNS} FROM publications WHERE plan_id = ? ORDER BY published_at DESC, rowid DESC`), PublicationSchema, planId);
  return {
    slug: planSlug(db, planId),
    suggestedSlug: suggestSlug(plan.title, plan.periodStart, plan.periodEnd),
    nextKind: nextKind(db, planId),
    current: history.find((p) => p.endedAt === null) ?? null,
    history,
  };
}

/** The plan's address: kept from its first publication, or reserved now (never another plan's). */
function reserveSlug(db: Db, planId: string, wanted: string | undefined): string {
  const existing = planSlug(db, planId);
  if (existing) {
    if (wanted && wanted !== existing) throw badRequest('This plan keeps the address it was first published under.', { slug: { code: 'slug_fixed', params: { slug: existing } } });
    return existing;
  }
  if (!wanted) throw badRequest('Choose the public address for the plan.', { slug: { code: 'required' } });
  const owner = oneRow(db.prepare('SELECT plan_id AS planId FROM plan_slugs WHERE slug = ?'), SlugOwnerRow, wanted);
  if (owner) throw conflict('slug_taken', `The address /p/${wanted} is taken by another plan. Choose another one.`);
  db.prepare('INSERT INTO plan_slugs (slug, plan_id) VALUES (?, ?)').run(wanted, planId);
  return wanted;
}

/**
 * Publishes what the plan is now, replacing the publication in force. `docStates` are the stored
 * states of the plan's open section documents (see buildSnapshot).
 *
 * What is published must be one moment of the plan: the documents' states the caller took, the
 * rows the snapshot is read from, and the publication it replaces. The snapshot is read in one
 * transaction on SQLite's connection, the one the publication is written on, whatever engine the
 * moved reads use elsewhere: the write (with its audit entry) is still synchronous and SQLite's.
 * Those reads settle at once (decision 0011), so reading, committing and writing take one turn of
 * the event loop, as when this was synchronous: the sync server's flush and other requests cannot
 * write in between.
 */
export async function publishPlan(db: Db, planId: string, who: Actor, input: PublishPlan, docStates?: Map<string, Uint8Array>): Promise<Publication> {
  const { kind, publishedAt, snapshot } = await sqliteSql(db).transaction(
    async (tx) => {
      const kind = nextKind(db, planId);
      const publishedAt = nowIso();
      return { kind, publishedAt, snapshot: JSON.stringify(await buildSnapshot(db, tx, planId, kind, publishedAt, docStates)) };
    },
    { snapshot: true },
  );
  const hash = createHash('sha256').update(snapshot, 'utf8').digest('hex');
  const id = newId();
  db.transaction(() => {
    const slug = reserveSlug(db, planId, input.slug);
    const replaced = db
      .prepare(`UPDATE publications SET ended_at = ?, ended_by = ?, ended_reason = 'replaced' WHERE plan_id = ? AND ended_at IS NULL`)
      .run(publishedAt, who.principal.userId, planId).changes;
    db.prepare(
      `INSERT INTO publications (id, plan_id, slug, kind, published_at, published_by, published_by_name, snapshot, hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(id, planId, slug, kind, publishedAt, who.principal.userId, who.principal.name, snapshot, hash);
    recordAuditNow(db, {
      planId,
      actor: who.principal,
      role: who.role,
      action: 'plan.published',
      targetType: 'plan',
      targetId: planId,
      summary: `${who.principal.name} published the ${kind === 'adopted' ? 'adopted plan' : 'draft for public consultation'} at ${publicAddress(slug)}${replaced ? ', replacing the earlier publication' : ''} (sha256 ${hash.slice(0, 12)}…)`,
      details: { publicationId: id, slug, kind, hash },
    });
  })();
  return theRow(db.prepare(`SELECT ${COLUMNS} FROM publications WHERE id = ?`), PublicationSchema, id);
}

/** Takes the plan off the public record: every public address of it answers 404 from now on. */
export function unpublishPlan(db: Db, planId: string, who: Actor): Publication {
  const current = oneRow(db.prepare(`SELECT ${COLUMNS} FROM publications WHERE plan_id = ? AND ended_at IS NULL`), PublicationSchema, planId);
  if (!current) throw conflict('not_published', 'The plan is not published.');
  const at = nowIso();
  db.transaction(() => {
    db.prepare(`UPDATE publications SET ended_at = ?, ended_by = ?, ended_reason = 'unpublished' WHERE id = ?`).run(at, who.principal.userId, current.id);
    recordAuditNow(db, {
      planId,
      actor: who.principal,
      role: who.role,
      action: 'plan.unpublished',
      targetType: 'plan',
      targetId: planId,
      summary: `${who.principal.name} took the plan off the public record at ${publicAddress(current.slug)}`,
      details: { publicationId: current.id, slug: current.slug, hash: current.hash },
    });
  })();
  return { ...current, endedAt: at, endedReason: 'unpublished' };
}

/** What the public routes serve for a slug: the publication in force, or nothing. */
export interface PublishedRecord {
  id: string;
  hash: string;
  snapshot: string;
}

export function publishedBySlug(db: Db, slug: string): Pick<PublishedRecord, 'id' | 'hash'> | null {
  return oneRow(db.prepare('SELECT id, hash FROM publications WHERE slug = ? AND ended_at IS NULL'), PublishedRow, slug) ?? null;
}

export function publicationSnapshot(db: Db, publicationId: string): string | null {
  return oneRow(db.prepare('SELECT snapshot FROM publications WHERE id = ? AND ended_at IS NULL'), SnapshotRow, publicationId)?.snapshot ?? null;
}
