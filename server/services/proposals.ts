import type { z } from 'zod';
import type { Db } from '../db/database.ts';
import { allRows, col, oneRow, rowShape } from '../db/rows.ts';
import { badRequest, forbidden } from '../errors.ts';
import type { Actor, Fields } from './history.ts';
import { notifyNow } from './notifications.ts';
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

export function findProposer(db: Db, organisationId: string | null | undefined): Proposer | null {
  if (!organisationId) return null;
  return oneRow(db.prepare('SELECT id, name, side FROM organisations WHERE id = ?'), Proposer, organisationId) ?? null;
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
function membersOf(db: Db, planId: string, organisationId: string): string[] {
  return allRows(
    db.prepare('SELECT m.user_id AS id FROM plan_members m JOIN users u ON u.id = m.user_id WHERE m.plan_id = ? AND u.organisation_id = ?'),
    IdRow,
    planId,
    organisationId,
  ).map((r) => r.id);
}

/**
 * Tells every member of the proposing organisation what another organisation did to its proposal.
 * Nothing when the proposer's own organisation acted.
 */
export function tellProposer(
  db: Db,
  input: { planId: string; proposer: Proposer | null; who: Actor; kind: 'proposal_removed' | 'proposal_changed'; summary: string; text: NoticeText; link: string | null },
): number {
  const { proposer, who } = input;
  if (!isOthers(proposer, who)) return 0;
  const people = membersOf(db, input.planId, proposer.id).filter((id) => id !== who.principal.userId);
  for (const userId of people) notifyNow(db, { userId, planId: input.planId, kind: input.kind, summary: input.summary, text: input.text, link: input.link });
  return people.length;
}
