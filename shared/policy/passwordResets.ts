import { onSameSide, type Party } from './sides.ts';

/**
 * Whose password a coordinator may reset. A reset link lets whoever holds it sign in as the
 * person, so a coordinator who could reset anyone could sign for the other side. A coordinator
 * may therefore make a link only for someone of their own organisation, or of an organisation
 * verified for the plan on the same side as their own (verified) organisation. A government
 * coordinator cannot take over a civil-society account, nor the reverse; a person of an
 * unverified organisation is reset only by a coordinator of that same organisation. (Stricter
 * than managing members in sides.ts: no one of the other side, ever, since a link is the account.)
 */
export type ResetParty = Party;

export const mayResetPasswordOf = (coordinator: ResetParty, member: ResetParty): boolean => onSameSide(coordinator, member);
