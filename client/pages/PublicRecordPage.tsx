import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { usePlanLiveEvents } from '../api/liveEvents.ts';
import { usePublicRecordQuery } from '../api/publicRecord.ts';
import { useAccessChanges } from '../api/usePlanEvents.ts';
import { PublicationHistory } from '../features/publicRecord/PublicationHistory.tsx';
import { PublicationStatus } from '../features/publicRecord/PublicationStatus.tsx';
import { PublishPanel } from '../features/publicRecord/PublishPanel.tsx';
import { PlanNotFound, PlanTabs, usePlanOutline } from '../features/recommendations/recommendations.tsx';
import { FormError, describeError } from '../ui/forms.tsx';
import { useDocumentTitle } from '../ui/useDocumentTitle.ts';

/**
 * The plan's public record (issue #16): every member sees whether and what the public can read,
 * and every publication so far; coordinators publish, publish again and unpublish.
 */
export function PublicRecordPage() {
  const { t } = useTranslation();
  const { planId = '' } = useParams();
  const { outline, error: outlineError } = usePlanOutline(planId);
  const record = usePublicRecordQuery(planId);
  useDocumentTitle(outline ? t('publicRecord.pageTitle', { plan: outline.plan.title }) : t('publicRecord.title'));
  usePlanLiveEvents(planId, useAccessChanges(outline?.plan.title));

  if (outlineError && (outlineError.status === 403 || outlineError.status === 404)) return <PlanNotFound />;
  const error = record.error ? describeError(record.error, t).message : null;
  const state = record.data;
  const isCoordinator = outline?.plan.role === 'coordinator';

  return (
    <main id="main" className="page page--wide pub-page">
      <PlanTabs planId={planId} title={outline?.plan.title} role={outline?.plan.role} />
      <h1>{t('publicRecord.title')}</h1>
      <p className="lead">{t('publicRecord.intro')}</p>
      <FormError message={error} />
      {(!outline || !state) && !error && (
        <p className="muted" role="status">
          {t('common.loading')}
        </p>
      )}
      {outline && state && (
        <>
          <PublicationStatus state={state} isCoordinator={isCoordinator} />
          {isCoordinator ? (
            <PublishPanel planId={planId} state={state} />
          ) : (
            <p className="alert alert--info pub-readonly" data-testid="publish-coordinators-only">
              {t('publicRecord.coordinatorsOnly')}
            </p>
          )}
          <PublicationHistory history={state.history} />
        </>
      )}
    </main>
  );
}
