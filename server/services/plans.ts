import { sql } from 'kysely';
import type * as Y from 'yjs';
import { col, rowShape } from '../db/rows.ts';
import { lockRowsForChange } from '../db/sql/locks.ts';
import type { Sql } from '../db/sql/Sql.ts';
import { badRequest, notFound } from '../errors.ts';
import { newId, nowIso } from '../ids.ts';
import { createStoredDocument } from '../storage/createDocument.ts';
import { planSignedBy } from './agreement.ts';
import { requireSectionNotAgreed } from './sectionAgreed.ts';
import { sectionDocName } from '../../shared/doc/schema.ts';
import { verifyCreatorOrganisation } from './verification.ts';
import { accountLanguage } from './accounts.ts';
import { STARTER_OUTLINE } from './sampleWords.ts';
import { type Actor, byWhom, quoted, recordChange } from './history.ts';
import { principalOf, recordAudit } from './audit.ts';
import {
  ChapterSchema,
  PlanSummarySchema,
  SectionStatusSchema,
  type CreatePlan,
  type PlanOutline,
  type PlanSummary,
  type Role,
} from '../../shared/api/index.ts';

const SUMMARY = sql`SELECT p.id, p.title, p.country, p.period_start AS "periodStart", p.period_end AS "periodEnd",
  m.role, p.created_at AS "createdAt", p.source FROM plans p JOIN plan_members m ON m.plan_id = p.id`;

const Id = rowShape({ id: col.text });
const One = rowShape({ one: col.int });
const Title = rowShape({ title: col.text });
const OutlineChapter = ChapterSchema.omit({ sections: true });
const OutlineSection = rowShape({ id: col.text, chapterId: col.text, title: col.text, position: col.int, status: SectionStatusSchema });
const OpenThreads = rowShape({ sectionId: col.text, n: col.int });
const PlanFields = rowShape({ title: col.text, country: col.text, periodStart: col.int, periodEnd: col.int });
const SectionChapter = rowShape({ chapterId: col.text });

/** Plans the person is a member of, newest first, each with their role (plans of one moment by id: PostgreSQL has no rowid). */
export async function listPlans(q: Sql, userId: string): Promise<PlanSummary[]> {
  return q.rows(PlanSummarySchema, sql`${SUMMARY} WHERE m.user_id = ${userId} ORDER BY p.created_at DESC, p.id DESC`);
}

/** One plan as a member sees it; null when the plan does not exist or they are not a member. */
export async function planSummary(q: Sql, planId: string, userId: string): Promise<PlanSummary | null> {
  return (await q.row(PlanSummarySchema, sql`${SUMMARY} WHERE p.id = ${planId} AND m.user_id = ${userId}`)) ?? null;
}

/** The plan with its chapters and sections in order, as one member sees it. */
export async function planOutline(q: Sql, planId: string, userId: string): Promise<PlanOutline> {
  // Read as of one moment, so every section read has its chapter and its sign-offs.
  const { plan, chapters, sections, signedBy, threads } = await q.transaction(
    async (tx) => {
      const plan = await planSummary(tx, planId, userId);
      if (!plan) throw notFound('plan');
      return {
        plan,
        chapters: await tx.rows(OutlineChapter, sql`SELECT id, title, position FROM chapters WHERE plan_id = ${planId} AND deleted_at IS NULL ORDER BY position, id`),
        sections: await tx.rows(
          OutlineSection,
          sql`SELECT id, chapter_id AS "chapterId", title, position, status FROM sections WHERE plan_id = ${planId} AND deleted_at IS NULL ORDER BY position, id`,
        ),
        signedBy: await planSignedBy(tx, planId),
        threads: await tx.rows(
          OpenThreads,
          sql`SELECT section_id AS "sectionId", count(*) AS n FROM comment_threads WHERE plan_id = ${planId} AND status = 'open' GROUP BY section_id`,
        ),
      };
    },
    { snapshot: true },
  );
  const openThreads = new Map(threads.map((r) => [r.sectionId, r.n]));
  return {
    plan,
    chapters: chapters.map((c) => ({
      ...c,
      sections: sections
        .filter((s) => s.chapterId === c.id)
        .map(({ id, title, position, status }) => ({
          id,
          title,
          position,
          status,
          signedBy: signedBy.get(id) ?? [],
          openThreads: openThreads.get(id) ?? 0,
        })),
    })),
  };
}

/**
 * Creates a plan with its creator as coordinator. `outline: 'starter'` adds one chapter with one
 * section, so a new plan opens on something to write in rather than an empty page. The plan's
 * audit log begins with its creation (`plan.created`), written with the plan: who started it, in
 * which organisation's name, is the first thing its record answers.
 */
