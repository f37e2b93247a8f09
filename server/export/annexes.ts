/**
 * Annexes after the two fixed ones (A. recommendations, B. provenance). Each is plain data — a
 * title, an introduction, and groups of entries (who, when, their words) — so every renderer draws
 * every such annex the same way (see renderAnnexes in render/*.ts) and a new annex needs no
 * renderer code: append it to `PlanModel.annexes`. They are lettered C, D, … in that order.
 *
 * The first one is "Reservations and dissenting positions": disagreement belongs in the record of
 * the plan, beside the text, not outside it (issue #13).
 */
import { z } from 'zod';
import { sql, type RawBuilder } from 'kysely';
import { col, rowShape } from '../db/rows.ts';
import type { Sql } from '../db/sql/Sql.ts';
import { flag } from '../db/sql/portable.ts';
import { schemaProbe } from './schemaProbe.ts';
import type { AnnexEntry, AnnexGroup, ModelAnnex, ModelChapter } from './modelTypes.ts';
import { exportWords, type ExportWords } from './i18n/index.ts';

export type { AnnexEntry, AnnexGroup, ModelAnnex } from './modelTypes.ts';

/** "Annex C", "Annex D", … for the n-th (0-based) annex after the fixed A and B. */
export const annexLetter = (index: number) => String.fromCharCode('C'.charCodeAt(0) + index);
export const annexHeading = (annex: Pick<ModelAnnex, 'title'>, index: number, words: ExportWords = exportWords()) =>
  words.t(words.w.document.annexHeading, { letter: annexLetter(index), title: annex.title });

/**
 * The mark beside an organisation nobody vouched for. Every format uses it, in the provenance
 * annex and in the annexes here, so an unverified "ministry" never reads as the ministry.
 */
export const organisationLabel = (name: string, verified: boolean | undefined, words: ExportWords = exportWords()) =>
  verified === false ? `${name} ${words.w.unverified}` : name;

export const sideWords = (side: string, words: ExportWords = exportWords()) => words.label(words.w.side, side);

export interface ReservationsOptions {
  exportedAt: string;
  /** A saved version is exported: the record as it stood when it was saved. */
  version?: { name: string; createdAt: string } | null;
  /** The language the annex is written in. */
  words?: ExportWords;
}

// `verified` is 0/1 on both engines (flag).
const ReservationRow = rowShape({
  sectionId: col.text,
  name: col.text,
  organisation: col.text,
  side: col.text,
  signedAt: col.text,
  reservation: col.text,
  verified: col.int,
});

const PositionRow = rowShape({
  sectionId: col.text,
  actionId: col.nullableText,
  actionTitle: col.nullableText,
  currentActionTitle: col.nullableText,
  organisation: col.text,
  side: col.text,
  author: col.text,
  text: col.text,
  createdAt: col.text,
  verified: col.int,
});
type PositionRow = z.output<typeof PositionRow>;

/**
 * Annex "Reservations and dissenting positions": for each exported section, in plan order, the
 * reservations of its standing signatures and the positions on it and its actions that were not
 * withdrawn. For a saved version, both as they stood when it was saved: sign-offs and positions
 * are never deleted and carry when they began and ended, so that is knowable. Whether an
 * organisation is verified is only known as of now (a withdrawn verification leaves no row), and
 * the introduction says so.
 */
