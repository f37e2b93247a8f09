import { useTranslation } from 'react-i18next';
import type { Role, Side } from '../../shared/api/index.ts';

/** The organisation's side as a small badge, always with its text (colour is never the only cue). */
export function SideBadge({ side }: { side: Side | string }) {
  const { t } = useTranslation();
  return <span className={`badge badge--side badge--${side}`}>{t(`side.${side}`, { defaultValue: side })}</span>;
}

export function RoleBadge({ role }: { role: Role | string }) {
  const { t } = useTranslation();
  return <span className="badge badge--role">{t(`role.${role}`, { defaultValue: role })}</span>;
}

/** A colour dot for the organisation (decorative: the name is always next to it). */
export function OrgDot({ color }: { color: string }) {
  return <span className="org-dot" style={{ backgroundColor: color }} aria-hidden="true" />;
}
