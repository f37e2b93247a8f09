import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Action } from '../../../shared/api/index.ts';
import type { PlanOrganisation } from '../../api/index.ts';
import { OrgDot } from '../../ui/badges.tsx';
import { Link } from 'react-router';
import { useLifecycleQuery } from '../../api/monitoring.ts';
import { StatusBadge } from '../recommendations/recommendations.tsx';
import { formatTimePoint, type ActionProblem } from './actionText.ts';
import { formatMoney } from '../../i18n/format.ts';

/**
 * What an action is, read at a glance: its number, title and status, what it still lacks, and who
 * does it by when with which money.
 */
/**
 * After adoption the status on the card is the one agreed in the plan ("Planned"); what was done
 * since is reported per round on the progress page. Said beside it, so the two are not read as one
 * status contradicting the other.
 */
function AsPlanned({ planId }: { planId: string }) {
  const { t } = useTranslation();
  const stage = useLifecycleQuery(planId).data?.stage;
  if (stage === undefined || stage === 'drafting') return null;
  return (
    <span className="muted small" data-testid="action-status-as-planned">
      {t('actions.asPlanned')} · <Link to={`/plans/${planId}/progress`}>{t('actions.reportedProgress')}</Link>
    </span>
  );
}

export function ActionSummary({
  number,
  action,
  problems,
  orgById,
  handle,
}: {
  number: number;
  action: Action;
  problems: ActionProblem[];
  orgById: Map<string, PlanOrganisation>;
  /** The drag handle, for those who may reorder. */
  handle?: ReactNode;
}) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;

  const orgName = (id: string) => {
    const o = orgById.get(id);
    return o ? (
      <span className="org-name" key={id}>
        <OrgDot color={o.color} /> {o.name}
      </span>
    ) : (
      <span key={id} className="muted">
        {t('actions.unknownOrg')}
      </span>
    );
  };
  const orgList = (ids: string[]) => (ids.length === 0 ? null : <span className="org-list">{ids.map(orgName)}</span>);

  const start = formatTimePoint(action.start, lng, t);
  const end = formatTimePoint(action.end, lng, t);
  const timeline = start || end ? `${start ?? t('actions.open')} – ${end ?? t('actions.open')}` : null;
  const budget = action.budgetAmount === null ? null : formatMoney(action.budgetAmount, action.currency, lng);

  return (
    <>
      <header className="action-card__head">
        <div className="action-card__title-row">
          {handle}
          <h3 id={`action-${action.id}-title`} className="action-card__title" data-testid="action-card-title">
            <span className="action-card__number">{t('actions.number', { n: number })}</span> {action.title}
          </h3>
        </div>
        <div className="action-card__status">
          <StatusBadge status={action.status} />
          <AsPlanned planId={action.planId} />
        </div>
      </header>
      {problems.length > 0 && (
        <div className="alert alert--warning action-card__warnings" data-testid="action-warnings">
          <p className="alert__title">{t('actions.weakTitle')}</p>
          <ul>
            {problems.map((p) => (
              <li key={p} data-testid="action-warning" data-problem={p}>
                {t(`actions.problem.${p}`)}
              </li>
            ))}
          </ul>
        </div>
      )}
      {action.description && <p className="action-card__description pre-wrap">{action.description}</p>}
      <dl className="summary-list summary-list--compact action-card__facts">
        <Fact label={t('actions.field.lead')} testId="action-card-lead">
          {action.leadAgencyId ? orgName(action.leadAgencyId) : null}
        </Fact>
        <Fact label={t('actions.field.coImplementers')}>{orgList(action.coImplementerIds)}</Fact>
        <Fact label={t('actions.field.partners')}>{orgList(action.civilSocietyPartnerIds)}</Fact>
        <Fact label={t('actions.field.timeline')} testId="action-card-timeline">
          {timeline}
        </Fact>
        <Fact label={t('actions.field.proposedBy')} testId="action-card-proposed-by">
          {action.proposedByOrganisationId ? orgName(action.proposedByOrganisationId) : null}
        </Fact>
        <Fact label={t('actions.field.budget')}>
          {budget || action.fundingSource ? (
            <>
              {budget ?? t('actions.noAmount')}
              {action.fundingSource && <span className="muted"> · {t('actions.fundedBy', { source: action.fundingSource })}</span>}
            </>
          ) : null}
        </Fact>
      </dl>
    </>
  );
}

function Fact({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  const { t } = useTranslation();
  return (
    <div>
      <dt>{label}</dt>
      <dd data-testid={testId}>{children ?? <span className="muted">{t('actions.notSet')}</span>}</dd>
    </div>
  );
}
