import { randomBytes } from 'node:crypto';
import { sql, type RawBuilder } from 'kysely';
import { giveWay } from '../db/checkpointer.ts';
import { col, rowShape } from '../db/rows.ts';
import { lockRowsForChange, lockRowsForDeletion } from '../db/sql/locks.ts';
import { flag } from '../db/sql/portable.ts';
import type { Sql } from '../db/sql/Sql.ts';
import { conflict, HttpError, notFound } from '../errors.ts';
import { idSequence, newId, nowIso } from '../ids.ts';
import { indexRecommendationsOn } from './recommendationIndex.ts';
import { similarity } from './diff.ts';
import { dropAliases, fillIn, findByAlias, findByAliases, findTwins, recordAlias } from './sameRecommendation.ts';
import {
  agreedSectionsCiting,
  findBySourceKey,
  findBySourceKeys,
  findRecommendation,
  idForReference,
  idsForReferences,
  insertImportedRecommendation,
  lockPlanRecommendations,
  naturalKey,
  ReferenceAllocator,
  refuseChangingAgreedSections,
  sameFields,
  STORED_FIELD_KEYS,
  storedFields,
  storedFieldsById,
  type StoredFields,
  writeRecommendation,
} from './recommendations.ts';
import { restoration } from './undoFields.ts';
import {
  ImportRecordSchema,
  type ImportPreview,
  type ImportRecord,
  type ParsedImport,
  type Position,
  type KeptReason,
  KEPT_LISTED,
  type Recommendation,
  type RecommendationInput,
  type SameAsPlanChoice,
  type SameAsPlanRow,
  type UndoImportResult,
} from '../../shared/api/index.ts';

/** How long a preview waits for its commit. */
export const PREVIEW_TTL_MS = 30 * 60 * 1000;
/**
 * Rows written (or undone) per transaction, and the time after which a chunk ends anyway: other
 * people's requests and sync messages wait for at most one chunk (issue #19: no one waits more than
 * 50 ms), and the time limit holds on a slow disk or a busy machine.
 */
export const COMMIT_CHUNK = 500;
export const COMMIT_CHUNK_MS = 10;

type PreviewRow = ImportPreview['rows'][number];

/**
 * The order a preview's rows are written in: by reference, as the registry sorts them (sort_key).
 * A file lists recommendations by session or by State, so in file order each row lands on a
 * different page of every index that ends in the sort key (reference, position, mechanism, cycle…)
 * and each short transaction rewrites all those pages: written in reference order, a chunk's rows
 * go to a few pages at the end of each run (a 40,000-row commit took about a third less). Which
 * row is written first changes nothing else: a preview's rows have distinct source keys and
 * references. Computed by the preview worker, off the event loop (50 ms for 40,000 rows).
 */
export function writeOrder(rows: readonly PreviewRow[]): Uint32Array<ArrayBuffer> {
  const keys = rows.map((r) => naturalKey(r.reference));
  const order = new Uint32Array(keys.length).map((_, i) => i);
  return order.sort((a, b) => (keys[a]! < keys[b]! ? -1 : keys[a]! > keys[b]! ? 1 : a - b));
}

/** Write orders of previews read in the worker, for as long as the preview itself is kept. */
const writeOrders = new WeakMap<object, Uint32Array>();

/** Keeps the order `preview`'s rows will be written in (a permutation of its rows' indices). */
export function rememberWriteOrder(preview: ImportPreview, order: Uint32Array): void {
  const seen = new Uint8Array(preview.rows.length);
  const whole =
    order.length === seen.length &&
    order.every((i) => {
      if (i >= seen.length || seen[i] === 1) return false;
      seen[i] = 1;
      return true;
    });
  if (!whole) throw new Error('A write order must name each row of its preview once.');
  writeOrders.set(preview, order);
}

interface StoredPreview<T> {
  preview: T;
  planId: string;
  userId: string;
  expiresAt: number;
}

/** Where previews wait for their commit: in memory (below), or in the database shared by several processes (sharedPreviews.ts). */
export interface PreviewStore<T extends { previewId: string }> {
  /** Keeps a preview for this person and plan, replacing their earlier one. */
  put(planId: string, userId: string, preview: T): Promise<void>;
  /** Removes and returns the preview, only for the person and plan it was made for. */
  take(planId: string, userId: string, previewId: string): Promise<T | null>;
}

/** The write order kept for a preview (rememberWriteOrder), if any; file order otherwise. */
export const writeOrderOf = (preview: ImportPreview): Uint32Array | undefined => writeOrders.get(preview);

/**
 * Previews waiting to be committed, in memory: a preview is a few megabytes at most and is worth
 * nothing after a restart (the person uploads again). Each person keeps one preview per plan, so
 * repeated uploads cannot pile up memory.
 */
export class ImportPreviewStore<T extends { previewId: string } = ImportPreview> implements PreviewStore<T> {
  private readonly previews = new Map<string, StoredPreview<T>>();

  constructor(private readonly ttlMs = PREVIEW_TTL_MS, private readonly now: () => number = Date.now) {}

  /** Keeps a preview for this person and plan, replacing their earlier one. */
  async put(planId: string, userId: string, preview: T): Promise<void> {
    this.sweep();
    for (const [id, p] of this.previews) if (p.planId === planId && p.userId === userId) this.previews.delete(id);
    this.previews.set(preview.previewId, { preview, planId, userId, expiresAt: this.now() + this.ttlMs });
  }

  /** Removes and returns the preview, only for the person and plan it was made for. */
  async take(planId: string, userId: string, previewId: string): Promise<T | null> {
    this.sweep();
    const p = this.previews.get(previewId);
    if (!p || p.planId !== planId || p.userId !== userId) return null;
    this.previews.delete(previewId);
    return p.preview;
  }

  get size(): number {
    this.sweep();
    return this.previews.size;
  }

  private sweep(): void {
    const now = this.now();
    for (const [id, p] of this.previews) if (p.expiresAt <= now) this.previews.delete(id);
  }
}

/** The process-wide store the routes use. */
export const importPreviews = new ImportPreviewStore<ImportPreview>();

/**
 * What a re-import should store for an existing recommendation. A file without a reference keeps
 * the one in the plan, and a file without notes keeps notes people wrote (importers never carry
 * notes, and wiping them silently would lose work).
 */
function mergeIncoming(existing: Recommendation | null, incoming: RecommendationInput): Omit<StoredFields, 'reference'> & { reference: string | null } {
  if (!existing) return incoming;
  return { ...incoming, reference: incoming.reference ?? existing.reference, notes: incoming.notes ?? existing.notes };
}

/** Stored fields as JSON for import_changes (`applied`): every field named, nothing else the value carries. */
function fieldsJson(fields: StoredFields): string {
  return JSON.stringify(Object.fromEntries(STORED_FIELD_KEYS.map((k) => [k, fields[k] ?? null])));
}

/** How much of its words a row must share with the plan's copy to be that recommendation (diff.ts similarity). */
const SAME_WORDS = 0.8;

/**
 * The recommendation a row from another source already is, or null: the plan holds one under the
 * row's reference, from the same mechanism, document, paragraph and recommending States, in
 * (nearly) the same words.
 * The sample plan's recommendations, for one, were copied from A/HRC/15/16 under their own source
 * keys; importing the report itself must recognise them, not reject each as "reference taken".
 * Such a row is left as it is: the plan's copy may hold themes and positions the other source
 * lacks, and keeps the source key it came with. States and words are compared as well because
 * two sources may letter the recommendations of one paragraph (97.1a, 97.1b) in different orders,
 * and one paragraph often holds near-identical words from different States (A/HRC/15/16 97.48b
 * and c are the same sentence from Uzbekistan and from Tajikistan): those stay apart.
 */
