import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { canEditText, type Role } from '../../shared/api/index.ts';
import { api } from '../api/index.ts';
import { queryKeys, useInvalidate } from '../api/queries.ts';
import { Button, FormError, describeError } from '../ui/forms.tsx';
import { NotLoadedNote } from '../sync/OfflineNote.tsx';
import { useDocumentTitle } from '../ui/useDocumentTitle.ts';
import { ImportHistory } from '../features/import/ImportHistory.tsx';
import { GroupReview } from '../features/recommendationGroups/GroupReview.tsx';
import { ImportWizard } from '../features/import/ImportWizard.tsx';
import { AddRecommendation } from '../features/recommendations/AddRecommendation.tsx';
import { filterOptions } from '../features/recommendations/filterOptions.ts';
import { PlanNotFound, PlanTabs, usePlanOutline } from '../features/recommendations/recommendations.tsx';
import { RecommendationDetailPanel } from '../features/recommendations/RecommendationDetailPanel.tsx';
import { RecommendationTable } from '../features/recommendations/RecommendationTable.tsx';
import { RecommendationTotal } from '../features/recommendations/RecommendationTotal.tsx';
import { RecommendationsPager } from '../features/recommendations/RecommendationsPager.tsx';
import { SearchAndFilters } from '../features/recommendations/SearchAndFilters.tsx';
import { CLEARABLE_PARAMS, PAGE_SIZE, toFilters } from '../features/recommendations/searchParams.ts';
import { useRecommendationPageQuery } from '../features/recommendations/useRecommendationQueries.ts';
import { useRecommendationSearch } from '../features/recommendations/useRecommendationSearch.ts';
import { useRecommendationsLiveEvents } from '../features/recommendations/useRecommendationsLiveEvents.ts';

