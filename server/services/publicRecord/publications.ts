/**
 * Publishing a plan to the public record and taking it down (issue #16). A publication is a
 * snapshot with its date and sha256; the public routes serve only the one in force, looked up by
 * the plan's slug, so ending a publication makes every public address of it answer 404 at once.
 */
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { col, rowShape } from '../../db/rows.ts';
import type { Sql } from '../../db/sql/Sql.ts';
import { flag } from '../../db/sql/portable.ts';
import { conflict, badRequest } from '../../errors.ts';
import { newId, nowIso } from '../../ids.ts';
import { recordAudit } from '../audit.ts';
import type { Actor } from '../history.ts';
import { planStage } from '../monitoring/lifecycle.ts';
import { buildSnapshot } from './snapshot.ts';
import { PublicationSchema, type Publication, type PublicationKind, type PublicRecordState, type PublishPlan } from '../../../shared/api/index.ts';
import { asciiSlug } from '../../fileNames.ts';

const SlugRow = rowShape({ slug: col.text });
const SlugOwnerRow = rowShape({ planId: col.text });
const PlanTitleRow = rowShape({ title: col.text, periodStart: col.int, periodEnd: col.int });
const PublishedRow = rowShape({ id: col.text, hash: col.text });
const SnapshotRow = rowShape({ snapshot: col.text });

const COLUMNS = sql.raw(`id, slug, kind, published_at AS "publishedAt", published_by_name AS "publishedBy", hash, ended_at AS "endedAt",
  ended_reason AS "endedReason"`);

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
export const nextKind = async (q: Sql, planId: string): Promise<PublicationKind> => ((await planStage(q, planId)) === 'drafting' ? 'consultation' : 'adopted');

export async function planSlug(q: Sql, planId: string): Promise<string | null> {
  return (await q.row(SlugRow, sql`SELECT slug FROM plan_slugs WHERE plan_id = ${planId}`))?.slug ?? null;
}

/**
 * The plan's publications, newest first. Two published in the same millisecond are told apart by
 * which is in force (the later one ended the other), then by id, the same way on both engines.
 */
export async function publicRecordState(q: Sql, planId: string): Promise<PublicRecordState> {
  const plan = await q.theRow(PlanTitleRow, sql`SELECT title, period_start AS "periodStart", period_end AS "periodEnd" FROM plans WHERE id = ${planId}`);
  const history = await q.rows(
    PublicationSchema,
    sql`SELECT ${COLUMNS} FROM publications WHERE plan_id = ${planId} ORDER BY published_at DESC, ${flag(sql`ended_at IS NULL`)} DESC, id DESC`,
  );
  return {
    slug: await planSlug(q, planId),
    suggestedSlug: suggestSlug(plan.title, plan.periodStart, plan.periodEnd),
    nextKind: await nextKind(q, planId),
    current: history.find((p) => p.endedAt === null) ?? null,
    history,
  };
}

/** The plan's address: kept from its first publication, or reserved now (never another plan's). */
async function reserveSlug(tx: Sql, planId: string, wanted: string | undefined): Promise<string> {
  const existing = await planSlug(tx, planId);
  if (existing) {
    if (wanted && wanted !== existing) throw badRequest('This plan keeps the address it was first published under.', { slug: { code: 'slug_fixed', params: { slug: existing } } });
    return existing;
  }
  if (!wanted) throw badRequest('Choose the public address for the plan.', { slug: { code: 'required' } });
  // Taken, or taken meanwhile by another process (ON CONFLICT: the insert changes nothing).
  const taken = () => conflict('slug_taken', `The address /p/${wanted} is taken by another plan. Choose another one.`);
  if (await tx.row(SlugOwnerRow, sql`SELECT plan_id AS "planId" FROM plan_slugs WHERE slug = ${wanted}`)) throw taken();
  const { changes } = await tx.run(sql`INSERT INTO plan_slugs (slug, plan_id) VALUES (${wanted}, ${planId}) ON CONFLICT DO NOTHING`);
  if (changes === 0) throw taken();
  return wanted;
}

/**
 * Publishes what the plan is now, replacing the publication in force. `docStates` are the stored
 * states of the plan's open section documents (see buildSnapshot).
 *
 * What is published must be one moment of the plan: the documents' states the caller took, the
 * rows the snapshot is read from, and the publication it replaces. The snapshot is read in one
 * read-only transaction (`snapshot`: one moment on PostgreSQL too); the publication is written in
 * the next, with its audit entry. On SQLite both settle at once (decision 0011), so reading,
 * committing and writing take one turn of the event loop, as when this was synchronous: the sync
 * server's flush and other requests cannot write in between. On PostgreSQL another publication of
 * the plan may commit between the two: the write ends whatever is in force when it runs, so one
 * publication stays in force, the later one.
 */