async function alreadyInPlan(q: Sql, planId: string, row: RecommendationInput): Promise<Recommendation | null> {
  if (row.reference === null || row.documentSymbol === null || row.paragraph === null) return null;
  const id = await idForReference(q, planId, row.reference);
  const held = id === null ? null : await findRecommendation(q, planId, id);
  if (!held || held.mechanism !== row.mechanism || held.documentSymbol !== row.documentSymbol || held.paragraph !== row.paragraph) return null;
  if (!sameStates(held.recommendingStates, row.recommendingStates)) return null;
  return similarity(held.text, row.text) >= SAME_WORDS ? held : null;
}

/** How many rows that repeat recommendations of the plan a preview lists one by one (the rest are counted). */
export const SAME_AS_PLAN_LISTED = 500;

/** A few references, for a warning: the first five, then "…". */
const someReferences = (references: readonly string[]) => (references.length > 5 ? `${references.slice(0, 5).join(', ')}…` : references.join(', '));

/**
 * Rows about to be created that repeat, under another reference, recommendations the plan holds
 * (sameRecommendation.ts findTwins): each with the plan's copy and what it would add to it. Two
 * sources number the same recommendations differently (UPR Info's UPR-S8-003 is the report's
 * BLR-C1-97.1a); the person chooses at commit whether they are the same (the copies are filled
 * in) or new (a later cycle's identical sentence). Runs in the preview worker.
 */
async function sameAsPlan(q: Sql, planId: string, rows: readonly PreviewRow[]): Promise<SameAsPlanRow[]> {
  const twins = await findTwins(q, planId, rows.map((r) => (r.action === 'create' ? r.recommendation : null)));
  const same: SameAsPlanRow[] = [];
  for (const [i, twin] of [...twins].sort(([a], [b]) => a - b)) {
    const copy = await findRecommendation(q, planId, twin.id);
    if (!copy) continue;
    const r = rows[i]!;
    const { adds } = fillIn(storedFields(copy), r.recommendation);
    same.push({
      row: r.row,
      reference: r.reference,
      heldReference: copy.reference,
      text: r.recommendation.text,
      near: twin.near,
      heldText: twin.near ? copy.text : null,
      adds,
    });
  }
  return same;
}

/** The same recommending States, in any order and case. */
function sameStates(a: readonly string[], b: readonly string[]): boolean {
  const key = (list: readonly string[]) => [...new Set(list.map((s) => s.trim().toLowerCase()))].sort().join('\n');
  return key(a) === key(b);
}

/**
 * Classifies every parsed row against the plan and keeps the result server-side for
 * `commitImport` (classifyImport).
 */
export async function previewImport(
  q: Sql,
  planId: string,
  userId: string,
  parsed: ParsedImport,
  filename: string,
  store: PreviewStore<ImportPreview> = importPreviews,
  /** Rows of the file checked against the plan so far (the preview worker relays it). */
  onProgress?: (done: number, total: number) => void,
): Promise<ImportPreview> {
  const preview = await classifyImport(q, planId, parsed, filename, onProgress);
  await store.put(planId, userId, preview);
  return preview;
}

/**
 * Classifies every parsed row against the plan (create, update when the same sourceKey exists with
 * a field changed, unchanged), assigns references to new rows without one, and rejects rows that
 * repeat an earlier row or take another recommendation's reference. Every row is read against the
 * plan as it was at one moment: one snapshot transaction (joining the caller's, such as set-up's).
 */
export function classifyImport(q: Sql, ...file: ImportFile): Promise<ImportPreview> {
  return q.transaction((tx) => classifyRows(tx, ...file), { snapshot: true });
}

/** The plan and the parsed file classifyImport reads; progress as rows of the file are checked. */
type ImportFile = [planId: string, parsed: ParsedImport, filename: string, onProgress?: (done: number, total: number) => void];

async function classifyRows(q: Sql, ...[planId, parsed, filename, onProgress]: ImportFile): Promise<ImportPreview> {
  const allocator = new ReferenceAllocator(planId, { snapshot: true });
  const rows: PreviewRow[] = [];
  const rejected = [...parsed.rejected];
  const seenKeys = new Map<string, number>();
  const seenRefs = new Map<string, number>();
  const pending: Array<{ row: number; recommendation: RecommendationInput; existing: Recommendation | null }> = [];
  const warnings = [...parsed.warnings];
  /** Rows another source's copy of which the plan already holds (alreadyInPlan), by row. */
  const held = new Map<number, Recommendation>();
  /** Rows an earlier import recognised as a recommendation of the plan (recommendation_aliases), by row: its reference. */
  const recognisedBefore = new Map<number, string>();

  // What the plan holds under the file's source keys and references, read in a few statements
  // rather than three per row: the same answers, as the snapshot changes nothing meanwhile.
  const keys = parsed.rows.map((r) => r.recommendation.sourceKey);
  const bySourceKey = await findBySourceKeys(q, planId, keys);
  const byAlias = await findByAliases(q, planId, keys);
  const ownerOf = await idsForReferences(q, planId, parsed.rows.flatMap((r) => (r.recommendation.reference === null ? [] : [r.recommendation.reference])));

  // First pass: duplicates and references the file names, so allocation below never takes them.
  let checked = 0;
  for (const { row, recommendation } of parsed.rows) {
    onProgress?.(++checked, parsed.rows.length);
    const earlier = seenKeys.get(recommendation.sourceKey);
    if (earlier !== undefined) {
      rejected.push({
        row,
        code: 'same_recommendation',
        params: { earlier },
        reason: `The same recommendation as row ${earlier}; only the first is imported.`,
      });
      continue;
    }
    const existing = bySourceKey.get(recommendation.sourceKey) ?? null;
    // Recognised by an earlier import as a recommendation the plan holds under another reference:
    // the same file imported again leaves it as it is, and claims no reference.
    const alias = existing ? null : (byAlias.get(recommendation.sourceKey) ?? null);
    if (alias) {
      recognisedBefore.set(row, alias.reference);
      seenKeys.set(recommendation.sourceKey, row);
      pending.push({ row, recommendation, existing });
      continue;
    }
    const reference = recommendation.reference;
    if (reference !== null) {
      const sameRef = seenRefs.get(reference);
      if (sameRef !== undefined) {
        rejected.push({
          row,
          code: 'reference_in_file',
          params: { reference, earlier: sameRef },
          reason: `The reference ${reference} is also used by row ${sameRef}.`,
        });
        continue;
      }
      const owner = ownerOf.get(reference) ?? null;
      const same = owner !== null && !existing ? await alreadyInPlan(q, planId, recommendation) : null;
      if (same) {
        // Left as it is: it claims no reference in the file, so the plan copy's own row (by its
        // source key) may still come later and update it.
        held.set(row, same);
        seenKeys.set(recommendation.sourceKey, row);
        pending.push({ row, recommendation, existing });
        continue;
      }
      if (owner !== null && owner !== existing?.id) {
        rejected.push({
          row,
          code: 'reference_taken',
          params: { reference },
          reason: `The reference ${reference} is already used by another recommendation in this plan.`,
        });
        continue;
      }
      seenRefs.set(reference, row);
      allocator.reserve(reference);
    }
    seenKeys.set(recommendation.sourceKey, row);
    pending.push({ row, recommendation, existing });
  }

  for (const { row, recommendation, existing } of pending) {
    const same = held.get(row);
    if (same) {
      rows.push({ row, action: 'unchanged', reference: same.reference, recommendation });
      continue;
    }
    const known = recognisedBefore.get(row);
    if (known !== undefined) {
      rows.push({ row, action: 'unchanged', reference: known, recommendation });
      continue;
    }
    const merged = mergeIncoming(existing, recommendation);
    if (existing) {
      let next = { ...merged, reference: merged.reference ?? existing.reference };
      if (next.reference !== existing.reference) {
        const agreed = await agreedSectionsCiting(q, [existing.id]);
        if (agreed.length > 0) {
          next = { ...next, reference: existing.reference };
          const sections = agreed.map((s) => `“${s.title}”`).join(', ');
          warnings.push({
            code: 'reference_kept',
            params: { row, kept: existing.reference, wanted: merged.reference ?? '', sections },
            message: `Row ${row}: the reference ${existing.reference} is kept, not changed to ${merged.reference}: the agreed section ${sections} cites it. A coordinator must reopen it before the reference can change.`,
          });
        }
      }
      rows.push({
        row,
        action: sameFields(next, storedFields(existing)) ? 'unchanged' : 'update',
        reference: next.reference,
        recommendation,
      });
    } else {
      rows.push({ row, action: 'create', reference: recommendation.reference ?? (await allocator.allocate(q, recommendation)), recommendation });
    }
  }

  if (held.size > 0) {
    const references = [...held.values()].map((r) => r.reference);
    const listed = references.length > 5 ? `${references.slice(0, 5).join(', ')}…` : references.join(', ');
    warnings.push({
      code: 'already_in_plan',
      params: { n: held.size, references: listed },
      message: `${held.size} rows are recommendations the plan already holds from another file (${listed}): the same document, paragraph, reference and words. They are left as they are.`,
    });
  }
  if (recognisedBefore.size > 0) {
    const listed = someReferences([...recognisedBefore.values()]);
    warnings.push({
      code: 'recognised_before',
      params: { n: recognisedBefore.size, references: listed },
      message: `${recognisedBefore.size} rows were recognised by an earlier import of this source as recommendations the plan holds under other references (${listed}). They are left as they are.`,
    });
  }
  const same = await sameAsPlan(q, planId, rows);
  const filling = same.filter((r) => r.adds.length > 0).length;
  if (same.length > 0) {
    const listed = someReferences(same.map((r) => r.heldReference));
    warnings.push({
      code: 'same_as_plan',
      params: { n: same.length, filling, references: listed },
      message: `${same.length} new rows repeat recommendations the plan already holds under other references (${listed}): the same mechanism, recommending States and words. Treated as the same recommendations (the default), ${filling} of them fill in what the plan's copy lacks and nothing is added twice; choose "add them as new" only if they are a later cycle's identical recommendations.`,
    });
  }
  rejected.sort((a, b) => a.row - b.row);
  const count = (action: PreviewRow['action']) => rows.filter((r) => r.action === action).length;
  return {
    previewId: randomBytes(16).toString('base64url'),
    format: parsed.format,
    encoding: parsed.encoding ?? null,
    filename,
    counts: { create: count('create'), update: count('update'), unchanged: count('unchanged'), rejected: rejected.length },
    rows,
    rejected,
    warnings,
    sameAsPlan: { total: same.length, filling, rows: same.slice(0, SAME_AS_PLAN_LISTED) },
  };
}

