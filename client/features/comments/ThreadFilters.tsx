import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { PlanOrganisation, ThreadStatusFilter } from '../../api/index.ts';

interface Props {
  status: ThreadStatusFilter;
  onStatus: (status: ThreadStatusFilter) => void;
  /** The organisation whose threads are shown; '' for every organisation. */
  orgId: string;
  onOrgId: (orgId: string) => void;
  orgs: PlanOrganisation[];
}

/** Which threads the list shows: by status, and by the organisation that took part. */
export function ThreadFilters({ status, onStatus, orgId, onOrgId, orgs }: Props) {
  const { t } = useTranslation();
  const statusId = useId();
  const orgFilterId = useId();
  return (
    <div className="comments__filters">
      <div className="field field--inline">
        <label htmlFor={statusId}>{t('comments.filterStatus')}</label>
        <select id={statusId} value={status} onChange={(e) => onStatus(e.target.value as ThreadStatusFilter)} data-testid="threads-filter">
          <option value="open">{t('comments.filter.open')}</option>
          <option value="resolved">{t('comments.filter.resolved')}</option>
          <option value="all">{t('comments.filter.all')}</option>
        </select>
      </div>
      <div className="field field--inline">
        <label htmlFor={orgFilterId}>{t('comments.filterOrg')}</label>
        <select id={orgFilterId} value={orgId} onChange={(e) => onOrgId(e.target.value)} data-testid="threads-org-filter">
          <option value="">{t('comments.allOrganisations')}</option>
          {orgs.map((o) => (
            <option key={o.id} value={o.id}>
              {o.verified ? o.name : t('orgs.nameUnverified', { name: o.name })}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}