export async function reservationsAnnex(q: Sql, planId: string, chapters: ModelChapter[], options: ReservationsOptions): Promise<ModelAnnex> {
  const words = options.words ?? exportWords();
  const r = words.w.reservations;
  const asOf = options.version?.createdAt ?? null;
  // Standing at `asOf` (begun by then, not ended by then), or standing now.
  const standing = (begun: RawBuilder<unknown>, ended: RawBuilder<unknown>) =>
    asOf ? sql`${begun} <= ${asOf} AND (${ended} IS NULL OR ${ended} > ${asOf})` : sql`${ended} IS NULL`;

  // Reservations, verifications and positions came together (migration 012). Ties go by id, the
  // same way on both engines.
  const recorded = await schemaProbe(q).hasTable('organisation_verifications');
  const reservations = recorded
    ? await q.rows(
        ReservationRow,
        sql`SELECT s.section_id AS "sectionId", u.name, o.name AS organisation, s.side, s.signed_at AS "signedAt", s.reservation,
             ${flag(sql`v.organisation_id IS NOT NULL AND v.side = s.side`)} AS verified
             FROM section_signoffs s JOIN sections x ON x.id = s.section_id JOIN users u ON u.id = s.user_id
             JOIN organisations o ON o.id = s.organisation_id
             LEFT JOIN organisation_verifications v ON v.plan_id = x.plan_id AND v.organisation_id = s.organisation_id
            WHERE x.plan_id = ${planId} AND s.reservation IS NOT NULL AND trim(s.reservation) <> ''
              AND ${standing(sql`s.signed_at`, sql`s.withdrawn_at`)}
            ORDER BY s.signed_at, s.id`,
      )
    : [];

  const positions = recorded
    ? await q.rows(
        PositionRow,
        sql`SELECT p.section_id AS "sectionId", p.action_id AS "actionId", p.action_title AS "actionTitle", a.title AS "currentActionTitle",
             o.name AS organisation, o.side, u.name AS author, p.text, p.created_at AS "createdAt",
             ${flag(sql`v.organisation_id IS NOT NULL`)} AS verified
             FROM dissenting_positions p JOIN organisations o ON o.id = p.organisation_id JOIN users u ON u.id = p.user_id
             LEFT JOIN actions a ON a.id = p.action_id
             LEFT JOIN organisation_verifications v ON v.plan_id = p.plan_id AND v.organisation_id = p.organisation_id
            WHERE p.plan_id = ${planId} AND ${standing(sql`p.created_at`, sql`p.withdrawn_at`)}
            ORDER BY ${flag(sql`p.action_title IS NOT NULL`)}, p.created_at, p.id`,
      )
    : [];

  const bySection = new Map<string, AnnexEntry[]>();
  const add = (sectionId: string, entry: AnnexEntry) => {
    const list = bySection.get(sectionId) ?? [];
    list.push(entry);
    bySection.set(sectionId, list);
  };
  for (const row of reservations) {
    add(row.sectionId, {
      label: r.reservation,
      byline: words.t(r.reservationByline, {
        organisation: organisationLabel(row.organisation, row.verified === 1, words),
        side: sideWords(row.side, words),
        person: row.name,
        time: words.time(row.signedAt),
      }),
      text: row.reservation,
    });
  }
  for (const p of positions) add(p.sectionId, { label: positionLabel(p, words), byline: positionByline(p, words), text: p.text });

  const groups: AnnexGroup[] = [];
  chapters.forEach((c, ci) =>
    c.sections.forEach((s, si) => {
      const entries = bySection.get(s.id);
      if (!entries?.length) return;
      groups.push({
        heading: `${ci + 1}.${si + 1} ${s.title}`,
        // Disagreement stays visible even where the text is left out (e.g. not yet agreed).
        note: s.included ? null : r.textLeftOut,
        entries,
      });
    }),
  );

  const when = options.version
    ? words.t(r.asOfVersion, { name: options.version.name, time: words.time(options.version.createdAt) })
    : words.t(r.asOfNow, { time: words.time(options.exportedAt) });
  return {
    key: 'reservations',
    title: r.title,
    intro: [r.intro, when, words.t(r.unverifiedNote, { mark: words.w.unverified, time: words.time(options.exportedAt) })],
    empty: r.empty,
    groups,
  };
}

function positionLabel(p: PositionRow, words: ExportWords): string {
  const r = words.w.reservations;
  if (!p.actionId && !p.actionTitle) return r.onSection;
  const recorded = p.actionTitle ?? '';
  if (p.currentActionTitle === null) return words.t(r.onRemovedAction, { title: recorded });
  if (recorded && recorded !== p.currentActionTitle) return words.t(r.onRenamedAction, { title: p.currentActionTitle, recorded });
  return words.t(r.onAction, { title: p.currentActionTitle });
}

const positionByline = (p: PositionRow, words: ExportWords) =>
  words.t(words.w.reservations.positionByline, {
    organisation: organisationLabel(p.organisation, p.verified === 1, words),
    side: sideWords(p.side, words),
    person: p.author,
    time: words.time(p.createdAt),
  });
