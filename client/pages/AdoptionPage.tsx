import { useTranslation } from 'react-i18next';
import { Link, Navigate, useNavigate, useParams } from 'react-router';
import { useLifecycleQuery } from '../api/monitoring.ts';
import { usePlanLiveEvents } from '../api/liveEvents.ts';
import { queryKeys, useInvalidate, useOrganisationsQuery } from '../api/queries.ts';
import { useAccessChanges } from '../api/usePlanEvents.ts';
import { AdoptionForm } from '../features/monitoring/AdoptionForm.tsx';
import { PlanNotFound, PlanTabs, usePlanOutline } from '../features/recommendations/recommendations.tsx';
import { FormError, describeError } from '../ui/forms.tsx';
import { useDocumentTitle } from '../ui/useDocumentTitle.ts';

/** Adopting the plan: coordinators only; once adopted, the progress page is where the plan stands. */
export function AdoptionPage() {
  const { t } = useTranslation();
  const { planId = '' } = useParams();
  const navigate = useNavigate();
  const invalidate = useInvalidate();
  const { outline, error: outlineError } = usePlanOutline(planId);
  const lifecycle = useLifecycleQuery(planId);
  const organisations = useOrganisationsQuery(planId).data ?? [];
  useDocumentTitle(outline ? t('monitoring.adopt.pageTitle', { plan: outline.plan.title }) : t('monitoring.adopt.title'));
  usePlanLiveEvents(planId, useAccessChanges(outline?.plan.title));

  if (outlineError && (outlineError.status === 403 || outlineError.status === 404)) return <PlanNotFound />;
  if (lifecycle.data && lifecycle.data.stage !== 'drafting') return <Navigate to={`/plans/${planId}/progress`} replace />;
  const error = lifecycle.error ? describeError(lifecycle.error, t).message : null;

  return (
    <main id="main" className="page page--wide mon-page">
      <PlanTabs planId={planId} title={outline?.plan.title} role={outline?.plan.role} />
      <h1>{t('monitoring.adopt.title')}</h1>
      <p className="lead">{t('monitoring.adopt.intro')}</p>
      <FormError message={error} />
      {outline && outline.plan.role !== 'coordinator' && (
        <p className="alert alert--info" data-testid="adopt-coordinators-only">
          {t('monitoring.adopt.coordinatorsOnly')} <Link to={`/plans/${planId}/progress`}>{t('monitoring.page.title')}</Link>
        </p>
      )}
      {(!outline || !lifecycle.data) && !error && (
        <p className="muted" role="status">
          {t('common.loading')}
        </p>
      )}
      {outline && lifecycle.data && outline.plan.role === 'coordinator' && (
        <AdoptionForm
          planId={planId}
          outline={outline}
          organisations={organisations}
          onAdopted={() => {
            void invalidate(queryKeys.plan(planId).lifecycle(), queryKeys.plan(planId).progress());
            navigate(`/plans/${planId}/progress`, { state: { notice: 'adopted' } });
          }}
          onOutlineStale={() => void invalidate(queryKeys.plan(planId).outline())}
        />
      )}
    </main>
  );
}
