/**
 * Re-importing the implementation matrix (issue #19): an edited linked-tables file creates and
 * updates the plan's actions, indicators and links to recommendations, matched by their ids. The
 * same three steps as a recommendation import (services/imports.ts): a preview says what would be
 * created, updated, left unchanged or unlinked, and every cell that cannot be used, with its row and
 * column; a commit writes it; an undo gives back what the import changed and nobody edited since.
 *
 * Writes go through the action and indicator services, so every change is checked as a change made
 * by hand is (agreed sections, organisations, timelines) and recorded in the items' history in the
 * importer's name. A row whose values are the plan's is not touched: no write, no history entry.
 * A file with any error is not committed at all: the tables refer to each other (an indicator to a
 * new action), and a half-applied matrix would be harder to put right than a file.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { col, rowShape } from '../db/rows.ts';
import { lockRowsForChange } from '../db/sql/locks.ts';
import type { Sql } from '../db/sql/Sql.ts';
import { conflict, HttpError, notFound } from '../errors.ts';
import { newId, nowIso } from '../ids.ts';
import { createAction, deleteAction, getAction, updateAction } from './actions.ts';
import { addIndicator, deleteIndicator, findIndicator, updateIndicator } from './indicators.ts';
import type { Actor } from './history.ts';
import { ImportPreviewStore, PREVIEW_TTL_MS, type PreviewStore } from './imports.ts';
import { actionChanges, type ActionPlan, indicatorChanges, type IndicatorPlan, planFromFile, previewRows, sameActionValue, sameIndicatorValue } from './matrixMatching.ts';
import { type CreatedChange, createdFields, keptOnUndo } from './matrixUndoKeeps.ts';
import { restoreFields } from './undoFields.ts';
import type { MatrixFile } from '../import/matrixWorkbook.ts';
import {
  type Action,
  type ActionUpdate,
  type Indicator,
  type IndicatorInput,
  MATRIX_KEPT_LISTED,
  type MatrixChange,
  type MatrixImportPreview,
  type MatrixImportRecord,
  MatrixImportRecordSchema,
  type MatrixKeptEdit,
  type MatrixKeptItem,
  type MatrixKeptReason,
  MatrixKeptReasonSchema,
  type MatrixSheet,
  type MatrixUndoResult,
} from '../../shared/api/index.ts';


// ---- Previews waiting for their commit ---------------------------------------------------------

export interface StoredMatrixPreview {
  previewId: string;
  preview: MatrixImportPreview;
  actions: ActionPlan[];
  indicators: IndicatorPlan[];
}

/** Previews waiting for their commit, one per person and plan, as for recommendation imports. */
export const matrixPreviews = new ImportPreviewStore<StoredMatrixPreview>(PREVIEW_TTL_MS);

// ---- Preview -----------------------------------------------------------------------------------

/** Reads the file against the plan, as it is at one moment, and keeps the result for the person's commit. */
export async function previewMatrixImport(
  q: Sql,
  planId: string,
  userId: string,
  file: MatrixFile,
  filename: string,
  store: PreviewStore<StoredMatrixPreview> = matrixPreviews,
): Promise<MatrixImportPreview> {
  const { actions, indicators, errors } = await q.transaction((tx) => planFromFile(tx, planId, file), { snapshot: true });
  const rows = previewRows(file, actions, indicators);
  const count = (sheet: MatrixSheet) => {
    const of = rows.filter((r) => r.sheet === sheet);
    const n = (c: MatrixChange) => of.filter((r) => r.change === c).length;
    return { create: n('create'), update: n('update'), unchanged: n('unchanged'), remove: n('remove') };
  };
  const preview: MatrixImportPreview = {
    previewId: randomBytes(16).toString('base64url'),
    filename,
    format: file.format,
    counts: { actions: count('actions'), indicators: count('indicators'), links: count('links'), errors: errors.length },
    rows,
    errors,
  };
  await store.put(planId, userId, { previewId: preview.previewId, preview, actions, indicators });
  return preview;
}

// ---- Commit ------------------------------------------------------------------------------------

const IMPORT_COLUMNS = sql`i.id, i.filename, u.name AS "createdBy", i.created_at AS "createdAt", i.created, i.updated, i.undone_at AS "undoneAt"`;

