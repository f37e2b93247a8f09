import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/index.ts';
import { queryKeys } from '../../api/queries.ts';

/**
 * The plan's coverage counted by asks, a confirmed group of recommendations that say the same
 * thing being one (GET …/coverage `asks`). Shown once a group is confirmed; until then the counts
 * equal the coverage page's.
 */
export function CoverageAsks({ planId }: { planId: string }) {
  const { t } = useTranslation();
  const { data } = useQuery({ queryKey: queryKeys.plan(planId).coverage(), queryFn: () => api.coverage(planId) });
  const asks = data?.asks;
  if (!asks || asks.confirmedGroups === 0) return null;
  return (
    <p data-testid="coverage-asks">
      {t('recGroups.coverageAsks', {
        groups: asks.confirmedGroups,
        total: asks.total,
        addressed: asks.addressed,
        supported: asks.supported,
        supportedAddressed: asks.supportedAddressed,
      })}
    </p>
  );
}
