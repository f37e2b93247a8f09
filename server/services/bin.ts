import { sql } from 'kysely';
import type { z } from 'zod';
import type { Principal } from '../auth/sessions.ts';
import { col, rowShape } from '../db/rows.ts';
import { lockRowsForChange } from '../db/sql/locks.ts';
import { flag } from '../db/sql/portable.ts';
import type { Sql } from '../db/sql/Sql.ts';
import { conflict, notFound } from '../errors.ts';
import { nowIso } from '../ids.ts';
import { recordAudit } from './audit.ts';
import { chapterIds, lockSectionsOfChapters, renumberChapters, renumberSections, reorder, sectionIds } from './plans.ts';
import { sectionDocName } from '../../shared/doc/schema.ts';
import { BIN_RETENTION_DAYS, type BinEntry, type BinnedSection, type Role } from '../../shared/api/index.ts';

/**
 * The bin. Deleting a section or a chapter only marks its rows (deleted_at, deleted_by; migration
 * 014): the section's document, actions, indicators, recommendation links, comment threads and
 * sign-offs stay as they are, so a restore brings it back exactly. While in the bin a section is
 * left out of everything that lists plan content (every query of live sections says
 * `deleted_at IS NULL`), and the sync server refuses to open it. Entries older than
 * BIN_RETENTION_DAYS may be purged at start (purgeBin), never younger ones.
 *
 * On Sql (decision 0011). Each write renumbers places in its chapter or plan, so on PostgreSQL it
 * first locks the plan's row, as outline changes do: they take turns, and none renumbers from places
 * another is changing. Then it locks the chapter's sections in id order, as action edits do. Each
 * marks a row only from the state it checked (live, in the bin, not agreed), so two requests at
 * once leave one change and one audit entry.
 */

