import type { z } from 'zod';
import type { Principal } from '../auth/sessions.ts';
import type { Db } from '../db/database.ts';
import { allRows, col, oneRow, rowShape, theRow } from '../db/rows.ts';
import { conflict, notFound } from '../errors.ts';
import { nowIso } from '../ids.ts';
import { DocumentStore } from '../storage/DocumentStore.ts';
import { recordAuditNow } from './audit.ts';
import { sectionDocName } from '../../shared/doc/schema.ts';
import { BIN_RETENTION_DAYS, type BinEntry, type BinnedSection, type Role } from '../../shared/api/index.ts';

/**
 * The bin. Deleting a section or a chapter only marks its rows (deleted_at, deleted_by; migration
 * 014): the section's document, actions, indicators, recommendation links, comment threads and
 * sign-offs stay as they are, so a restore brings it back exactly. While in the bin a section is
 * left out of everything that lists plan content (every query of live sections says
 * `deleted_at IS NULL`), and the sync server refuses to open it. Entries older than
 * BIN_RETENTION_DAYS may be purged at start (purgeBin), never younger ones.
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
  withChapter: col.int,
  chapterDeletedAt: col.nullableText,
  chapterTitle: col.text,
});
const BinnedChapterPlace = rowShape({ title: col.text, position: col.int });
const IdTitle = rowShape({ id: col.text, title: col.text });
const ChapterTitle = rowShape({ chapterId: col.text, title: col.text });

function liveSectionIds(db: Db, chapterId: string): string[] {
  return allRows(db.prepare('SELECT id FROM sections WHERE chapter_id = ? AND deleted_at IS NULL ORDER BY position, rowid'), Id, chapterId).map((r) => r.id);
}

function liveChapterIds(db: Db, planId: string): string[] {
  return allRows(db.prepare('SELECT id FROM chapters WHERE plan_id = ? AND deleted_at IS NULL ORDER BY position, rowid'), Id, planId).map((r) => r.id);
}

/** Dense positions (0, 1, 2…) for the live sections of a chapter, in the given order. */
function renumberSections(db: Db, ids: string[]): void {
  const stmt = db.prepare('UPDATE sections SET position = ? WHERE id = ?');
  ids.forEach((id, i) => stmt.run(i, id));
}

function renumberChapters(db: Db, ids: string[]): void {
  const stmt = db.prepare('UPDATE chapters SET position = ? WHERE id = ?');
  ids.forEach((id, i) => stmt.run(i, id));
}

/** `ids` with `id` put back at `position` (clamped to the end). */
function insertAt(ids: string[], id: string, position: number): string[] {
  const out = ids.filter((x) => x !== id);
  out.splice(Math.min(Math.max(position, 0), out.length), 0, id);
  return out;
}

function refuseAgreed(titles: string[], what: 'section' | 'chapter'): never {
  const named = titles.map(quote).join(', ');
  throw conflict(
    'section_agreed',
    what === 'section'
      ? `${named} is agreed and cannot be deleted. A coordinator must reopen it first.`
      : `This chapter holds agreed sections (${named}) and cannot be deleted. A coordinator must reopen them first.`,
  );
}

/** Moves a live section to the bin. 409 `section_agreed` for an agreed section, before anything changes. */
export function binSection(db: Db, planId: string, sectionId: string, who: Actor): { title: string } {
  return db.transaction(() => {
    const row = oneRow(
      db.prepare('SELECT chapter_id AS chapterId, title, status FROM sections WHERE id = ? AND plan_id = ? AND deleted_at IS NULL'),
      LiveSection,
      sectionId,
      planId,
    );
    if (!row) throw notFound('section');
    if (row.status === 'agreed') refuseAgreed([row.title], 'section');
    const chapterTitle = theRow(db.prepare('SELECT title FROM chapters WHERE id = ?'), Title, row.chapterId).title;
    db.prepare('UPDATE sections SET deleted_at = ?, deleted_by = ?, deleted_with_chapter = 0 WHERE id = ?').run(
      nowIso(),
      who.principal.userId,
      sectionId,
    );
    renumberSections(db, liveSectionIds(db, row.chapterId));
    recordAuditNow(db, {
      planId,
      actor: who.principal,
      role: who.role,
      action: 'section.deleted',
      targetType: 'section',
      targetId: sectionId,
      summary: `${who.principal.name} (${who.principal.organisationName}) moved ${quote(row.title)} to the bin`,
      details: { title: row.title, chapterTitle },
    });
    return { title: row.title };
  })();
}

