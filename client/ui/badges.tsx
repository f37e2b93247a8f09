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

/**
 * Beside an organisation no coordinator has verified for the plan (a self-named one, or one whose
 * verification was withdrawn), wherever it appears: its signatures do not count. Words, never colour alone.
 */
export function UnverifiedMark({ testId = 'unverified-mark' }: { testId?: string }) {
  const { t } = useTranslation();
  return (
    <span className="badge badge--unverified" title={t('orgs.unverifiedHelp')} data-testid={testId}>
      {t('orgs.unverified')}
    </span>
  );
}