export function RecommendationsPage() {
  const { t, i18n } = useTranslation();
  const { planId = '' } = useParams();
  const { outline, error: outlineError } = usePlanOutline(planId);
  const role: Role | undefined = outline?.plan.role;
  const mayWrite = role ? canEditText(role) : false;
  const isCoordinator = role === 'coordinator';
  useDocumentTitle(outline ? t('recs.pageTitle', { plan: outline.plan.title }) : t('recs.title'));

  const invalidate = useInvalidate();
  // What an edit, import or undo here changes (the live `recommendations` event does the same for others).
  const recommendationsChanged = () => {
    const p = queryKeys.plan(planId);
    void invalidate(p.recommendations(), p.imports(), p.coverage());
  };
  const [importOpen, setImportOpen] = useState(false);
  const [addOpen, setAddOpen] = useState(false);
  const progress = useRecommendationsLiveEvents(planId, outline?.plan.title);

  // Query state lives in the address, so a filtered list can be shared and survives reload.
  const { params, search, update } = useRecommendationSearch();
  const { q, sort, order, pageNo, unaddressed, selectedId, filters, hasFilters } = search;
  const pageQuery = useRecommendationPageQuery(planId, toFilters(search));
  const page = pageQuery.data ?? null;
  const error = pageQuery.error ? describeError(pageQuery.error, t).message : null;

  if (outlineError && (outlineError.status === 403 || outlineError.status === 404)) return <PlanNotFound />;

  const total = page?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const selectedIndex = page?.items.findIndex((r) => r.id === selectedId) ?? -1;
  const select = (id: string | null) => update({ rec: id }, false);

  return (
    <main id="main" className="page page--wide">
      <PlanTabs planId={planId} title={outline?.plan.title} role={outline?.plan.role} />
      <div className="page-head">
        <div>
          <h1>{t('recs.title')}</h1>
          <p className="lead">{t('recs.intro')}</p>
        </div>
        <div className="page-head__actions">
          {mayWrite && !addOpen && (
            <Button variant="secondary" onClick={() => setAddOpen(true)} data-testid="rec-add-open">
              {t('recs.addButton')}
            </Button>
          )}
          {mayWrite && !importOpen && (
            <Button onClick={() => setImportOpen(true)} data-testid="import-open">
              {t('recs.importButton')}
            </Button>
          )}
          {total > 0 && (
            <>
              <a className="button button--secondary" href={api.exportUrl(planId, 'accord-csv')} download data-testid="export-csv">
                {t('recs.exportCsv')}
              </a>
              <a className="button button--secondary" href={api.exportUrl(planId, 'accord-json')} download data-testid="export-json">
                {t('recs.exportJson')}
              </a>
            </>
          )}
        </div>
      </div>

      {addOpen && mayWrite && outline && (
        <AddRecommendation
          planId={planId}
          country={outline.plan.country}
          onCancel={() => setAddOpen(false)}
          onAdded={(created) => {
            setAddOpen(false);
            recommendationsChanged();
            select(created.id);
          }}
        />
      )}

      {importOpen && mayWrite && (
        <ImportWizard planId={planId} progress={progress} onImported={recommendationsChanged} onClose={() => setImportOpen(false)} />
      )}

      <FormError message={error} />

      {(page === null || total > 0 || hasFilters) && (
        <SearchAndFilters
          q={q}
          filters={filters}
          filterOptions={filterOptions(t, i18n.language, page?.facets)}
          unaddressed={unaddressed}
          sort={sort}
          order={order}
          onChange={update}
        />
      )}

      {page === null && !error && <NotLoadedNote failure={pageQuery.failureReason} testId="recs-not-loaded" />}

      {page !== null && total === 0 && !hasFilters && (
        <div className="empty-state" data-testid="rec-empty">
          <p className="lead">{t('recs.emptyBody')}</p>
          {!mayWrite && <p className="muted">{t('recs.emptyReader')}</p>}
          {mayWrite && (
            <div className="button-row">
              {!importOpen && <Button onClick={() => setImportOpen(true)}>{t('recs.importButton')}</Button>}
              {!addOpen && (
                <Button variant="secondary" onClick={() => setAddOpen(true)}>
                  {t('recs.addButton')}
                </Button>
              )}
            </div>
          )}
        </div>
      )}

      {page !== null && (total > 0 || hasFilters) && (
        <>
          <RecommendationTotal total={total} pageNo={pageNo} hasFilters={hasFilters} onClear={() => update(Object.fromEntries(CLEARABLE_PARAMS.map((k) => [k, null])))} />
          <div className={'rec-browser' + (selectedId ? ' has-detail' : '')}>
            <div className="rec-browser__list">
              {total === 0 ? (
                <p className="empty-state">{t('recs.noMatch')}</p>
              ) : (
                <RecommendationTable items={page.items} selectedId={selectedId} params={params} onSelect={select} />
              )}
              <RecommendationsPager pageNo={pageNo} pages={pages} onPage={(n) => update({ page: String(n) }, false)} />
            </div>
            {selectedId && (
              <RecommendationDetailPanel
                key={selectedId}
                planId={planId}
                recId={selectedId}
                mayWrite={mayWrite}
                isCoordinator={isCoordinator}
                onClose={() => select(null)}
                onPrevNext={
                  selectedIndex >= 0
                    ? {
                        prev: selectedIndex > 0 ? page.items[selectedIndex - 1]!.id : null,
                        next: selectedIndex < page.items.length - 1 ? page.items[selectedIndex + 1]!.id : null,
                        go: select,
                      }
                    : null
                }
                onChanged={recommendationsChanged}
              />
            )}
          </div>
        </>
      )}

      {page !== null && (total > 0 || hasFilters) && <GroupReview planId={planId} mayWrite={mayWrite} onChanged={recommendationsChanged} />}

      <ImportHistory planId={planId} isCoordinator={isCoordinator} progress={progress} onUndone={recommendationsChanged} />
    </main>
  );
}
