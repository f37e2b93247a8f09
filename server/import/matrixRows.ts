/**
 * The matrix's rows as values Accord stores: each cell of a column the file has is checked and
 * typed (a status or indicator type in any of the export languages, a budget a number, a year a
 * year, a start or end a year, quarter or date), and every problem is kept with its sheet, row and
 * column so the preview can list them all at once. Matching rows to the plan (ids, sections,
 * organisations, recommendations) is the service's part (services/matrixImport.ts).
 */
import { CATALOGUES } from '../export/i18n/index.ts';
import { Limits } from '../../shared/limits.ts';
import {
  type ActionStatus,
  ActionStatusSchema,
  type IndicatorType,
  IndicatorTypeSchema,
  type MatrixRowError,
  type MatrixRowProblem,
  type MatrixSheet,
  TimePointSchema,
  CurrencySchema,
} from '../../shared/api/index.ts';
import type { MatrixFile, MatrixRow, MatrixTable, SheetColumn } from './matrixWorkbook.ts';

export interface ActionCells {
  title: string;
  description: string;
  leadAgency: string | null;
  coImplementers: string[];
  csoPartners: string[];
  start: string | null;
  end: string | null;
  status: ActionStatus;
  budgetAmount: number | null;
  currency: string | null;
  fundingSource: string | null;
}

export interface IndicatorCells {
  type: IndicatorType;
  description: string;
  unit: string | null;
  baselineValue: string | null;
  baselineYear: number | null;
  targetValue: string | null;
  targetYear: number | null;
  dataSource: string | null;
  frequency: string | null;
  disaggregation: string[];
}

export interface ActionLine {
  row: number;
  /** Empty: a new action. */
  id: string;
  section: string;
  /** Only the columns the file has: the others stay as they are. */
  fields: Partial<ActionCells>;
}

export interface IndicatorLine {
  row: number;
  id: string;
  actionId: string;
  fields: Partial<IndicatorCells>;
}

export interface LinkLine {
  row: number;
  actionId: string;
  recommendationId: string;
  reference: string;
}

export interface MatrixLines {
  actions: ActionLine[];
  indicators: IndicatorLine[] | null;
  links: LinkLine[] | null;
  errors: MatrixRowError[];
}

/** A word as any export catalogue writes it ("In progress", "Выконваецца") or the stored code itself → the code. */
function labelsOf<T extends string>(pick: (c: (typeof CATALOGUES)['en']) => Record<T, string>, codes: readonly T[]): Map<string, T> {
  const out = new Map<string, T>();
  for (const code of codes) out.set(code.toLowerCase(), code);
  for (const c of Object.values(CATALOGUES)) for (const [code, label] of Object.entries(pick(c)) as Array<[T, string]>) out.set(label.trim().toLowerCase(), code);
  return out;
}
const STATUSES = labelsOf((c) => c.actionStatus, ActionStatusSchema.options);
const INDICATOR_TYPES = labelsOf((c) => c.indicatorType, IndicatorTypeSchema.options);