export async function createPlan(
  q: Sql,
  userId: string,
  input: CreatePlan & { source?: string | null },
  outline: 'starter' | 'empty' = 'starter',
): Promise<string> {
  const id = newId();
  await q.transaction(async (tx) => {
    const at = nowIso();
    await tx.run(
      sql`INSERT INTO plans (id, title, country, period_start, period_end, source, created_by, created_at)
        VALUES (${id}, ${input.title}, ${input.country}, ${input.periodStart}, ${input.periodEnd}, ${input.source ?? null}, ${userId}, ${at})`,
    );
    await tx.run(sql`INSERT INTO plan_members (plan_id, user_id, role, joined_at) VALUES (${id}, ${userId}, ${'coordinator' satisfies Role}, ${at})`);
    const creator = await principalOf(tx, userId);
    // The signed-in person always exists (users.organisation_id is NOT NULL): only a caller's bug lands here.
    if (!creator) throw new Error(`No person ${userId} to create a plan`);
    await recordAudit(tx, {
      planId: id,
      actor: creator,
      role: 'coordinator',
      action: 'plan.created',
      targetType: 'plan',
      targetId: id,
      summary: `${creator.name} created the plan ${quoted(input.title)} (${input.country}, ${input.periodStart}–${input.periodEnd})`,
      details: { title: input.title, country: input.country, periodStart: input.periodStart, periodEnd: input.periodEnd },
    });
    // The creator starts the plan in their organisation's name: it is the plan's first verified
    // organisation. Everyone invited later waits for a coordinator's word (services/verification.ts).
    await verifyCreatorOrganisation(tx, id, creator.organisationId, creator.side);
    if (outline === 'starter') {
      const words = STARTER_OUTLINE[input.language ?? (await accountLanguage(tx, userId)) ?? 'en'];
      const chapterId = await addChapter(tx, id, words.chapter);
      await addSection(tx, id, chapterId, words.section);
    }
  });
  return id;
}

/**
 * Changes plan fields; the period is checked against the stored values for the fields not sent,
 * read with the row locked on PostgreSQL so two changes at once cannot pass the check each on its own.
 */
export async function updatePlan(
  q: Sql,
  planId: string,
  changes: Partial<{ title: string; country: string; periodStart: number; periodEnd: number }>,
): Promise<void> {
  await q.transaction(async (tx) => {
    await lockPlan(tx, planId);
    const current = await tx.row(PlanFields, sql`SELECT title, country, period_start AS "periodStart", period_end AS "periodEnd" FROM plans WHERE id = ${planId}`);
    if (!current) throw notFound('plan');
    const next = { ...current, ...changes };
    if (next.periodEnd < next.periodStart) {
      throw badRequest('The request is not valid. periodEnd: The period ends before it starts', {
        periodEnd: { code: 'period_order' },
      });
    }
    await tx.run(
      sql`UPDATE plans SET title = ${next.title}, country = ${next.country}, period_start = ${next.periodStart}, period_end = ${next.periodEnd} WHERE id = ${planId}`,
    );
  });
}

// ---- Outline -------------------------------------------------------------------------------

/** Moves `id` to `position` in `ids` (clamped to the end) and returns the new order. */
export function reorder(ids: string[], id: string, position: number | undefined): string[] {
  const rest = ids.filter((x) => x !== id);
  const at = Math.min(position ?? rest.length, rest.length);
  rest.splice(at, 0, id);
  return rest;
}

/**
 * On PostgreSQL, the plan's row locked until the transaction ends (FOR NO KEY UPDATE, as actions
 * lock their section): changes to one plan's outline take turns, so two chapters or sections added
 * at once cannot take one place, and places are read and renumbered with nobody moving them in
 * between. SQLite's write transactions take turns already.
 */
async function lockPlan(tx: Sql, planId: string): Promise<void> {
  if (tx.engine === 'postgres') await tx.row(One, sql`SELECT 1 AS one FROM plans WHERE id = ${planId} FOR NO KEY UPDATE`);
}

/**
 * On PostgreSQL, locks every section of these chapters in one id order before any is renumbered:
 * an action moved between two sections locks those two in id order too (locks.ts), so neither can
 * hold a section the other waits for, as renumbering in the order of places would (a deadlock,
 * PostgreSQL's 40P01). Taken after the plan's row, as every outline change and the bin take it.
 */