/**
 * Moves a live chapter and its live sections to the bin. 409 `section_agreed` naming them when
 * any of its sections is agreed. Returns the ids of the sections it took with it.
 */
export function binChapter(db: Db, planId: string, chapterId: string, who: Actor): string[] {
  return db.transaction(() => {
    const chapter = oneRow(db.prepare('SELECT title FROM chapters WHERE id = ? AND plan_id = ? AND deleted_at IS NULL'), Title, chapterId, planId);
    if (!chapter) throw notFound('chapter');
    const sections = allRows(
      db.prepare('SELECT id, title, status FROM sections WHERE chapter_id = ? AND deleted_at IS NULL ORDER BY position, rowid'),
      ChapterSection,
      chapterId,
    );
    const agreed = sections.filter((s) => s.status === 'agreed');
    if (agreed.length > 0) refuseAgreed(agreed.map((s) => s.title), 'chapter');
    const at = nowIso();
    const mark = db.prepare('UPDATE sections SET deleted_at = ?, deleted_by = ?, deleted_with_chapter = 1 WHERE id = ?');
    for (const s of sections) mark.run(at, who.principal.userId, s.id);
    db.prepare('UPDATE chapters SET deleted_at = ?, deleted_by = ? WHERE id = ?').run(at, who.principal.userId, chapterId);
    renumberChapters(db, liveChapterIds(db, planId));
    recordAuditNow(db, {
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
  })();
}

/** Puts a section from the bin back in its chapter, where it was. 409 when its chapter is in the bin. */
export function restoreSection(db: Db, planId: string, sectionId: string, who: Actor): { title: string } {
  return db.transaction(() => {
    const row = oneRow(
      db.prepare(
        `SELECT s.chapter_id AS chapterId, s.title, s.position, s.deleted_with_chapter AS withChapter, c.deleted_at AS chapterDeletedAt,
                c.title AS chapterTitle
           FROM sections s JOIN chapters c ON c.id = s.chapter_id
          WHERE s.id = ? AND s.plan_id = ? AND s.deleted_at IS NOT NULL`,
      ),
      BinnedSectionPlace,
      sectionId,
      planId,
    );
    if (!row) throw notFound('binSection');
    if (row.chapterDeletedAt !== null) {
      throw conflict(
        'chapter_in_bin',
        `${quote(row.title)} belongs to the chapter ${quote(row.chapterTitle)}, which is in the bin too. Restore the chapter first.`,
      );
    }
    db.prepare('UPDATE sections SET deleted_at = NULL, deleted_by = NULL, deleted_with_chapter = 0 WHERE id = ?').run(sectionId);
    renumberSections(db, insertAt(liveSectionIds(db, row.chapterId), sectionId, row.position));
    recordAuditNow(db, {
      planId,
      actor: who.principal,
      role: who.role,
      action: 'section.restored',
      targetType: 'section',
      targetId: sectionId,
      summary: `${who.principal.name} (${who.principal.organisationName}) restored ${quote(row.title)} from the bin`,
      details: { title: row.title, chapterTitle: row.chapterTitle },
    });
    return { title: row.title };
  })();
}

/** Puts a chapter from the bin back where it was, with the sections deleted together with it. */
export function restoreChapter(db: Db, planId: string, chapterId: string, who: Actor): string[] {
  return db.transaction(() => {
    const chapter = oneRow(
      db.prepare('SELECT title, position FROM chapters WHERE id = ? AND plan_id = ? AND deleted_at IS NOT NULL'),
      BinnedChapterPlace,
      chapterId,
      planId,
    );
    if (!chapter) throw notFound('binChapter');
    const sections = allRows(
      db.prepare('SELECT id, title FROM sections WHERE chapter_id = ? AND deleted_at IS NOT NULL AND deleted_with_chapter = 1 ORDER BY position, rowid'),
      IdTitle,
      chapterId,
    );
    db.prepare('UPDATE chapters SET deleted_at = NULL, deleted_by = NULL WHERE id = ?').run(chapterId);
    const restore = db.prepare('UPDATE sections SET deleted_at = NULL, deleted_by = NULL, deleted_with_chapter = 0 WHERE id = ?');
    for (const s of sections) restore.run(s.id);
    renumberSections(db, liveSectionIds(db, chapterId));
    renumberChapters(db, insertAt(liveChapterIds(db, planId), chapterId, chapter.position));
    recordAuditNow(db, {
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
  })();
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

/** What is in the plan's bin, most recently deleted first. */
export function listBin(db: Db, planId: string, now = Date.now()): BinEntry[] {
  const chapters = allRows(
    db.prepare(
      `SELECT c.id, c.title, c.deleted_at AS deletedAt, u.name AS deleterName, o.name AS deleterOrganisation
         FROM chapters c LEFT JOIN users u ON u.id = c.deleted_by LEFT JOIN organisations o ON o.id = u.organisation_id
        WHERE c.plan_id = ? AND c.deleted_at IS NOT NULL`,
    ),
    BinRow,
    planId,
  );
  const withChapter = allRows(
    db.prepare(
      `SELECT chapter_id AS chapterId, title FROM sections
        WHERE plan_id = ? AND deleted_at IS NOT NULL AND deleted_with_chapter = 1 ORDER BY position, rowid`,
    ),
    ChapterTitle,
    planId,
  );
  const sections = allRows(
    db.prepare(
      `SELECT s.id, s.title, s.deleted_at AS deletedAt, u.name AS deleterName, o.name AS deleterOrganisation,
              c.title AS chapterTitle, c.deleted_at IS NOT NULL AS chapterInBin
         FROM sections s JOIN chapters c ON c.id = s.chapter_id
         LEFT JOIN users u ON u.id = s.deleted_by LEFT JOIN organisations o ON o.id = u.organisation_id
        WHERE s.plan_id = ? AND s.deleted_at IS NOT NULL AND s.deleted_with_chapter = 0`,
    ),
    BinnedSectionRow,
    planId,
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
export function binnedSection(db: Db, planId: string, sectionId: string): BinnedSection {
  const row = oneRow(
    db.prepare(
      `SELECT s.id, s.title, s.deleted_at AS deletedAt, u.name AS deleterName, o.name AS deleterOrganisation
         FROM sections s LEFT JOIN users u ON u.id = s.deleted_by LEFT JOIN organisations o ON o.id = u.organisation_id
        WHERE s.id = ? AND s.plan_id = ? AND s.deleted_at IS NOT NULL`,
    ),
    BinRow,
    sectionId,
    planId,
  );
  if (!row) throw notFound('binSection');
  return { sectionId: row.id, title: row.title, deletedAt: row.deletedAt, deletedBy: deleter(row) };
}

/**
 * Removes for good what has been in the bin longer than the retention period (never sooner):
 * sections with their documents, actions, threads and sign-offs; chapters with every section in
 * them. Returns how many sections and chapters went.
 */
export function purgeBin(db: Db, now = Date.now()): { sections: number; chapters: number } {
  const cutoff = new Date(now - BIN_RETENTION_DAYS * DAY_MS).toISOString();
  return db.transaction(() => {
    const chapters = allRows(db.prepare('SELECT id FROM chapters WHERE deleted_at IS NOT NULL AND deleted_at < ?'), Id, cutoff).map((r) => r.id);
    const sectionIds = new Set(allRows(db.prepare('SELECT id FROM sections WHERE deleted_at IS NOT NULL AND deleted_at < ?'), Id, cutoff).map((r) => r.id));
    for (const chapterId of chapters) {
      for (const r of allRows(db.prepare('SELECT id FROM sections WHERE chapter_id = ?'), Id, chapterId)) sectionIds.add(r.id);
    }
    const store = new DocumentStore(db);
    // Links first, while their section still says "in the bin": they were not counted in
    // recommendations.action_count, so removing them must not count them off (migration 014).
    const unlink = db.prepare('DELETE FROM action_recommendations WHERE action_id IN (SELECT id FROM actions WHERE section_id = ?)');
    const remove = db.prepare('DELETE FROM sections WHERE id = ?');
    for (const id of sectionIds) {
      unlink.run(id);
      store.delete(sectionDocName(id));
      remove.run(id);
    }
    const removeChapter = db.prepare('DELETE FROM chapters WHERE id = ?');
    for (const id of chapters) removeChapter.run(id);
    return { sections: sectionIds.size, chapters: chapters.length };
  })();
}