const IMPORT_COLUMNS = sql`i.id, i.format, i.filename, u.name AS "createdBy", i.created_at AS "createdAt", i.created, i.updated,
  i.undone_at AS "undoneAt", i.state,
  CASE WHEN i.state = 'undone'
    THEN (SELECT count(*) FROM import_changes c WHERE c.import_id = i.id AND c.kind = 'created' AND c.kept_because IS NOT NULL)
    ELSE 0 END AS kept,
  (SELECT count(*) FROM import_holds h WHERE h.import_id = i.id) AS held, i.recognised, i.filled`;

/** A plan's imports, newest first (ties of time by id). */
export function listImports(q: Sql, planId: string): Promise<ImportRecord[]> {
  return q.rows(
    ImportRecordSchema,
    sql`SELECT ${IMPORT_COLUMNS} FROM imports i JOIN users u ON u.id = i.created_by
         WHERE i.plan_id = ${planId} ORDER BY i.created_at DESC, i.id DESC`,
  );
}

async function importRecord(q: Sql, planId: string, importId: string): Promise<ImportRecord | null> {
  const found = await q.row(ImportRecordSchema, sql`SELECT ${IMPORT_COLUMNS} FROM imports i JOIN users u ON u.id = i.created_by WHERE i.id = ${importId} AND i.plan_id = ${planId}`);
  return found ?? null;
}

export interface CommitOptions {
  /** Corrected positions by paragraph (e.g. "98.3"), applied before anything is compared. */
  positionOverrides?: Record<string, Position> | undefined;
  /** Called after each chunk is written. */
  onProgress?: (done: number, total: number) => void;
  store?: PreviewStore<ImportPreview>;
  /** The process running the commit (server/ownership/owners.ts); absent, none is named. */
  owner?: string;
  /**
   * Rows repeating recommendations the plan holds under other references: 'same' (the default)
   * fills in the plan's copies, 'new' creates them as new recommendations.
   */
  sameAsPlan?: SameAsPlanChoice;
}

/**
 * The import is no longer this process's to write: it was taken for abandoned (its owner's
 * heartbeat ran out) and another process is reversing or finishing it. Nothing more is written.
 */
function takenOver(): HttpError {
  return new HttpError(
    409,
    'import_taken_over',
    'This server lost touch with the others for a while, and another server took the import over: a commit was reversed, an undo finished. The list of imports shows how it ended.',
  );
}

const isTakenOver = (err: unknown) => err instanceof HttpError && err.code === 'import_taken_over';

const OwnerRow = rowShape({ owner: col.nullableText });

/** `owner` (null: nobody named) in SQL, for a statement that changes the import only while it is still theirs. */
const ownerIs = (owner: string | null): RawBuilder<unknown> => sql`owner IS NOT DISTINCT FROM ${owner}`;

/** Whether the import is still owned by `owner` (null: by nobody named). */
async function ownedBy(q: Sql, importId: string, owner: string | null): Promise<boolean> {
  return (await q.row(OwnerRow, sql`SELECT owner FROM imports WHERE id = ${importId}`))?.owner === owner;
}

/**
 * An import's commit or undo at work: its plan, the import, and the process it must still belong
 * to at every step (server/ownership/owners.ts; null: nobody named). `undefined` checks nobody: a
 * process on its own finishing what a stopped one left, at its start.
 */
interface ImportWork {
  planId: string;
  importId: string;
  owner: string | null | undefined;
}

/**
 * One short step of a commit or undo: `write` in a transaction of its own (joining the caller's,
 * for a commit written at once) that first makes the plan's recommendation writes take turns
 * (lockPlanRecommendations: on PostgreSQL a person's edit or another import's step waits; SQLite's
 * writers take turns already), then checks the import is still the worker's, holding its row
 * until the step commits, so a process taking the import over meanwhile (its UPDATE of the owner)
 * waits for this step or finds it never began. Nothing is written once the import is another's.
 */
function importStep<T>(q: Sql, work: ImportWork, write: (tx: Sql) => Promise<T>): Promise<T> {
  return q.transaction(async (tx) => {
    await lockPlanRecommendations(tx, work.planId);
    if (work.owner !== undefined) {
      await lockRowsForChange(tx, 'imports', [work.importId]);
      const held = await tx.row(OwnerRow, sql`SELECT owner FROM imports WHERE id = ${work.importId}`);
      if (held?.owner !== work.owner) throw takenOver();
    }
    return write(tx);
  });
}

/**
 * Re-samples the statistics the planner uses after an import changed the table's size. Without
 * them SQLite's cannot tell that "theme = X" matches 300 of 40,000 rows and scans them all (70 ms
 * instead of 5 ms); analysis_limit keeps this to a few milliseconds at any size. PostgreSQL's
 * ANALYZE reads a sample of each table too.
 */
async function refreshStatistics(q: Sql): Promise<void> {
  if (q.engine === 'postgres') {
    await q.run(sql`ANALYZE recommendations, recommendation_tags`);
    return;
  }
  await q.run(sql`PRAGMA analysis_limit = 1000`);
  await q.run(sql`ANALYZE recommendations`);
  await q.run(sql`ANALYZE recommendation_tags`);
}

const FilenameRow = rowShape({ filename: col.text });

