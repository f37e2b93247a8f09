import { useTranslation } from 'react-i18next';
import type { Member } from '../../../shared/api/index.ts';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';

/** "Remove this member from the plan?" */
export function RemoveMemberDialog({
  member,
  busy,
  error,
  onConfirm,
  onCancel,
}: {
  member: Member | null;
  busy: boolean;
  error: string | null;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  return (
    <ConfirmDialog open={member !== null} title={t('members.removeTitle')} confirmLabel={t('members.removeConfirm')} onConfirm={onConfirm} onCancel={onCancel} busy={busy} error={error}>
      {member && <p>{t('members.removeBody', { name: member.name, organisation: member.organisation.name })}</p>}
    </ConfirmDialog>
  );
}
