import type { Side } from '../api/index.ts';

/**
 * Whose password a coordinator may reset. A reset link lets whoever holds it sign in as the
 * person, so a coordinator who could reset anyone could sign for the other side. A coordinator
 * may therefore make a link only for someone of their own organisation, or of an organisation
 * verified for the plan on the same side as their own (verified) organisation. A government
 * coordinator cannot take over a civil-society account, nor the reverse; a person of an
 * unverified organisation is reset only by a coordinator of that same organisation.
 *
 * Shared by the server (which enforces it) and the browser (which offers the link only where it
 * would be accepted).
 */
export interface ResetParty {
  organisationId: string;
  /** The side the plan vouched for; null while the organisation is unverified. */
  verifiedSide: Side | null;
}

export function mayResetPasswordOf(coordinator: ResetParty, member: ResetParty): boolean {
  if (coordinator.organisationId === member.organisationId) return true;
  return coordinator.verifiedSide !== null && coordinator.verifiedSide === member.verifiedSide;
}
