import type { z } from 'zod';
import type { Db } from '../db/database.ts';
import { allRows, col, oneRow, rowShape } from '../db/rows.ts';
import { cachedStatement } from '../db/statements.ts';
import { conflict, notFound } from '../errors.ts';
import { newId, nowIso } from '../ids.ts';
import { type Actor, byWhom, diffFields, quoted, recordChangeNow } from './history.ts';
import { recordLinksNow } from './actionHistory.ts';
import { indexRecommendations } from './recommendationIndex.ts';
import {
  MechanismSchema,
  PositionSchema,
  RecommendationKindSchema,
  type Mechanism,
  type Recommendation,
  type RecommendationInput,
} from '../../shared/api/index.ts';

// ---- Rows --------------------------------------------------------------------------------------

/** The stored fields of a recommendation: the input with its reference always set. */
export type StoredFields = RecommendationInput & { reference: string };

/** A row selected with RECOMMENDATION_COLUMNS; the list columns are JSON arrays. */
export const RecommendationRow = rowShape({
  id: col.text,
  sourceKey: col.text,
  reference: col.text,
  mechanism: MechanismSchema,
  documentSymbol: col.nullableText,
  paragraph: col.nullableText,
  cycle: col.nullableInt,
  session: col.nullableText,
  date: col.nullableText,
  stateUnderReview: col.text,
  recommendingStates: col.text,
  text: col.text,
  language: col.text,
  position: PositionSchema,
  kind: RecommendationKindSchema,
  positionSource: col.nullableText,
  themes: col.text,
  affectedPersons: col.text,
  sdgTargets: col.text,
  actionCategory: col.nullableInt,
  notes: col.nullableText,
  importId: col.nullableText,
  createdAt: col.text,
  updatedAt: col.text,
  actionCount: col.int,
});
type Row = z.output<typeof RecommendationRow>;

const Id = rowShape({ id: col.text });
const Reference = rowShape({ reference: col.text });
const CitingSection = rowShape({ id: col.text, title: col.text, reference: col.text });
const ImplementingActionRow = rowShape({ id: col.text, title: col.text, sectionId: col.text, sectionTitle: col.text });
const LinkedAction = rowShape({ id: col.text, title: col.text, sectionId: col.text });

/** The columns `toRecommendation` expects, for queries aliasing recommendations as `r`. */
export const RECOMMENDATION_COLUMNS = `r.id, r.source_key AS "sourceKey", r.reference, r.mechanism,
  r.document_symbol AS "documentSymbol", r.paragraph, r.cycle, r.session, r.date,
  r.state_under_review AS "stateUnderReview", r.recommending_states AS "recommendingStates", r.text, r.language,
  r.position, r.kind, r.position_source AS "positionSource", r.themes, r.affected_persons AS "affectedPersons",
  r.sdg_targets AS "sdgTargets", r.action_category AS "actionCategory", r.notes, r.import_id AS "importId",
  r.created_at AS "createdAt", r.updated_at AS "updatedAt", r.action_count AS "actionCount"`;

const list = (json: string): string[] => JSON.parse(json) as string[];

/** Turns a row selected with RECOMMENDATION_COLUMNS into the API shape. */
export function toRecommendation(row: Row): Recommendation {
  return {
    ...row,
    recommendingStates: list(row.recommendingStates),
    themes: list(row.themes),
    affectedPersons: list(row.affectedPersons),
    sdgTargets: list(row.sdgTargets),
  };
}

/** The fields an import compares and undo restores, from the API shape. */
export function storedFields(r: Recommendation): StoredFields {
  return {
    sourceKey: r.sourceKey,
    reference: r.reference,
    mechanism: r.mechanism,
    documentSymbol: r.documentSymbol,
    paragraph: r.paragraph,
    cycle: r.cycle,
    session: r.session,
    date: r.date,
    stateUnderReview: r.stateUnderReview,
    recommendingStates: r.recommendingStates,
    text: r.text,
    language: r.language,
    position: r.position,
    kind: r.kind,
    positionSource: r.positionSource,
    themes: r.themes,
    affectedPersons: r.affectedPersons,
    sdgTargets: r.sdgTargets,
    actionCategory: r.actionCategory,
    notes: r.notes,
  };
}

const FIELD_KEYS: Array<keyof StoredFields> = [
  'sourceKey',
  'reference',
  'mechanism',
  'documentSymbol',
  'paragraph',
  'cycle',
  'session',
  'date',
  'stateUnderReview',
  'recommendingStates',
  'text',
  'language',
  'position',
  'kind',
  'positionSource',
  'themes',
  'affectedPersons',
  'sdgTargets',
  'actionCategory',
  'notes',
];

