import { sql } from 'kysely';
import type { z } from 'zod';
import type { Db } from '../db/database.ts';
import { col, rowShape } from '../db/rows.ts';
import { rowNow, rowsNow } from '../db/sql/sqliteNow.ts';
import type { Sql } from '../db/sql/Sql.ts';
import { step, type Steps } from '../db/sql/steps.ts';
import { badRequest, forbidden } from '../errors.ts';
import type { Actor, Fields } from './history.ts';
import { notify, notifyNow } from './notifications.ts';
import { SideSchema, type NoticeText } from '../../shared/api/index.ts';

/**
 * Proposals have a fate. An action or an indicator records which organisation proposed it. When
 * another organisation removes it, the removal needs a reason; when another organisation removes
 * or changes it, every member of the proposing organisation in the plan is told, and the audit
 * entry keeps whose proposal it was, so an export can list "proposals by civil society and what
 * became of them" (withdrawn by the proposer, or rejected by another organisation, and why).
 */

const Proposer = rowShape({ id: col.text, name: col.text, side: SideSchema });
export type Proposer = z.output<typeof Proposer>;
const IdRow = rowShape({ id: col.text });

const proposerQuery = (organisationId: string) => sql`SELECT id, name, side FROM organisations WHERE id = ${organisationId}`;

/** The organisation that proposed an item (null when none is recorded, or it is gone). */
export async function findProposer(q: Sql, organisationId: string | null | undefined): Promise<Proposer | null> {
  if (!organisationId) return null;
  return (await q.row(Proposer, proposerQuery(organisationId))) ?? null;
}

/** findProposer for the action and indicator edits' synchronous form (versions, fixtures of tests and benches): the same query. */
export function findProposerNow(db: Db, organisationId: string | null | undefined): Proposer | null {
  if (!organisationId) return null;
  return rowNow(db, Proposer, proposerQuery(organisationId)) ?? null;
}

/** Whether the item is another organisation's proposal than the acting person's. */
export const isOthers = (proposer: Proposer | null, who: Actor): proposer is Proposer =>
  proposer !== null && proposer.id !== who.principal.organisationId;

/** What every entry about a proposed item keeps of its proposer. */
export function proposalDetails(proposer: Proposer | null): Fields {
  return {
    proposedByOrganisationId: proposer?.id ?? null,
    proposedByOrganisationName: proposer?.name ?? null,
    proposedBySide: proposer?.side ?? null,
  };
}

const names = (proposers: Proposer[]) => {
  const list = proposers.map((p) => p.name);
  return list.length <= 1 ? (list[0] ?? '') : `${list.slice(0, -1).join(', ')} and ${list.at(-1)}`;
};

/**
 * Removing another organisation's proposal takes a reason: 400 naming the organisations when there
 * is none. Returns the reason (trimmed; null when none was given and none was needed).
 */
export function requireRemovalReason(proposers: Array<Proposer | null>, who: Actor, reason: string | undefined, what: string): string | null {
  const given = reason?.trim() ? reason.trim() : null;
  const others = distinct(proposers.filter((p): p is Proposer => isOthers(p, who)));
  if (others.length > 0 && given === null) {
    const message = `${what} was proposed by ${names(others)}. Say why you remove it: the reason is recorded and ${names(others)} will be told.`;
    throw badRequest(message, { reason: { code: 'removal_reason_required' } });
  }
  return given;
}

/**
 * Only the proposing organisation hands a proposal over to another: otherwise anyone could
 * re-attribute an NGO's indicator to themselves and then delete it without a reason.
 */
export function refuseReattribution(current: Proposer | null, next: string | null | undefined, who: Actor, what: string): void {
  if (next === undefined || next === (current?.id ?? null)) return;
  if (isOthers(current, who)) {
    throw forbidden(`${what} was proposed by ${current.name}. Only a member of ${current.name} can change who proposed it.`, 'proposal_not_yours');
  }
}

function distinct(proposers: Proposer[]): Proposer[] {
  return [...new Map(proposers.map((p) => [p.id, p])).values()];
}

/** Members of an organisation in a plan (the people told about their organisation's proposals). */
const membersQuery = (planId: string, organisationId: string) =>
  sql`SELECT m.user_id AS id FROM plan_members m JOIN users u ON u.id = m.user_id WHERE m.plan_id = ${planId} AND u.organisation_id = ${organisationId}
    ORDER BY m.user_id`;

export type ProposerNotice = {
  planId: string;
  proposer: Proposer | null;
  who: Actor;
  kind: 'proposal_removed' | 'proposal_changed';
  summary: string;
  text: NoticeText;
  link: string | null;
};

/** Never the person acting: they know what they did. */
const othersThan = (who: Actor, members: Array<{ id: string }>) => members.map((m) => m.id).filter((id) => id !== who.principal.userId);

const noticeOf = (input: ProposerNotice, userId: string) => ({ userId, planId: input.planId, kind: input.kind, summary: input.summary, text: input.text, link: input.link });

/**
 * Tells every member of the proposing organisation what another organisation did to its proposal,
 * inside the transaction of the change (`tx`). Nothing when the proposer's own organisation acted.
 */
export async function tellProposer(tx: Sql, input: ProposerNotice): Promise<number> {
  if (!isOthers(input.proposer, input.who)) return 0;
  const people = othersThan(input.who, await tx.rows(IdRow, membersQuery(input.planId, input.proposer.id)));
  for (const userId of people) await notify(tx, noticeOf(input, userId));
  return people.length;
}

/** tellProposer for the action and indicator histories' synchronous form (versions, fixtures of tests and benches): the same statements. */
export function tellProposerNow(db: Db, input: ProposerNotice): number {
  if (!isOthers(input.proposer, input.who)) return 0;
  const people = othersThan(input.who, rowsNow(db, IdRow, membersQuery(input.planId, input.proposer.id)));
  for (const userId of people) notifyNow(db, noticeOf(input, userId));
  return people.length;
}

/** tellProposer as a step of the action and indicator histories, which run in both forms (steps.ts). */
export const tellProposerStep = (input: ProposerNotice): Steps<number> => step({ now: (db) => tellProposerNow(db, input), on: (tx) => tellProposer(tx, input) });

/** findProposer as a step of the action and indicator edits (steps.ts). */
export const proposerOf = (organisationId: string | null | undefined): Steps<Proposer | null> =>
  step({ now: (db) => findProposerNow(db, organisationId), on: (q) => findProposer(q, organisationId) });
