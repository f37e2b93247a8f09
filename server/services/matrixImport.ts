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
import { createAction, deleteAction, firstDay, getAction, lastDay, listPlanActions, updateAction } from './actions.ts';
import { addIndicator, deleteIndicator, updateIndicator } from './indicators.ts';
import { listPlanOrganisations } from './planOrganisations.ts';
import { isSectionAgreed } from './sectionAgreed.ts';
import type { Actor } from './history.ts';
import { ImportPreviewStore, PREVIEW_TTL_MS } from './imports.ts';
import type { MatrixFile } from '../import/matrixWorkbook.ts';
import { type ActionCells, type IndicatorCells, matrixLines } from '../import/matrixRows.ts';
import {
  type Action,
  type ActionUpdate,
  type Indicator,
  type IndicatorInput,
  type MatrixChange,
  type MatrixImportPreview,
  type MatrixImportRecord,
  MatrixImportRecordSchema,
  type MatrixPreviewRow,
  type MatrixRowError,
  type MatrixRowProblem,
  type MatrixSheet,
} from '../../shared/api/index.ts';
import { CATALOGUES } from '../export/i18n/index.ts';

// ---- What the file asks for --------------------------------------------------------------------

/** An action the file names: an existing one (id) with the fields it gives, or a new one. */
interface ActionPlan {
  row: number;
  /** The file's id cell: an action's id, a "new…" key, or empty. */
  key: string;
  existing: Action | null;
  sectionId: string | null;
  update: Partial<ActionUpdate>;
  /** The recommendations the Links table gives it; null when the file has no Links table. */
  links: Array<{ row: number; id: string; reference: string }> | null;
}

interface IndicatorPlan {
  row: number;
  existing: Indicator | null;
  /** The action's id cell (an id, or a new action's key). */
  actionKey: string;
  input: Partial<IndicatorInput>;
}

interface StoredMatrixPreview {
  previewId: string;
  preview: MatrixImportPreview;
  actions: ActionPlan[];
  indicators: IndicatorPlan[];
}

/** Previews waiting for their commit, one per person and plan, as for recommendation imports. */
export const matrixPreviews = new ImportPreviewStore<StoredMatrixPreview>(PREVIEW_TTL_MS);

const Lookup = rowShape({ planId: col.text });
const IndicatorLookup = rowShape({ planId: col.text, actionId: col.text });
const RecommendationLookup = rowShape({ id: col.text, planId: col.text, reference: col.text });

/** A key in the Action ID column that names an action this file adds, so its indicators and links can point at it. */
const isNewKey = (id: string) => id === '' || /^new\b/i.test(id);

const headerOf = (key: keyof (typeof CATALOGUES)['en']['matrix']['columns']) => CATALOGUES.en.matrix.columns[key];

/** The plan's live sections, findable by "1.2 Title" (as the export writes them), by title, or by number. */
function sectionFinder(db: Db, planId: string) {
  const SectionRow = rowShape({ id: col.text, title: col.text, chapter: col.int, position: col.int });
  const rows = allRows(
    db.prepare(
      `SELECT s.id, s.title,
              (SELECT count(*) FROM chapters c2 WHERE c2.plan_id = c.plan_id AND c2.deleted_at IS NULL AND (c2.position, c2.rowid) < (c.position, c.rowid)) + 1 AS chapter,
              (SELECT count(*) FROM sections s2 WHERE s2.chapter_id = s.chapter_id AND s2.deleted_at IS NULL AND (s2.position, s2.rowid) < (s.position, s.rowid)) + 1 AS position
         FROM sections s JOIN chapters c ON c.id = s.chapter_id
        WHERE s.plan_id = ? AND s.deleted_at IS NULL AND c.deleted_at IS NULL`,
    ),
    SectionRow,
    planId,
  );
  const norm = (s: string) => s.trim().replace(/\s+/g, ' ').toLowerCase();
  return (cell: string): { id: string } | 'unknown' | 'ambiguous' => {
    const wanted = norm(cell);
    const tries: Array<(r: (typeof rows)[number]) => boolean> = [
      (r) => norm(`${r.chapter}.${r.position} ${r.title}`) === wanted,
      (r) => norm(r.title) === norm(cell.replace(/^\d+\.\d+\s+/, '')),
      (r) => `${r.chapter}.${r.position}` === wanted,
    ];
    for (const t of tries) {
      const found = rows.filter(t);
      if (found.length === 1) return { id: found[0]!.id };
      if (found.length > 1) return 'ambiguous';
    }
    return 'unknown';
  };
}

