import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { Member, Role } from '../../../shared/api/index.ts';
import { api } from '../../api/index.ts';
import { queryKeys, useInvalidate } from '../../api/queries.ts';
import { describeError } from '../../ui/forms.tsx';

/** A role change or a removal just made, offered for undoing a short while (RoleChangeNotice). */
export interface RoleChange {
  /** Tells one change from the next, so the notice's time starts again. */
  id: number;
  /** A removal is undone by bringing the person back in the role they had (`from`). */
  kind: 'role' | 'removal';
  member: Member;
  from: Role;
  to: Role;
  /** Put back already. */
  undone: boolean;
  /** Whoever stepped down as coordinator can no longer change roles, so is offered no undo. */
  canUndo: boolean;
}

let changeCount = 0;

/**
 * Changing a member's role and removing a member (after asking). Demoting a coordinator asks first
 * too: it takes away the outline, members and invites, and the links they made stop working. A
 * role change is offered for undoing, through the same request; a removal of someone else, by
 * bringing them back in their role (the server allows it for a while after). One row is busy at a time.
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
  const [demoting, setDemoting] = useState<{ member: Member; role: Role } | null>(null);
  const [demoteError, setDemoteError] = useState<string | null>(null);
  const [lastChange, setLastChange] = useState<RoleChange | null>(null);

  async function sendRole(member: Member, role: Role) {
    await api.updateMember(planId, member.userId, role);
    // One's own role is in the outline too.
    await invalidate(keys.members(), ...(member.userId === myUserId ? [keys.outline()] : []));
  }

  /** Sends the change; a refusal shows in the dialog that asked, else above the table. */
  async function applyRole(member: Member, role: Role, fromDialog: boolean) {
    setRowBusy(member.userId);
    setError(null);
    setDemoteError(null);
    try {
      await sendRole(member, role);
      setDemoting(null);
      const steppedDown = member.userId === myUserId && member.role === 'coordinator';
      setLastChange({ id: ++changeCount, kind: 'role', member, from: member.role, to: role, undone: false, canUndo: !steppedDown });
    } catch (err) {
      const message = describeError(err, t).message;
      if (fromDialog) setDemoteError(message);
      else setError(message);
    } finally {
      setRowBusy(null);
    }
  }

  function changeRole(member: Member, role: Role) {
    if (role === member.role) return;
    setLastChange(null);
    if (member.role === 'coordinator') {
      setDemoteError(null);
      setDemoting({ member, role });
      return;
    }
    void applyRole(member, role, false);
  }

  async function undo() {
    const change = lastChange;
    if (!change || change.undone) return;
    setRowBusy(change.member.userId);
    setError(null);
    try {
      if (change.kind === 'removal') {
        await api.restoreMember(planId, change.member.userId);
        await invalidate(keys.members());
      } else {
        await sendRole(change.member, change.from);
      }
      setLastChange({ ...change, undone: true });
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
      const removed = removing;
      setRemoving(null);
      if (self) navigate('/', { replace: true });
      else {
        await invalidate(keys.members());
        setLastChange({ id: ++changeCount, kind: 'removal', member: removed, from: removed.role, to: removed.role, undone: false, canUndo: true });
      }
    } catch (err) {
      setRemoveError(describeError(err, t).message);
    } finally {
      setRowBusy(null);
    }
  }

  return {
    error,
    rowBusy,
    changeRole,
    demoting,
    demoteError,
    confirmDemote: () => {
      if (demoting) void applyRole(demoting.member, demoting.role, true);
    },
    cancelDemote: () => setDemoting(null),
    lastChange,
    undo: () => void undo(),
    dismissChange: () => setLastChange(null),
    removing,
    removeError,
    askRemove: (member: Member) => {
      setLastChange(null);
      setRemoveError(null);
      setRemoving(member);
    },
    cancelRemove: () => setRemoving(null),
    confirmRemove: () => void confirmRemove(),
  };
}