/** Every stored field, in the order the API lists them. */
export const STORED_FIELD_KEYS: readonly (keyof StoredFields)[] = FIELD_KEYS;

/** True when one stored field holds the same value in both (a list compared in order). */
export function sameField(a: StoredFields, b: StoredFields, k: keyof StoredFields): boolean {
  return JSON.stringify(a[k] ?? null) === JSON.stringify(b[k] ?? null);
}

/** True when two sets of stored fields are the same (lists compared in order). */
export function sameFields(a: StoredFields, b: StoredFields): boolean {
  return FIELD_KEYS.every((k) => sameField(a, b, k));
}

/**
 * A sort key in which digit runs are zero-padded, so references sort as people read them:
 * BLR-C1-97.2 before BLR-C1-97.10.
 */
export function naturalKey(reference: string): string {
  return reference.toLowerCase().replace(/\d+/g, (d) => d.replace(/^0+(?=\d)/, '').padStart(10, '0'));
}

function columnValues(f: StoredFields) {
  return {
    sourceKey: f.sourceKey,
    reference: f.reference,
    sortKey: naturalKey(f.reference),
    mechanism: f.mechanism,
    documentSymbol: f.documentSymbol,
    paragraph: f.paragraph,
    cycle: f.cycle,
    session: f.session,
    date: f.date,
    stateUnderReview: f.stateUnderReview,
    recommendingStates: JSON.stringify(f.recommendingStates),
    text: f.text,
    language: f.language,
    position: f.position,
    kind: f.kind,
    positionSource: f.positionSource,
    themes: JSON.stringify(f.themes),
    affectedPersons: JSON.stringify(f.affectedPersons),
    sdgTargets: JSON.stringify(f.sdgTargets),
    actionCategory: f.actionCategory,
    notes: f.notes,
  };
}

/**
 * Inserts a recommendation (the caller has checked sourceKey and reference are free); returns its
 * id (`id`, or a new one). One entered by hand is indexed for search and filters at once; the rows
 * of an import are indexed by its commit, in bulk (`indexImportedRows`).
 */
export function insertRecommendation(db: Db, planId: string, fields: StoredFields, importId: string | null, at = nowIso(), id = newId()): string {
  const { lastInsertRowid } = cachedStatement(
    db,
    `INSERT INTO recommendations (id, plan_id, source_key, reference, sort_key, mechanism, document_symbol, paragraph,
       cycle, session, date, state_under_review, recommending_states, text, language, position, kind, position_source, themes,
       affected_persons, sdg_targets, action_category, notes, import_id, created_at, updated_at)
     VALUES (@id, @planId, @sourceKey, @reference, @sortKey, @mechanism, @documentSymbol, @paragraph, @cycle, @session,
       @date, @stateUnderReview, @recommendingStates, @text, @language, @position, @kind, @positionSource, @themes,
       @affectedPersons, @sdgTargets, @actionCategory, @notes, @importId, @at, @at)`,
  ).run({ id, planId, importId, at, ...columnValues(fields) });
  if (importId === null) {
    const seq = Number(lastInsertRowid);
    indexRecommendations(db, { from: seq - 1, to: seq, importId: null });
  }
  return id;
}

/** Overwrites every stored field of a recommendation. */
export function writeRecommendation(db: Db, id: string, fields: StoredFields, updatedAt = nowIso()): void {
  cachedStatement(
    db,
    `UPDATE recommendations SET source_key = @sourceKey, reference = @reference, sort_key = @sortKey,
       mechanism = @mechanism, document_symbol = @documentSymbol, paragraph = @paragraph, cycle = @cycle,
       session = @session, date = @date, state_under_review = @stateUnderReview,
       recommending_states = @recommendingStates, text = @text, language = @language, position = @position, kind = @kind,
       position_source = @positionSource, themes = @themes, affected_persons = @affectedPersons,
       sdg_targets = @sdgTargets, action_category = @actionCategory, notes = @notes, updated_at = @updatedAt
     WHERE id = @id`,
  ).run({ id, updatedAt, ...columnValues(fields) });
}

/**
 * The SQL condition that hides the recommendations of an import still being written or undone
 * (state 'committing' or 'undoing', docs/decisions/0013-chunked-imports.md): every reader that
 * lists or counts a plan's recommendations adds it, so people see a file's new rows all at once
 * when its last chunk is written, never half of them. `table` is the alias the query gives
 * recommendations. Writers (findBySourceKey, idForReference, the reference allocator) see them: a
 * hidden row still holds its source key and reference.
 */