const sameNumberOrText = (a: string | null, b: string | null) =>
  a === b || (a !== null && b !== null && /^-?\d+(\.\d+)?$/.test(a) && /^-?\d+(\.\d+)?$/.test(b) && Number(a) === Number(b));
const sameList = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
const sameSet = (a: string[], b: string[]) => sameList([...a].sort(), [...b].sort());

/** The fields of `wanted` that differ from the action as it is. */
export function actionChanges(current: Action, wanted: Partial<ActionUpdate>): Partial<ActionUpdate> {
  const out: Partial<ActionUpdate> = {};
  for (const [k, v] of Object.entries(wanted) as Array<[keyof ActionUpdate, unknown]>) {
    const now = current[k as keyof Action];
    const same =
      k === 'recommendationIds' ? sameSet(v as string[], now as string[]) : Array.isArray(v) ? sameList(v as string[], now as string[]) : v === now;
    if (!same) (out as Record<string, unknown>)[k] = v;
  }
  return out;
}

/** The fields of `wanted` that differ from the indicator as it is ("4" and "4.0" are the same baseline). */
export function indicatorChanges(current: Indicator, wanted: Partial<IndicatorInput>): Partial<IndicatorInput> {
  const out: Partial<IndicatorInput> = {};
  for (const [k, v] of Object.entries(wanted) as Array<[keyof IndicatorInput, unknown]>) {
    const now = current[k];
    const same =
      k === 'baselineValue' || k === 'targetValue'
        ? sameNumberOrText(v as string | null, now as string | null)
        : Array.isArray(v)
          ? sameList(v as string[], now as string[])
          : v === now;
    if (!same) (out as Record<string, unknown>)[k] = v;
  }
  return out;
}

/** Which file column each field comes from, to name the columns an update changes. */
const ACTION_FIELD_COLUMN: Record<string, keyof (typeof CATALOGUES)['en']['matrix']['columns']> = {
  title: 'action',
  description: 'description',
  leadAgencyId: 'leadAgency',
  coImplementerIds: 'coImplementers',
  civilSocietyPartnerIds: 'csoPartners',
  start: 'start',
  end: 'end',
  status: 'status',
  budgetAmount: 'budget',
  currency: 'currency',
  fundingSource: 'fundingSource',
};
const INDICATOR_FIELD_COLUMN: Record<string, keyof (typeof CATALOGUES)['en']['matrix']['columns']> = {
  type: 'indicatorType',
  description: 'indicator',
  unit: 'unit',
  baselineValue: 'baseline',
  baselineYear: 'baselineYear',
  targetValue: 'target',
  targetYear: 'targetYear',
  dataSource: 'dataSource',
  frequency: 'frequency',
  disaggregation: 'disaggregation',
};

/**
 * Matches a read file to the plan: every row resolved to an action, indicator, section,
 * organisation or recommendation of this plan, or an error naming its cell.
 */
