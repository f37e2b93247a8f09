import type * as Y from 'yjs';
import type { Db } from '../db/database.ts';
import { allRows, col, oneRow, rowShape, theRow } from '../db/rows.ts';
import { badRequest, notFound } from '../errors.ts';
import { newId, nowIso } from '../ids.ts';
import { DocumentStore } from '../storage/DocumentStore.ts';
import { planSignedBy } from './agreement.ts';
import { requireSectionNotAgreedNow } from './sectionAgreed.ts';
import { sectionDocName } from '../../shared/doc/schema.ts';
import { verifyCreatorOrganisationNow } from './verification.ts';
import { accountLanguageNow } from './accounts.ts';
import { STARTER_OUTLINE } from './sampleWords.ts';
import { type Actor, byWhom, quoted, recordChangeNow } from './history.ts';
import { principalOfNow, recordAuditNow } from './audit.ts';
import {
  ChapterSchema,
  PlanSummarySchema,
  SectionStatusSchema,
  type CreatePlan,
  type PlanOutline,
  type PlanSummary,
  type Role,
} from '../../shared/api/index.ts';

const SUMMARY_COLUMNS = `p.id, p.title, p.country, p.period_start AS periodStart, p.period_end AS periodEnd,
  m.role, p.created_at AS createdAt, p.source`;

const Id = rowShape({ id: col.text });
const Title = rowShape({ title: col.text });
const OutlineChapter = ChapterSchema.omit({ sections: true });
const OutlineSection = rowShape({ id: col.text, chapterId: col.text, title: col.text, position: col.int, status: SectionStatusSchema });
const OpenThreads = rowShape({ sectionId: col.text, n: col.int });
const PlanFields = rowShape({ title: col.text, country: col.text, periodStart: col.int, periodEnd: col.int });
const SectionChapter = rowShape({ chapterId: col.text });

/** Plans the person is a member of, newest first, each with their role. */
export function listPlans(db: Db, userId: string): PlanSummary[] {
  return allRows(
    db.prepare(
      `SELECT ${SUMMARY_COLUMNS} FROM plans p JOIN plan_members m ON m.plan_id = p.id
        WHERE m.user_id = ? ORDER BY p.created_at DESC, p.rowid DESC`,
    ),
    PlanSummarySchema,
    userId,
  );
}