/** A plan's matrix imports, newest first (ties of time by id). */
export function listMatrixImports(q: Sql, planId: string): Promise<MatrixImportRecord[]> {
  return q.rows(
    MatrixImportRecordSchema,
    sql`SELECT ${IMPORT_COLUMNS} FROM matrix_imports i JOIN users u ON u.id = i.created_by WHERE i.plan_id = ${planId} ORDER BY i.created_at DESC, i.id DESC`,
  );
}

async function matrixImport(q: Sql, planId: string, importId: string): Promise<MatrixImportRecord | null> {
  return (await q.row(MatrixImportRecordSchema, sql`SELECT ${IMPORT_COLUMNS} FROM matrix_imports i JOIN users u ON u.id = i.created_by WHERE i.id = ${importId} AND i.plan_id = ${planId}`)) ?? null;
}

/**
 * Only the fields `changes` names, as they are in `current`: before the update, what undo gives
 * back (`previous`); after it, what the import wrote (`applied`, as the service stored it).
 */
const fieldsOf = <T extends object>(current: T, changes: object): Partial<T> =>
  Object.fromEntries(Object.keys(changes).map((k) => [k, current[k as keyof T]])) as Partial<T>;

/**
 * Writes a preview in one transaction (a plan's matrix is hundreds of rows, milliseconds of work),
 * comparing each row again with the plan as it is now, so what someone changed since the preview
 * and the file did not is kept. Returns the record and the sections whose actions changed. On
 * PostgreSQL the sections it writes in are locked first, in id order (locks.ts), as one edit locks
 * its section: two imports, or an import and a move, cannot each hold a section the other waits for.
 */
export async function commitMatrixImport(
  q: Sql,
  planId: string,
  who: Actor,
  previewId: string,
  store: PreviewStore<StoredMatrixPreview> = matrixPreviews,
): Promise<{ record: MatrixImportRecord; sections: Array<{ sectionId: string; linksChanged: boolean }> }> {
  const stored = await store.take(planId, who.principal.userId, previewId);
  if (!stored) {
    throw new HttpError(404, 'preview_not_found', 'This import preview is no longer available (it was already imported, or more than 30 minutes have passed). Upload the file again.');
  }
  if (stored.preview.errors.length > 0) {
    throw conflict('matrix_has_errors', `The file has ${stored.preview.errors.length} errors; correct them and upload it again.`, { n: stored.preview.errors.length });
  }
  return q.transaction(async (tx) => {
    await lockRowsForChange(tx, 'sections', stored.actions.flatMap((a) => a.existing?.sectionId ?? a.sectionId ?? []));
    const importId = newId();
    await tx.run(
      sql`INSERT INTO matrix_imports (id, plan_id, filename, created_by, created_at)
          VALUES (${importId}, ${planId}, ${stored.preview.filename}, ${who.principal.userId}, ${nowIso()})`,
    );
    let seq = 0;
    // An update records the fields before (`previous`) and as the import left them (`applied`):
    // undoing it gives back only what still holds the import's value (undoMatrixImport). A created
    // item records its fields as the import left them in `applied`: undo keeps it when they differ
    // since (matrixUndoKeeps.ts).
    const record = (item: 'action' | 'indicator', itemId: string, kind: 'created' | 'updated', previous: string | null, applied: string) =>
      tx.run(
        sql`INSERT INTO matrix_import_changes (import_id, seq, item, item_id, kind, previous, applied)
            VALUES (${importId}, ${seq++}, ${item}, ${itemId}, ${kind}, ${previous}, ${applied})`,
      );
    const sections = new Map<string, boolean>();
    const touched = (sectionId: string, links: boolean) => sections.set(sectionId, (sections.get(sectionId) ?? false) || links);
    let created = 0;
    let updated = 0;
    const idOfKey = new Map<string, string>();

    for (const a of stored.actions) {
      if (!a.existing) {
        const { title, ...rest } = a.update;
        const action = await createAction(tx, planId, a.sectionId!, who, { description: '', leadAgencyId: null, coImplementerIds: [], civilSocietyPartnerIds: [], start: null, end: null, status: 'planned', budgetAmount: null, currency: null, fundingSource: null, recommendationIds: [], ...rest, title: title! });
        idOfKey.set(a.key, action.id);
        await record('action', action.id, 'created', null, createdFields({ kind: 'action', action }));
        touched(action.sectionId, action.recommendationIds.length > 0);
        created += 1;
        continue;
      }
      idOfKey.set(a.key, a.existing.id);
      const current = await getAction(tx, planId, a.existing.id);
      const changes = actionChanges(current, a.update);
      if (Object.keys(changes).length === 0) continue;
      const { action } = await updateAction(tx, planId, current.id, who, changes);
      await record('action', current.id, 'updated', JSON.stringify(fieldsOf(current, changes)), JSON.stringify(fieldsOf(action, changes)));
      touched(current.sectionId, changes.recommendationIds !== undefined);
      updated += 1;
    }

    for (const i of stored.indicators) {
      const actionId = idOfKey.get(i.actionKey)!;
      if (!i.existing) {
        const { indicator, sectionId } = await addIndicator(tx, planId, actionId, who, {
          unit: null, baselineValue: null, baselineYear: null, targetValue: null, targetYear: null, dataSource: null, frequency: null, disaggregation: [],
          ...i.input,
          type: i.input.type!,
          description: i.input.description!,
          proposedByOrganisationId: who.principal.organisationId,
        });
        await record('indicator', indicator.id, 'created', null, createdFields({ kind: 'indicator', indicator }));
        touched(sectionId, false);
        created += 1;
        continue;
      }
      const current = (await getAction(tx, planId, actionId)).indicators.find((x) => x.id === i.existing!.id);
      if (!current) continue;
      const changes = indicatorChanges(current, i.input);
      if (Object.keys(changes).length === 0) continue;
      const { indicator, sectionId } = await updateIndicator(tx, planId, current.id, who, changes);
      await record('indicator', current.id, 'updated', JSON.stringify(fieldsOf(current, changes)), JSON.stringify(fieldsOf(indicator, changes)));
      touched(sectionId, false);
      updated += 1;
    }
    await tx.run(sql`UPDATE matrix_imports SET created = ${created}, updated = ${updated} WHERE id = ${importId}`);
    return { record: (await matrixImport(tx, planId, importId))!, sections: [...sections].map(([sectionId, linksChanged]) => ({ sectionId, linksChanged })) };
  });
}