export async function lockSectionsOfChapters(tx: Sql, chapterIds: readonly string[]): Promise<void> {
  if (tx.engine !== 'postgres') return;
  const ids = await tx.rows(Id, sql`SELECT id FROM sections WHERE chapter_id IN (${sql.join([...new Set(chapterIds)])})`);
  await lockRowsForChange(tx, 'sections', ids.map((r) => r.id));
}

// Ties of place go by id: PostgreSQL has no rowid.
export async function chapterIds(tx: Sql, planId: string): Promise<string[]> {
  return (await tx.rows(Id, sql`SELECT id FROM chapters WHERE plan_id = ${planId} AND deleted_at IS NULL ORDER BY position, id`)).map((r) => r.id);
}

export async function sectionIds(tx: Sql, chapterId: string): Promise<string[]> {
  return (await tx.rows(Id, sql`SELECT id FROM sections WHERE chapter_id = ${chapterId} AND deleted_at IS NULL ORDER BY position, id`)).map((r) => r.id);
}

// Positions are always dense (0, 1, 2…) so the client can show and send them as plain indexes.
export async function renumberChapters(tx: Sql, ids: string[]): Promise<void> {
  for (const [i, id] of ids.entries()) await tx.run(sql`UPDATE chapters SET position = ${i} WHERE id = ${id}`);
}

export async function renumberSections(tx: Sql, chapterId: string, ids: string[]): Promise<void> {
  for (const [i, id] of ids.entries()) await tx.run(sql`UPDATE sections SET position = ${i}, chapter_id = ${chapterId} WHERE id = ${id}`);
}

async function requireChapter(tx: Sql, planId: string, chapterId: string): Promise<void> {
  if (!(await tx.row(One, sql`SELECT 1 AS one FROM chapters WHERE id = ${chapterId} AND plan_id = ${planId} AND deleted_at IS NULL`))) throw notFound('chapter');
}

async function requireSection(tx: Sql, planId: string, sectionId: string): Promise<{ chapterId: string }> {
  const row = await tx.row(SectionChapter, sql`SELECT chapter_id AS "chapterId" FROM sections WHERE id = ${sectionId} AND plan_id = ${planId} AND deleted_at IS NULL`);
  if (!row) throw notFound('section');
  return row;
}

const chapterTitle = async (tx: Sql, chapterId: string) => (await tx.row(Title, sql`SELECT title FROM chapters WHERE id = ${chapterId}`))?.title ?? '';

/**
 * Adds a chapter at the end of the plan; returns its id. With `who`, it is on the record
 * (`chapter.created`); without, it is part of making a plan (its starter outline, the sample plan).
 */
export async function addChapter(q: Sql, planId: string, title: string, who?: Actor): Promise<string> {
  const id = newId();
  await q.transaction(async (tx) => {
    await lockPlan(tx, planId);
    const position = (await chapterIds(tx, planId)).length;
    await tx.run(sql`INSERT INTO chapters (id, plan_id, title, position) VALUES (${id}, ${planId}, ${title}, ${position})`);
    if (who) {
      await recordChange(tx, {
        planId,
        who,
        action: 'chapter.created',
        targetType: 'chapter',
        targetId: id,
        summary: `${byWhom(who)} added the chapter ${quoted(title)}`,
        before: null,
        after: { title, position },
      });
    }
  });
  return id;
}

/** Renames and/or moves a chapter to a 0-based position, renumbering its siblings (`chapter.renamed`, `chapter.moved`). */
export async function updateChapter(q: Sql, planId: string, chapterId: string, changes: { title?: string; position?: number }, who: Actor): Promise<void> {
  await q.transaction(async (tx) => {
    await lockPlan(tx, planId);
    await requireChapter(tx, planId, chapterId);
    const title = await chapterTitle(tx, chapterId);
    if (changes.title !== undefined && changes.title !== title) {
      await tx.run(sql`UPDATE chapters SET title = ${changes.title} WHERE id = ${chapterId}`);
      await recordChange(tx, {
        planId,
        who,
        action: 'chapter.renamed',
        targetType: 'chapter',
        targetId: chapterId,
        summary: `${byWhom(who)} renamed the chapter ${quoted(title)} to ${quoted(changes.title)}`,
        before: { title },
        after: { title: changes.title },
      });
    }
    if (changes.position !== undefined) {
      const before = await chapterIds(tx, planId);
      const after = reorder(before, chapterId, changes.position);
      if (before.indexOf(chapterId) !== after.indexOf(chapterId)) {
        await renumberChapters(tx, after);
        const now = changes.title ?? title;
        await recordChange(tx, {
          planId,
          who,
          action: 'chapter.moved',
          targetType: 'chapter',
          targetId: chapterId,
          summary: `${byWhom(who)} moved the chapter ${quoted(now)} from place ${before.indexOf(chapterId) + 1} to ${after.indexOf(chapterId) + 1}`,
          before: { title: now, position: before.indexOf(chapterId) },
          after: { title: now, position: after.indexOf(chapterId) },
          changed: ['position'],
        });
      }
    }
  });
}

