import { lockRowsForChange, lockRowsForDeletion } from '../db/sql/locks.ts';
import { sql } from 'kysely';
import type { z } from 'zod';
import { col, rowShape } from '../db/rows.ts';
import type { Sql } from '../db/sql/Sql.ts';
import { stepsOn } from '../db/sql/steps.ts';
import { conflict, notFound } from '../errors.ts';
import { newId, nowIso } from '../ids.ts';
import { type Actor, byWhom, diffFields, quoted, recordChange } from './history.ts';
import { recordLinks } from './actionHistory.ts';
import { indexRecommendationsOn } from './recommendationIndex.ts';
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
const CitingRow = rowShape({ id: col.text, title: col.text, reference: col.text });
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
    ...f,
    sortKey: naturalKey(f.reference),
    recommendingStates: JSON.stringify(f.recommendingStates),
    themes: JSON.stringify(f.themes),
    affectedPersons: JSON.stringify(f.affectedPersons),
    sdgTargets: JSON.stringify(f.sdgTargets),
  };
}

const Seq = rowShape({ seq: col.int });

function inserting(planId: string, fields: StoredFields, importId: string | null, at: string, id: string) {
  const v = columnValues(fields);
  return sql`INSERT INTO recommendations (id, plan_id, source_key, reference, sort_key, mechanism, document_symbol, paragraph,
       cycle, session, date, state_under_review, recommending_states, text, language, position, kind, position_source, themes,
       affected_persons, sdg_targets, action_category, notes, import_id, created_at, updated_at)
     VALUES (${id}, ${planId}, ${v.sourceKey}, ${v.reference}, ${v.sortKey}, ${v.mechanism}, ${v.documentSymbol}, ${v.paragraph},
       ${v.cycle}, ${v.session}, ${v.date}, ${v.stateUnderReview}, ${v.recommendingStates}, ${v.text}, ${v.language}, ${v.position},
       ${v.kind}, ${v.positionSource}, ${v.themes}, ${v.affectedPersons}, ${v.sdgTargets}, ${v.actionCategory}, ${v.notes},
       ${importId}, ${at}, ${at})
     RETURNING seq`;
}

/**
 * Inserts a recommendation entered by hand (the caller has checked sourceKey and reference are
 * free) inside the caller's transaction `tx`, and indexes it for search and filters at once;
 * returns its id.
 */
export async function insertRecommendation(tx: Sql, planId: string, fields: StoredFields): Promise<string> {
  const id = newId();
  const { seq } = await tx.theRow(Seq, inserting(planId, fields, null, nowIso(), id));
  await indexRecommendationsOn(tx, { from: seq - 1, to: seq, importId: null });
  return id;
}

/**
 * Inserts an import's recommendation inside the import's chunk transaction `tx` (the same statement
 * as insertRecommendation). Its rows are indexed by the commit, in bulk (`indexImportedRows`).
 */
export async function insertImportedRecommendation(tx: Sql, planId: string, fields: StoredFields, importId: string, at: string, id: string): Promise<string> {
  await tx.theRow(Seq, inserting(planId, fields, importId, at, id));
  return id;
}

function writing(id: string, fields: StoredFields, updatedAt: string) {
  const v = columnValues(fields);
  return sql`UPDATE recommendations SET source_key = ${v.sourceKey}, reference = ${v.reference}, sort_key = ${v.sortKey},
       mechanism = ${v.mechanism}, document_symbol = ${v.documentSymbol}, paragraph = ${v.paragraph}, cycle = ${v.cycle},
       session = ${v.session}, date = ${v.date}, state_under_review = ${v.stateUnderReview},
       recommending_states = ${v.recommendingStates}, text = ${v.text}, language = ${v.language}, position = ${v.position}, kind = ${v.kind},
       position_source = ${v.positionSource}, themes = ${v.themes}, affected_persons = ${v.affectedPersons},
       sdg_targets = ${v.sdgTargets}, action_category = ${v.actionCategory}, notes = ${v.notes}, updated_at = ${updatedAt}
     WHERE id = ${id}`;
}

