import { useCallback, useEffect, useId, useMemo, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import type { PlanEvent, PlanOutline } from '../../shared/api/index.ts';
import { usePlanLiveEvents } from '../api/liveEvents.ts';
import { asApiError, queryKeys, usePlanOutlineQuery } from '../api/queries.ts';
import { Outline } from '../features/outline/Outline.tsx';
import { PlanHead } from '../features/outline/PlanHead.tsx';
import { findSection } from '../features/section/findSection.ts';
import { SectionGone } from '../features/section/SectionGone.tsx';
import { SectionView } from '../features/section/SectionView.tsx';
import { useSectionAgreement } from '../features/section/useSectionAgreement.ts';
import { useMe } from '../session/SessionContext.tsx';
import { describeError } from '../ui/forms.tsx';
import { NotLoadedNote } from '../sync/OfflineNote.tsx';
import { useDocumentTitle } from '../ui/useDocumentTitle.ts';

/** A plan: its outline beside the open section (its text or its history), or what to do first. */
export function PlanPage({ view = 'text' }: { view?: 'text' | 'history' }) {
  const { t } = useTranslation();
  const { planId = '', sectionId } = useParams();
  const navigate = useNavigate();
  const me = useMe();
  const queryClient = useQueryClient();
  // The outline is one query for every component of the plan; the live events keep it fresh.
  const outlineQuery = usePlanOutlineQuery(planId);
  const outline = outlineQuery.data ?? null;
  const loadError = asApiError(outlineQuery.error);
  const setOutline = useCallback((next: PlanOutline) => queryClient.setQueryData(queryKeys.plan(planId).outline(), next), [queryClient, planId]);
  const [notice, setNotice] = useState<string | null>(null);
  const { agreement, error: agreementError } = useSectionAgreement(planId, sectionId);
  // On a phone the outline is folded away while a section is open, so the text comes first; the
  // button above it opens it. Choosing a section folds it again. (Wider screens show it always.)
  const [outlineOpen, setOutlineOpen] = useState(false);
  const outlineId = useId();
  useEffect(() => setOutlineOpen(false), [sectionId]);

  // Everything that is a query is refetched through the table in client/api/liveEvents.ts; what
  // remains here is what the page itself says or does when one's own access changes.
  const onEvent = useCallback(
    (event: PlanEvent) => {
      if (event.type !== 'access') return;
      if (event.role === null) {
        navigate('/', { replace: true, state: { notice: 'removedFromPlan', planTitle: outline?.plan.title ?? '' } });
        return;
      }
      setNotice(t('plan.roleChanged', { role: t(`role.${event.role}`) }));
    },
    [navigate, outline?.plan.title, t],
  );
  usePlanLiveEvents(planId, onEvent);

  const section = useMemo(() => findSection(outline, sectionId), [outline, sectionId]);

  useDocumentTitle(section?.section.title ?? outline?.plan.title ?? t('common.loading'));

  if (loadError) {
    const gone = loadError.status === 403 || loadError.status === 404;
    return (
      <main id="main" className="page page--narrow">
        <h1>{gone ? t('plan.notFoundTitle') : t('errors.loadFailedTitle')}</h1>
        <p>{gone ? t('plan.notFoundBody') : describeError(loadError, t).message}</p>
        <p>
          <Link to="/">{t('plan.backToPlans')}</Link>
        </p>
      </main>
    );
  }
  if (!outline) {
    return (
      <main id="main" className="page">
        <NotLoadedNote failure={outlineQuery.failureReason} testId="plan-not-loaded" />
      </main>
    );
  }

  const role = outline.plan.role;
  return (
    <div className="plan-layout">
      <aside className={`plan-layout__sidebar${sectionId && !outlineOpen ? ' is-folded' : ''}`}>
        {sectionId && (
          <button
            type="button"
            className="button button--secondary button--small plan-layout__outline-toggle"
            aria-expanded={outlineOpen}
            aria-controls={outlineId}
            onClick={() => setOutlineOpen((o) => !o)}
            data-testid="outline-toggle"
          >
            {t('plan.outlineToggle')}
          </button>
        )}
        <div id={outlineId} className="plan-layout__sidebar-content">
          <PlanHead outline={outline} planId={planId} openSectionId={sectionId && section ? sectionId : null} />
          <Outline outline={outline} canManage={role === 'coordinator'} activeSectionId={sectionId} onOutline={setOutline} />
        </div>
      </aside>
      <main id="main" className="plan-layout__main">
        {notice && (
          <div className="alert alert--info" role="status">
            {notice}{' '}
            <button type="button" className="button button--link button--small" onClick={() => setNotice(null)}>
              {t('common.dismiss')}
            </button>
          </div>
        )}
        {sectionId && section && (
          <SectionView
            planId={planId}
            section={section.section}
            chapterTitle={section.chapterTitle}
            view={view}
            role={role}
            me={me}
            agreement={agreement}
            agreementError={agreementError}
          />
        )}
        {sectionId && !section && <SectionGone key={sectionId} planId={planId} sectionId={sectionId} role={role} />}
        {!sectionId && (
          <div className="empty-state" data-testid="no-section">
            <h1>{outline.plan.title}</h1>
            {outline.plan.source && <p className="muted">{t('plans.source', { source: outline.plan.source })}</p>}
            <p>{outline.chapters.some((c) => c.sections.length > 0) ? t('plan.chooseSection') : role === 'coordinator' ? t('plan.startOutline') : t('plan.noSectionsYet')}</p>
          </div>
        )}
      </main>
    </div>
  );
}