// ---- Undo --------------------------------------------------------------------------------------

/**
 * `previous` is JSON for every update: the fields it changed, as they were before it; `applied`
 * (JSON too, since migration 045) the same fields as the import left them.
 */
const ChangeRow = rowShape({ item: col.text, itemId: col.text, kind: col.text, previous: col.nullableText, applied: col.nullableText });
const ItemSection = rowShape({ sectionId: col.text });
const Filename = rowShape({ filename: col.text });

/** What undoing one update writes over its action or indicator, and which later edits it keeps. */
interface UndoneUpdate<U> {
  /** The fields that get their value from before the import back (none: nothing to write). */
  write: Partial<U>;
  keptEdits: Array<keyof U>;
}

/**
 * What undoing an import's update of one action or indicator gives back (undoFields.ts): each field
 * it changed that still holds the import's value gets its earlier one; a field someone edited since
 * keeps the edit. An update recorded before migration 045 knows nothing of what it wrote: its
 * earlier fields come back whole, as they always did.
 */
function undoOfUpdate<U extends object>(
  change: { previous: string | null; applied: string | null },
  current: Partial<U>,
  same: (k: keyof U, a: unknown, b: unknown) => boolean,
): UndoneUpdate<U> {
  const previous = JSON.parse(change.previous!) as Partial<U>;
  if (change.applied === null) return { write: previous, keptEdits: [] };
  const applied = JSON.parse(change.applied) as Partial<U>;
  const keys = Object.keys(previous) as Array<keyof U>;
  const now = fieldsOf(current, previous);
  const sameIn = (a: Partial<U>, b: Partial<U>, k: keyof U) => same(k, a[k], b[k]);
  const undone = restoreFields(previous, applied, now, keys, sameIn);
  // Only the fields the undo gives back are written: the service records just those in the history.
  const write = Object.fromEntries(keys.filter((k) => !sameIn(undone.fields, now, k)).map((k) => [k, undone.fields[k]])) as Partial<U>;
  return { write, keptEdits: undone.keptEdits };
}

