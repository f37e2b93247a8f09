import { useTranslation } from 'react-i18next';
import type { Member, Role } from '../../../shared/api/index.ts';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';

/** "Change a coordinator's role?": asked before a coordinator (oneself included) stops being one. */
export function DemoteCoordinatorDialog({
  demoting,
  isMe,
  busy,
  error,
  onConfirm,
  onCancel,
}: {
  demoting: { member: Member; role: Role } | null;
  isMe: boolean;
  busy: boolean;
  error: string | null;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const role = demoting ? t(`role.${demoting.role}`) : '';
  return (
    <ConfirmDialog
      open={demoting !== null}
      title={t('members.demoteTitle')}
      confirmLabel={t('members.demoteConfirm')}
      confirmTestId="member-demote-confirm"
      testId="member-demote-dialog"
      onConfirm={onConfirm}
      onCancel={onCancel}
      busy={busy}
      error={error}
    >
      {demoting && (
        <p>
          {isMe
            ? t('members.demoteSelfBody', { role })
            : t('members.demoteBody', { name: demoting.member.name, organisation: demoting.member.organisation.name, role })}
        </p>
      )}
    </ConfirmDialog>
  );
}