interface Actor {
  principal: Principal;
  role: Role;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const quote = (title: string) => `“${title}”`;

const Id = rowShape({ id: col.text });
const Title = rowShape({ title: col.text });
const LiveSection = rowShape({ chapterId: col.text, title: col.text, status: col.text });
const ChapterSection = rowShape({ id: col.text, title: col.text, status: col.text });
const BinnedSectionPlace = rowShape({
  chapterId: col.text,
  title: col.text,
  position: col.int,
  chapterDeletedAt: col.nullableText,
  chapterTitle: col.text,
});
const BinnedChapterPlace = rowShape({ title: col.text, position: col.int });
const IdTitle = rowShape({ id: col.text, title: col.text });
const ChapterTitle = rowShape({ chapterId: col.text, title: col.text });

/** On PostgreSQL, waits for the plan's other writes in the bin (see above); SQLite's write transactions take turns already. */
const lockPlan = (tx: Sql, planId: string) => lockRowsForChange(tx, 'plans', [planId]);

/** On PostgreSQL, every section of the chapter locked in id order before any is changed (plans.ts). */
const lockChapterSections = (tx: Sql, chapterId: string) => lockSectionsOfChapters(tx, [chapterId]);

function refuseAgreed(titles: string[], what: 'section' | 'chapter'): never {
  const named = titles.map(quote).join(', ');
  throw conflict(
    'section_agreed',
    what === 'section'
      ? `${named} is agreed and cannot be deleted. A coordinator must reopen it first.`
      : `This chapter holds agreed sections (${named}) and cannot be deleted. A coordinator must reopen them first.`,
  );
}

/** Marks a live section that is not agreed as in the bin; false when it no longer is such a section. */
async function markSection(tx: Sql, sectionId: string, at: string, by: string, withChapter: boolean): Promise<boolean> {
  const { changes } = await tx.run(
    sql`UPDATE sections SET deleted_at = ${at}, deleted_by = ${by}, deleted_with_chapter = ${withChapter ? 1 : 0}
         WHERE id = ${sectionId} AND deleted_at IS NULL AND status <> 'agreed'`,
  );
  return changes === 1;
}

/** Moves a live section to the bin. 409 `section_agreed` for an agreed section, before anything changes. */
export function binSection(q: Sql, planId: string, sectionId: string, who: Actor): Promise<{ title: string }> {
  return q.transaction(async (tx) => {
    await lockPlan(tx, planId);
    const found = await tx.row(
      LiveSection,
      sql`SELECT chapter_id AS "chapterId", title, status FROM sections WHERE id = ${sectionId} AND plan_id = ${planId} AND deleted_at IS NULL`,
    );
    if (!found) throw notFound('section');
    if (found.status === 'agreed') refuseAgreed([found.title], 'section');
    const chapterTitle = (await tx.theRow(Title, sql`SELECT title FROM chapters WHERE id = ${found.chapterId}`)).title;
    await lockChapterSections(tx, found.chapterId);
    // A sign-off may have agreed it since it was read (it does not wait for the plan's lock).
    if (!(await markSection(tx, sectionId, nowIso(), who.principal.userId, false))) refuseAgreed([found.title], 'section');
    await renumberSections(tx, found.chapterId, await sectionIds(tx, found.chapterId));
    await recordAudit(tx, {
      planId,
      actor: who.principal,
      role: who.role,
      action: 'section.deleted',
      targetType: 'section',
      targetId: sectionId,
      summary: `${who.principal.name} (${who.principal.organisationName}) moved ${quote(found.title)} to the bin`,
      details: { title: found.title, chapterTitle },
    });
    return { title: found.title };
  });
}

/**
 * Moves a live chapter and its live sections to the bin. 409 `section_agreed` naming them when
 * any of its sections is agreed. Returns the ids of the sections it took with it.
 */
export function binChapter(q: Sql, planId: string, chapterId: string, who: Actor): Promise<string[]> {
  return q.transaction(async (tx) => {
    await lockPlan(tx, planId);
    const chapter = await tx.row(Title, sql`SELECT title FROM chapters WHERE id = ${chapterId} AND plan_id = ${planId} AND deleted_at IS NULL`);
    if (!chapter) throw notFound('chapter');
    await lockChapterSections(tx, chapterId);
    const sections = await tx.rows(
      ChapterSection,
      sql`SELECT id, title, status FROM sections WHERE chapter_id = ${chapterId} AND deleted_at IS NULL ORDER BY position, id`,
    );
    const agreed = sections.filter((s) => s.status === 'agreed');
    if (agreed.length > 0) refuseAgreed(agreed.map((s) => s.title), 'chapter');
    const at = nowIso();
    for (const s of sections) {
      if (!(await markSection(tx, s.id, at, who.principal.userId, true))) refuseAgreed([s.title], 'chapter');
    }
    const { changes } = await tx.run(
      sql`UPDATE chapters SET deleted_at = ${at}, deleted_by = ${who.principal.userId} WHERE id = ${chapterId} AND deleted_at IS NULL`,
    );
    if (changes !== 1) throw notFound('chapter');
    await renumberChapters(tx, await chapterIds(tx, planId));
    await recordAudit(tx, {
      planId,
      actor: who.principal,
      role: who.role,
      action: 'chapter.deleted',
      targetType: 'chapter',
      targetId: chapterId,
      summary:
        `${who.principal.name} (${who.principal.organisationName}) moved the chapter ${quote(chapter.title)} to the bin` +
        (sections.length ? ` with ${sections.length === 1 ? 'its section' : `its ${sections.length} sections`} ${sections.map((s) => quote(s.title)).join(', ')}` : ''),
      details: { title: chapter.title, sections: sections.map((s) => ({ id: s.id, title: s.title })) },
    });
    return sections.map((s) => s.id);
  });
}

/** Puts a section from the bin back in its chapter, where it was. 409 when its chapter is in the bin. */
export function restoreSection(q: Sql, planId: string, sectionId: string, who: Actor): Promise<{ title: string }> {
  return q.transaction(async (tx) => {
    await lockPlan(tx, planId);
    const found = await tx.row(
      BinnedSectionPlace,
      sql`SELECT s.chapter_id AS "chapterId", s.title, s.position, c.deleted_at AS "chapterDeletedAt", c.title AS "chapterTitle"
            FROM sections s JOIN chapters c ON c.id = s.chapter_id
           WHERE s.id = ${sectionId} AND s.plan_id = ${planId} AND s.deleted_at IS NOT NULL`,
    );
    if (!found) throw notFound('binSection');
    if (found.chapterDeletedAt !== null) {
      throw conflict(
        'chapter_in_bin',
        `${quote(found.title)} belongs to the chapter ${quote(found.chapterTitle)}, which is in the bin too. Restore the chapter first.`,
      );
    }
    await lockChapterSections(tx, found.chapterId);
    const { changes } = await tx.run(
      sql`UPDATE sections SET deleted_at = NULL, deleted_by = NULL, deleted_with_chapter = 0 WHERE id = ${sectionId} AND deleted_at IS NOT NULL`,
    );
    if (changes !== 1) throw notFound('binSection');
    await renumberSections(tx, found.chapterId, reorder(await sectionIds(tx, found.chapterId), sectionId, found.position));
    await recordAudit(tx, {
      planId,
      actor: who.principal,
      role: who.role,
      action: 'section.restored',
      targetType: 'section',
      targetId: sectionId,
      summary: `${who.principal.name} (${who.principal.organisationName}) restored ${quote(found.title)} from the bin`,
      details: { title: found.title, chapterTitle: found.chapterTitle },
    });
    return { title: found.title };
  });
}

/** Puts a chapter from the bin back where it was, with the sections deleted together with it. */
export function restoreChapter(q: Sql, planId: string, chapterId: string, who: Actor): Promise<string[]> {
  return q.transaction(async (tx) => {
    await lockPlan(tx, planId);
    const chapter = await tx.row(
      BinnedChapterPlace,
      sql`SELECT title, position FROM chapters WHERE id = ${chapterId} AND plan_id = ${planId} AND deleted_at IS NOT NULL`,
    );
    if (!chapter) throw notFound('binChapter');
    await lockChapterSections(tx, chapterId);
    const sections = await tx.rows(
      IdTitle,
      sql`SELECT id, title FROM sections WHERE chapter_id = ${chapterId} AND deleted_at IS NOT NULL AND deleted_with_chapter = 1 ORDER BY position, id`,
    );
    const { changes } = await tx.run(sql`UPDATE chapters SET deleted_at = NULL, deleted_by = NULL WHERE id = ${chapterId} AND deleted_at IS NOT NULL`);
    if (changes !== 1) throw notFound('binChapter');
    for (const s of sections) await tx.run(sql`UPDATE sections SET deleted_at = NULL, deleted_by = NULL, deleted_with_chapter = 0 WHERE id = ${s.id}`);
    await renumberSections(tx, chapterId, await sectionIds(tx, chapterId));
    await renumberChapters(tx, reorder(await chapterIds(tx, planId), chapterId, chapter.position));
    await recordAudit(tx, {
      planId,
      actor: who.principal,
      role: who.role,
      action: 'chapter.restored',
      targetType: 'chapter',
      targetId: chapterId,
      summary:
        `${who.principal.name} (${who.principal.organisationName}) restored the chapter ${quote(chapter.title)} from the bin` +
        (sections.length ? ` with ${sections.map((s) => quote(s.title)).join(', ')}` : ''),
      details: { title: chapter.title, sections: sections.map((s) => ({ id: s.id, title: s.title })) },
    });
    return sections.map((s) => s.id);
  });
}

/** Days, rounded up, until the entry may be purged: 30 just after deleting, 1 on its last day. */
const daysLeft = (deletedAt: string, now: number) =>
  Math.max(0, Math.ceil((Date.parse(deletedAt) + BIN_RETENTION_DAYS * DAY_MS - now) / DAY_MS));

const BinRow = rowShape({
  id: col.text,
  title: col.text,
  deletedAt: col.text,
  deleterName: col.nullableText,
  deleterOrganisation: col.nullableText,
});
type BinRow = z.output<typeof BinRow>;
const BinnedSectionRow = BinRow.extend({ chapterTitle: col.text, chapterInBin: col.bool });

const deleter = (r: BinRow) => (r.deleterName ? { name: r.deleterName, organisation: r.deleterOrganisation ?? '' } : null);

/** What is in the plan's bin, most recently deleted first (ties by id). */
export async function listBin(q: Sql, planId: string, now = Date.now()): Promise<BinEntry[]> {
  const chapters = await q.rows(
    BinRow,
    sql`SELECT c.id, c.title, c.deleted_at AS "deletedAt", u.name AS "deleterName", o.name AS "deleterOrganisation"
          FROM chapters c LEFT JOIN users u ON u.id = c.deleted_by LEFT JOIN organisations o ON o.id = u.organisation_id
         WHERE c.plan_id = ${planId} AND c.deleted_at IS NOT NULL ORDER BY c.deleted_at DESC, c.id`,
  );
  const withChapter = await q.rows(
    ChapterTitle,
    sql`SELECT chapter_id AS "chapterId", title FROM sections
         WHERE plan_id = ${planId} AND deleted_at IS NOT NULL AND deleted_with_chapter = 1 ORDER BY position, id`,
  );
  const sections = await q.rows(
    BinnedSectionRow,
    sql`SELECT s.id, s.title, s.deleted_at AS "deletedAt", u.name AS "deleterName", o.name AS "deleterOrganisation",
               c.title AS "chapterTitle", ${flag(sql`c.deleted_at IS NOT NULL`)} AS "chapterInBin"
          FROM sections s JOIN chapters c ON c.id = s.chapter_id
          LEFT JOIN users u ON u.id = s.deleted_by LEFT JOIN organisations o ON o.id = u.organisation_id
         WHERE s.plan_id = ${planId} AND s.deleted_at IS NOT NULL AND s.deleted_with_chapter = 0 ORDER BY s.deleted_at DESC, s.id`,
  );
  const entries: BinEntry[] = [
    ...chapters.map((c) => ({
      kind: 'chapter' as const,
      id: c.id,
      title: c.title,
      chapterTitle: c.title,
      chapterInBin: true,
      sections: withChapter.filter((s) => s.chapterId === c.id).map((s) => s.title),
      deletedAt: c.deletedAt,
      deletedBy: deleter(c),
      daysLeft: daysLeft(c.deletedAt, now),
    })),
    ...sections.map((s) => ({
      kind: 'section' as const,
      id: s.id,
      title: s.title,
      chapterTitle: s.chapterTitle,
      chapterInBin: s.chapterInBin,
      sections: [],
      deletedAt: s.deletedAt,
      deletedBy: deleter(s),
      daysLeft: daysLeft(s.deletedAt, now),
    })),
  ];
  return entries.sort((a, b) => b.deletedAt.localeCompare(a.deletedAt));
}

/** Who moved a section to the bin and when (for the people who had it open); 404 when it is not in the bin. */
export async function binnedSection(q: Sql, planId: string, sectionId: string): Promise<BinnedSection> {
  const found = await q.row(
    BinRow,
    sql`SELECT s.id, s.title, s.deleted_at AS "deletedAt", u.name AS "deleterName", o.name AS "deleterOrganisation"
          FROM sections s LEFT JOIN users u ON u.id = s.deleted_by LEFT JOIN organisations o ON o.id = u.organisation_id
         WHERE s.id = ${sectionId} AND s.plan_id = ${planId} AND s.deleted_at IS NOT NULL`,
  );
  if (!found) throw notFound('binSection');
  return { sectionId: found.id, title: found.title, deletedAt: found.deletedAt, deletedBy: deleter(found) };
}

/**
 * Removes for good what has been in the bin longer than the retention period (never sooner):
 * sections with their documents, actions, threads and sign-offs; chapters with every section in
 * them. Returns how many sections and chapters went.
 *
 * A section's document log goes through Sql, in the tables both engines' document stores keep
 * (DocumentStore, PgDocumentStore): the store of the database the services use.
 */
export function purgeBin(q: Sql, now = Date.now()): Promise<{ sections: number; chapters: number }> {
  const cutoff = new Date(now - BIN_RETENTION_DAYS * DAY_MS).toISOString();
  return q.transaction(async (tx) => {
    const chapters = (await tx.rows(Id, sql`SELECT id FROM chapters WHERE deleted_at IS NOT NULL AND deleted_at < ${cutoff} ORDER BY id`)).map((r) => r.id);
    const sections = new Set(
      (await tx.rows(Id, sql`SELECT id FROM sections WHERE deleted_at IS NOT NULL AND deleted_at < ${cutoff} ORDER BY id`)).map((r) => r.id),
    );
    for (const chapterId of chapters) {
      for (const r of await tx.rows(Id, sql`SELECT id FROM sections WHERE chapter_id = ${chapterId} ORDER BY id`)) sections.add(r.id);
    }
    for (const id of sections) {
      // Links first, while their section still says "in the bin": they were not counted in
      // recommendations.action_count, so removing them must not count them off (migration 014).
      await tx.run(sql`DELETE FROM action_recommendations WHERE action_id IN (SELECT id FROM actions WHERE section_id = ${id})`);
      // Its log and the owners of its writers go with it (ON DELETE CASCADE).
      await tx.run(sql`DELETE FROM documents WHERE name = ${sectionDocName(id)}`);
      await tx.run(sql`DELETE FROM sections WHERE id = ${id}`);
    }
    for (const id of chapters) await tx.run(sql`DELETE FROM chapters WHERE id = ${id}`);
    return { sections: sections.size, chapters: chapters.length };
  });
}