/**
 * One commit or undo at a time in a plan: a second one would classify rows against rows the first
 * still hides, or undo rows the first is writing. Refused with 409 `import_busy` naming the file.
 * Made inside the transaction that marks an import busy, after lockPlanRecommendations, it holds
 * on PostgreSQL too: two commits of one plan at once take turns there, and the second is refused.
 */
async function refuseWhileBusy(q: Sql, planId: string): Promise<void> {
  const busy = await q.row(FilenameRow, sql`SELECT filename FROM imports WHERE plan_id = ${planId} AND state IN ('committing', 'undoing') LIMIT 1`);
  if (busy !== undefined) {
    throw conflict('import_busy', `The import of ${busy.filename} is still being written or undone. Try again when it has finished.`, { filename: busy.filename });
  }
}

const previewGone = () =>
  new HttpError(
    404,
    'preview_not_found',
    'This import preview is no longer available (it was already imported, or more than 30 minutes have passed). Upload the file again.',
  );

/**
 * Writes a preview in short transactions (COMMIT_CHUNK rows or COMMIT_CHUNK_MS, whichever comes
 * first), yielding to the event loop between them, so nobody's request or keystroke waits behind a
 * 40,000-row import. What others see meanwhile (docs/decisions/0013-chunked-imports.md):
 * - the import is 'committing': the rows it creates are hidden from every reader
 *   (visibleRecommendation) until the last chunk is written, then appear together;
 * - rows it updates change chunk by chunk, each row whole (an update is one statement);
 * - a second commit or undo in the plan is refused (import_busy).
 * If a chunk fails, what the earlier chunks wrote is reversed (created rows deleted, updated rows
 * given their fields back) and the import record removed, then the error is thrown: nothing is left
 * behind. A server stopped mid-commit does the same at its next start (recoverInterruptedImports).
 * Each row is classified again at write time (the plan may have changed since the preview), and
 * every change is recorded so `undoImport` can reverse it exactly. Committing the same file twice
 * creates nothing the second time.
 */
export async function commitImport(
  q: Sql,
  planId: string,
  userId: string,
  previewId: string,
  options: CommitOptions = {},
): Promise<ImportRecord> {
  const store = options.store ?? importPreviews;
  // Asked before the preview is taken, so that a commit refused while another runs leaves it for later.
  await refuseWhileBusy(q, planId);
  const preview = await store.take(planId, userId, previewId);
  if (!preview) throw previewGone();
  let commit: Commit;
  try {
    commit = await beginCommit(q, planId, userId, preview, options);
  } catch (err) {
    // Nothing was begun (another commit or undo began meanwhile): the preview waits for the person's next try.
    await store.put(planId, userId, preview);
    throw err;
  }
  const { importId, owner, total } = commit;
  // Progress counts each row twice, written and indexed, and reports rows of the file.
  const report = (work: number) => options.onProgress?.(Math.floor(work / 2), total);
  try {
    for (let done = 0; done < total; ) {
      done = await commit.writeChunk(done);
      report(done);
      if (done < total) await giveWay(q.source);
    }
    const created = (await q.row(CreatedRow, sql`SELECT created FROM imports WHERE id = ${importId}`))?.created ?? 0;
    await runSteps(commit.indexing(), () => giveWay(q.source), (indexed) => report(total + Math.round((indexed / Math.max(created, 1)) * total)));
    if (total === 0) options.onProgress?.(0, 0);
    await commit.finish();
  } catch (err) {
    // Another process took the import over: reversing it is that process's work now.
    if (!(await ownedBy(q, importId, owner))) throw takenOver();
    const work = { planId, importId, owner };
    await runSteps(reverseImport(q, work), () => giveWay(q.source));
    await importStep(q, work, (tx) => tx.run(sql`DELETE FROM imports WHERE id = ${importId}`));
    throw err;
  }
  await refreshStatistics(q);
  return (await importRecord(q, planId, importId))!;
}

const CreatedRow = rowShape({ created: col.int });

/**
 * The whole commit of a preview in one transaction, joining the caller's, without giving way: for
 * a file small enough not to hold anyone up, written together with what it belongs to (the sample
 * plan's recommendations, inside set-up's transaction). A failure rolls it all back: nothing to
 * reverse. The preview is the caller's (classifyImport), not taken from a store.
 */
export function commitImportAtOnce(q: Sql, planId: string, userId: string, preview: ImportPreview): Promise<ImportRecord> {
  return q.transaction(async (tx) => {
    const commit = await beginCommit(tx, planId, userId, preview, {});
    for (let done = 0; done < commit.total; ) done = await commit.writeChunk(done);
    await runSteps(commit.indexing(), async () => {});
    await commit.finish();
    await refreshStatistics(tx);
    return (await importRecord(tx, planId, commit.importId))!;
  });
}

/** A commit begun: its import record written ('committing'), and the steps that write its rows. */
interface Commit {
  importId: string;
  owner: string | null;
  total: number;
  /** Writes rows from `start` on (in write order) in one short transaction; returns where it stopped. */
  writeChunk(start: number): Promise<number>;
  /** The bulk index steps for the rows written (indexImportedRows). */
  indexing(): AsyncGenerator<number, void>;
  /** The last step, in one statement: every created row becomes visible at once. */
  finish(): Promise<void>;
}

