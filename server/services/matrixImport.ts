/**
 * Re-importing the implementation matrix (issue #19): an edited linked-tables file creates and
 * updates the plan's actions, indicators and links to recommendations, matched by their ids. The
 * same three steps as a recommendation import (services/imports.ts): a preview says what would be
 * created, updated, left unchanged or unlinked, and every cell that cannot be used, with its row and
 * column; a commit writes it; an undo gives back what the import changed.
 *
 * Writes go through the action and indicator services, so every change is checked as a change made
 * by hand is (agreed sections, organisations, timelines) and recorded in the items' history in the
 * importer's name. A row whose values are the plan's is not touched: no write, no history entry.
 * A file with any error is not committed at all: the tables refer to each other (an indicator to a
 * new action), and a half-applied matrix would be harder to put right than a file.
 */
import { randomBytes } from 'node:crypto';
import type { Db } from '../db/database.ts';
import { allRows, col, oneRow, rowShape, scalar } from '../db/rows.ts';
import { conflict, HttpError, notFound } from '../errors.ts';
import { newId, nowIso } from '../ids.ts';
import { createAction, deleteAction, getAction, updateAction } from './actions.ts';
import { addIndicator, deleteIndicator, updateIndicator } from './indicators.ts';
import type { Actor } from './history.ts';
import { ImportPreviewStore, PREVIEW_TTL_MS, type PreviewStore } from './imports.ts';
import { actionChanges, type ActionPlan, indicatorChanges, type IndicatorPlan, planFromFile, previewRows } from './matrixMatching.ts';
import type { MatrixFile } from '../import/matrixWorkbook.ts';
import {
  type ActionUpdate,
  type IndicatorInput,
  type MatrixChange,
  type MatrixImportPreview,
  type MatrixImportRecord,
  MatrixImportRecordSchema,
  type MatrixSheet,
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

/** Reads the file against the plan and keeps the result for the person's commit. */
export function previewMatrixImport(
  db: Db,
  planId: string,
  userId: string,
  file: MatrixFile,
  filename: string,
  store: PreviewStore<StoredMatrixPreview> = matrixPreviews,
): MatrixImportPreview {
  const { actions, indicators, errors } = planFromFile(db, planId, file);
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
  store.put(planId, userId, { previewId: preview.previewId, preview, actions, indicators });
  return preview;
}

// ---- Commit ------------------------------------------------------------------------------------

const IMPORT_COLUMNS = `i.id, i.filename, u.name AS createdBy, i.created_at AS createdAt, i.created, i.updated, i.undone_at AS undoneAt`;

export function listMatrixImports(db: Db, planId: string): MatrixImportRecord[] {
  return allRows(
    db.prepare(`SELECT ${IMPORT_COLUMNS} FROM matrix_imports i JOIN users u ON u.id = i.created_by WHERE i.plan_id = ? ORDER BY i.created_at DESC, i.rowid DESC`),
    MatrixImportRecordSchema,
    planId,
  );
}

function matrixImport(db: Db, planId: string, importId: string): MatrixImportRecord | null {
  return oneRow(db.prepare(`SELECT ${IMPORT_COLUMNS} FROM matrix_imports i JOIN users u ON u.id = i.created_by WHERE i.id = ? AND i.plan_id = ?`), MatrixImportRecordSchema, importId, planId) ?? null;
}

/** Only the fields `changes` names, as they are now: what undo gives back. */
const previousOf = <T extends object>(current: T, changes: object): Partial<T> =>
  Object.fromEntries(Object.keys(changes).map((k) => [k, current[k as keyof T]])) as Partial<T>;

/**
 * Writes a preview in one transaction (a plan's matrix is hundreds of rows, milliseconds of work),
 * comparing each row again with the plan as it is now, so what someone changed since the preview
 * and the file did not is kept. Returns the record and the sections whose actions changed.
 */
export function commitMatrixImport(
  db: Db,
  planId: string,
  who: Actor,
  previewId: string,
  store: PreviewStore<StoredMatrixPreview> = matrixPreviews,
): { record: MatrixImportRecord; sections: Array<{ sectionId: string; linksChanged: boolean }> } {
  const stored = store.take(planId, who.principal.userId, previewId);
  if (!stored) {
    throw new HttpError(404, 'preview_not_found', 'This import preview is no longer available (it was already imported, or more than 30 minutes have passed). Upload the file again.');
  }
  if (stored.preview.errors.length > 0) {
    throw conflict('matrix_has_errors', `The file has ${stored.preview.errors.length} errors; correct them and upload it again.`, { n: stored.preview.errors.length });
  }
  return db.transaction(() => {
    const importId = newId();
    db.prepare('INSERT INTO matrix_imports (id, plan_id, filename, created_by, created_at) VALUES (?, ?, ?, ?, ?)').run(importId, planId, stored.preview.filename, who.principal.userId, nowIso());
    let seq = 0;
    const record = db.prepare('INSERT INTO matrix_import_changes (import_id, seq, item, item_id, kind, previous) VALUES (?, ?, ?, ?, ?, ?)');
    const sections = new Map<string, boolean>();
    const touched = (sectionId: string, links: boolean) => sections.set(sectionId, (sections.get(sectionId) ?? false) || links);
    let created = 0;
    let updated = 0;
    const idOfKey = new Map<string, string>();

    for (const a of stored.actions) {
      if (!a.existing) {
        const { title, ...rest } = a.update;
        const action = createAction(db, planId, a.sectionId!, who, { description: '', leadAgencyId: null, coImplementerIds: [], civilSocietyPartnerIds: [], start: null, end: null, status: 'planned', budgetAmount: null, currency: null, fundingSource: null, recommendationIds: [], ...rest, title: title! });
        idOfKey.set(a.key, action.id);
        record.run(importId, seq++, 'action', action.id, 'created', null);
        touched(action.sectionId, action.recommendationIds.length > 0);
        created += 1;
        continue;
      }
      idOfKey.set(a.key, a.existing.id);
      const current = getAction(db, planId, a.existing.id);
      const changes = actionChanges(current, a.update);
      if (Object.keys(changes).length === 0) continue;
      updateAction(db, planId, current.id, who, changes);
      record.run(importId, seq++, 'action', current.id, 'updated', JSON.stringify(previousOf(current, changes)));
      touched(current.sectionId, changes.recommendationIds !== undefined);
      updated += 1;
    }

    for (const i of stored.indicators) {
      const actionId = idOfKey.get(i.actionKey)!;
      if (!i.existing) {
        const { indicator, sectionId } = addIndicator(db, planId, actionId, who, {
          unit: null, baselineValue: null, baselineYear: null, targetValue: null, targetYear: null, dataSource: null, frequency: null, disaggregation: [],
          ...i.input,
          type: i.input.type!,
          description: i.input.description!,
          proposedByOrganisationId: who.principal.organisationId,
        });
        record.run(importId, seq++, 'indicator', indicator.id, 'created', null);
        touched(sectionId, false);
        created += 1;
        continue;
      }
      const current = getAction(db, planId, actionId).indicators.find((x) => x.id === i.existing!.id);
      if (!current) continue;
      const changes = indicatorChanges(current, i.input);
      if (Object.keys(changes).length === 0) continue;
      const { sectionId } = updateIndicator(db, planId, current.id, who, changes);
      record.run(importId, seq++, 'indicator', current.id, 'updated', JSON.stringify(previousOf(current, changes)));
      touched(sectionId, false);
      updated += 1;
    }
    db.prepare('UPDATE matrix_imports SET created = ?, updated = ? WHERE id = ?').run(created, updated, importId);
    return { record: matrixImport(db, planId, importId)!, sections: [...sections].map(([sectionId, linksChanged]) => ({ sectionId, linksChanged })) };
  })();
}

// ---- Undo --------------------------------------------------------------------------------------

const ChangeRow = rowShape({ item: col.text, itemId: col.text, kind: col.text, previous: col.nullableText });
const ItemSection = rowShape({ sectionId: col.text });

/**
 * Gives back what an import changed, newest change first: indicators and actions it created are
 * deleted (one already deleted is skipped), the fields it updated get their earlier values. Each
 * step goes through the services, so it is checked (an agreed section refuses it all) and recorded.
 * Refused when a later import changed the same items: undo that one first.
 */
export function undoMatrixImport(db: Db, planId: string, importId: string, who: Actor): { record: MatrixImportRecord; sections: Array<{ sectionId: string; linksChanged: boolean }> } {
  return db.transaction(() => {
    const rec = matrixImport(db, planId, importId);
    if (!rec) throw notFound('import');
    if (rec.undoneAt !== null) throw conflict('import_already_undone', 'This import has already been undone.');
    const later = scalar(
      db.prepare(
        `SELECT i.filename FROM matrix_import_changes mine
           JOIN matrix_import_changes other ON other.item_id = mine.item_id AND other.import_id <> mine.import_id
           JOIN matrix_imports i ON i.id = other.import_id
          WHERE mine.import_id = ? AND i.undone_at IS NULL
            AND (i.created_at, i.rowid) > (SELECT created_at, rowid FROM matrix_imports WHERE id = ?)
          LIMIT 1`,
      ),
      col.text,
      importId,
      importId,
    );
    if (later !== undefined) throw conflict('import_superseded', `A later import (${later}) changed the same actions or indicators. Undo that import first.`);
    const changes = allRows(
      db.prepare('SELECT item, item_id AS itemId, kind, previous FROM matrix_import_changes WHERE import_id = ? ORDER BY seq DESC'),
      ChangeRow,
      importId,
    );
    const reason = `Undoing the import of ${rec.filename}`;
    const sections = new Map<string, boolean>();
    const sectionOfAction = db.prepare('SELECT a.section_id AS sectionId FROM actions a JOIN sections s ON s.id = a.section_id WHERE a.id = ? AND a.plan_id = ? AND s.deleted_at IS NULL');
    const sectionOfIndicator = db.prepare(
      'SELECT a.section_id AS sectionId FROM indicators i JOIN actions a ON a.id = i.action_id JOIN sections s ON s.id = a.section_id WHERE i.id = ? AND a.plan_id = ? AND s.deleted_at IS NULL',
    );
    for (const c of changes) {
      const where = oneRow(c.item === 'action' ? sectionOfAction : sectionOfIndicator, ItemSection, c.itemId, planId);
      if (!where) continue; // deleted since, or in the bin
      if (c.item === 'action') {
        if (c.kind === 'created') {
          const { hadLinks } = deleteAction(db, planId, c.itemId, who, reason);
          sections.set(where.sectionId, (sections.get(where.sectionId) ?? false) || hadLinks);
        } else {
          const previous = JSON.parse(c.previous!) as Partial<ActionUpdate>;
          updateAction(db, planId, c.itemId, who, previous);
          sections.set(where.sectionId, (sections.get(where.sectionId) ?? false) || previous.recommendationIds !== undefined);
        }
      } else {
        if (c.kind === 'created') deleteIndicator(db, planId, c.itemId, who, reason);
        else updateIndicator(db, planId, c.itemId, who, JSON.parse(c.previous!) as Partial<IndicatorInput>);
        sections.set(where.sectionId, sections.get(where.sectionId) ?? false);
      }
    }
    db.prepare('UPDATE matrix_imports SET undone_at = ? WHERE id = ?').run(nowIso(), importId);
    return { record: matrixImport(db, planId, importId)!, sections: [...sections].map(([sectionId, linksChanged]) => ({ sectionId, linksChanged })) };
  })();
}
