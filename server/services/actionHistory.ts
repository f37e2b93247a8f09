import { sql } from 'kysely';
import { col, rowShape } from '../db/rows.ts';
import { row, type Steps } from '../db/sql/steps.ts';
import type { Action, Indicator, NoticeText } from '../../shared/api/index.ts';
import { type Actor, type Fields, byWhom, diffFields, organisationNames, quoted, recommendationReferences, recordChangeStep } from './history.ts';
import { isOthers, proposalDetails, proposerOf, tellProposerStep, type Proposer } from './proposals.ts';
import { en } from '../export/i18n/en.ts';

/**
 * The record of changes to actions, their indicators and their links to recommendations (see
 * history.ts). Kept apart from actions.ts, which changes them; every function here is called
 * inside the transaction of the change it records, as steps (server/db/sql/steps.ts) of the edit's
 * work, so the same records are written on Sql and, for the callers still synchronous (a version's
 * restore, a recommendation's deletion), on SQLite's connection.
 */

/** An action's own fields, as kept in before/after (links are recorded as link.added/removed). */
export function actionFields(a: Action, withLinks = true): Fields {
  return {
    title: a.title,
    description: a.description,
    leadAgencyId: a.leadAgencyId,
    coImplementerIds: a.coImplementerIds,
    civilSocietyPartnerIds: a.civilSocietyPartnerIds,
    start: a.start,
    end: a.end,
    status: a.status,
    budgetAmount: a.budgetAmount,
    currency: a.currency,
    fundingSource: a.fundingSource,
    proposedByOrganisationId: a.proposedByOrganisationId,
    ...(withLinks ? { recommendationIds: a.recommendationIds } : {}),
  };
}

export function indicatorFields(i: Indicator): Fields {
  return {
    type: i.type,
    description: i.description,
    unit: i.unit,
    baselineValue: i.baselineValue,
    baselineYear: i.baselineYear,
    targetValue: i.targetValue,
    targetYear: i.targetYear,
    dataSource: i.dataSource,
    frequency: i.frequency,
    disaggregation: i.disaggregation,
    proposedByOrganisationId: i.proposedByOrganisationId,
  };
}

/**
 * Words for fields in sentences people read ("changed the target value and the lead agency"): the
 * English of the exports' catalogue, which writes the same fields in its change histories.
 */
const FIELD_WORDS: Record<string, string> = en.fields;
export const fieldWords = (changed: string[]) => changed.map((f) => FIELD_WORDS[f] ?? f).join(', ');

/** Names for the ids an action's fields hold, as they are now (organisations, recommendations). */
function* actionNames(actions: Action[]): Steps<Record<string, string>> {
  const orgIds = actions.flatMap((a) => [a.leadAgencyId, a.proposedByOrganisationId, ...a.coImplementerIds, ...a.civilSocietyPartnerIds]);
  return { ...(yield* organisationNames(orgIds)), ...(yield* recommendationReferences(actions.flatMap((a) => a.recommendationIds))) };
}

const Title = rowShape({ title: col.text });

export function* sectionTitle(sectionId: string): Steps<string> {
  return (yield* row(Title, sql`SELECT title FROM sections WHERE id = ${sectionId}`))?.title ?? '';
}

/** Where a notice about an action leads: the action in its section. */
export const actionLink = (planId: string, sectionId: string, actionId: string) => `/plans/${planId}/sections/${sectionId}#action-${actionId}`;

/** One link entry per recommendation linked to or unlinked from an action. */
export function* recordLinks(
  planId: string,
  who: Actor,
  action: Pick<Action, 'id' | 'title' | 'sectionId'>,
  change: { added: string[]; removed: string[]; because?: string },
): Steps<void> {
  const refs = yield* recommendationReferences([...change.added, ...change.removed]);
  const entry = (recommendationId: string, added: boolean) => {
    const reference = refs[recommendationId] ?? recommendationId;
    const value = { recommendationId, reference };
    return recordChangeStep({
      planId,
      who,
      action: added ? 'link.added' : 'link.removed',
      targetType: 'action',
      targetId: action.id,
      summary: `${byWhom(who)} ${added ? 'linked' : 'unlinked'} recommendation ${reference} ${added ? 'to' : 'from'} the action ${quoted(action.title)}${change.because ? ` (${change.because})` : ''}`,
      before: added ? null : value,
      after: added ? value : null,
      changed: ['recommendationId'],
      details: { recommendationId, reference, actionId: action.id, actionTitle: action.title, sectionId: action.sectionId, names: { [recommendationId]: reference } },
    });
  };
  for (const id of change.added) yield* entry(id, true);
  for (const id of change.removed) yield* entry(id, false);
}

