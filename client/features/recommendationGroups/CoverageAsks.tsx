import { useTranslation } from 'react-i18next';
import type { Coverage } from '../../../shared/api/index.ts';

/**
 * Beside the coverage totals: the same counted by asks, a confirmed group of recommendations that
 * say the same thing being one. Shown once a group is confirmed; until then the two are equal.
 */
export function CoverageAsks({ asks }: { asks: Coverage['asks'] }) {
  const { t } = useTranslation();
  if (asks.confirmedGroups === 0) return null;
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