async function beginCommit(q: Sql, planId: string, userId: string, preview: ImportPreview, options: CommitOptions): Promise<Commit> {
  const overrides = options.positionOverrides ?? {};
  const rows = preview.rows.map((r) => {
    const position = r.recommendation.paragraph !== null ? overrides[r.recommendation.paragraph] : undefined;
    return position ? { ...r, recommendation: { ...r.recommendation, position } } : r;
  });

  // Which rows repeat recommendations of the plan under other references is decided again here,
  // against the plan as it is now, not taken from the preview: the plan may have changed since.
  // Among the rows the preview would create; one that meanwhile finds its recommendation by its
  // own key or an alias is handled as such first, in the chunk that writes it.
  const twins =
    (options.sameAsPlan ?? 'same') === 'same'
      ? await findTwins(q, planId, rows.map((r) => (r.action === 'create' ? r.recommendation : null)))
      : new Map<number, never>();

  const importId = newId();
  const owner = options.owner ?? null;
  const work: ImportWork = { planId, importId, owner };
  // The mark: rows created from here on (seq above today's highest) wait for the bulk index step
  // (migration 034). The first chunk takes it again, in its own transaction (below).
  await q.transaction(async (tx) => {
    await lockPlanRecommendations(tx, planId);
    await refuseWhileBusy(tx, planId);
    await tx.run(
      sql`INSERT INTO imports (id, plan_id, format, filename, created_by, created_at, state, indexed_through, owner)
          VALUES (${importId}, ${planId}, ${preview.format}, ${preview.filename}, ${userId}, ${nowIso()}, 'committing',
            (SELECT coalesce(max(seq), 0) FROM recommendations), ${owner})`,
    );
  });

  const allocator = new ReferenceAllocator(planId);
  const nextId = idSequence();
  // An update records the fields before (`previous`) and as the import left them (`applied`):
  // undoing it gives back only what still holds the import's value (undoFields.ts).
  const recordChange = (tx: Sql, id: string, kind: 'created' | 'updated', previous: string | null, applied: string | null) =>
    tx.run(sql`INSERT INTO import_changes (import_id, recommendation_id, kind, previous, applied) VALUES (${importId}, ${id}, ${kind}, ${previous}, ${applied})`);
  // A row that finds its recommendation already in the plan writes nothing, but the file relies on
  // it: undoing the import that created it keeps it while this import is in effect (undoImport).
  const recordHold = (tx: Sql, id: string) =>
    tx.run(sql`INSERT INTO import_holds (import_id, recommendation_id) VALUES (${importId}, ${id}) ON CONFLICT DO NOTHING`);
  const total = rows.length;
  // A preview made on the main thread (the sample plan; tests) is written in file order.
  const order = writeOrderOf(preview);
  const indexAt = (i: number) => (order ? order[i]! : i);

  /** Writes rows from `start` on (in write order); returns where it stopped. */
  const writeChunk = (start: number): Promise<number> =>
    importStep(q, work, async (tx) => {
      // Taken again with the first rows: should the highest rows have been deleted since the
      // import began, SQLite would give their seq (max + 1) to the import's first rows.
      if (start === 0) await tx.run(sql`UPDATE imports SET indexed_through = (SELECT coalesce(max(seq), 0) FROM recommendations) WHERE id = ${importId}`);
      let created = 0;
      let updated = 0;
      let recognised = 0;
      let filled = 0;
      let sameAs: 'filled' | 'held' | null;
      const at = nowIso();
      const deadline = performance.now() + COMMIT_CHUNK_MS;
      const end = Math.min(start + COMMIT_CHUNK, total);
      let i = start;
      for (; i < end && (i === start || performance.now() < deadline); i++) {
        const index = indexAt(i);
        const { recommendation, reference, action } = rows[index]!;
        const existing = await findBySourceKey(tx, planId, recommendation.sourceKey);
        // Recognised by an earlier import: still that recommendation, held, and nothing filled again.
        const alias = existing ? null : await findByAlias(tx, planId, recommendation.sourceKey);
        if (existing) {
          const merged = mergeIncoming(existing, recommendation);
          let next: StoredFields = { ...merged, reference: merged.reference ?? existing.reference };
          const holder = await idForReference(tx, planId, next.reference);
          if (holder !== null && holder !== existing.id) next = { ...next, reference: existing.reference };
          // An agreed section cites this reference: it stays until a coordinator reopens the section.
          if (next.reference !== existing.reference && (await agreedSectionsCiting(tx, [existing.id])).length > 0) {
            next = { ...next, reference: existing.reference };
          }
          const previous = storedFields(existing);
          if (sameFields(next, previous)) {
            await recordHold(tx, existing.id);
            continue;
          }
          await writeRecommendation(tx, existing.id, next, at);
          await recordChange(tx, existing.id, 'updated', JSON.stringify({ ...previous, updatedAt: existing.updatedAt }), fieldsJson(next));
          updated += 1;
        } else if (alias) {
          await recordHold(tx, alias.id);
          recognised += 1;
        } else if (action === 'unchanged') {
          // The preview found it already in the plan (from another source): it writes nothing, even
          // if the plan's copy changed since (a new row then would duplicate it under a new reference).
          // Still the plan's copy, it is held by this import as well.
          const same = await alreadyInPlan(tx, planId, recommendation);
          if (same) await recordHold(tx, same.id);
          continue;
        } else if ((sameAs = await fillCopy(tx, twins.get(index)?.id, recommendation, at)) !== null) {
          recognised += 1;
          if (sameAs === 'filled') filled += 1;
        } else {
          // The reference chosen at preview time may have been taken since: then it gets a fresh one.
          const ref = (await allocator.isTaken(tx, reference)) ? await allocator.allocate(tx, recommendation) : reference;
          allocator.reserve(ref);
          const id = await insertImportedRecommendation(tx, planId, { ...recommendation, reference: ref }, importId, at, nextId());
          await recordChange(tx, id, 'created', null, null);
          created += 1;
        }
      }
      await tx.run(
        sql`UPDATE imports SET created = created + ${created}, updated = updated + ${updated}, recognised = recognised + ${recognised},
              filled = filled + ${filled} WHERE id = ${importId}`,
      );
      return i;
    });

  /**
   * The row is the plan's recommendation `id` from another source: the copy gets what it lacks
   * (fillIn; recorded, so undo gives it its values back) or, with nothing to add, is held; the
   * row's source key becomes another name of the copy. Null when the copy is gone since.
   */
  async function fillCopy(tx: Sql, id: string | undefined, recommendation: RecommendationInput, at: string): Promise<'filled' | 'held' | null> {
    const copy = id === undefined ? null : await findRecommendation(tx, planId, id);
    if (!copy) return null;
    const previous = storedFields(copy);
    const { fields } = fillIn(previous, recommendation);
    await recordAlias(tx, planId, recommendation.sourceKey, copy.id, importId);
    if (sameFields(fields, previous)) {
      await recordHold(tx, copy.id);
      return 'held';
    }
    await writeRecommendation(tx, copy.id, fields, at);
    await recordChange(tx, copy.id, 'updated', JSON.stringify({ ...previous, updatedAt: copy.updatedAt }), fieldsJson(fields));
    return 'filled';
  }

  return {
    importId,
    owner,
    total,
    writeChunk,
    indexing: () => indexImportedRows(q, work),
    async finish() {
      const done = await q.run(sql`UPDATE imports SET state = 'committed', indexed_through = NULL WHERE id = ${importId} AND ${ownerIs(owner)}`);
      if (done.changes === 0) throw takenOver();
    },
  };
}

/** Rows indexed in the first bulk step; later steps size themselves to COMMIT_CHUNK_MS. */
const FIRST_INDEX_STEP = 200;

/**
 * Writes the full-text index, tags and SDG codes of the rows an import created, in steps of one
 * short transaction each, in seq order (migration 034): its rows above the import's
 * `indexed_through` mark are not indexed yet (and the update and delete triggers leave them
 * alone); each step indexes the next rows and moves the mark in the same transaction. In bulk,
 * one INSERT … SELECT per table and step (recommendationIndex.ts, the same statements that index
 * a row entered by hand), and FTS5 writes one segment per step (SQLite only: PostgreSQL's search
 * column is generated, its tags and SDG codes are written alike). Yields rows indexed so far.
 */
async function* indexImportedRows(q: Sql, work: ImportWork): AsyncGenerator<number, void> {
  const { importId } = work;
  const step = (rows: number): Promise<number> =>
    importStep(q, work, async (tx) => {
      const from = (await tx.row(MarkRow, sql`SELECT indexed_through AS mark FROM imports WHERE id = ${importId}`))?.mark ?? null;
      if (from === null) return 0;
      const next = await tx.theRow(
        StepRow,
        sql`SELECT max(seq) AS "to", count(*) AS n FROM (SELECT seq FROM recommendations WHERE seq > ${from} AND import_id = ${importId} ORDER BY seq LIMIT ${rows}) AS step`,
      );
      if (next.to === null) return 0;
      await indexRecommendationsOn(tx, { from, to: next.to, importId });
      await tx.run(sql`UPDATE imports SET indexed_through = ${next.to} WHERE id = ${importId}`);
      return next.n;
    });
  let rows = FIRST_INDEX_STEP;
  let done = 0;
  for (;;) {
    const started = performance.now();
    const n = await step(rows);
    if (n === 0) return;
    done += n;
    // The next step as large as fits in the time, within reason on a machine that stalled once.
    const took = Math.max(performance.now() - started, 0.1);
    rows = Math.max(20, Math.min(COMMIT_CHUNK * 4, Math.floor((rows * COMMIT_CHUNK_MS) / took)));
    yield done;
  }
}

const MarkRow = rowShape({ mark: col.nullableInt });
const StepRow = rowShape({ to: col.nullableInt, n: col.int });
const IdRow = rowShape({ id: col.text });
/**
 * `previous` is JSON, written for every updated row; `applied` (JSON too) since migration 044, the
 * fields as the import left them.
 */
const UpdatedRow = rowShape({ id: col.text, previous: col.text, applied: col.nullableText });
interface UpdatedChange {
  id: string;
  previous: string;
  applied: string | null;
}

/** The stored fields before an update, and when the recommendation was changed before it. */
function previousOf(change: { previous: string }): { fields: StoredFields; updatedAt: string } {
  const { updatedAt, ...fields } = JSON.parse(change.previous) as StoredFields & { updatedAt: string };
  // Imports recorded before migration 035 kept no kind: everything was a recommendation then.
  return { fields: { ...fields, kind: fields.kind ?? 'recommendation' }, updatedAt };
}