export async function publishPlan(q: Sql, planId: string, who: Actor, input: PublishPlan, docStates?: Map<string, Uint8Array>): Promise<Publication> {
  const { kind, publishedAt, snapshot } = await q.transaction(
    async (tx) => {
      const kind = await nextKind(tx, planId);
      const publishedAt = nowIso();
      return { kind, publishedAt, snapshot: JSON.stringify(await buildSnapshot(tx, planId, kind, publishedAt, docStates)) };
    },
    { snapshot: true },
  );
  const hash = createHash('sha256').update(snapshot, 'utf8').digest('hex');
  const id = newId();
  await q.transaction(async (tx) => {
    const slug = await reserveSlug(tx, planId, input.slug);
    const replaced = (
      await tx.run(
        sql`UPDATE publications SET ended_at = ${publishedAt}, ended_by = ${who.principal.userId}, ended_reason = 'replaced'
             WHERE plan_id = ${planId} AND ended_at IS NULL`,
      )
    ).changes;
    await tx.run(
      sql`INSERT INTO publications (id, plan_id, slug, kind, published_at, published_by, published_by_name, snapshot, hash)
           VALUES (${id}, ${planId}, ${slug}, ${kind}, ${publishedAt}, ${who.principal.userId}, ${who.principal.name}, ${snapshot}, ${hash})`,
    );
    await recordAudit(tx, {
      planId,
      actor: who.principal,
      role: who.role,
      action: 'plan.published',
      targetType: 'plan',
      targetId: planId,
      summary: `${who.principal.name} published the ${kind === 'adopted' ? 'adopted plan' : 'draft for public consultation'} at ${publicAddress(slug)}${replaced ? ', replacing the earlier publication' : ''} (sha256 ${hash.slice(0, 12)}…)`,
      details: { publicationId: id, slug, kind, hash },
    });
  });
  return q.theRow(PublicationSchema, sql`SELECT ${COLUMNS} FROM publications WHERE id = ${id}`);
}

/**
 * Takes the plan off the public record: every public address of it answers 404 from now on. The
 * publication is ended only if still in force when the write runs, so two people unpublishing at
 * once leave one audit entry, and the second is told the plan is not published.
 */
export async function unpublishPlan(q: Sql, planId: string, who: Actor): Promise<Publication> {
  const at = nowIso();
  const notPublished = () => conflict('not_published', 'The plan is not published.');
  return q.transaction(async (tx) => {
    const current = await tx.row(PublicationSchema, sql`SELECT ${COLUMNS} FROM publications WHERE plan_id = ${planId} AND ended_at IS NULL`);
    if (!current) throw notPublished();
    const { changes } = await tx.run(
      sql`UPDATE publications SET ended_at = ${at}, ended_by = ${who.principal.userId}, ended_reason = 'unpublished'
           WHERE id = ${current.id} AND ended_at IS NULL`,
    );
    if (changes === 0) throw notPublished();
    await recordAudit(tx, {
      planId,
      actor: who.principal,
      role: who.role,
      action: 'plan.unpublished',
      targetType: 'plan',
      targetId: planId,
      summary: `${who.principal.name} took the plan off the public record at ${publicAddress(current.slug)}`,
      details: { publicationId: current.id, slug: current.slug, hash: current.hash },
    });
    return { ...current, endedAt: at, endedReason: 'unpublished' };
  });
}

/** What the public routes serve for a slug: the publication in force, or nothing. */
export interface PublishedRecord {
  id: string;
  hash: string;
  snapshot: string;
}

export async function publishedBySlug(q: Sql, slug: string): Promise<Pick<PublishedRecord, 'id' | 'hash'> | null> {
  return (await q.row(PublishedRow, sql`SELECT id, hash FROM publications WHERE slug = ${slug} AND ended_at IS NULL`)) ?? null;
}

export async function publicationSnapshot(q: Sql, publicationId: string): Promise<string | null> {
  return (await q.row(SnapshotRow, sql`SELECT snapshot FROM publications WHERE id = ${publicationId} AND ended_at IS NULL`))?.snapshot ?? null;
}