/** A new action, and a link entry for each recommendation it starts with. */
export function* recordActionCreated(planId: string, who: Actor, action: Action): Steps<void> {
  const proposer = yield* proposerOf(action.proposedByOrganisationId);
  yield* recordChangeStep({
    planId,
    who,
    action: 'action.created',
    targetType: 'action',
    targetId: action.id,
    summary: `${byWhom(who)} added the action ${quoted(action.title)} to ${quoted(yield* sectionTitle(action.sectionId))}`,
    before: null,
    after: actionFields(action),
    details: { sectionId: action.sectionId, names: yield* actionNames([action]), ...proposalDetails(proposer) },
  });
  yield* recordLinks(planId, who, action, { added: action.recommendationIds, removed: [] });
  yield* tellNamedProposer(planId, who, proposer, { kind: 'action', title: action.title, link: actionLink(planId, action.sectionId, action.id) });
}

/**
 * Someone put an item in another organisation's name as its proposal (recording what it proposed
 * at a meeting, say): every member of that organisation is told at once, so words are never
 * attributed to an organisation behind its back, and may change who proposed it
 * (refuseReattribution lets the named organisation's members do so).
 */
function* tellNamedProposer(
  planId: string,
  who: Actor,
  proposer: Proposer | null,
  item: { kind: 'action' | 'indicator'; title: string; link: string },
): Steps<void> {
  if (!isOthers(proposer, who)) return;
  // "Olga Petrova (Ministry of Foreign Affairs)": whose word it was, with the organisation they speak for.
  const by = who.principal.organisationName ? `${who.principal.name} (${who.principal.organisationName})` : who.principal.name;
  yield* tellProposerStep({
    planId,
    proposer,
    who,
    kind: 'proposal_changed',
    summary: `${by} recorded the ${item.kind} ${quoted(item.title)} as proposed by ${proposer.name}. If it is not your organisation's proposal, change who proposed it.`,
    text:
      item.kind === 'action'
        ? { key: 'proposal_named_action', params: { who: by, title: item.title } }
        : { key: 'proposal_named_indicator', params: { who: by, indicator: item.title } },
    link: item.link,
  });
}

/**
 * Whatever changed between two states of an action (its fields, its links, its place), one entry
 * each; another organisation's proposal changed tells the proposing organisation in one notice.
 */
export function* recordActionChanges(planId: string, who: Actor, before: Action, after: Action): Steps<void> {
  const proposer = yield* proposerOf(before.proposedByOrganisationId);
  const notes: string[] = [];
  const common = { names: yield* actionNames([before, after]), sectionId: after.sectionId, ...proposalDetails(proposer) };
  const diff = diffFields(actionFields(before, false), actionFields(after, false), ['title']);
  if (diff) {
    yield* recordChangeStep({
      planId,
      who,
      action: 'action.updated',
      targetType: 'action',
      targetId: after.id,
      summary: `${byWhom(who)} changed the ${fieldWords(diff.changed)} of the action ${quoted(after.title)}`,
      ...diff,
      details: common,
    });
    notes.push(fieldWords(diff.changed));
  }
  const added = after.recommendationIds.filter((id) => !before.recommendationIds.includes(id));
  const removed = before.recommendationIds.filter((id) => !after.recommendationIds.includes(id));
  yield* recordLinks(planId, who, after, { added, removed });
  const refs = yield* recommendationReferences([...added, ...removed]);
  if (added.length) notes.push(`linked ${added.map((id) => refs[id] ?? id).join(', ')}`);
  if (removed.length) notes.push(`unlinked ${removed.map((id) => refs[id] ?? id).join(', ')}`);
  if (before.sectionId !== after.sectionId || before.position !== after.position) {
    const names = { [before.sectionId]: yield* sectionTitle(before.sectionId), [after.sectionId]: yield* sectionTitle(after.sectionId) };
    yield* recordChangeStep({
      planId,
      who,
      action: 'action.moved',
      targetType: 'action',
      targetId: after.id,
      summary:
        before.sectionId === after.sectionId
          ? `${byWhom(who)} moved the action ${quoted(after.title)} from place ${before.position + 1} to ${after.position + 1} in ${quoted(names[after.sectionId]!)}`
          : `${byWhom(who)} moved the action ${quoted(after.title)} from ${quoted(names[before.sectionId]!)} to ${quoted(names[after.sectionId]!)}`,
      before: { title: before.title, sectionId: before.sectionId, position: before.position },
      after: { title: after.title, sectionId: after.sectionId, position: after.position },
      changed: before.sectionId === after.sectionId ? ['position'] : ['sectionId', 'position'],
      details: { ...common, names: { ...common.names, ...names }, fromSectionId: before.sectionId },
    });
    notes.push(before.sectionId === after.sectionId ? 'moved it' : `moved it to ${quoted(names[after.sectionId]!)}`);
  }
  if (after.proposedByOrganisationId !== before.proposedByOrganisationId) {
    yield* tellNamedProposer(planId, who, (yield* proposerOf(after.proposedByOrganisationId)), { kind: 'action', title: after.title, link: actionLink(planId, after.sectionId, after.id) });
  }
  if (notes.length && isOthers(proposer, who)) {
    yield* tellProposerStep({
      planId,
      proposer,
      who,
      kind: 'proposal_changed',
      summary: `${byWhom(who)} changed the action ${quoted(after.title)} proposed by ${proposer.name}: ${notes.join('; ')}.`,
      text: { key: 'proposal_changed_action', params: { who: who.principal.name, title: after.title } },
      link: actionLink(planId, after.sectionId, after.id),
    });
  }
}