const list = (cell: string) =>
  cell
    .split(/[;\n]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
const orNull = (cell: string) => (cell === '' ? null : cell);

/** Reads one row's cells, collecting problems instead of stopping at the first. */
class RowReader<S extends MatrixSheet> {
  constructor(
    private readonly sheet: S,
    private readonly table: MatrixTable<S>,
    private readonly line: MatrixRow<S>,
    private readonly errors: MatrixRowError[],
  ) {}

  has(key: SheetColumn<S>): boolean {
    return this.line.cells[key] !== undefined;
  }

  text(key: SheetColumn<S>): string {
    return this.line.cells[key] ?? '';
  }

  fail(key: SheetColumn<S>, code: MatrixRowProblem, params: Record<string, string | number>, message: string): void {
    const column = this.table.headers[key] ?? String(key);
    this.errors.push({ sheet: this.sheet, row: this.line.row, column, code, params, message: `Row ${this.line.row}, ${column}: ${message}` });
  }

  /** Reads a column the file has into `out[field]`; a column it lacks leaves the field out. */
  read<F extends string, V>(out: Partial<Record<F, V>>, field: F, key: SheetColumn<S>, parse: (cell: string) => V | Problem): void {
    if (!this.has(key)) return;
    const value = parse(this.text(key));
    if (value instanceof Problem) this.fail(key, value.code, value.params, value.message);
    else out[field] = value;
  }
}

class Problem {
  constructor(
    readonly code: MatrixRowProblem,
    readonly params: Record<string, string | number>,
    readonly message: string,
  ) {}
}

const required = (max: number) => (cell: string) =>
  cell === '' ? new Problem('required', {}, 'a value is needed.') : cell.length > max ? new Problem('too_long', { max }, `at most ${max} characters.`) : cell;
const optionalText = (max: number) => (cell: string) => (cell.length > max ? new Problem('too_long', { max }, `at most ${max} characters.`) : orNull(cell));
const timePoint = (cell: string) =>
  cell === '' ? null : TimePointSchema.safeParse(cell).success ? cell : new Problem('invalid_time_point', { value: cell }, `"${cell}" is not a year (2027), a quarter (2027-Q2) or a date (2027-05-31).`);
const status = (cell: string) =>
  cell === '' ? 'planned' : (STATUSES.get(cell.toLowerCase()) ?? new Problem('invalid_status', { value: cell }, `"${cell}" is not an action status (Planned, In progress, Completed, Delayed, Cancelled).`));
const indicatorType = (cell: string) =>
  INDICATOR_TYPES.get(cell.toLowerCase()) ?? new Problem('invalid_indicator_type', { value: cell }, `"${cell}" is not an indicator type (Structural, Process, Outcome).`);
const amount = (cell: string) => {
  if (cell === '') return null;
  const n = /^\d+(\.\d+)?$/.test(cell) ? Number(cell) : NaN;
  return Number.isFinite(n) && n <= 1e15 ? n : new Problem('invalid_number', { value: cell }, `"${cell}" is not an amount (digits, with "." before decimals).`);
};
const year = (cell: string) => {
  if (cell === '') return null;
  const n = /^\d{4}$/.test(cell) ? Number(cell) : NaN;
  return n >= 1945 && n <= 2100 ? n : new Problem('invalid_year', { value: cell }, `"${cell}" is not a year between 1945 and 2100.`);
};
const currency = (cell: string) =>
  cell === '' ? null : CurrencySchema.safeParse(cell.toUpperCase()).success ? cell.toUpperCase() : new Problem('invalid_currency', { value: cell }, `"${cell}" is not a three-letter currency code (BYN, EUR).`);
const textList = (cell: string) => list(cell);

export function matrixLines(file: MatrixFile): MatrixLines {
  const errors: MatrixRowError[] = [];
  const actions = file.actions.rows.map((line): ActionLine => {
    const r = new RowReader('actions', file.actions, line, errors);
    const fields: Partial<ActionCells> = {};
    r.read(fields, 'title', 'action', required(Limits.titleLength));
    r.read(fields, 'description', 'description', (c) => (c.length > 20_000 ? new Problem('too_long', { max: 20_000 }, 'at most 20000 characters.') : c));
    r.read(fields, 'leadAgency', 'leadAgency', orNull);
    r.read(fields, 'coImplementers', 'coImplementers', textList);
    r.read(fields, 'csoPartners', 'csoPartners', textList);
    r.read(fields, 'start', 'start', timePoint);
    r.read(fields, 'end', 'end', timePoint);
    r.read(fields, 'status', 'status', status);
    r.read(fields, 'budgetAmount', 'budget', amount);
    r.read(fields, 'currency', 'currency', currency);
    r.read(fields, 'fundingSource', 'fundingSource', optionalText(500));
    return { row: line.row, id: r.text('actionId'), section: r.text('section'), fields };
  });
  const indicators =
    file.indicators &&
    file.indicators.rows.map((line): IndicatorLine => {
      const r = new RowReader('indicators', file.indicators!, line, errors);
      const fields: Partial<IndicatorCells> = {};
      r.read(fields, 'type', 'indicatorType', indicatorType);
      r.read(fields, 'description', 'indicator', required(2000));
      r.read(fields, 'unit', 'unit', optionalText(100));
      r.read(fields, 'baselineValue', 'baseline', optionalText(200));
      r.read(fields, 'baselineYear', 'baselineYear', year);
      r.read(fields, 'targetValue', 'target', optionalText(200));
      r.read(fields, 'targetYear', 'targetYear', year);
      r.read(fields, 'dataSource', 'dataSource', optionalText(1000));
      r.read(fields, 'frequency', 'frequency', optionalText(100));
      r.read(fields, 'disaggregation', 'disaggregation', textList);
      if (fields.baselineYear && fields.targetYear && fields.targetYear < fields.baselineYear) {
        r.fail('targetYear', 'target_before_baseline', {}, 'the target year is before the baseline year.');
      }
      return { row: line.row, id: r.text('indicatorId'), actionId: r.text('actionId'), fields };
    });
  const links =
    file.links &&
    file.links.rows.map((line): LinkLine => {
      const r = new RowReader('links', file.links!, line, errors);
      return { row: line.row, actionId: r.text('actionId'), recommendationId: r.text('recommendationId'), reference: r.text('reference') };
    });
  return { actions, indicators, links, errors };
}