export function visibleRecommendation(table = 'r'): string {
  return `(${table}.import_id IS NULL OR ${table}.import_id NOT IN (SELECT id FROM imports WHERE state IN ('committing', 'undoing')))`;
}

/** The recommendation with this id in the plan, or null. */
export function findRecommendation(db: Db, planId: string, id: string): Recommendation | null {
  const row = oneRow(cachedStatement(db, `SELECT ${RECOMMENDATION_COLUMNS} FROM recommendations r WHERE r.id = ? AND r.plan_id = ? AND ${visibleRecommendation()}`), RecommendationRow, id, planId);
  return row ? toRecommendation(row) : null;
}

/**
 * The stored fields of the recommendation with this id, in whichever plan, hidden or not, or null:
 * for undoing an import, which knows its rows by id.
 */
export function storedFieldsById(db: Db, id: string): StoredFields | null {
  const row = oneRow(cachedStatement(db, `SELECT ${RECOMMENDATION_COLUMNS} FROM recommendations r WHERE r.id = ?`), RecommendationRow, id);
  return row ? storedFields(toRecommendation(row)) : null;
}

/** The recommendation imported from this source key, or null. */
export function findBySourceKey(db: Db, planId: string, sourceKey: string): Recommendation | null {
  const row = oneRow(
    cachedStatement(db, `SELECT ${RECOMMENDATION_COLUMNS} FROM recommendations r WHERE r.plan_id = ? AND r.source_key = ?`),
    RecommendationRow,
    planId,
    sourceKey,
  );
  return row ? toRecommendation(row) : null;
}

/** The id of the recommendation using this reference in the plan, or null. */
export function idForReference(db: Db, planId: string, reference: string): string | null {
  const row = oneRow(cachedStatement(db, 'SELECT id FROM recommendations WHERE plan_id = ? AND reference = ?'), Id, planId, reference);
  return row?.id ?? null;
}

// ---- References ----------------------------------------------------------------------------------

const MECHANISM_PREFIX: Record<Mechanism, string> = {
  UPR: 'UPR',
  CCPR: 'CCPR',
  CAT: 'CAT',
  CEDAW: 'CEDAW',
  CRC: 'CRC',
  CERD: 'CERD',
  CESCR: 'CESCR',
  CRPD: 'CRPD',
  CED: 'CED',
  CMW: 'CMW',
  special_procedure: 'SP',
  other: 'REC',
};

/** `UPR-S8`, `CCPR-C5`, `CAT`: the stem of references Accord assigns, from what the source says. */
export function referencePrefix(r: Pick<RecommendationInput, 'mechanism' | 'session' | 'cycle'>): string {
  const session = r.session?.replace(/[^A-Za-z0-9]+/g, '');
  if (session) return `${MECHANISM_PREFIX[r.mechanism]}-S${session}`;
  if (r.cycle !== null) return `${MECHANISM_PREFIX[r.mechanism]}-C${r.cycle}`;
  return MECHANISM_PREFIX[r.mechanism];
}

/**
 * Hands out references like `UPR-S8-001` for recommendations whose source has none: the next
 * number after the highest already used with that stem, skipping anything taken in the plan or
 * reserved earlier in the same import. Stable: the same plan and file give the same references.
 */
export class ReferenceAllocator {
  private readonly reserved = new Set<string>();
  private readonly next = new Map<string, number>();

  constructor(
    private readonly db: Db,
    private readonly planId: string,
  ) {}

  /** True when the reference is used in the plan or already handed out by this allocator. */
  isTaken(reference: string): boolean {
    return this.reserved.has(reference) || idForReference(this.db, this.planId, reference) !== null;
  }

  /** Marks a reference (e.g. one given by the file) as used. */
  reserve(reference: string): void {
    this.reserved.add(reference);
  }

  /** A fresh reference with the stem for this recommendation. */
  allocate(r: Pick<RecommendationInput, 'mechanism' | 'session' | 'cycle'>): string {
    const prefix = referencePrefix(r);
    let n = this.next.get(prefix) ?? this.highestUsed(prefix) + 1;
    let ref = `${prefix}-${String(n).padStart(3, '0')}`;
    while (this.isTaken(ref)) {
      n += 1;
      ref = `${prefix}-${String(n).padStart(3, '0')}`;
    }
    this.next.set(prefix, n + 1);
    this.reserve(ref);
    return ref;
  }

