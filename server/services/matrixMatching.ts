/**
 * Matching an uploaded matrix to the plan (services/matrixImport.ts previews, commits and undoes it):
 * each row of the Actions, Indicators and Links tables resolved to an action, indicator, section,
 * organisation or recommendation of this plan, or kept as an error naming its cell; and what each
 * row would change, compared field by field with the plan as it is.
 */
import { sql } from 'kysely';
import { col, rowShape } from '../db/rows.ts';
import type { Sql } from '../db/sql/Sql.ts';
import { firstDay, lastDay, listPlanActions } from './actions.ts';
import { planOrganisations } from './planOrganisations.ts';
import { isSectionAgreed } from './sectionAgreed.ts';
import type { MatrixFile } from '../import/matrixWorkbook.ts';
import { type ActionCells, type IndicatorCells, matrixLines } from '../import/matrixRows.ts';
import type {
  Action,
  ActionUpdate,
  Indicator,
  IndicatorInput,
  MatrixChange,
  MatrixPreviewRow,
  MatrixRowError,
  MatrixRowProblem,
  MatrixSheet,
} from '../../shared/api/index.ts';
import { CATALOGUES } from '../export/i18n/index.ts';


// ---- What the file asks for --------------------------------------------------------------------

/** An action the file names: an existing one (id) with the fields it gives, or a new one. */
export interface ActionPlan {
  row: number;
  /** The file's id cell: an action's id, a "new…" key, or empty. */
  key: string;
  existing: Action | null;
  sectionId: string | null;
  update: Partial<ActionUpdate>;
  /** The recommendations the Links table gives it; null when the file has no Links table. */
  links: Array<{ row: number; id: string; reference: string }> | null;
}

export interface IndicatorPlan {
  row: number;
  existing: Indicator | null;
  /** The action's id cell (an id, or a new action's key). */
  actionKey: string;
  input: Partial<IndicatorInput>;
}

const Lookup = rowShape({ planId: col.text });
const IndicatorLookup = rowShape({ planId: col.text, actionId: col.text });
const RecommendationLookup = rowShape({ id: col.text, planId: col.text, reference: col.text });

/** A key in the Action ID column that names an action this file adds, so its indicators and links can point at it. */
const isNewKey = (id: string) => id === '' || /^new\b/i.test(id);

const headerOf = (key: keyof (typeof CATALOGUES)['en']['matrix']['columns']) => CATALOGUES.en.matrix.columns[key];

const SectionRow = rowShape({ id: col.text, title: col.text, chapter: col.int, position: col.int });

/**
 * The plan's live sections, findable by "1.2 Title" (as the export writes them: ties of place by
 * id, server/export/model.ts), by title, or by number.
 */
