import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { BinnedSection, Role } from '../../../shared/api/index.ts';
import { api } from '../../api/index.ts';
import { formatDateTime } from '../../i18n/format.ts';

/**
 * The open section is not in the outline: moved to the bin (say by whom, and that a coordinator
 * can restore it) or gone for good.
 */
export function SectionGone({ planId, sectionId, role }: { planId: string; sectionId: string; role: Role }) {
  const { t, i18n } = useTranslation();
  const [binned, setBinned] = useState<BinnedSection | null | undefined>(undefined);
  useEffect(() => {
    let live = true;
    api.binnedSection(planId, sectionId).then(
      (b) => live && setBinned(b),
      () => live && setBinned(null),
    );
    return () => {
      live = false;
    };
  }, [planId, sectionId]);
  if (binned === undefined) {
    return (
      <p className="muted" role="status">
        {t('common.loading')}
      </p>
    );
  }
  if (binned === null) {
    return (
      <div className="empty-state" data-testid="section-missing">
        <h1>{t('plan.sectionMissingTitle')}</h1>
        <p>{t('plan.sectionMissingBody')}</p>
      </div>
    );
  }
  const date = formatDateTime(binned.deletedAt, i18n.language);
  return (
    <div className="alert alert--warning section-binned" role="alert" data-testid="section-binned" ref={(el) => el?.scrollIntoView({ block: 'nearest' })}>
      <h1 className="section-binned__title">{t('plan.binnedTitle')}</h1>
      <p data-testid="section-binned-body">
        {binned.deletedBy
          ? t('plan.binnedBody', { title: binned.title, name: binned.deletedBy.name, organisation: binned.deletedBy.organisation, date })
          : t('plan.binnedBodyUnknown', { title: binned.title, date })}
      </p>
      <p>{t('plan.binnedKept')}</p>
      {role === 'coordinator' && (
        <p>
          <Link to={`/plans/${planId}/bin`} data-testid="section-binned-open-bin">
            {t('plan.binnedOpenBin')}
          </Link>
        </p>
      )}
    </div>
  );
}