/** The reference a recommendation holds while its undo is under way (reverseImport parks it). */
const parkedReference = (id: string) => `undo:${id}`;

/**
 * The reference undoing an update gives a recommendation whose reference is `now`: the one from
 * before the import while it still holds the import's, else the one someone gave it since (as
 * `undoOf` decides for every field). An update recorded before migration 044 gives the earlier one back.
 */
function referenceAfterUndo(change: { previous: string; applied: string | null }, now: string): string {
  const previous = previousOf(change).fields.reference;
  if (change.applied === null) return previous;
  return now === (JSON.parse(change.applied) as StoredFields).reference ? previous : now;
}

/** What undoing one update writes over the recommendation, and which later edits it keeps. */
interface UndoneUpdate {
  fields: StoredFields;
  updatedAt: string;
  keptEdits: Array<keyof StoredFields>;
  /** False when the recommendation already holds `fields`: nothing to write. */
  write: boolean;
}

/**
 * What undoing an import's update of one recommendation gives back (undoFields.ts): only what the
 * import changed and what still holds the import's value. Untouched since, the recommendation is
 * exactly as before the import, its time of change included; edited since, it keeps the edits and
 * is changed now. An update recorded before migration 044 knows nothing of what it wrote: its
 * earlier fields come back whole, as they always did. Null when the recommendation is gone.
 */
async function undoOf(q: Sql, change: UpdatedChange): Promise<UndoneUpdate | null> {
  const previous = previousOf(change);
  if (change.applied === null) return { ...previous, keptEdits: [], write: true };
  const stored = await storedFieldsById(q, change.id);
  if (stored === null) return null;
  const applied = JSON.parse(change.applied) as StoredFields;
  // Parked by this undo (reverseImport): it held the import's reference then.
  const parked = stored.reference === parkedReference(change.id);
  const current = parked ? { ...stored, reference: applied.reference } : stored;
  const undone = restoration(previous.fields, applied, current);
  if (!undone.editedSince) return { ...previous, keptEdits: [], write: true };
  return { fields: undone.fields, updatedAt: nowIso(), keptEdits: undone.keptEdits, write: parked || !sameFields(undone.fields, current) };
}

/** Recommendations whose later edits an undo kept (UndoImportResult.keptEdits). */
export interface KeptEdits {
  count: number;
  /** The first KEPT_LISTED by reference, each with the fields that kept their edit. */
  recommendations: UndoImportResult['keptEditRecommendations'];
}

const ReferenceRow = rowShape({ reference: col.text });
const currentReference = async (q: Sql, id: string) => (await q.row(ReferenceRow, sql`SELECT reference FROM recommendations WHERE id = ${id}`))?.reference;

/**
 * Reverses what an import wrote, one short transaction per step (an async generator: the caller
 * decides whether to yield to the event loop between steps, or, at start-up, not). Created rows go
 * first, but those an undo's checks kept
 * (hidden already while the import is 'committing' or 'undoing'; deleting one deletes its change
 * row, so each step simply takes the next ones); then updated rows get their earlier fields back,
 * in recommendation id order. References the import changed are parked first, in one step: two
 * rows whose references the import swapped would otherwise collide on the unique index half way.
 */
async function* reverseImport(q: Sql, work: ImportWork, keptEdits: KeptEdits = { count: 0, recommendations: [] }): AsyncGenerator<number, void> {
  const { importId } = work;
  let done = 0;
  for (;;) {
    const deleted = await importStep(q, work, async (tx) => {
      // Rows the undo's checks kept (something still relies on them) stay, with their change row.
      const batch = await tx.rows(
        IdRow,
        sql`SELECT recommendation_id AS id FROM import_changes WHERE import_id = ${importId} AND kind = 'created' AND kept_because IS NULL
             ORDER BY recommendation_id LIMIT ${COMMIT_CHUNK}`,
      );
      const deadline = performance.now() + COMMIT_CHUNK_MS;
      let n = 0;
      // Always at least one row per step, then as many as fit in the time.
      for (; n < batch.length && (n === 0 || performance.now() < deadline); n++) await tx.run(sql`DELETE FROM recommendations WHERE id = ${batch[n]!.id}`);
      return n;
    });
    if (deleted === 0) break;
    done += deleted;
    yield done;
  }

  await importStep(q, work, async (tx) => {
    // The rows it recognised are no longer other names of the plan's copies: importing that
    // source again offers them afresh. (A copy deleted since took its alias with it.)
    await dropAliases(tx, importId);
    const updates = await tx.rows(
      UpdatedRow,
      sql`SELECT recommendation_id AS id, previous, applied FROM import_changes WHERE import_id = ${importId} AND kind = 'updated' ORDER BY recommendation_id`,
    );
    for (const u of updates) {
      const now = await currentReference(tx, u.id);
      // Already parked: a process that stopped half way through this undo did so.
      if (now !== undefined && now !== parkedReference(u.id) && now !== referenceAfterUndo(u, now)) {
        await tx.run(sql`UPDATE recommendations SET reference = ${parkedReference(u.id)} WHERE id = ${u.id}`);
      }
    }
  });
  yield done;

  let after = '';
  for (;;) {
    const restored = await importStep(q, work, async (tx) => {
      const batch = await tx.rows(
        UpdatedRow,
        sql`SELECT recommendation_id AS id, previous, applied FROM import_changes
             WHERE import_id = ${importId} AND kind = 'updated' AND recommendation_id > ${after} ORDER BY recommendation_id LIMIT ${COMMIT_CHUNK}`,
      );
      const deadline = performance.now() + COMMIT_CHUNK_MS;
      let n = 0;
      for (; n < batch.length && (n === 0 || performance.now() < deadline); n++) {
        const u = batch[n]!;
        after = u.id;
        const undone = await undoOf(tx, u);
        if (undone === null) continue;
        if (undone.write) await writeRecommendation(tx, u.id, undone.fields, undone.updatedAt);
        if (undone.keptEdits.length > 0) {
          keptEdits.count += 1;
          keptEdits.recommendations.push({ id: u.id, reference: undone.fields.reference, fields: undone.keptEdits });
        }
      }
      return n;
    });
    if (restored === 0) break;
    done += restored;
    yield done;
  }
}

/** Runs an import's steps, pausing between them (`pause`: giveWay, or nothing at start-up or inside one transaction). */
async function runSteps(steps: AsyncGenerator<number, void>, pause: () => Promise<void>, onStep?: (done: number) => void): Promise<void> {
  for (let step = await steps.next(); !step.done; step = await steps.next()) {
    onStep?.(step.value);
    await pause();
  }
}

const ChangeRow = rowShape({ id: col.text, kind: col.text, previous: col.nullableText, applied: col.nullableText });
const HoldRow = rowShape({
  id: col.text,
  reference: col.text,
  import: col.int,
  actions: col.int,
  group: col.int,
  assessment: col.int,
  edited: col.int,
});
const REASONS = ['import', 'actions', 'group', 'assessment', 'edited'] as const satisfies readonly KeptReason[];

/**
 * What still relies on each of these recommendations, besides the import being undone (which is
 * 'undoing', so not counted): another import in effect that holds it (its row found it already in
 * the plan) or changed it; an action linked to it (also in a section in the bin, which may come
 * back); a confirmed group (a proposed one is Accord's guess, not anyone's work); a monitoring
 * assessment; an edit by hand since it was written (a row is written with created_at =
 * updated_at, and every later write moves updated_at). Ids not in the plan any more are left out.
 */