async function sectionFinder(q: Sql, planId: string) {
  const rows = await q.rows(
    SectionRow,
    sql`SELECT s.id, s.title,
              (SELECT count(*) FROM chapters c2 WHERE c2.plan_id = c.plan_id AND c2.deleted_at IS NULL AND (c2.position, c2.id) < (c.position, c.id)) + 1 AS chapter,
              (SELECT count(*) FROM sections s2 WHERE s2.chapter_id = s.chapter_id AND s2.deleted_at IS NULL AND (s2.position, s2.id) < (s.position, s.id)) + 1 AS position
         FROM sections s JOIN chapters c ON c.id = s.chapter_id
        WHERE s.plan_id = ${planId} AND s.deleted_at IS NULL AND c.deleted_at IS NULL
        ORDER BY c.position, c.id, s.position, s.id`,
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

/** True when an action's field `k` holds the same value in both (its links are a set: their order does not count). */
export function sameActionValue(k: keyof ActionUpdate, a: unknown, b: unknown): boolean {
  if (k === 'recommendationIds') return sameSet(a as string[], b as string[]);
  return Array.isArray(a) && Array.isArray(b) ? sameList(a as string[], b as string[]) : a === b;
}

/** True when an indicator's field `k` holds the same value in both ("4" and "4.0" are the same baseline). */
export function sameIndicatorValue(k: keyof IndicatorInput, a: unknown, b: unknown): boolean {
  if (k === 'baselineValue' || k === 'targetValue') return sameNumberOrText(a as string | null, b as string | null);
  return Array.isArray(a) && Array.isArray(b) ? sameList(a as string[], b as string[]) : a === b;
}

/** The fields of `wanted` that differ from the action as it is. */
export function actionChanges(current: Action, wanted: Partial<ActionUpdate>): Partial<ActionUpdate> {
  const out: Partial<ActionUpdate> = {};
  for (const [k, v] of Object.entries(wanted) as Array<[keyof ActionUpdate, unknown]>) {
    if (!sameActionValue(k, v, current[k as keyof Action])) (out as Record<string, unknown>)[k] = v;
  }
  return out;
}

/** The fields of `wanted` that differ from the indicator as it is ("4" and "4.0" are the same baseline). */
export function indicatorChanges(current: Indicator, wanted: Partial<IndicatorInput>): Partial<IndicatorInput> {
  const out: Partial<IndicatorInput> = {};
  for (const [k, v] of Object.entries(wanted) as Array<[keyof IndicatorInput, unknown]>) {
    if (!sameIndicatorValue(k, v, current[k])) (out as Record<string, unknown>)[k] = v;
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

const actionPlanOf = (q: Sql, id: string) => q.row(Lookup, sql`SELECT plan_id AS "planId" FROM actions WHERE id = ${id}`);

/**
 * Matches a read file to the plan: every row resolved to an action, indicator, section,
 * organisation or recommendation of this plan, or an error naming its cell. Reads the plan through
 * `q`, inside one snapshot transaction (matrixImport.ts), so every row is matched to the same plan.
 */
export async function planFromFile(q: Sql, planId: string, file: MatrixFile): Promise<{ actions: ActionPlan[]; indicators: IndicatorPlan[]; errors: MatrixRowError[] }> {
  const lines = matrixLines(file);
  const errors = [...lines.errors];
  const fail = (sheet: MatrixSheet, row: number, key: keyof (typeof CATALOGUES)['en']['matrix']['columns'], code: MatrixRowProblem, params: Record<string, string | number>, message: string) => {
    const table = file[sheet];
    const column = (table?.headers as Record<string, string> | undefined)?.[key] ?? headerOf(key);
    errors.push({ sheet, row, column, code, params, message: `Row ${row}, ${column}: ${message}` });
  };

  const plan = new Map((await listPlanActions(q, planId)).map((a) => [a.id, a]));
  const organisations = new Map((await planOrganisations(q, planId)).map((o) => [o.name.trim().toLowerCase(), o.id]));
  const findSection = await sectionFinder(q, planId);

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
        const other = await actionPlanOf(q, line.id);
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
    for (const line of lines.links) {
      const action = byKey.get(line.actionId);
      if (!action) {
        fail('links', line.row, 'actionId', 'unknown_action', { value: line.actionId }, `the action ${line.actionId || '(empty)'} is not in the Actions table.`);
        continue;
      }
      let rec = line.recommendationId
        ? await q.row(RecommendationLookup, sql`SELECT id, plan_id AS "planId", reference FROM recommendations WHERE id = ${line.recommendationId}`)
        : undefined;
      if (rec && rec.planId !== planId) {
        fail('links', line.row, 'recommendationId', 'recommendation_other_plan', { value: line.recommendationId }, `the recommendation ${line.recommendationId} belongs to another plan.`);
        continue;
      }
      // A link added by hand may give only the reference a person reads.
      if (!rec && line.reference) {
        rec = await q.row(RecommendationLookup, sql`SELECT id, plan_id AS "planId", reference FROM recommendations WHERE plan_id = ${planId} AND reference = ${line.reference}`);
      }
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
    const seen = new Map<string, number>();
    for (const line of lines.indicators) {
      if (line.id !== '' && seen.has(line.id)) {
        fail('indicators', line.row, 'indicatorId', 'duplicate_id', { value: line.id, earlier: seen.get(line.id)! }, `the same indicator as row ${seen.get(line.id)}.`);
        continue;
      }
      if (line.id !== '') seen.set(line.id, line.row);
      const action = byKey.get(line.actionId);
      if (!action) {
        const other = line.actionId && !isNewKey(line.actionId) ? await actionPlanOf(q, line.actionId) : undefined;
        if (other && other.planId !== planId) fail('indicators', line.row, 'actionId', 'action_other_plan', { value: line.actionId }, `the action ${line.actionId} belongs to another plan.`);
        else fail('indicators', line.row, 'actionId', 'unknown_action', { value: line.actionId }, `the action ${line.actionId || '(empty)'} is not in the Actions table.`);
        continue;
      }
      let existing: Indicator | null = null;
      if (line.id !== '') {
        existing = known.get(line.id) ?? null;
        if (!existing) {
          const other = await q.row(
            IndicatorLookup,
            sql`SELECT a.plan_id AS "planId", i.action_id AS "actionId" FROM indicators i JOIN actions a ON a.id = i.action_id WHERE i.id = ${line.id}`,
          );
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
    if ((changing || indicatorChanging) && a.sectionId && (await isSectionAgreed(q, a.sectionId))) {
      fail('actions', a.row, 'section', 'section_agreed', { value: a.existing?.title ?? a.update.title ?? '' }, 'the section is agreed: a coordinator must reopen it before its actions change.');
    }
  }
  errors.sort((x, y) => x.sheet.localeCompare(y.sheet) || x.row - y.row);
  return { actions, indicators, errors };
}


export function previewRows(file: MatrixFile, actions: ActionPlan[], indicators: IndicatorPlan[]): MatrixPreviewRow[] {
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
