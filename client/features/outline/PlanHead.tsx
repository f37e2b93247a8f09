import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { PlanOutline } from '../../../shared/api/index.ts';
import { RoleBadge } from '../../ui/badges.tsx';
import { agreedCount } from '../agreement/agreedCount.ts';
import { ProgressNavItem } from '../monitoring/ProgressNavItem.tsx';
import { useLifecycleQuery } from '../../api/monitoring.ts';

interface Props {
  outline: PlanOutline;
  planId: string;
  /** The section open on the page, when the outline has it: the history link then goes to its history. */
  openSectionId: string | null;
}

/**
 * Every section agreed and the plan still a draft: what comes next, where a coordinator finds it
 * (adopting lives on the progress page, which nothing on this page pointed to).
 */
function AdoptNext({ planId }: { planId: string }) {
  const { t } = useTranslation();
  const stage = useLifecycleQuery(planId).data?.stage;
  if (stage !== 'drafting') return null;
  return (
    <p className="plan-head__next" data-testid="adopt-next">
      {t('plan.allAgreed')} <Link to={`/plans/${planId}/progress`}>{t('plan.adoptNext')}</Link>
    </p>
  );
}

/** Above the outline: the plan, the person's role in it, how much is agreed, and the plan's other pages. */
export function PlanHead({ outline, planId, openSectionId }: Props) {
  const { t } = useTranslation();
  const role = outline.plan.role;
  const counts = agreedCount(outline);
  return (
    <div className="plan-head">
      <p className="plan-head__back">
        <Link to="/">{t('plan.allPlans')}</Link>
      </p>
      <p className="plan-head__title">{outline.plan.title}</p>
      <p className="plan-head__meta">{t('plans.meta', { country: outline.plan.country, start: outline.plan.periodStart, end: outline.plan.periodEnd })}</p>
      <p className="plan-head__meta">
        {t('plan.yourRole')} <RoleBadge role={role} />
      </p>
      <p className="plan-head__agreed" data-testid="plan-agreed-count" data-agreed={counts.agreed} data-total={counts.total}>
        {t('plan.agreedCount', { agreed: counts.agreed, count: counts.total })}
      </p>
      {counts.total > 0 && (
        <div className="meter meter--small" aria-hidden="true">
          <div className="meter__fill" style={{ width: `${Math.round((counts.agreed / counts.total) * 100)}%` }} />
        </div>
      )}
      {role === 'coordinator' && counts.total > 0 && counts.agreed === counts.total && <AdoptNext planId={planId} />}
      <ul className="plan-head__links">
        <li>
          <Link to={`/plans/${planId}/recommendations`} data-testid="recommendations-link">
            {t('planNav.recommendations')}
          </Link>
        </li>
        <li>
          <Link to={`/plans/${planId}/coverage`} data-testid="coverage-link">
            {t('planNav.coverage')}
          </Link>
        </li>
        <ProgressNavItem planId={planId} />
        <li>
          <Link to={`/plans/${planId}/public-record`} data-testid="public-record-link">
            {t('planNav.publicRecord')}
          </Link>
        </li>
        <li>
          <Link to={`/plans/${planId}/members`} data-testid="members-link">
            {role === 'coordinator' ? t('plan.members') : t('plan.membersReader')}
          </Link>
        </li>
        <li>
          <Link to={openSectionId ? `/plans/${planId}/sections/${openSectionId}/history` : `/plans/${planId}/history`} data-testid="history-link">
            {openSectionId ? t('planNav.sectionHistory') : t('planNav.history')}
          </Link>
        </li>
        {role === 'coordinator' && (
          <li>
            <Link to={`/plans/${planId}/audit`} data-testid="audit-link">
              {t('planNav.audit')}
            </Link>
          </li>
        )}
        {role === 'coordinator' && (
          <li>
            <Link to={`/plans/${planId}/bin`} data-testid="bin-link">
              {t('planNav.bin')}
            </Link>
          </li>
        )}
        <li>
          <Link to={`/plans/${planId}/export`} data-testid="export-link">
            {t('planNav.export')}
          </Link>
        </li>
      </ul>
    </div>
  );
}