  private highestUsed(prefix: string): number {
    const rows = allRows(
      this.db.prepare("SELECT reference FROM recommendations WHERE plan_id = ? AND substr(reference, 1, ?) = ?"),
      Reference,
      this.planId,
      prefix.length + 1,
      `${prefix}-`,
    );
    let max = 0;
    for (const { reference } of rows) {
      const tail = reference.slice(prefix.length + 1);
      if (/^\d+$/.test(tail)) max = Math.max(max, Number(tail));
    }
    return max;
  }
}

// ---- Browse --------------------------------------------------------------------------------------

// Search, filters and paging: recommendationBrowse.ts; full-text search per engine: recommendationSearch.ts.

/** All of a plan's recommendations in reference order (for export). */
export function allRecommendations(db: Db, planId: string): Recommendation[] {
  return allRows(db.prepare(`SELECT ${RECOMMENDATION_COLUMNS} FROM recommendations r WHERE r.plan_id = ? AND ${visibleRecommendation()} ORDER BY r.sort_key`), RecommendationRow, planId).map(
    toRecommendation,
  );
}

// ---- Agreed sections -----------------------------------------------------------------------------

/**
 * The canonical content of a section (what a sign-off hash covers) cites the reference of every
 * recommendation linked to its actions (server/services/agreement.ts canonicalActions). Changing
 * such a reference, or deleting such a recommendation, would change an agreed section from outside
 * it: refused with 409 `section_agreed` naming the sections, until a coordinator reopens them.
 */
export function agreedSectionsCiting(db: Db, recommendationIds: readonly string[]): Array<{ id: string; title: string; references: string[] }> {
  if (recommendationIds.length === 0) return [];
  const rows = allRows(
    db.prepare(
      `SELECT s.id, s.title, r.reference FROM action_recommendations ar
         JOIN actions a ON a.id = ar.action_id JOIN sections s ON s.id = a.section_id
         JOIN recommendations r ON r.id = ar.recommendation_id
         JOIN chapters c ON c.id = s.chapter_id
        WHERE s.status = 'agreed' AND ar.recommendation_id IN (SELECT value FROM json_each(?))
        ORDER BY c.position, s.position, r.sort_key`,
    ),
    CitingSection,
    JSON.stringify(recommendationIds),
  );
  const out = new Map<string, { id: string; title: string; references: string[] }>();
  for (const r of rows) {
    const entry = out.get(r.id) ?? { id: r.id, title: r.title, references: [] };
    if (!entry.references.includes(r.reference)) entry.references.push(r.reference);
    out.set(r.id, entry);
  }
  return [...out.values()];
}

/** 409 `section_agreed` when any of these recommendations is cited by an agreed section; `what` is the change, e.g. "Deleting the recommendation". */
export function refuseChangingAgreedCitations(db: Db, recommendationIds: readonly string[], what: string): void {
  refuseChangingAgreedSections(agreedSectionsCiting(db, recommendationIds), what);
}

/** The same refusal for sections already found (e.g. gathered in steps by an import's undo). */
export function refuseChangingAgreedSections(sections: ReadonlyArray<{ title: string; references: string[] }>, what: string): void {
  if (sections.length === 0) return;
  const named = sections.map((s) => `“${s.title}” (cites ${s.references.join(', ')})`).join('; ');
  const plural = sections.length > 1;
  throw conflict(
    'section_agreed',
    `${what} would change the agreed section${plural ? 's' : ''} ${named}. A coordinator must reopen ${plural ? 'them' : 'it'} first.`,
  );
}

// ---- One recommendation --------------------------------------------------------------------------

export type ImplementingAction = z.output<typeof ImplementingActionRow>;

/** A recommendation with the actions that implement it, in outline order. */
export function getRecommendation(db: Db, planId: string, id: string): Recommendation & { actions: ImplementingAction[] } {
  const rec = findRecommendation(db, planId, id);
  if (!rec) throw notFound('recommendation');
  const actions = allRows(
    db.prepare(
      `SELECT a.id, a.title, a.section_id AS sectionId, s.title AS sectionTitle
         FROM action_recommendations ar JOIN actions a ON a.id = ar.action_id
         JOIN sections s ON s.id = a.section_id JOIN chapters c ON c.id = s.chapter_id
        WHERE ar.recommendation_id = ? AND s.deleted_at IS NULL ORDER BY c.position, s.position, a.position`,
    ),
    ImplementingActionRow,
    id,
  );
  return { ...rec, actions };
}

