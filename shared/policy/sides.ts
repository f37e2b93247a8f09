import type { Side } from '../api/index.ts';

/**
 * Each side answers for its own people. A plan is drafted by parties that distrust each other, so
 * a government coordinator must not decide which NGOs count, demote the NGOs' coordinator or take
 * over an NGO lawyer's account, nor the reverse. Plain functions, shared by the server (which
 * enforces them) and the browser (which offers only what would be accepted).
 */
export interface Party {
  organisationId: string;
  /** The side the plan vouched for; null while the organisation is unverified. */
  verifiedSide: Side | null;
}

/** Same organisation, or verified organisations of the same side. */
export function onSameSide(a: Party, b: Party): boolean {
  if (a.organisationId === b.organisationId) return true;
  return a.verifiedSide !== null && a.verifiedSide === b.verifiedSide;
}

/**
 * Whether a coordinator may vouch for, or withdraw the verification of, an organisation of
 * `targetSide`, or change the role of or remove a member of that side. Only a coordinator of a
 * verified organisation acts at all. Once a side has a coordinator of its own from a verified
 * organisation, only coordinators of that side act on it; before that (a plan starts with one
 * side's coordinator), any verified coordinator may, so the other side can be brought in.
 */
export function mayActOnSide(actor: Party, targetSide: Side, sideHasOwnCoordinator: boolean): boolean {
  if (actor.verifiedSide === null) return false;
  return actor.verifiedSide === targetSide || !sideHasOwnCoordinator;
}

/**
 * Whether a coordinator may make an invitation in the name of `organisation`: the invitee joins
 * speaking for it, and a verified organisation's people sign for their side. So it is the same
 * rule as managing that side's people, except that anyone may invite into their own organisation
 * (which gains no standing by it: an unverified one stays unverified).
 */
export function mayInviteInto(actor: Party, organisation: { id: string; side: Side }, sideHasOwnCoordinator: boolean): boolean {
  return actor.organisationId === organisation.id || mayActOnSide(actor, organisation.side, sideHasOwnCoordinator);
}

/** A plan member as the members list describes them (shared/api Member). */
interface ListedMember {
  userId: string;
  role: string;
  organisation: { id: string; side: Side };
  organisationVerified: boolean;
}

/** A listed member as a party (the side of a verified organisation is the side it was verified for). */
export const partyOfMember = (m: ListedMember): Party => ({ organisationId: m.organisation.id, verifiedSide: m.organisationVerified ? m.organisation.side : null });

/** Whether, among the plan's members, some coordinator belongs to a verified organisation of `side`. */
export const sideHasOwnCoordinatorAmong = (members: readonly ListedMember[], side: Side): boolean =>
  members.some((m) => m.role === 'coordinator' && m.organisationVerified && m.organisation.side === side);

/** What the browser offers: may `me` manage (verify, re-role, remove) what belongs to `side`? */
export function mayManageSide(me: ListedMember | undefined, side: Side, members: readonly ListedMember[]): boolean {
  return me !== undefined && mayActOnSide(partyOfMember(me), side, sideHasOwnCoordinatorAmong(members, side));
}

/** What the browser offers when inviting: may `me` invite someone in the name of `organisation`? */
export function mayInviteIntoAmong(me: ListedMember | undefined, organisation: { id: string; side: Side }, members: readonly ListedMember[]): boolean {
  return me !== undefined && mayInviteInto(partyOfMember(me), organisation, sideHasOwnCoordinatorAmong(members, organisation.side));
}
