import type { Member } from '../../../shared/api/index.ts';
import { mayResetPasswordOf } from '../../../shared/policy/passwordResets.ts';
import { mayManageSide, partyOfMember } from '../../../shared/policy/sides.ts';
import { useMe } from '../../session/SessionContext.tsx';

/**
 * What the signed-in person may do to each member. Offered only where the server would accept it:
 * the same rules (shared/policy) decide on both ends.
 */
export function useMemberPermissions(members: Member[] | null) {
  const me = useMe();
  const meAsMember = members?.find((m) => m.userId === me.user.id);
  return {
    myUserId: me.user.id,
    mayReset: (m: Member) => meAsMember !== undefined && mayResetPasswordOf(partyOfMember(meAsMember), partyOfMember(m)),
    // Each side manages its own people (shared/policy/sides.ts); anyone may change their own role or leave.
    mayManage: (m: Member) => m.userId === me.user.id || mayManageSide(meAsMember, m.organisation.side, members ?? []),
  };
}