async function holdsOn(q: Sql, ids: readonly string[]): Promise<Array<{ id: string; reference: string; reasons: KeptReason[] }>> {
  if (ids.length === 0) return [];
  const rows = await q.rows(
    HoldRow,
    sql`SELECT r.id, r.reference,
         ${flag(sql`EXISTS (SELECT 1 FROM import_holds h JOIN imports i ON i.id = h.import_id
                   WHERE h.recommendation_id = r.id AND i.state = 'committed')
          OR EXISTS (SELECT 1 FROM import_changes c JOIN imports i ON i.id = c.import_id
                      WHERE c.recommendation_id = r.id AND c.kind = 'updated' AND i.state = 'committed')`)} AS "import",
         ${flag(sql`EXISTS (SELECT 1 FROM action_recommendations ar WHERE ar.recommendation_id = r.id)`)} AS actions,
         ${flag(sql`EXISTS (SELECT 1 FROM recommendation_group_members m JOIN recommendation_groups g ON g.id = m.group_id
                  WHERE m.recommendation_id = r.id AND g.status = 'confirmed')`)} AS "group",
         ${flag(sql`EXISTS (SELECT 1 FROM assessments a WHERE a.target_type = 'recommendation' AND a.target_id = r.id)`)} AS assessment,
         ${flag(sql`r.updated_at <> r.created_at`)} AS edited
       FROM recommendations r WHERE r.id IN (${sql.join(ids)}) ORDER BY r.sort_key, r.id`,
  );
  return rows.map((r) => ({ id: r.id, reference: r.reference, reasons: REASONS.filter((reason) => r[reason] === 1) }));
}

/** What an undo kept and why, as its answer says it (UndoImportResult). */
export interface KeptSummary {
  keptRecommendations: UndoImportResult['keptRecommendations'];
  keptByReason: UndoImportResult['keptByReason'];
  heldBy: string[];
}

/**
 * What undoing an import would break, checked in short steps of COMMIT_CHUNK changed rows (the
 * import is already 'undoing', so nobody links its created rows or commits meanwhile): refused
 * when a later import changed the same recommendations, or when an agreed section cites one whose
 * earlier reference it would give back. A created recommendation something still relies on
 * (holdsOn: a later import found it already in the plan, an action cites it, it is grouped,
 * assessed or edited) is marked kept, with its reasons, and is not deleted: undoing a file takes
 * back what the file brought, not what people and other files have built on since. Then marks the
 * checks passed. Returns what was kept and why.
 */
async function checkUndo(q: Sql, record: ImportRecord, work: ImportWork & { owner: string | null }): Promise<KeptSummary> {
  const { importId, owner } = work;
  const agreed = new Map<string, { title: string; references: string[] }>();
  const kept: KeptSummary = {
    keptRecommendations: [],
    keptByReason: { import: 0, actions: 0, group: 0, assessment: 0, edited: 0 },
    heldBy: [],
  };
  const step = (after: string): Promise<string | null> =>
    importStep(q, work, async (tx) => {
      const changes = await tx.rows(
        ChangeRow,
        sql`SELECT recommendation_id AS id, kind, previous, applied FROM import_changes
             WHERE import_id = ${importId} AND recommendation_id > ${after} ORDER BY recommendation_id LIMIT ${COMMIT_CHUNK}`,
      );
      if (changes.length === 0) return null;
      // Later: made after this one (ties of time by id, as the list of imports orders them).
      const later = await tx.row(
        FilenameRow,
        sql`SELECT i.filename FROM import_changes other JOIN imports i ON i.id = other.import_id
             WHERE other.recommendation_id IN (${sql.join(changes.map((c) => c.id))}) AND other.import_id <> ${importId} AND i.undone_at IS NULL
               AND (i.created_at, i.id) > (SELECT created_at, id FROM imports WHERE id = ${importId})
             LIMIT 1`,
      );
      if (later !== undefined) {
        throw conflict('import_superseded', `A later import (${later.filename}) changed the same recommendations. Undo that import first.`);
      }
      const created = changes.filter((c) => c.kind === 'created').map((c) => c.id);
      const held = (await holdsOn(tx, created)).filter((h) => h.reasons.length > 0);
      for (const h of held) {
        await tx.run(sql`UPDATE import_changes SET kept_because = ${JSON.stringify(h.reasons)} WHERE import_id = ${importId} AND recommendation_id = ${h.id}`);
        for (const reason of h.reasons) kept.keptByReason[reason] += 1;
        kept.keptRecommendations.push(h);
      }
      const heldByImports = held.filter((h) => h.reasons.includes('import')).map((h) => h.id);
      if (heldByImports.length > 0) {
        const holders = await tx.rows(
          FilenameRow,
          sql`SELECT i.filename FROM import_holds h JOIN imports i ON i.id = h.import_id
               WHERE h.recommendation_id IN (${sql.join(heldByImports)}) AND i.state = 'committed'
               GROUP BY i.id, i.filename, i.created_at ORDER BY i.created_at, i.id`,
        );
        for (const { filename } of holders) if (!kept.heldBy.includes(filename)) kept.heldBy.push(filename);
      }
      // Agreed sections cite the references of linked recommendations: a created one they cite is
      // linked, so kept; undoing may not give one they cite its earlier reference back (a reference
      // someone changed since the import stays, so that undo changes nothing they cite).
      const referenceChanges: string[] = [];
      for (const c of changes) {
        if (c.kind !== 'updated' || c.previous === null) continue;
        const now = await currentReference(tx, c.id);
        if (now !== undefined && now !== referenceAfterUndo({ previous: c.previous, applied: c.applied }, now)) referenceChanges.push(c.id);
      }
      for (const s of await agreedSectionsCiting(tx, referenceChanges)) {
        const entry = agreed.get(s.id) ?? { title: s.title, references: [] };
        for (const r of s.references) if (!entry.references.includes(r)) entry.references.push(r);
        agreed.set(s.id, entry);
      }
      return changes.at(-1)!.id;
    });
  for (let after: string | null = ''; after !== null; ) {
    after = await step(after);
    if (after !== null) await giveWay(q.source);
  }
  refuseChangingAgreedSections([...agreed.values()], `Undoing the import of ${record.filename}`);
  // Only while the undo is still this process's: one that took it over meanwhile set it back.
  const checked = await q.run(sql`UPDATE imports SET undo_checked_at = ${nowIso()} WHERE id = ${importId} AND ${ownerIs(owner)} AND state = 'undoing'`);
  if (checked.changes === 0) throw takenOver();
  kept.keptRecommendations.sort((a, b) => (naturalKey(a.reference) < naturalKey(b.reference) ? -1 : 1));
  kept.keptRecommendations = kept.keptRecommendations.slice(0, KEPT_LISTED);
  return kept;
}

/**
 * After an import is undone: the recommendations it held (found already in the plan) or changed
 * that an earlier import's undo kept for it, and that nothing relies on any more (holdsOn), are
 * deleted, as that earlier undo would have deleted them. Recommendations entered by hand or
 * created by an import in effect are never touched. One short transaction per step; yields rows
 * deleted so far.
 */
async function* releaseHolds(q: Sql, work: ImportWork): AsyncGenerator<number, void> {
  const { importId } = work;
  let done = 0;
  let after = '';
  for (;;) {
    const n = await importStep(q, work, async (tx): Promise<number | null> => {
      const ids = (
        await tx.rows(
          IdRow,
          sql`SELECT id FROM (
                SELECT recommendation_id AS id FROM import_holds WHERE import_id = ${importId}
                UNION SELECT recommendation_id FROM import_changes WHERE import_id = ${importId} AND kind = 'updated') AS held
               WHERE id > ${after} ORDER BY id LIMIT ${COMMIT_CHUNK}`,
        )
      ).map((r) => r.id);
      if (ids.length === 0) return null;
      after = ids.at(-1)!;
      // Kept by an undone import's undo: its creating change row is still there, marked kept.
      const candidates = (
        await tx.rows(
          IdRow,
          sql`SELECT c.recommendation_id AS id FROM import_changes c JOIN imports i ON i.id = c.import_id
               WHERE c.recommendation_id IN (${sql.join(ids)}) AND c.kind = 'created'
                 AND c.kept_because IS NOT NULL AND i.state = 'undone' ORDER BY c.recommendation_id`,
        )
      ).map((r) => r.id);
      // Locked before they are looked at, as a deletion by hand locks its row: on PostgreSQL a link
      // being made to one meanwhile is waited for, and then seen.
      await lockRowsForDeletion(tx, 'recommendations', candidates);
      let deleted = 0;
      for (const h of await holdsOn(tx, candidates)) {
        if (h.reasons.length > 0) continue;
        await tx.run(sql`DELETE FROM recommendations WHERE id = ${h.id}`);
        deleted += 1;
      }
      return deleted;
    });
    if (n === null) return;
    done += n;
    yield done;
  }
}