/**
 * A deleted action: an entry for each of its indicators and links (they go with it), then the
 * action's own, each with the reason and whose proposal it was; proposers are told.
 */
export function* recordActionDeleted(planId: string, who: Actor, action: Action, reason: string | null): Steps<void> {
  for (const indicator of action.indicators) yield* recordIndicatorDeleted(planId, who, action, indicator, reason, true);
  yield* recordLinks(planId, who, action, { added: [], removed: action.recommendationIds, because: 'the action was deleted' });
  const proposer = yield* proposerOf(action.proposedByOrganisationId);
  const summary = removalSummary(who, 'the action', action.title, proposer, reason);
  yield* recordChangeStep({
    planId,
    who,
    action: 'action.deleted',
    targetType: 'action',
    targetId: action.id,
    summary,
    before: actionFields(action),
    after: null,
    details: {
      sectionId: action.sectionId,
      names: yield* actionNames([action]),
      indicators: action.indicators.map((i) => ({ id: i.id, description: i.description, proposedByOrganisationId: i.proposedByOrganisationId })),
      ...proposalDetails(proposer),
      ...removal(proposer, who, reason),
    },
  });
  const text: NoticeText = {
    key: reason ? 'proposal_removed_action_reason' : 'proposal_removed_action',
    params: { who: who.principal.name, organisation: who.principal.organisationName, title: action.title, proposer: proposer?.name ?? '', ...(reason ? { reason } : {}) },
  };
  yield* tellProposerStep({ planId, proposer, who, kind: 'proposal_removed', summary: sentence(summary), text, link: `/plans/${planId}/sections/${action.sectionId}` });
}

export function* recordIndicatorCreated(planId: string, who: Actor, action: Action, indicator: Indicator): Steps<void> {
  const proposer = yield* proposerOf(indicator.proposedByOrganisationId);
  yield* recordChangeStep({
    planId,
    who,
    action: 'indicator.created',
    targetType: 'indicator',
    targetId: indicator.id,
    summary: `${byWhom(who)} added the indicator ${quoted(indicator.description)} to the action ${quoted(action.title)}`,
    before: null,
    after: indicatorFields(indicator),
    details: yield* indicatorContext(action, [indicator], proposer),
  });
  yield* tellNamedProposer(planId, who, proposer, { kind: 'indicator', title: indicator.description, link: actionLink(planId, action.sectionId, action.id) });
  // Adding to another organisation's action changes their proposal (told once: not again when
  // the indicator was just put in that organisation's name).
  const actionProposer = yield* proposerOf(action.proposedByOrganisationId);
  if (isOthers(actionProposer, who) && actionProposer.id !== proposer?.id) {
    yield* tellProposerStep({
      planId,
      proposer: actionProposer,
      who,
      kind: 'proposal_changed',
      summary: `${byWhom(who)} added the indicator ${quoted(indicator.description)} to the action ${quoted(action.title)} proposed by ${actionProposer.name}.`,
      text: { key: 'proposal_indicator_added', params: { who: who.principal.name, title: action.title, indicator: indicator.description } },
      link: actionLink(planId, action.sectionId, action.id),
    });
  }
}

export function* recordIndicatorUpdated(planId: string, who: Actor, action: Action, before: Indicator, after: Indicator): Steps<void> {
  const diff = diffFields(indicatorFields(before), indicatorFields(after), ['description']);
  if (!diff) return;
  const proposer = yield* proposerOf(before.proposedByOrganisationId);
  yield* recordChangeStep({
    planId,
    who,
    action: 'indicator.updated',
    targetType: 'indicator',
    targetId: after.id,
    summary: `${byWhom(who)} changed the ${fieldWords(diff.changed)} of the indicator ${quoted(after.description)}`,
    ...diff,
    details: yield* indicatorContext(action, [before, after], proposer),
  });
  if (after.proposedByOrganisationId !== before.proposedByOrganisationId) {
    yield* tellNamedProposer(planId, who, (yield* proposerOf(after.proposedByOrganisationId)), { kind: 'indicator', title: after.description, link: actionLink(planId, action.sectionId, action.id) });
  }
  if (isOthers(proposer, who)) {
    yield* tellProposerStep({
      planId,
      proposer,
      who,
      kind: 'proposal_changed',
      summary: `${byWhom(who)} changed the ${fieldWords(diff.changed)} of the indicator ${quoted(after.description)} proposed by ${proposer.name}.`,
      text: { key: 'proposal_changed_indicator', params: { who: who.principal.name, indicator: after.description } },
      link: actionLink(planId, action.sectionId, action.id),
    });
  }
}