/** One plan as a member sees it; null when the plan does not exist or they are not a member. */
export function planSummary(db: Db, planId: string, userId: string): PlanSummary | null {
  return (
    oneRow(
      db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM plans p JOIN plan_members m ON m.plan_id = p.id WHERE p.id = ? AND m.user_id = ?`),
      PlanSummarySchema,
      planId,
      userId,
    ) ?? null
  );
}

/** The plan with its chapters and sections in order, as one member sees it. */
export function planOutline(db: Db, planId: string, userId: string): PlanOutline {
  const plan = planSummary(db, planId, userId);
  if (!plan) throw notFound('plan');
  const chapters = allRows(
    db.prepare('SELECT id, title, position FROM chapters WHERE plan_id = ? AND deleted_at IS NULL ORDER BY position, rowid'),
    OutlineChapter,
    planId,
  );
  const sections = allRows(
    db.prepare('SELECT id, chapter_id AS chapterId, title, position, status FROM sections WHERE plan_id = ? AND deleted_at IS NULL ORDER BY position, rowid'),
    OutlineSection,
    planId,
  );
  const signedBy = planSignedBy(db, planId);
  const openThreads = new Map(
    allRows(
      db.prepare(`SELECT section_id AS sectionId, count(*) AS n FROM comment_threads WHERE plan_id = ? AND status = 'open' GROUP BY section_id`),
      OpenThreads,
      planId,
    ).map((r) => [r.sectionId, r.n]),
  );
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
export function createPlan(
  db: Db,
  userId: string,
  input: CreatePlan & { source?: string | null },
  outline: 'starter' | 'empty' = 'starter',
): string {
  const id = newId();
  db.transaction(() => {
    const at = nowIso();
    db.prepare(
      `INSERT INTO plans (id, title, country, period_start, period_end, source, created_by, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(id, input.title, input.country, input.periodStart, input.periodEnd, input.source ?? null, userId, at);
    db.prepare('INSERT INTO plan_members (plan_id, user_id, role, joined_at) VALUES (?, ?, ?, ?)').run(
      id,
      userId,
      'coordinator' satisfies Role,
      at,
    );
    const creator = principalOfNow(db, userId);
    // The signed-in person always exists (users.organisation_id is NOT NULL): only a caller's bug lands here.
    if (!creator) throw new Error(`No person ${userId} to create a plan`);
    recordAuditNow(db, {
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
    verifyCreatorOrganisationNow(db, id, creator.organisationId, creator.side);
    if (outline === 'starter') {
      const words = STARTER_OUTLINE[input.language ?? accountLanguageNow(db, userId) ?? 'en'];
      const chapterId = addChapter(db, id, words.chapter);
      addSection(db, id, chapterId, words.section);
    }
  })();
  return id;
}

/** Changes plan fields; the period is checked against the stored values for the fields not sent. */
export function updatePlan(
  db: Db,
  planId: string,
  changes: Partial<{ title: string; country: string; periodStart: number; periodEnd: number }>,
): void {
  const current = oneRow(db.prepare('SELECT title, country, period_start AS periodStart, period_end AS periodEnd FROM plans WHERE id = ?'), PlanFields, planId);
  if (!current) throw notFound('plan');
  const next = { ...current, ...changes };
  if (next.periodEnd < next.periodStart) {
    throw badRequest('The request is not valid. periodEnd: The period ends before it starts', {
      periodEnd: { code: 'period_order' },
    });
  }
  db.prepare('UPDATE plans SET title = ?, country = ?, period_start = ?, period_end = ? WHERE id = ?').run(
    next.title,
    next.country,
    next.periodStart,
    next.periodEnd,
    planId,
  );
}

// ---- Outline -------------------------------------------------------------------------------

/** Moves `id` to `position` in `ids` (clamped to the end) and returns the new order. */
function reorder(ids: string[], id: string, position: number | undefined): string[] {
  const rest = ids.filter((x) => x !== id);
  const at = Math.min(position ?? rest.length, rest.length);
  rest.splice(at, 0, id);
  return rest;
}

function chapterIds(db: Db, planId: string): string[] {
  return allRows(db.prepare('SELECT id FROM chapters WHERE plan_id = ? AND deleted_at IS NULL ORDER BY position, rowid'), Id, planId).map((r) => r.id);
}

function sectionIds(db: Db, chapterId: string): string[] {
  return allRows(db.prepare('SELECT id FROM sections WHERE chapter_id = ? AND deleted_at IS NULL ORDER BY position, rowid'), Id, chapterId).map((r) => r.id);
}

// Positions are always dense (0, 1, 2…) so the client can show and send them as plain indexes.
function renumberChapters(db: Db, ids: string[]): void {
  const stmt = db.prepare('UPDATE chapters SET position = ? WHERE id = ?');
  ids.forEach((id, i) => stmt.run(i, id));
}

function renumberSections(db: Db, chapterId: string, ids: string[]): void {
  const stmt = db.prepare('UPDATE sections SET position = ?, chapter_id = ? WHERE id = ?');
  ids.forEach((id, i) => stmt.run(i, chapterId, id));
}

function requireChapter(db: Db, planId: string, chapterId: string): void {
  if (!db.prepare('SELECT 1 FROM chapters WHERE id = ? AND plan_id = ? AND deleted_at IS NULL').get(chapterId, planId)) throw notFound('chapter');
}

function requireSection(db: Db, planId: string, sectionId: string): { chapterId: string } {
  const row = oneRow(db.prepare('SELECT chapter_id AS chapterId FROM sections WHERE id = ? AND plan_id = ? AND deleted_at IS NULL'), SectionChapter, sectionId, planId);
  if (!row) throw notFound('section');
  return row;
}

const chapterTitle = (db: Db, chapterId: string) =>
  oneRow(db.prepare('SELECT title FROM chapters WHERE id = ?'), Title, chapterId)?.title ?? '';

/**
 * Adds a chapter at the end of the plan; returns its id. With `who`, it is on the record
 * (`chapter.created`); without, it is part of making a plan (its starter outline, the sample plan).
 */
export function addChapter(db: Db, planId: string, title: string, who?: Actor): string {
  const id = newId();
  db.transaction(() => {
    const position = chapterIds(db, planId).length;
    db.prepare('INSERT INTO chapters (id, plan_id, title, position) VALUES (?, ?, ?, ?)').run(id, planId, title, position);
    if (who) {
      recordChangeNow(db, {
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
  })();
  return id;
}

/** Renames and/or moves a chapter to a 0-based position, renumbering its siblings (`chapter.renamed`, `chapter.moved`). */
export function updateChapter(db: Db, planId: string, chapterId: string, changes: { title?: string; position?: number }, who: Actor): void {
  db.transaction(() => {
    requireChapter(db, planId, chapterId);
    const title = chapterTitle(db, chapterId);
    if (changes.title !== undefined && changes.title !== title) {
      db.prepare('UPDATE chapters SET title = ? WHERE id = ?').run(changes.title, chapterId);
      recordChangeNow(db, {
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
      const before = chapterIds(db, planId);
      const after = reorder(before, chapterId, changes.position);
      if (before.indexOf(chapterId) !== after.indexOf(chapterId)) {
        renumberChapters(db, after);
        const now = changes.title ?? title;
        recordChangeNow(db, {
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
  })();
}

// Deleting a chapter or a section moves it to the bin: see bin.ts.

/**
 * Adds a section at the end of a chapter of the plan, with its document created in the same
 * transaction: a section never exists without a document, and the seed is written exactly once.
 * With `who`, it is on the record (`section.created`).
 */
export function addSection(db: Db, planId: string, chapterId: string, title: string, seed?: (doc: Y.Doc) => void, who?: Actor): string {
  const id = newId();
  db.transaction(() => {
    requireChapter(db, planId, chapterId);
    const position = sectionIds(db, chapterId).length;
    db.prepare('INSERT INTO sections (id, plan_id, chapter_id, title, position) VALUES (?, ?, ?, ?, ?)').run(id, planId, chapterId, title, position);
    new DocumentStore(db).create(sectionDocName(id), seed);
    if (who) {
      const chapter = chapterTitle(db, chapterId);
      recordChangeNow(db, {
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
  })();
  return id;
}

/**
 * Renames and/or moves a section within its chapter or into another chapter of the same plan
 * (`section.renamed`, `section.moved`). Moved without a position, it goes to the end of the target chapter.
 */
export function updateSection(
  db: Db,
  planId: string,
  sectionId: string,
  changes: { title?: string; chapterId?: string; position?: number },
  who: Actor,
): void {
  db.transaction(() => {
    const { chapterId: from } = requireSection(db, planId, sectionId);
    const to = changes.chapterId ?? from;
    if (to !== from) requireChapter(db, planId, to);
    const title = theRow(db.prepare('SELECT title FROM sections WHERE id = ?'), Title, sectionId).title;
    // An agreed section may move in the outline, not be renamed: its title is part of what was agreed.
    if (changes.title !== undefined) requireSectionNotAgreedNow(db, sectionId);
    if (changes.title !== undefined && changes.title !== title) {
      db.prepare('UPDATE sections SET title = ? WHERE id = ?').run(changes.title, sectionId);
      recordChangeNow(db, {
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
    const was = sectionIds(db, from).indexOf(sectionId);
    if (to !== from) {
      renumberSections(db, from, sectionIds(db, from).filter((id) => id !== sectionId));
      renumberSections(db, to, reorder(sectionIds(db, to), sectionId, changes.position));
    } else if (changes.position !== undefined) {
      renumberSections(db, from, reorder(sectionIds(db, from), sectionId, changes.position));
    }
    const now = sectionIds(db, to).indexOf(sectionId);
    if (to !== from || now !== was) {
      const current = changes.title ?? title;
      const names = { [from]: chapterTitle(db, from), [to]: chapterTitle(db, to) };
      recordChangeNow(db, {
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
  })();
}