// Deleting a chapter or a section moves it to the bin: see bin.ts.

/**
 * Adds a section at the end of a chapter of the plan, with its document created in the same
 * transaction: a section never exists without a document, and the seed is written exactly once.
 * With `who`, it is on the record (`section.created`).
 */
export async function addSection(q: Sql, planId: string, chapterId: string, title: string, seed?: (doc: Y.Doc) => void, who?: Actor): Promise<string> {
  const id = newId();
  await q.transaction(async (tx) => {
    await lockPlan(tx, planId);
    await requireChapter(tx, planId, chapterId);
    const position = (await sectionIds(tx, chapterId)).length;
    await tx.run(sql`INSERT INTO sections (id, plan_id, chapter_id, title, position) VALUES (${id}, ${planId}, ${chapterId}, ${title}, ${position})`);
    await createStoredDocument(tx, sectionDocName(id), seed);
    if (who) {
      const chapter = await chapterTitle(tx, chapterId);
      await recordChange(tx, {
        planId,
        who,
        action: 'section.created',
        targetType: 'section',
        targetId: id,
        summary: `${byWhom(who)} added the section ${quoted(title)} to the chapter ${quoted(chapter)}`,
        before: null,
        after: { title, chapterId, position },
        details: { names: { [chapterId]: chapter } },
      });
    }
  });
  return id;
}

/**
 * Renames and/or moves a section within its chapter or into another chapter of the same plan
 * (`section.renamed`, `section.moved`). Moved without a position, it goes to the end of the target chapter.
 */
export async function updateSection(
  q: Sql,
  planId: string,
  sectionId: string,
  changes: { title?: string; chapterId?: string; position?: number },
  who: Actor,
): Promise<void> {
  await q.transaction(async (tx) => {
    await lockPlan(tx, planId);
    const { chapterId: from } = await requireSection(tx, planId, sectionId);
    const to = changes.chapterId ?? from;
    if (to !== from) await requireChapter(tx, planId, to);
    const { title } = await tx.theRow(Title, sql`SELECT title FROM sections WHERE id = ${sectionId}`);
    // An agreed section may move in the outline, not be renamed: its title is part of what was agreed.
    if (changes.title !== undefined) await requireSectionNotAgreed(tx, sectionId);
    if (changes.title !== undefined && changes.title !== title) {
      await tx.run(sql`UPDATE sections SET title = ${changes.title} WHERE id = ${sectionId}`);
      await recordChange(tx, {
        planId,
        who,
        action: 'section.renamed',
        targetType: 'section',
        targetId: sectionId,
        summary: `${byWhom(who)} renamed the section ${quoted(title)} to ${quoted(changes.title)}`,
        before: { title },
        after: { title: changes.title },
      });
    }
    if (to !== from || changes.position !== undefined) await lockSectionsOfChapters(tx, [from, to]);
    const was = (await sectionIds(tx, from)).indexOf(sectionId);
    if (to !== from) {
      await renumberSections(tx, from, (await sectionIds(tx, from)).filter((id) => id !== sectionId));
      await renumberSections(tx, to, reorder(await sectionIds(tx, to), sectionId, changes.position));
    } else if (changes.position !== undefined) {
      await renumberSections(tx, from, reorder(await sectionIds(tx, from), sectionId, changes.position));
    }
    const now = (await sectionIds(tx, to)).indexOf(sectionId);
    if (to !== from || now !== was) {
      const current = changes.title ?? title;
      const names = { [from]: await chapterTitle(tx, from), [to]: await chapterTitle(tx, to) };
      await recordChange(tx, {
        planId,
        who,
        action: 'section.moved',
        targetType: 'section',
        targetId: sectionId,
        summary:
          to === from
            ? `${byWhom(who)} moved the section ${quoted(current)} from place ${was + 1} to ${now + 1} in the chapter ${quoted(names[to]!)}`
            : `${byWhom(who)} moved the section ${quoted(current)} from the chapter ${quoted(names[from]!)} to ${quoted(names[to]!)}`,
        before: { title: current, chapterId: from, position: was },
        after: { title: current, chapterId: to, position: now },
        changed: to === from ? ['position'] : ['chapterId', 'position'],
        details: { names },
      });
    }
  });
}