function planFromFile(db: Db, planId: string, file: MatrixFile): { actions: ActionPlan[]; indicators: IndicatorPlan[]; errors: MatrixRowError[] } {
  const lines = matrixLines(file);
  const errors = [...lines.errors];
  const fail = (sheet: MatrixSheet, row: number, key: keyof (typeof CATALOGUES)['en']['matrix']['columns'], code: MatrixRowProblem, params: Record<string, string | number>, message: string) => {
    const table = file[sheet];
    const column = (table?.headers as Record<string, string> | undefined)?.[key] ?? headerOf(key);
    errors.push({ sheet, row, column, code, params, message: `Row ${row}, ${column}: ${message}` });
  };

  const plan = new Map(listPlanActions(db, planId).map((a) => [a.id, a]));
  const organisations = new Map(listPlanOrganisations(db, planId).map((o) => [o.name.trim().toLowerCase(), o.id]));
  const findSection = sectionFinder(db, planId);
  const actionPlan = db.prepare('SELECT plan_id AS planId FROM actions WHERE id = ?');

  const orgIds = (sheet: MatrixSheet, row: number, key: 'leadAgency' | 'coImplementers' | 'csoPartners', names: string[]) =>
    names.flatMap((name) => {
      const id = organisations.get(name.toLowerCase());
      if (id) return [id];
      fail(sheet, row, key, 'unknown_organisation', { value: name }, `"${name}" is not one of the plan's organisations (add it on the actions page first).`);
      return [];
    });

  // Actions.
  const actions: ActionPlan[] = [];
  const byKey = new Map<string, ActionPlan>();
  for (const line of lines.actions) {
    const earlier = line.id !== '' ? byKey.get(line.id) : undefined;
    if (earlier) {
      fail('actions', line.row, 'actionId', 'duplicate_id', { value: line.id, earlier: earlier.row }, `the same action as row ${earlier.row}.`);
      continue;
    }
    let existing: Action | null = null;
    if (!isNewKey(line.id)) {
      existing = plan.get(line.id) ?? null;
      if (!existing) {
        const other = oneRow(actionPlan, Lookup, line.id);
        if (other && other.planId !== planId) fail('actions', line.row, 'actionId', 'action_other_plan', { value: line.id }, `the action ${line.id} belongs to another plan.`);
        else fail('actions', line.row, 'actionId', 'unknown_action', { value: line.id }, `there is no action ${line.id} in this plan.`);
        continue;
      }
    }
    const f: Partial<ActionCells> = line.fields;
    const update: Partial<ActionUpdate> = {};
    if (f.title !== undefined) update.title = f.title;
    if (f.description !== undefined) update.description = f.description;
    if (f.leadAgency !== undefined) update.leadAgencyId = f.leadAgency === null ? null : (orgIds('actions', line.row, 'leadAgency', [f.leadAgency])[0] ?? null);
    if (f.coImplementers !== undefined) update.coImplementerIds = orgIds('actions', line.row, 'coImplementers', f.coImplementers);
    if (f.csoPartners !== undefined) update.civilSocietyPartnerIds = orgIds('actions', line.row, 'csoPartners', f.csoPartners);
    for (const k of ['start', 'end', 'status', 'budgetAmount', 'currency', 'fundingSource'] as const) if (f[k] !== undefined) (update as Record<string, unknown>)[k] = f[k];
    const start = update.start !== undefined ? update.start : (existing?.start ?? null);
    const end = update.end !== undefined ? update.end : (existing?.end ?? null);
    if (start && end && lastDay(end) < firstDay(start)) fail('actions', line.row, 'end', 'end_before_start', {}, `the action ends (${end}) before it starts (${start}).`);

    let sectionId: string | null = existing?.sectionId ?? null;
    if (!existing) {
      const found = findSection(line.section);
      if (found === 'unknown') fail('actions', line.row, 'section', 'unknown_section', { value: line.section }, `"${line.section}" is not a section of this plan.`);
      else if (found === 'ambiguous') fail('actions', line.row, 'section', 'section_ambiguous', { value: line.section }, `more than one section is called "${line.section}": write its number too.`);
      else sectionId = found.id;
      if (update.title === undefined) fail('actions', line.row, 'action', 'required', {}, 'a new action needs a title.');
    }
    const p: ActionPlan = { row: line.row, key: line.id === '' ? `row:${line.row}` : line.id, existing, sectionId, update, links: lines.links ? [] : null };
    actions.push(p);
    if (line.id !== '') byKey.set(line.id, p);
  }

  // Links: each action's recommendations become those the Links table gives it.
  if (lines.links) {
    const recommendation = db.prepare('SELECT id, plan_id AS planId, reference FROM recommendations WHERE id = ?');
    const byReference = db.prepare('SELECT id, plan_id AS planId, reference FROM recommendations WHERE plan_id = ? AND reference = ?');
    for (const line of lines.links) {
      const action = byKey.get(line.actionId);
      if (!action) {
        fail('links', line.row, 'actionId', 'unknown_action', { value: line.actionId }, `the action ${line.actionId || '(empty)'} is not in the Actions table.`);
        continue;
      }
      let rec = line.recommendationId ? oneRow(recommendation, RecommendationLookup, line.recommendationId) : undefined;
      if (rec && rec.planId !== planId) {
        fail('links', line.row, 'recommendationId', 'recommendation_other_plan', { value: line.recommendationId }, `the recommendation ${line.recommendationId} belongs to another plan.`);
        continue;
      }
      // A link added by hand may give only the reference a person reads.
      if (!rec && line.reference) rec = oneRow(byReference, RecommendationLookup, planId, line.reference);
      if (!rec) {
        const value = line.recommendationId || line.reference;
        fail('links', line.row, line.recommendationId ? 'recommendationId' : 'reference', 'unknown_recommendation', { value }, `there is no recommendation ${value || '(empty)'} in this plan.`);
        continue;
      }
      if (!action.links!.some((l) => l.id === rec.id)) action.links!.push({ row: line.row, id: rec.id, reference: rec.reference });
    }
    for (const a of actions) a.update.recommendationIds = a.links!.map((l) => l.id);
  }

  // Indicators.
  const indicators: IndicatorPlan[] = [];
  if (lines.indicators) {
    const known = new Map([...plan.values()].flatMap((a) => a.indicators.map((i) => [i.id, i] as const)));
    const indicatorPlan = db.prepare('SELECT a.plan_id AS planId, i.action_id AS actionId FROM indicators i JOIN actions a ON a.id = i.action_id WHERE i.id = ?');
    const seen = new Map<string, number>();
    for (const line of lines.indicators) {
      if (line.id !== '' && seen.has(line.id)) {
        fail('indicators', line.row, 'indicatorId', 'duplicate_id', { value: line.id, earlier: seen.get(line.id)! }, `the same indicator as row ${seen.get(line.id)}.`);
        continue;
      }
      if (line.id !== '') seen.set(line.id, line.row);
      const action = byKey.get(line.actionId);
      if (!action) {
        const other = line.actionId && !isNewKey(line.actionId) ? oneRow(actionPlan, Lookup, line.actionId) : undefined;
        if (other && other.planId !== planId) fail('indicators', line.row, 'actionId', 'action_other_plan', { value: line.actionId }, `the action ${line.actionId} belongs to another plan.`);
        else fail('indicators', line.row, 'actionId', 'unknown_action', { value: line.actionId }, `the action ${line.actionId || '(empty)'} is not in the Actions table.`);
        continue;
      }
      let existing: Indicator | null = null;
      if (line.id !== '') {
        existing = known.get(line.id) ?? null;
        if (!existing) {
          const other = oneRow(indicatorPlan, IndicatorLookup, line.id);
          if (other && other.planId !== planId) fail('indicators', line.row, 'indicatorId', 'indicator_other_plan', { value: line.id }, `the indicator ${line.id} belongs to another plan.`);
          else fail('indicators', line.row, 'indicatorId', 'unknown_indicator', { value: line.id }, `there is no indicator ${line.id} in this plan.`);
          continue;
        }
        if (existing.actionId !== action.existing?.id) {
          fail('indicators', line.row, 'actionId', 'indicator_other_action', { value: line.actionId }, `the indicator measures another action; it cannot be moved by import.`);
          continue;
        }
      }
      const input = line.fields as Partial<IndicatorCells>;
      const baselineYear = input.baselineYear !== undefined ? input.baselineYear : (existing?.baselineYear ?? null);
      const targetYear = input.targetYear !== undefined ? input.targetYear : (existing?.targetYear ?? null);
      if (baselineYear !== null && targetYear !== null && targetYear < baselineYear && !errors.some((e) => e.sheet === 'indicators' && e.row === line.row && e.code === 'target_before_baseline')) {
        fail('indicators', line.row, 'targetYear', 'target_before_baseline', {}, 'the target year is before the baseline year.');
      }
      indicators.push({ row: line.row, existing, actionKey: action.key, input });
    }
  }

  // Changes to an agreed section are refused, as on the actions page; an unchanged row there is fine.
  for (const a of actions) {
    const changing = !a.existing || Object.keys(actionChanges(a.existing, a.update)).length > 0;
    const indicatorChanging = indicators.some((i) => i.actionKey === a.key && (!i.existing || Object.keys(indicatorChanges(i.existing, i.input)).length > 0));
    if ((changing || indicatorChanging) && a.sectionId && isSectionAgreed(db, a.sectionId)) {
      fail('actions', a.row, 'section', 'section_agreed', { value: a.existing?.title ?? a.update.title ?? '' }, 'the section is agreed: a coordinator must reopen it before its actions change.');
    }
  }
  errors.sort((x, y) => x.sheet.localeCompare(y.sheet) || x.row - y.row);
  return { actions, indicators, errors };
}

