/**
 * Which actions and indicators a matrix import created are kept when it is undone: those people
 * built on since. Undoing a file takes back what the file brought, never what people did after it
 * (decision 0015): an action someone corrected, linked to another recommendation, gave an
 * indicator, reported progress on, assessed or took a position on is theirs now as much as the
 * file's, and deleting it would silently destroy that work.
 *
 * "Edited since" is told by value: a created item's change row keeps, in `applied`, its fields as
 * the import left them (createdFields); a field that differs now was changed by hand (or by a
 * version restored). Rows recorded before that have no `applied`: only what refers to the item
 * (indicators, reports, assessments, positions) can keep them.
 */
import { sql, type RawBuilder } from 'kysely';
import { col, rowShape } from '../db/rows.ts';
import { flag } from '../db/sql/portable.ts';
import type { Sql } from '../db/sql/Sql.ts';
import { sameActionValue, sameIndicatorValue } from './matrixMatching.ts';
import type { Action, ActionUpdate, Indicator, IndicatorInput, MatrixKeptReason } from '../../shared/api/index.ts';

/** An action's fields the import set when it created it; its place in the section is not one (others' deletions move it). */
const ACTION_FIELDS = [
  'title',
  'description',
  'leadAgencyId',
  'coImplementerIds',
  'civilSocietyPartnerIds',
  'start',
  'end',
  'status',
  'budgetAmount',
  'currency',
  'fundingSource',
  'proposedByOrganisationId',
  'sectionId',
  'recommendationIds',
] as const satisfies ReadonlyArray<keyof ActionUpdate & keyof Action>;

const INDICATOR_FIELDS = [
  'type',
  'description',
  'unit',
  'baselineValue',
  'baselineYear',
  'targetValue',
  'targetYear',
  'dataSource',
  'frequency',
  'disaggregation',
  'proposedByOrganisationId',
] as const satisfies ReadonlyArray<keyof IndicatorInput>;

const pick = (item: object, keys: readonly string[]) => Object.fromEntries(keys.map((k) => [k, (item as Record<string, unknown>)[k]]));

/** What a commit records as `applied` for an item it created: its fields as the import left them (JSON). */
export const createdFields = (item: { kind: 'action'; action: Action } | { kind: 'indicator'; indicator: Indicator }): string =>
  JSON.stringify(item.kind === 'action' ? pick(item.action, ACTION_FIELDS) : pick(item.indicator, INDICATOR_FIELDS));

/** A created item's change row, and the item as it is now (null: deleted since, or in the bin). */
export interface CreatedChange<T> {
  itemId: string;
  applied: string | null;
  now: T | null;
}

const Exists = rowShape({ found: col.int });
const has = async (q: Sql, query: RawBuilder<unknown>) => (await q.theRow(Exists, sql`SELECT ${flag(sql`EXISTS (${query})`)} AS found`)).found === 1;

async function indicatorReasons(q: Sql, c: CreatedChange<Indicator>): Promise<MatrixKeptReason[]> {
  const now = c.now!;
  const reasons: MatrixKeptReason[] = [];
  if (c.applied !== null) {
    const applied = JSON.parse(c.applied) as Record<string, unknown>;
    if (INDICATOR_FIELDS.some((k) => !sameIndicatorValue(k, applied[k], now[k]))) reasons.push('edited');
  }
  if (await has(q, sql`SELECT 1 FROM observed_values WHERE indicator_id = ${now.id}`)) reasons.push('reports');
  return reasons;
}

async function actionReasons(q: Sql, c: CreatedChange<Action>, createdIndicators: ReadonlySet<string>, keptIndicators: ReadonlySet<string>): Promise<MatrixKeptReason[]> {
  const now = c.now!;
  const reasons: MatrixKeptReason[] = [];
  if (c.applied !== null) {
    const applied = JSON.parse(c.applied) as Record<string, unknown>;
    const links = (applied.recommendationIds ?? []) as string[];
    const linkRemoved = links.some((id) => !now.recommendationIds.includes(id));
    if (linkRemoved || ACTION_FIELDS.some((k) => k !== 'recommendationIds' && !sameActionValue(k, applied[k], now[k]))) reasons.push('edited');
    if (now.recommendationIds.some((id) => !links.includes(id))) reasons.push('links');
  }
  // The action is new, so every indicator under it is this import's or added since.
  if (now.indicators.some((i) => !createdIndicators.has(i.id) || keptIndicators.has(i.id))) reasons.push('indicators');
  if (await has(q, sql`SELECT 1 FROM progress_reports WHERE action_id = ${now.id}`)) reasons.push('reports');
  if (await has(q, sql`SELECT 1 FROM assessments WHERE target_type = 'action' AND target_id = ${now.id}`)) reasons.push('assessment');
  if (await has(q, sql`SELECT 1 FROM dissenting_positions WHERE action_id = ${now.id} AND withdrawn_at IS NULL`)) reasons.push('position');
  return reasons;
}

/**
 * The created actions and indicators an undo keeps, each with its reasons. Indicators first: one
 * that is kept keeps its action too (deleting the action would take it along), while an untouched
 * indicator the file brought under a kept action is still deleted, since it is only the file's.
 */
export async function keptOnUndo(
  q: Sql,
  actions: ReadonlyArray<CreatedChange<Action>>,
  indicators: ReadonlyArray<CreatedChange<Indicator>>,
): Promise<Map<string, MatrixKeptReason[]>> {
  const kept = new Map<string, MatrixKeptReason[]>();
  for (const c of indicators) {
    if (!c.now) continue;
    const reasons = await indicatorReasons(q, c);
    if (reasons.length > 0) kept.set(c.itemId, reasons);
  }
  const createdIndicators = new Set(indicators.map((c) => c.itemId));
  const keptIndicators = new Set(kept.keys());
  for (const c of actions) {
    if (!c.now) continue;
    const reasons = await actionReasons(q, c, createdIndicators, keptIndicators);
    if (reasons.length > 0) kept.set(c.itemId, reasons);
  }
  return kept;
}