/** Overwrites every stored field of a recommendation (an import names the time its chunk was written at). */
export async function writeRecommendation(tx: Sql, id: string, fields: StoredFields, updatedAt = nowIso()): Promise<void> {
  await tx.run(writing(id, fields, updatedAt));
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

const COLUMNS = sql.raw(RECOMMENDATION_COLUMNS);
const VISIBLE = sql.raw(visibleRecommendation());

/** The recommendation with this id in the plan, or null. */
export async function findRecommendation(q: Sql, planId: string, id: string): Promise<Recommendation | null> {
  const found = await q.row(RecommendationRow, sql`SELECT ${COLUMNS} FROM recommendations r WHERE r.id = ${id} AND r.plan_id = ${planId} AND ${VISIBLE}`);
  return found ? toRecommendation(found) : null;
}

/**
 * The stored fields of the recommendation with this id, in whichever plan, hidden or not, or null:
 * for undoing an import, which knows its rows by id.
 */
export async function storedFieldsById(q: Sql, id: string): Promise<StoredFields | null> {
  const found = await q.row(RecommendationRow, sql`SELECT ${COLUMNS} FROM recommendations r WHERE r.id = ${id}`);
  return found ? storedFields(toRecommendation(found)) : null;
}

/** The recommendation imported from this source key, or null. */
export async function findBySourceKey(q: Sql, planId: string, sourceKey: string): Promise<Recommendation | null> {
  const found = await q.row(RecommendationRow, sql`SELECT ${COLUMNS} FROM recommendations r WHERE r.plan_id = ${planId} AND r.source_key = ${sourceKey}`);
  return found ? toRecommendation(found) : null;
}

/**
 * How many keys one look-up names at most: far below either engine's limit of parameters (SQLite
 * 32,766, PostgreSQL 65,535), so a file of any size the upload allows is read in a few statements.
 */
const KEYS_PER_LOOKUP = 1000;

/** `look` for each slice of `keys` (without repeats) of at most KEYS_PER_LOOKUP, results together. */
export async function inSlices<K, T>(keys: Iterable<K>, look: (slice: K[]) => Promise<T[]>): Promise<T[]> {
  const all = [...new Set(keys)];
  const found: T[] = [];
  for (let i = 0; i < all.length; i += KEYS_PER_LOOKUP) found.push(...(await look(all.slice(i, i + KEYS_PER_LOOKUP))));
  return found;
}

/**
 * The plan's recommendations imported from these source keys, by key: what findBySourceKey finds for
 * each, read in a few statements (a preview of a large file asks for thousands; on PostgreSQL each
 * statement is a round trip).
 */
export async function findBySourceKeys(q: Sql, planId: string, sourceKeys: Iterable<string>): Promise<Map<string, Recommendation>> {
  const rows = await inSlices(sourceKeys, (slice) =>
    q.rows(RecommendationRow, sql`SELECT ${COLUMNS} FROM recommendations r WHERE r.plan_id = ${planId} AND r.source_key IN (${sql.join(slice)})`),
  );
  return new Map(rows.map((row) => toRecommendation(row)).map((r) => [r.sourceKey, r]));
}

const IdByReference = rowShape({ id: col.text, reference: col.text });

/** The ids of the plan's recommendations using these references, by reference (idForReference for many). */
export async function idsForReferences(q: Sql, planId: string, references: Iterable<string>): Promise<Map<string, string>> {
  const rows = await inSlices(references, (slice) =>
    q.rows(IdByReference, sql`SELECT id, reference FROM recommendations WHERE plan_id = ${planId} AND reference IN (${sql.join(slice)})`),
  );
  return new Map(rows.map((r) => [r.reference, r.id]));
}

/** The id of the recommendation using this reference in the plan, or null. */
export async function idForReference(q: Sql, planId: string, reference: string): Promise<string | null> {
  return (await q.row(Id, sql`SELECT id FROM recommendations WHERE plan_id = ${planId} AND reference = ${reference}`))?.id ?? null;
}

/**
 * On PostgreSQL, locks the plan's row, so that the writes of one plan's recommendations and groups
 * take turns: two entered at once cannot take one reference (the second would meet the unique key
 * instead of a refusal), and no change is checked against a state another is changing. SQLite's
 * write transactions take turns already. Call it first in the transaction (`tx`).
 */
export async function lockPlanRecommendations(tx: Sql, planId: string): Promise<void> {
  await lockRowsForChange(tx, 'plans', [planId]);
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
  /** The references with each stem the plan used when it was read (highestUsed). */
  private readonly used = new Map<string, Set<string>>();

  constructor(
    private readonly planId: string,
    /**
     * `snapshot`: every call reads the plan in one snapshot in which nothing else writes (a
     * preview), so a reference the plan used is one highestUsed read: no look-up per candidate,
     * which on PostgreSQL is a round trip per new row of a large file.
     */
    private readonly options: { snapshot?: boolean } = {},
  ) {}

  /** True when the reference is used in the plan or already handed out by this allocator. */
  async isTaken(q: Sql, reference: string): Promise<boolean> {
    return this.reserved.has(reference) || (await idForReference(q, this.planId, reference)) !== null;
  }

  /** Marks a reference (e.g. one given by the file) as used. */
  reserve(reference: string): void {
    this.reserved.add(reference);
  }

  /** A fresh reference with the stem for this recommendation. */
  async allocate(q: Sql, r: Pick<RecommendationInput, 'mechanism' | 'session' | 'cycle'>): Promise<string> {
    const prefix = referencePrefix(r);
    let n = this.next.get(prefix) ?? (await this.highestUsed(q, prefix)) + 1;
    let ref = `${prefix}-${String(n).padStart(3, '0')}`;
    const used = this.used.get(prefix);
    const taken = async (candidate: string) =>
      this.options.snapshot && used ? this.reserved.has(candidate) || used.has(candidate) : this.isTaken(q, candidate);
    while (await taken(ref)) {
      n += 1;
      ref = `${prefix}-${String(n).padStart(3, '0')}`;
    }
    this.next.set(prefix, n + 1);
    this.reserve(ref);
    return ref;
  }

  private async highestUsed(q: Sql, prefix: string): Promise<number> {
    const used = await q.rows(
      Reference,
      sql`SELECT reference FROM recommendations WHERE plan_id = ${this.planId} AND substr(reference, 1, ${prefix.length + 1}) = ${`${prefix}-`}`,
    );
    this.used.set(prefix, new Set(used.map((r) => r.reference)));
    let max = 0;
    for (const { reference } of used) {
      const tail = reference.slice(prefix.length + 1);
      if (/^\d+$/.test(tail)) max = Math.max(max, Number(tail));
    }
    return max;
  }
}

// ---- Browse --------------------------------------------------------------------------------------

// Search, filters and paging: recommendationBrowse.ts; full-text search per engine: recommendationSearch.ts.

/** All of a plan's recommendations in reference order (for export). */
export async function allRecommendations(q: Sql, planId: string): Promise<Recommendation[]> {
  const found = await q.rows(RecommendationRow, sql`SELECT ${COLUMNS} FROM recommendations r WHERE r.plan_id = ${planId} AND ${VISIBLE} ORDER BY r.sort_key, r.id`);
  return found.map(toRecommendation);
}

// ---- Agreed sections -----------------------------------------------------------------------------

export interface CitingSection {
  id: string;
  title: string;
  references: string[];
}

/**
 * The canonical content of a section (what a sign-off hash covers) cites the reference of every
 * recommendation linked to its actions (server/services/agreement.ts canonicalActions). Changing
 * such a reference, or deleting such a recommendation, would change an agreed section from outside
 * it: refused with 409 `section_agreed` naming the sections, until a coordinator reopens them.
 */
export async function agreedSectionsCiting(q: Sql, recommendationIds: readonly string[]): Promise<CitingSection[]> {
  if (recommendationIds.length === 0) return [];
  const citing = await q.rows(
    CitingRow,
    sql`SELECT s.id, s.title, r.reference FROM action_recommendations ar
          JOIN actions a ON a.id = ar.action_id JOIN sections s ON s.id = a.section_id
          JOIN recommendations r ON r.id = ar.recommendation_id
          JOIN chapters c ON c.id = s.chapter_id
         WHERE s.status = 'agreed' AND ar.recommendation_id IN (${sql.join(recommendationIds)})
         ORDER BY c.position, c.id, s.position, s.id, r.sort_key, r.id`,
  );
  const out = new Map<string, CitingSection>();
  for (const r of citing) {
    const entry = out.get(r.id) ?? { id: r.id, title: r.title, references: [] };
    if (!entry.references.includes(r.reference)) entry.references.push(r.reference);
    out.set(r.id, entry);
  }
  return [...out.values()];
}


/** 409 `section_agreed` when any of these recommendations is cited by an agreed section; `what` is the change, e.g. "Deleting the recommendation". */
async function refuseChangingAgreedCitations(tx: Sql, recommendationIds: readonly string[], what: string): Promise<void> {
  refuseChangingAgreedSections(await agreedSectionsCiting(tx, recommendationIds), what);
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
export async function getRecommendation(q: Sql, planId: string, id: string): Promise<Recommendation & { actions: ImplementingAction[] }> {
  const rec = await findRecommendation(q, planId, id);
  if (!rec) throw notFound('recommendation');
  const actions = await q.rows(
    ImplementingActionRow,
    sql`SELECT a.id, a.title, a.section_id AS "sectionId", s.title AS "sectionTitle"
          FROM action_recommendations ar JOIN actions a ON a.id = ar.action_id
          JOIN sections s ON s.id = a.section_id JOIN chapters c ON c.id = s.chapter_id
         WHERE ar.recommendation_id = ${id} AND s.deleted_at IS NULL ORDER BY c.position, c.id, s.position, s.id, a.position, a.id`,
  );
  return { ...rec, actions };
}

async function refuseTakenReference(tx: Sql, planId: string, reference: string, self: string | null): Promise<void> {
  const owner = await idForReference(tx, planId, reference);
  if (owner !== null && owner !== self) {
    throw conflict('reference_taken', `The reference "${reference}" is already used by another recommendation in this plan.`);
  }
}

/**
 * Enters a recommendation by hand. Without a source key it gets a `manual:` one (so no import
 * ever matches it); without a reference, one is assigned like an import would.
 */
export function createRecommendation(
  q: Sql,
  planId: string,
  input: Omit<RecommendationInput, 'sourceKey'> & { sourceKey?: string | undefined },
  who: Actor,
): Promise<Recommendation> {
  return q.transaction(async (tx) => {
    await lockPlanRecommendations(tx, planId);
    const sourceKey = input.sourceKey ?? `manual:${newId()}`;
    if (await findBySourceKey(tx, planId, sourceKey)) {
      throw conflict('source_key_taken', 'A recommendation with this source key already exists in the plan.');
    }
    let reference = input.reference;
    if (reference !== null) await refuseTakenReference(tx, planId, reference, null);
    else reference = await new ReferenceAllocator(planId).allocate(tx, input);
    const id = await insertRecommendation(tx, planId, { ...input, sourceKey, reference });
    const created = (await findRecommendation(tx, planId, id))!;
    await recordChange(tx, {
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
  });
}

/** Changes some fields of a recommendation (position, themes, notes, a corrected text…): `recommendation.updated`. */
export function updateRecommendation(
  q: Sql,
  planId: string,
  id: string,
  changes: Partial<Omit<RecommendationInput, 'sourceKey'>>,
  who: Actor,
): Promise<Recommendation> {
  return q.transaction(async (tx) => {
    await lockPlanRecommendations(tx, planId);
    const current = await findRecommendation(tx, planId, id);
    if (!current) throw notFound('recommendation');
    const defined = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
    const next: StoredFields = { ...storedFields(current), ...defined, reference: changes.reference ?? current.reference };
    await refuseTakenReference(tx, planId, next.reference, id);
    if (next.reference !== current.reference) {
      await refuseChangingAgreedCitations(tx, [id], `Changing the reference ${current.reference} to ${next.reference}`);
    }
    if (!sameFields(next, storedFields(current))) {
      await writeRecommendation(tx, id, next);
      const diff = diffFields(storedFields(current), next, ['reference'])!;
      await recordChange(tx, {
        planId,
        who,
        action: 'recommendation.updated',
        targetType: 'recommendation',
        targetId: id,
        summary: `${byWhom(who)} changed the ${diff.changed.join(', ')} of the recommendation ${next.reference}`,
        ...diff,
      });
    }
    return (await findRecommendation(tx, planId, id))!;
  });
}

/**
 * Deletes a recommendation and its links to actions (`recommendation.deleted`, and `link.removed`
 * for each action that addressed it). Returns the sections whose actions lost a link, so their
 * editors can be told.
 */
export function deleteRecommendation(q: Sql, planId: string, id: string, who: Actor): Promise<string[]> {
  return q.transaction(async (tx) => {
    await lockPlanRecommendations(tx, planId);
    // Its row too on PostgreSQL: an action linked to it meanwhile (which holds the row's key) is
    // waited for and read below, so every link lost is on the record.
    await lockRowsForDeletion(tx, 'recommendations', [id]);
    const current = await findRecommendation(tx, planId, id);
    if (!current) throw notFound('recommendation');
    await refuseChangingAgreedCitations(tx, [id], `Deleting the recommendation ${current.reference}`);
    const actions = await tx.rows(
      LinkedAction,
      sql`SELECT a.id, a.title, a.section_id AS "sectionId" FROM action_recommendations ar JOIN actions a ON a.id = ar.action_id
           WHERE ar.recommendation_id = ${id} ORDER BY a.section_id, a.position, a.id`,
    );
    for (const action of actions) await stepsOn(tx, recordLinks(planId, who, action, { added: [], removed: [id], because: 'the recommendation was deleted' }));
    await tx.run(sql`DELETE FROM recommendations WHERE id = ${id}`);
    await recordChange(tx, {
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
  });
}