export interface UndoOptions {
  /** Called after each step with rows reversed so far and the import's total. */
  onProgress?: (done: number, total: number) => void;
  /** The process running the undo (server/ownership/owners.ts); absent, none is named. */
  owner?: string;
}

/**
 * Reverses an import: deletes the recommendations it created and gives the ones it updated or
 * filled in their earlier fields back, in short transactions like the commit; only the fields it
 * changed that nobody edited since (undoOf): an edit made after the import stays, and the answer
 * counts the recommendations that kept one (keptEdits). A created recommendation something
 * still relies on is kept (checkUndo: a later import holds it, an action cites it, it is grouped,
 * assessed or edited since), and one an earlier undo kept only for this import is now deleted
 * (releaseHolds). Every check runs first, in one transaction that also marks the import 'undoing':
 * from then on its created rows are hidden from readers (they disappear at once, then are deleted
 * chunk by chunk; kept ones reappear at the end), and no other commit or undo runs in the plan.
 * Refused when already undone, while busy, or when a later import changed the same
 * recommendations (undo that one first). Returns the record and what was kept and released.
 */
export async function undoImport(q: Sql, planId: string, importId: string, options: UndoOptions = {}): Promise<UndoImportResult> {
  // First, in one short transaction: the import may be undone now, and it becomes 'undoing' (its
  // created rows hidden, no other commit or undo in the plan). Then the checks of every row run
  // in short steps; should one refuse, the import is 'committed' again, as it was.
  const owner = options.owner ?? null;
  const work = { planId, importId, owner };
  const record = await q.transaction(async (tx) => {
    await lockPlanRecommendations(tx, planId);
    const record = await importRecord(tx, planId, importId);
    if (!record) throw notFound('import');
    if (record.undoneAt !== null) throw conflict('import_already_undone', 'This import has already been undone.');
    await refuseWhileBusy(tx, planId);
    await tx.run(sql`UPDATE imports SET state = 'undoing', owner = ${owner} WHERE id = ${importId} AND state = 'committed'`);
    return record;
  });
  let kept: KeptSummary;
  try {
    kept = await checkUndo(q, record, work);
  } catch (err) {
    await restoreCommitted(q, work).catch((failed: unknown) => {
      if (!isTakenOver(failed)) throw failed;
    });
    throw err;
  }
  const total = record.created + record.updated + record.filled;
  const keptEdits: KeptEdits = { count: 0, recommendations: [] };
  await runSteps(reverseImport(q, work, keptEdits), () => giveWay(q.source), (done) => options.onProgress?.(Math.min(done, total), total));
  let released = 0;
  await runSteps(releaseHolds(q, work), () => giveWay(q.source), (n) => (released = n));
  const undone = await q.run(sql`UPDATE imports SET state = 'undone', undone_at = ${nowIso()} WHERE id = ${importId} AND ${ownerIs(owner)}`);
  if (undone.changes === 0) throw takenOver();
  options.onProgress?.(total, total);
  await refreshStatistics(q);
  const keptEditRecommendations = keptEdits.recommendations
    .sort((a, b) => (naturalKey(a.reference) < naturalKey(b.reference) ? -1 : 1))
    .slice(0, KEPT_LISTED);
  return { ...(await importRecord(q, planId, importId))!, ...kept, released, keptEdits: keptEdits.count, keptEditRecommendations };
}

/**
 * An undo refused or stopped while checking changed nothing: the import is as it was. Only by the
 * undo's owner (`work.owner`; undefined: whoever it is, at recovery), else `import_taken_over`: a
 * process that took the undo over has set it back already, or is finishing it.
 */
async function restoreCommitted(q: Sql, work: ImportWork): Promise<void> {
  await importStep(q, work, async (tx) => {
    await tx.run(sql`UPDATE import_changes SET kept_because = NULL WHERE import_id = ${work.importId} AND kept_because IS NOT NULL`);
    await tx.run(sql`UPDATE imports SET state = 'committed', undo_checked_at = NULL WHERE id = ${work.importId}`);
  });
}

/** An import a process was writing or undoing, and the process. */
export interface BusyImport {
  id: string;
  planId: string;
  state: 'committing' | 'undoing';
  owner: string | null;
}

const BusyImportRow = rowShape({ id: col.text, planId: col.text, state: col.text, owner: col.nullableText });

/** Imports being committed or undone now, or left so by a process that stopped. */
export async function busyImports(q: Sql): Promise<BusyImport[]> {
  const rows = await q.rows(BusyImportRow, sql`SELECT id, plan_id AS "planId", state, owner FROM imports WHERE state IN ('committing', 'undoing') ORDER BY created_at, id`);
  return rows.map((r) => ({ id: r.id, planId: r.planId, state: r.state === 'undoing' ? 'undoing' : 'committing', owner: r.owner }));
}

const CheckedRow = rowShape({ checkedAt: col.nullableText });

/**
 * Imports a stopped process left half done, finished before anyone sees them: a commit is
 * reversed and its record removed (as a failed commit is); an undo is set back if it stopped while
 * still checking (it changed nothing), else undone to the end, releasing what it held. At start-up,
 * every busy import (`which` absent: a process on its own); with other processes running, only
 * those whose owner has stopped (server/ownership/abandonedWork.ts), each first claimed for `claimFor`
 * in one statement from the owner it was found with, so two processes never both take the same
 * one, and its old owner, should it be alive after all, stops at its next step (importStep); the
 * claimer's own steps check it is still theirs. Runs without pausing. Returns the ids of the
 * imports recovered.
 */
export async function recoverInterruptedImports(q: Sql, which?: BusyImport[], claimFor: string | null = null): Promise<string[]> {
  const recovered: string[] = [];
  for (const { id, planId, state, owner } of which ?? (await busyImports(q))) {
    if (claimFor !== null) {
      const claimed = await q.run(sql`UPDATE imports SET owner = ${claimFor} WHERE id = ${id} AND ${ownerIs(owner)} AND state = ${state}`);
      if (claimed.changes === 0) continue;
    }
    const work: ImportWork = { planId, importId: id, owner: claimFor ?? undefined };
    try {
      await finishAbandoned(q, work, state);
    } catch (err) {
      // Claimed from this process in turn (its heartbeat ran out meanwhile): the claimer finishes it.
      if (isTakenOver(err)) continue;
      throw err;
    }
    recovered.push(id);
  }
  if (recovered.length > 0) await refreshStatistics(q);
  return recovered;
}

async function finishAbandoned(q: Sql, work: ImportWork, state: BusyImport['state']): Promise<void> {
  const checked = (await q.row(CheckedRow, sql`SELECT undo_checked_at AS "checkedAt" FROM imports WHERE id = ${work.importId}`))?.checkedAt != null;
  if (state === 'undoing' && !checked) {
    // An undo stopped while still checking changed nothing: the import stays as it was.
    await restoreCommitted(q, work);
    return;
  }
  await runSteps(reverseImport(q, work), async () => {});
  if (state === 'undoing') await runSteps(releaseHolds(q, work), async () => {});
  await importStep(q, work, (tx) =>
    state === 'committing'
      ? tx.run(sql`DELETE FROM imports WHERE id = ${work.importId}`)
      : tx.run(sql`UPDATE imports SET state = 'undone', undone_at = ${nowIso()} WHERE id = ${work.importId}`),
  );
}
