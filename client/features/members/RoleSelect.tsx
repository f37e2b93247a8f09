import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { ROLES, type Member, type Role } from '../../../shared/api/index.ts';

/** A member's role as a choice, for those who may change it. */
export function RoleSelect({ member, disabled, describedBy, onChange }: { member: Member; disabled: boolean; describedBy?: string; onChange: (r: Role) => void }) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <>
      <label htmlFor={id} className="visually-hidden">
        {t('members.roleOf', { name: member.name })}
      </label>
      <select id={id} value={member.role} disabled={disabled} aria-describedby={describedBy} onChange={(e) => onChange(e.target.value as Role)} data-testid="member-role-select">
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {t(`role.${r}`)}
          </option>
        ))}
      </select>
    </>
  );
}