const wrote = (fields: object) => Object.keys(fields).length > 0;

/**
 * The actions and indicators an import created that still exist, as they are now, and of them
 * those people built on since, with why (matrixUndoKeeps.ts): an undo keeps them.
 */
async function keptCreated(
  q: Sql,
  planId: string,
  changes: ReadonlyArray<{ item: string; itemId: string; kind: string; applied: string | null }>,
): Promise<Map<string, MatrixKeptReason[]>> {
  const created = changes.filter((c) => c.kind === 'created');
  const live = async <T>(find: Promise<T>): Promise<T | null> => {
    try {
      return await find;
    } catch (err) {
      if (err instanceof HttpError && err.status === 404) return null; // deleted since, or in the bin
      throw err;
    }
  };
  const actions: CreatedChange<Action>[] = [];
  const indicators: CreatedChange<Indicator>[] = [];
  for (const c of created) {
    if (c.item === 'action') actions.push({ itemId: c.itemId, applied: c.applied, now: await live(getAction(q, planId, c.itemId)) });
    else indicators.push({ itemId: c.itemId, applied: c.applied, now: await live(findIndicator(q, planId, c.itemId)) });
  }
  return keptOnUndo(q, actions, indicators);
}

/**
 * Gives back what an import changed, newest change first: indicators and actions it created are
 * deleted (one already deleted is skipped), except those people built on since, which are kept
 * with their reasons (keptCreated); of the fields it updated, those that still hold the
 * import's value get their earlier values, and those someone edited since keep the edit (the answer
 * counts and names the items that kept one). Each step goes through the services, so it is checked
 * (an agreed section refuses it all) and recorded; an item with nothing to give back is not written.
 * Refused when a later import changed the same items: undo that one first. On PostgreSQL the
 * import's row and then the sections it wrote in are locked first, so two undos of one import take
 * turns (the second is told it is undone) and no section is waited for in two orders.
 */