// ---- Preview -----------------------------------------------------------------------------------

function previewRows(file: MatrixFile, actions: ActionPlan[], indicators: IndicatorPlan[]): MatrixPreviewRow[] {
  const header = (sheet: MatrixSheet, key: string) => ((file[sheet]?.headers as Record<string, string> | undefined)?.[key] ?? headerOf(key as never));
  const rows: MatrixPreviewRow[] = [];
  for (const a of actions) {
    const { recommendationIds: _links, ...fields } = a.update;
    const changed = a.existing ? Object.keys(actionChanges(a.existing, fields)) : [];
    const change: MatrixChange = !a.existing ? 'create' : changed.length > 0 ? 'update' : 'unchanged';
    rows.push({ sheet: 'actions', row: a.row, change, label: a.existing?.title ?? a.update.title ?? '', action: null, columns: changed.map((k) => header('actions', ACTION_FIELD_COLUMN[k]!)) });
    if (!a.links) continue;
    const title = a.update.title ?? a.existing?.title ?? '';
    const had = new Set(a.existing?.recommendationIds ?? []);
    for (const l of a.links) rows.push({ sheet: 'links', row: l.row, change: had.has(l.id) ? 'unchanged' : 'create', label: l.reference, action: title, columns: [] });
    const kept = new Set(a.links.map((l) => l.id));
    for (const r of a.existing?.recommendations ?? []) if (!kept.has(r.id)) rows.push({ sheet: 'links', row: a.row, change: 'remove', label: r.reference, action: title, columns: [] });
  }
  for (const i of indicators) {
    const changed = i.existing ? Object.keys(indicatorChanges(i.existing, i.input)) : [];
    const change: MatrixChange = !i.existing ? 'create' : changed.length > 0 ? 'update' : 'unchanged';
    rows.push({ sheet: 'indicators', row: i.row, change, label: i.existing?.description ?? i.input.description ?? '', action: null, columns: changed.map((k) => header('indicators', INDICATOR_FIELD_COLUMN[k]!)) });
  }
  const order: Record<MatrixSheet, number> = { actions: 0, indicators: 1, links: 2 };
  return rows.sort((x, y) => order[x.sheet] - order[y.sheet] || x.row - y.row);
}

/** Reads the file against the plan and keeps the result for the person's commit. */
export function previewMatrixImport(db: Db, planId: string, userId: string, file: MatrixFile, filename: string, store = matrixPreviews): MatrixImportPreview {
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
  store = matrixPreviews,
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
