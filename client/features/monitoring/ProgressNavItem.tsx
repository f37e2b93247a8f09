import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router';
import { useLifecycleQuery } from '../../api/monitoring.ts';
import { StageBadge } from './badges.tsx';

/** The plan navigation's link to where the plan stands, with the plan's stage beside it once it is adopted ("drafting" goes without saying). */
export function ProgressNavItem({ planId, testId = 'progress-link' }: { planId: string; testId?: string }) {
  const { t } = useTranslation();
  const stage = useLifecycleQuery(planId).data?.stage;
  return (
    <li className="mon-nav-item">
      <NavLink to={`/plans/${planId}/progress`} data-testid={testId}>
        {t('planNav.progress')}
      </NavLink>
      {stage && stage !== 'drafting' && (
        <>
          {' '}
          <StageBadge stage={stage} testId="nav-plan-stage" />
        </>
      )}
    </li>
  );
}
