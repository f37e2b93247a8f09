import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { Member, Role } from '../../../shared/api/index.ts';
import { api } from '../../api/index.ts';
import { queryKeys, useInvalidate } from '../../api/queries.ts';
import { describeError } from '../../ui/forms.tsx';

/**
 * Changing a member's role and removing a member (after asking). One row is busy at a time.
 * Whoever removes themselves leaves the plan for the plans list.
 */
export function useMemberChanges(planId: string, myUserId: string) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const invalidate = useInvalidate();
  const keys = queryKeys.plan(planId);
  const [error, setError] = useState<string | null>(null);
  const [rowBusy, setRowBusy] = useState<string | null>(null);
  const [removing, setRemoving] = useState<Member | null>(null);
  const [removeError, setRemoveError] = useState<string | null>(null);

  async function changeRole(member: Member, role: Role) {
    setRowBusy(member.userId);
    setError(null);
    try {
      await api.updateMember(planId, member.userId, role);
      // One's own role is in the outline too.
      await invalidate(keys.members(), ...(member.userId === myUserId ? [keys.outline()] : []));
    } catch (err) {
      setError(describeError(err, t).message);
    } finally {
      setRowBusy(null);
    }
  }

  async function confirmRemove() {
    if (!removing) return;
    setRowBusy(removing.userId);
    setRemoveError(null);
    try {
      await api.removeMember(planId, removing.userId);
      const self = removing.userId === myUserId;
      setRemoving(null);
      if (self) navigate('/', { replace: true });
      else await invalidate(keys.members());
    } catch (err) {
      setRemoveError(describeError(err, t).message);
    } finally {
      setRowBusy(null);
    }
  }

  return {
    error,
    rowBusy,
    changeRole: (member: Member, role: Role) => void changeRole(member, role),
    removing,
    removeError,
    askRemove: (member: Member) => {
      setRemoveError(null);
      setRemoving(member);
    },
    cancelRemove: () => setRemoving(null),
    confirmRemove: () => void confirmRemove(),
  };
}