export function undoMatrixImport(q: Sql, planId: string, importId: string, who: Actor): Promise<{ record: MatrixUndoResult; sections: Array<{ sectionId: string; linksChanged: boolean }> }> {
  return q.transaction(async (tx) => {
    await lockRowsForChange(tx, 'matrix_imports', [importId]);
    const rec = await matrixImport(tx, planId, importId);
    if (!rec) throw notFound('import');
    if (rec.undoneAt !== null) throw conflict('import_already_undone', 'This import has already been undone.');
    // Later: made after this one (ties of time by id, as the list orders them).
    const later = await tx.row(
      Filename,
      sql`SELECT i.filename FROM matrix_import_changes mine
           JOIN matrix_import_changes other ON other.item_id = mine.item_id AND other.import_id <> mine.import_id
           JOIN matrix_imports i ON i.id = other.import_id
          WHERE mine.import_id = ${importId} AND i.undone_at IS NULL
            AND (i.created_at, i.id) > (SELECT created_at, id FROM matrix_imports WHERE id = ${importId})
          LIMIT 1`,
    );
    if (later !== undefined) throw conflict('import_superseded', `A later import (${later.filename}) changed the same actions or indicators. Undo that import first.`);
    const touched = await tx.rows(
      ItemSection,
      sql`SELECT a.section_id AS "sectionId" FROM matrix_import_changes c JOIN actions a ON a.id = c.item_id WHERE c.import_id = ${importId} AND c.item = 'action'
          UNION SELECT a.section_id FROM matrix_import_changes c JOIN indicators i ON i.id = c.item_id JOIN actions a ON a.id = i.action_id
           WHERE c.import_id = ${importId} AND c.item = 'indicator'`,
    );
    await lockRowsForChange(tx, 'sections', touched.map((t) => t.sectionId));
    const changes = await tx.rows(
      ChangeRow,
      sql`SELECT item, item_id AS "itemId", kind, previous, applied FROM matrix_import_changes WHERE import_id = ${importId} ORDER BY seq DESC`,
    );
    const reason = `Undoing the import of ${rec.filename}`;
    const sections = new Map<string, boolean>();
    const keptEdits: MatrixKeptEdit[] = [];
    // Decided before anything is deleted: deleting an action takes its indicators along.
    const keep = await keptCreated(tx, planId, changes);
    const keptItems: MatrixKeptItem[] = [];
    const keptItem = async (item: 'action' | 'indicator', id: string, reasons: MatrixKeptReason[]) => {
      if (item === 'action') keptItems.push({ item, id, label: (await getAction(tx, planId, id)).title, action: null, reasons });
      else {
        const indicator = await findIndicator(tx, planId, id);
        keptItems.push({ item, id, label: indicator.description, action: (await getAction(tx, planId, indicator.actionId)).title, reasons });
      }
    };
    const sectionOf = (c: { item: string; itemId: string }) =>
      tx.row(
        ItemSection,
        c.item === 'action'
          ? sql`SELECT a.section_id AS "sectionId" FROM actions a JOIN sections s ON s.id = a.section_id WHERE a.id = ${c.itemId} AND a.plan_id = ${planId} AND s.deleted_at IS NULL`
          : sql`SELECT a.section_id AS "sectionId" FROM indicators i JOIN actions a ON a.id = i.action_id JOIN sections s ON s.id = a.section_id
                 WHERE i.id = ${c.itemId} AND a.plan_id = ${planId} AND s.deleted_at IS NULL`,
      );
    for (const c of changes) {
      const where = await sectionOf(c);
      if (!where) continue; // deleted since, or in the bin
      if (c.item === 'action') {
        if (c.kind === 'created' && keep.has(c.itemId)) await keptItem('action', c.itemId, keep.get(c.itemId)!);
        else if (c.kind === 'created') {
          const { hadLinks } = await deleteAction(tx, planId, c.itemId, who, reason);
          sections.set(where.sectionId, (sections.get(where.sectionId) ?? false) || hadLinks);
        } else {
          const undone = undoOfUpdate<ActionUpdate>(c, await getAction(tx, planId, c.itemId), sameActionValue);
          if (wrote(undone.write)) await updateAction(tx, planId, c.itemId, who, undone.write);
          if (undone.keptEdits.length > 0) keptEdits.push({ item: 'action', id: c.itemId, label: (await getAction(tx, planId, c.itemId)).title, action: null, fields: undone.keptEdits });
          sections.set(where.sectionId, (sections.get(where.sectionId) ?? false) || undone.write.recommendationIds !== undefined);
        }
      } else {
        if (c.kind === 'created' && keep.has(c.itemId)) await keptItem('indicator', c.itemId, keep.get(c.itemId)!);
        else if (c.kind === 'created') await deleteIndicator(tx, planId, c.itemId, who, reason);
        else {
          const undone = undoOfUpdate<IndicatorInput>(c, await findIndicator(tx, planId, c.itemId), sameIndicatorValue);
          if (wrote(undone.write)) await updateIndicator(tx, planId, c.itemId, who, undone.write);
          if (undone.keptEdits.length > 0) {
            const indicator = await findIndicator(tx, planId, c.itemId);
            keptEdits.push({ item: 'indicator', id: c.itemId, label: indicator.description, action: (await getAction(tx, planId, indicator.actionId)).title, fields: undone.keptEdits });
          }
        }
        sections.set(where.sectionId, sections.get(where.sectionId) ?? false);
      }
    }
    await tx.run(sql`UPDATE matrix_imports SET undone_at = ${nowIso()} WHERE id = ${importId}`);
    // Named in the order the import wrote them (the undo went newest first).
    const keptByReason = Object.fromEntries(MatrixKeptReasonSchema.options.map((r) => [r, keptItems.filter((k) => k.reasons.includes(r)).length])) as Record<MatrixKeptReason, number>;
    const record = {
      ...(await matrixImport(tx, planId, importId))!,
      kept: keptItems.length,
      keptByReason,
      keptItems: keptItems.reverse().slice(0, MATRIX_KEPT_LISTED),
      keptEdits: keptEdits.length,
      keptEditItems: keptEdits.reverse().slice(0, MATRIX_KEPT_LISTED),
    };
    return { record, sections: [...sections].map(([sectionId, linksChanged]) => ({ sectionId, linksChanged })) };
  });
}