function refuseTakenReference(db: Db, planId: string, reference: string, self: string | null): void {
  const owner = idForReference(db, planId, reference);
  if (owner !== null && owner !== self) {
    throw conflict('reference_taken', `The reference "${reference}" is already used by another recommendation in this plan.`);
  }
}

/**
 * Enters a recommendation by hand. Without a source key it gets a `manual:` one (so no import
 * ever matches it); without a reference, one is assigned like an import would.
 */
export function createRecommendation(
  db: Db,
  planId: string,
  input: Omit<RecommendationInput, 'sourceKey'> & { sourceKey?: string | undefined },
  who: Actor,
): Recommendation {
  return db.transaction(() => {
    const sourceKey = input.sourceKey ?? `manual:${newId()}`;
    if (findBySourceKey(db, planId, sourceKey)) {
      throw conflict('source_key_taken', 'A recommendation with this source key already exists in the plan.');
    }
    let reference = input.reference;
    if (reference !== null) refuseTakenReference(db, planId, reference, null);
    else reference = new ReferenceAllocator(db, planId).allocate(input);
    const id = insertRecommendation(db, planId, { ...input, sourceKey, reference }, null);
    const created = findRecommendation(db, planId, id)!;
    recordChangeNow(db, {
      planId,
      who,
      action: 'recommendation.created',
      targetType: 'recommendation',
      targetId: id,
      summary: `${byWhom(who)} entered the recommendation ${created.reference} by hand: ${quoted(created.text)}`,
      before: null,
      after: storedFields(created),
    });
    return created;
  })();
}

/** Changes some fields of a recommendation (position, themes, notes, a corrected text…): `recommendation.updated`. */
export function updateRecommendation(
  db: Db,
  planId: string,
  id: string,
  changes: Partial<Omit<RecommendationInput, 'sourceKey'>>,
  who: Actor,
): Recommendation {
  return db.transaction(() => {
    const current = findRecommendation(db, planId, id);
    if (!current) throw notFound('recommendation');
    const defined = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
    const next: StoredFields = { ...storedFields(current), ...defined, reference: changes.reference ?? current.reference };
    refuseTakenReference(db, planId, next.reference, id);
    if (next.reference !== current.reference) {
      refuseChangingAgreedCitations(db, [id], `Changing the reference ${current.reference} to ${next.reference}`);
    }
    if (!sameFields(next, storedFields(current))) {
      writeRecommendation(db, id, next);
      const diff = diffFields(storedFields(current), next, ['reference'])!;
      recordChangeNow(db, {
        planId,
        who,
        action: 'recommendation.updated',
        targetType: 'recommendation',
        targetId: id,
        summary: `${byWhom(who)} changed the ${diff.changed.join(', ')} of the recommendation ${next.reference}`,
        ...diff,
      });
    }
    return findRecommendation(db, planId, id)!;
  })();
}

/**
 * Deletes a recommendation and its links to actions (`recommendation.deleted`, and `link.removed`
 * for each action that addressed it). Returns the sections whose actions lost a link, so their
 * editors can be told.
 */
export function deleteRecommendation(db: Db, planId: string, id: string, who: Actor): string[] {
  return db.transaction(() => {
    const current = findRecommendation(db, planId, id);
    if (!current) throw notFound('recommendation');
    refuseChangingAgreedCitations(db, [id], `Deleting the recommendation ${current.reference}`);
    const actions = allRows(
      db.prepare(
        `SELECT a.id, a.title, a.section_id AS sectionId FROM action_recommendations ar JOIN actions a ON a.id = ar.action_id
          WHERE ar.recommendation_id = ? ORDER BY a.section_id, a.position`,
      ),
      LinkedAction,
      id,
    );
    for (const action of actions) recordLinksNow(db, planId, who, action, { added: [], removed: [id], because: 'the recommendation was deleted' });
    db.prepare('DELETE FROM recommendations WHERE id = ?').run(id);
    recordChangeNow(db, {
      planId,
      who,
      action: 'recommendation.deleted',
      targetType: 'recommendation',
      targetId: id,
      summary: `${byWhom(who)} deleted the recommendation ${current.reference}: ${quoted(current.text)}`,
      before: storedFields(current),
      after: null,
      details: { actions: actions.map((a) => ({ id: a.id, title: a.title })) },
    });
    return [...new Set(actions.map((a) => a.sectionId))];
  })();
}