/** `withAction`: deleted together with its action (the action's entry and notice follow). */
export function* recordIndicatorDeleted(
  planId: string,
  who: Actor,
  action: Action,
  indicator: Indicator,
  reason: string | null,
  withAction = false,
): Steps<void> {
  const proposer = yield* proposerOf(indicator.proposedByOrganisationId);
  const summary = removalSummary(who, 'the indicator', indicator.description, proposer, reason) + (withAction ? ` with its action ${quoted(action.title)}` : '');
  yield* recordChangeStep({
    planId,
    who,
    action: 'indicator.deleted',
    targetType: 'indicator',
    targetId: indicator.id,
    summary,
    before: indicatorFields(indicator),
    after: null,
    details: { ...yield* indicatorContext(action, [indicator], proposer), ...removal(proposer, who, reason), withAction },
  });
  // The action's proposer hears of the action; an indicator's other proposer of their indicator.
  if (!withAction || proposer?.id !== action.proposedByOrganisationId) {
    const text: NoticeText = {
      key: reason ? 'proposal_removed_indicator_reason' : 'proposal_removed_indicator',
      params: { who: who.principal.name, organisation: who.principal.organisationName, indicator: indicator.description, proposer: proposer?.name ?? '', ...(reason ? { reason } : {}) },
    };
    yield* tellProposerStep({ planId, proposer, who, kind: 'proposal_removed', summary: sentence(summary), text, link: actionLink(planId, action.sectionId, action.id) });
  }
}

function* indicatorContext(action: Action, indicators: Indicator[], proposer: Proposer | null): Steps<Fields> {
  return {
    actionId: action.id,
    actionTitle: action.title,
    sectionId: action.sectionId,
    names: yield* organisationNames(indicators.map((i) => i.proposedByOrganisationId)),
    ...proposalDetails(proposer),
  };
}

function removal(proposer: Proposer | null, who: Actor, reason: string | null): Fields {
  return { withdrawnByProposer: proposer !== null && proposer.id === who.principal.organisationId, reason };
}

/** "Anna Ivanova (Ministry of Justice) deleted the indicator “…” proposed by Disability Rights Belarus. Reason: “…”" */
function removalSummary(who: Actor, what: string, title: string, proposer: Proposer | null, reason: string | null): string {
  const others = proposer !== null && proposer.id !== who.principal.organisationId;
  const whose = !proposer ? '' : others ? ` proposed by ${proposer.name}` : `, which ${proposer.name} had proposed`;
  return `${byWhom(who)} deleted ${what} ${quoted(title)}${whose}${reason ? `. Reason: ${quoted(reason)}` : ''}`;
}

/** A summary as a notice: ends with a full stop, unless it ends with a quotation (that ends with its own). */
const sentence = (summary: string) => (summary.endsWith('”') ? summary : `${summary}.`);

/**
 * Every action and indicator a restore (or any wholesale replacement) changed, as if made one by
 * one: the items' histories then tell that a version brought them back or took them away, and
 * proposers hear of it like of any other change. `because` is the reason removals carry.
 */
export function* recordSectionActionsReplaced(planId: string, who: Actor, before: Action[], after: Action[], because: string): Steps<void> {
  const afterById = new Map(after.map((a) => [a.id, a]));
  const beforeById = new Map(before.map((a) => [a.id, a]));
  for (const old of before) if (!afterById.has(old.id)) yield* recordActionDeleted(planId, who, old, because);
  for (const now of after) {
    const was = beforeById.get(now.id);
    if (!was) {
      yield* recordActionCreated(planId, who, now);
      for (const indicator of now.indicators) yield* recordIndicatorCreated(planId, who, now, indicator);
      continue;
    }
    yield* recordActionChanges(planId, who, was, now);
    const wasIndicators = new Map(was.indicators.map((i) => [i.id, i]));
    const nowIds = new Set(now.indicators.map((i) => i.id));
    for (const i of was.indicators) if (!nowIds.has(i.id)) yield* recordIndicatorDeleted(planId, who, now, i, because);
    for (const i of now.indicators) {
      const prior = wasIndicators.get(i.id);
      if (prior) yield* recordIndicatorUpdated(planId, who, now, prior, i);
      else yield* recordIndicatorCreated(planId, who, now, i);
    }
  }
}
