import type {
  ActionChange,
  ActionField,
  ActionSnapshot,
  ActionsDiff,
  ActionsDiffSummary,
  ActionsSnapshot,
  FieldChange,
  IndicatorChange,
  IndicatorField,
  IndicatorSnapshot,
} from '../../shared/api/index.ts';

/**
 * Differences between the actions of two states of a section (two versions, or a version and the
 * current actions), field by field. Actions and indicators are matched by id: one deleted and
 * typed again by hand shows as removed and added, which is what happened.
 *
 * Values are given as people read them: organisations by name (as each side named them),
 * recommendations by reference, lists joined with "; ", numbers as digits. Status and indicator
 * type are given as their codes, for the client to translate.
 */

const EMPTY_SUMMARY: ActionsDiffSummary = {
  actionsAdded: 0,
  actionsRemoved: 0,
  actionsChanged: 0,
  indicatorsAdded: 0,
  indicatorsRemoved: 0,
  indicatorsChanged: 0,
};

const list = (values: string[]): string | null => (values.length === 0 ? null : values.join('; '));
const text = (value: string | number | null): string | null => (value === null || value === '' ? null : String(value));

function actionValues(a: ActionSnapshot, orgs: Record<string, string>): Record<Exclude<ActionField, 'position'>, string | null> {
  const org = (id: string) => orgs[id] ?? id;
  return {
    title: a.title,
    description: text(a.description),
    status: a.status,
    leadAgency: a.leadAgencyId === null ? null : org(a.leadAgencyId),
    coImplementers: list(a.coImplementerIds.map(org)),
    civilSocietyPartners: list(a.civilSocietyPartnerIds.map(org)),
    start: a.start,
    end: a.end,
    budgetAmount: text(a.budgetAmount),
    currency: a.currency,
    fundingSource: text(a.fundingSource),
    // Sorted: links have no order, only the set matters.
    recommendations: list(a.recommendations.map((r) => r.reference).sort((x, y) => x.localeCompare(y, 'en', { numeric: true }))),
  };
}

function indicatorValues(i: IndicatorSnapshot, orgs: Record<string, string>): Record<Exclude<IndicatorField, 'position'>, string | null> {
  return {
    type: i.type,
    description: i.description,
    unit: text(i.unit),
    baselineValue: text(i.baselineValue),
    baselineYear: text(i.baselineYear),
    targetValue: text(i.targetValue),
    targetYear: text(i.targetYear),
    dataSource: text(i.dataSource),
    frequency: text(i.frequency),
    disaggregation: list(i.disaggregation),
    proposedBy: i.proposedByOrganisationId === null ? null : (orgs[i.proposedByOrganisationId] ?? i.proposedByOrganisationId),
  };
}

/** The fields whose values differ; with one side missing, every field set on the other. */
function fieldChanges(from: Record<string, string | null> | null, to: Record<string, string | null> | null): FieldChange[] {
  const keys = Object.keys(from ?? to ?? {});
  const out: FieldChange[] = [];
  for (const field of keys) {
    const a = from?.[field] ?? null;
    const b = to?.[field] ?? null;
    if (a !== b) out.push({ field, from: a, to: b });
  }
  return out;
}

/**
 * Items present on both sides whose order among those common items changed: a removal or an
 * addition moves the numbers of the others, which is not a change of theirs.
 */
function moved<T extends { id: string }>(from: T[], to: T[]): Map<string, { from: number; to: number }> {
  const toIds = new Set(to.map((x) => x.id));
  const fromIds = new Set(from.map((x) => x.id));
  const commonFrom = from.filter((x) => toIds.has(x.id)).map((x) => x.id);
  const commonTo = to.filter((x) => fromIds.has(x.id)).map((x) => x.id);
  const out = new Map<string, { from: number; to: number }>();
  commonTo.forEach((id, i) => {
    if (commonFrom[i] !== id) out.set(id, { from: from.findIndex((x) => x.id === id) + 1, to: to.findIndex((x) => x.id === id) + 1 });
  });
  return out;
}

function diffIndicators(from: IndicatorSnapshot[], to: IndicatorSnapshot[], fromOrgs: Record<string, string>, toOrgs: Record<string, string>): IndicatorChange[] {
  const fromById = new Map(from.map((i) => [i.id, i]));
  const toIds = new Set(to.map((i) => i.id));
  const order = moved(from, to);
  const changes: IndicatorChange[] = [];
  for (const i of to) {
    const old = fromById.get(i.id);
    const fields = fieldChanges(old ? indicatorValues(old, fromOrgs) : null, indicatorValues(i, toOrgs));
    const position = order.get(i.id);
    if (position) fields.push({ field: 'position', from: String(position.from), to: String(position.to) });
    if (!old) changes.push({ indicatorId: i.id, description: i.description, change: 'added', fields });
    else if (fields.length > 0) changes.push({ indicatorId: i.id, description: i.description, change: 'changed', fields });
  }
  for (const i of from) {
    if (toIds.has(i.id)) continue;
    changes.push({ indicatorId: i.id, description: i.description, change: 'removed', fields: fieldChanges(indicatorValues(i, fromOrgs), null) });
  }
  return changes;
}

/** Counts of added, removed and changed actions and indicators in a list of changes. */
export function summariseActionChanges(changes: ActionChange[]): ActionsDiffSummary {
  const s = { ...EMPTY_SUMMARY };
  for (const c of changes) {
    if (c.change === 'added') s.actionsAdded++;
    else if (c.change === 'removed') s.actionsRemoved++;
    else if (c.fields.length > 0 || c.indicators.length > 0) s.actionsChanged++;
    for (const i of c.indicators) {
      if (i.change === 'added') s.indicatorsAdded++;
      else if (i.change === 'removed') s.indicatorsRemoved++;
      else s.indicatorsChanged++;
    }
  }
  return s;
}

/**
 * Action changes from `from` to `to`, in the order of `to`, then the actions only `from` has.
 * A null side is a version kept before versions held actions: nothing is compared then.
 */
export function diffActions(from: ActionsSnapshot | null, to: ActionsSnapshot | null): ActionsDiff {
  const sides = { from: from ? ('actions' as const) : ('text_only' as const), to: to ? ('actions' as const) : ('text_only' as const) };
  if (!from || !to) return { ...sides, comparable: false, changes: [], summary: { ...EMPTY_SUMMARY } };
  const fromById = new Map(from.actions.map((a) => [a.id, a]));
  const toIds = new Set(to.actions.map((a) => a.id));
  const order = moved(from.actions, to.actions);
  const changes: ActionChange[] = [];
  for (const a of to.actions) {
    const old = fromById.get(a.id);
    const fields = fieldChanges(old ? actionValues(old, from.organisations) : null, actionValues(a, to.organisations));
    const position = order.get(a.id);
    if (position) fields.push({ field: 'position', from: String(position.from), to: String(position.to) });
    const indicators = diffIndicators(old?.indicators ?? [], a.indicators, from.organisations, to.organisations);
    if (!old) changes.push({ actionId: a.id, title: a.title, change: 'added', fields, indicators });
    else if (fields.length > 0 || indicators.length > 0) changes.push({ actionId: a.id, title: a.title, change: 'changed', fields, indicators });
  }
  for (const a of from.actions) {
    if (toIds.has(a.id)) continue;
    changes.push({
      actionId: a.id,
      title: a.title,
      change: 'removed',
      fields: fieldChanges(actionValues(a, from.organisations), null),
      indicators: diffIndicators(a.indicators, [], from.organisations, to.organisations),
    });
  }
  return { ...sides, comparable: true, changes, summary: summariseActionChanges(changes) };
}
