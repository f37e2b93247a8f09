import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import {
  canEditText,
  MechanismSchema,
  PositionSchema,
  type PlanEvent,
  type Position,
  type RecommendationDetail,
  type Role,
} from '../../shared/api/index.ts';
import { api, ApiError, type RecommendationFilters } from '../api/index.ts';
import { usePlanLiveEvents } from '../api/liveEvents.ts';
import { queryKeys, useInvalidate } from '../api/queries.ts';
import { ConfirmDialog } from '../ui/ConfirmDialog.tsx';
import { Button, FormError, describeError } from '../ui/forms.tsx';
import { ImportHistory } from '../features/import/ImportHistory.tsx';
import { ImportWizard, type ImportProgress } from '../features/import/ImportWizard.tsx';
import { PlanNotFound, PlanTabs, PositionBadge, mechanismLabel, usePlanOutline } from '../features/recommendations/recommendations.tsx';
import { useAccessChanges } from '../api/usePlanEvents.ts';
import { useDocumentTitle } from '../ui/useDocumentTitle.ts';

const PAGE_SIZE = 50;
const FILTER_KEYS = ['mechanism', 'cycle', 'position', 'theme', 'state', 'affected'] as const;
type FilterKey = (typeof FILTER_KEYS)[number];
const SORTS = ['reference', 'date', 'position', 'mechanism', 'relevance'] as const;
type Sort = (typeof SORTS)[number];

export function RecommendationsPage() {
  const { t } = useTranslation();
  const { planId = '' } = useParams();
  const [params, setParams] = useSearchParams();
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
  const [progress, setProgress] = useState<ImportProgress | null>(null);

  // Query state lives in the address, so a filtered list can be shared and survives reload.
  const q = params.get('q') ?? '';
  const sortParam = params.get('sort') as Sort | null;
  const sort: Sort = sortParam && SORTS.includes(sortParam) ? sortParam : q ? 'relevance' : 'reference';
  const order = params.get('order') === 'desc' ? 'desc' : 'asc';
  const pageNo = Math.max(1, Number(params.get('page') ?? '1') || 1);
  const unaddressed = params.get('unaddressed') === 'true';
  const selectedId = params.get('rec');
  const filters = Object.fromEntries(FILTER_KEYS.map((k) => [k, params.get(k) ?? ''])) as Record<FilterKey, string>;
  const hasFilters = q !== '' || unaddressed || FILTER_KEYS.some((k) => filters[k] !== '');

  const update = useCallback(
    (changes: Record<string, string | null>, resetPage = true) => {
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          for (const [k, v] of Object.entries(changes)) {
            if (v === null || v === '') next.delete(k);
            else next.set(k, v);
          }
          if (resetPage) next.delete('page');
          return next;
        },
        { replace: true },
      );
    },
    [setParams],
  );

  const query: RecommendationFilters = {
    q: q || undefined,
    mechanism: (filters.mechanism || undefined) as RecommendationFilters['mechanism'],
    cycle: filters.cycle ? Number(filters.cycle) : undefined,
    position: (filters.position || undefined) as Position | undefined,
    theme: filters.theme || undefined,
    state: filters.state || undefined,
    affected: filters.affected || undefined,
    unaddressed: unaddressed || undefined,
    sort: sort === 'relevance' && !q ? 'reference' : sort,
    order,
    limit: PAGE_SIZE,
    offset: (pageNo - 1) * PAGE_SIZE,
  };
  // Keyed by the filters (they live in the address); the last page stays shown while the next loads.
  const pageQuery = useQuery({
    queryKey: queryKeys.plan(planId).recommendations(query),
    queryFn: () => api.recommendations(planId, query),
    placeholderData: keepPreviousData,
  });
  const page = pageQuery.data ?? null;
  const error = pageQuery.error ? describeError(pageQuery.error, t).message : null;

  const handleAccess = useAccessChanges(outline?.plan.title);
  usePlanLiveEvents(
    planId,
    useCallback(
      (event: PlanEvent) => {
        if (event.type === 'import-progress') setProgress({ previewId: event.previewId, done: event.done, total: event.total });
        handleAccess(event);
      },
      [handleAccess],
    ),
  );

  if (outlineError && (outlineError.status === 403 || outlineError.status === 404)) return <PlanNotFound />;

  const total = page?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const facets = page?.facets;
  const filterOptions: Record<FilterKey, Array<{ value: string; label: string }>> = {
    mechanism: (facets?.mechanisms ?? MechanismSchema.options).map((m) => ({ value: m, label: mechanismLabel(t, m) })),
    cycle: (facets?.cycles ?? []).map((c) => ({ value: String(c), label: t('recs.cycleN', { n: c }) })),
    position: PositionSchema.options.map((p) => ({ value: p, label: t(`position.${p}`) })),
    theme: (facets?.themes ?? []).map((v) => ({ value: v, label: v })),
    state: (facets?.states ?? []).map((v) => ({ value: v, label: v })),
    affected: (facets?.affectedPersons ?? []).map((v) => ({ value: v, label: v })),
  };
  const selectedIndex = page?.items.findIndex((r) => r.id === selectedId) ?? -1;

  return (
    <main id="main" className="page page--wide">
      <PlanTabs planId={planId} title={outline?.plan.title} role={outline?.plan.role} />
      <div className="page-head">
        <div>
          <h1>{t('recs.title')}</h1>
          <p className="lead">{t('recs.intro')}</p>
        </div>
        <div className="page-head__actions">
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

      {importOpen && mayWrite && (
        <ImportWizard planId={planId} progress={progress} onImported={recommendationsChanged} onClose={() => setImportOpen(false)} />
      )}

      <FormError message={error} />

      {(page === null || total > 0 || hasFilters) && (
        <SearchAndFilters
        q={q}
        filters={filters}
        filterOptions={filterOptions}
        unaddressed={unaddressed}
        sort={sort}
        order={order}
        onChange={update}
        />
      )}

      {page === null && !error && (
        <p className="muted" role="status">
          {t('common.loading')}
        </p>
      )}

      {page !== null && total === 0 && !hasFilters && (
        <div className="empty-state" data-testid="rec-empty">
          <p className="lead">{t('recs.emptyBody')}</p>
          {!mayWrite && <p className="muted">{t('recs.emptyReader')}</p>}
          {mayWrite && !importOpen && (
            <Button onClick={() => setImportOpen(true)}>{t('recs.importButton')}</Button>
          )}
        </div>
      )}

      {page !== null && (total > 0 || hasFilters) && (
        <>
          <p className="rec-total" role="status" aria-live="polite">
            <span data-testid="rec-total">{total}</span>{' '}
            {t('recs.totalLabel', { count: total })}
            {total > 0 && (
              <span className="muted">
                {' · '}
                {t('recs.showing', { from: (pageNo - 1) * PAGE_SIZE + 1, to: Math.min(total, pageNo * PAGE_SIZE) })}
              </span>
            )}
            {hasFilters && (
              <>
                {' · '}
                <Button
                  variant="link"
                  className="button--small"
                  onClick={() => update(Object.fromEntries([...FILTER_KEYS, 'q', 'unaddressed', 'sort'].map((k) => [k, null])))}
                  data-testid="rec-clear-filters"
                >
                  {t('recs.clearFilters')}
                </Button>
              </>
            )}
          </p>
          <div className={'rec-browser' + (selectedId ? ' has-detail' : '')}>
            <div className="rec-browser__list">
              {total === 0 ? (
                <p className="empty-state">{t('recs.noMatch')}</p>
              ) : (
                <div className="table-scroll">
                  <table className="table table--compact rec-table" data-testid="rec-table">
                    <caption className="visually-hidden">{t('recs.caption')}</caption>
                    <thead>
                      <tr>
                        <th scope="col">{t('recs.colReference')}</th>
                        <th scope="col">{t('recs.colText')}</th>
                        <th scope="col">{t('recs.colStates')}</th>
                        <th scope="col">{t('recs.colPosition')}</th>
                        {!selectedId && <th scope="col">{t('recs.colThemes')}</th>}
                        <th scope="col" className="num">
                          {t('recs.colActions')}
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {page.items.map((r) => (
                        <tr
                          key={r.id}
                          className={r.id === selectedId ? 'is-selected' : undefined}
                          onClick={() => update({ rec: r.id }, false)}
                          data-testid="rec-row"
                          data-rec-id={r.id}
                        >
                          <td className="nowrap">
                            <Link
                              to={{ search: withParam(params, 'rec', r.id) }}
                              replace
                              aria-current={r.id === selectedId ? 'true' : undefined}
                              onClick={(e) => e.stopPropagation()}
                            >
                              {r.reference}
                            </Link>
                            <br />
                            <span className="muted small" title={mechanismLabel(t, r.mechanism)}>
                              {t(`mechanismShort.${r.mechanism}`, { defaultValue: r.mechanism })}
                            </span>
                          </td>
                          <td className="clip-text">{clip(r.text, selectedId ? 160 : 260)}</td>
                          <td className="small">{r.recommendingStates.join(', ') || '—'}</td>
                          <td>
                            <PositionBadge position={r.position} />
                          </td>
                          {!selectedId && <td className="small">{r.themes.join('; ') || '—'}</td>}
                          <td className="num">
                            {r.actionCount === 0 ? (
                              <span className="muted" title={t('recs.noActionYet')}>
                                0
                              </span>
                            ) : (
                              r.actionCount
                            )}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
              {pages > 1 && (
                <nav className="pager" aria-label={t('recs.pagerLabel')}>
                  <Button variant="secondary" disabled={pageNo <= 1} onClick={() => update({ page: String(pageNo - 1) }, false)} data-testid="rec-prev">
                    {t('recs.prev')}
                  </Button>
                  <span>{t('recs.pageOf', { page: pageNo, pages })}</span>
                  <Button variant="secondary" disabled={pageNo >= pages} onClick={() => update({ page: String(pageNo + 1) }, false)} data-testid="rec-next">
                    {t('recs.next')}
                  </Button>
                </nav>
              )}
            </div>
            {selectedId && (
              <RecommendationDetailPanel
                key={selectedId}
                planId={planId}
                recId={selectedId}
                mayWrite={mayWrite}
                isCoordinator={isCoordinator}
                onClose={() => update({ rec: null }, false)}
                onPrevNext={
                  selectedIndex >= 0
                    ? {
                        prev: selectedIndex > 0 ? page.items[selectedIndex - 1]!.id : null,
                        next: selectedIndex < page.items.length - 1 ? page.items[selectedIndex + 1]!.id : null,
                        go: (id) => update({ rec: id }, false),
                      }
                    : null
                }
                onChanged={recommendationsChanged}
              />
            )}
          </div>
        </>
      )}

      <ImportHistory planId={planId} isCoordinator={isCoordinator} onUndone={recommendationsChanged} />
    </main>
  );
}

function withParam(params: URLSearchParams, key: string, value: string): string {
  const next = new URLSearchParams(params);
  next.set(key, value);
  return '?' + next.toString();
}

function clip(text: string, n: number): string {
  return text.length > n ? text.slice(0, n).trimEnd() + '…' : text;
}

function SearchAndFilters({
  q,
  filters,
  filterOptions,
  unaddressed,
  sort,
  order,
  onChange,
}: {
  q: string;
  filters: Record<FilterKey, string>;
  filterOptions: Record<FilterKey, Array<{ value: string; label: string }>>;
  unaddressed: boolean;
  sort: Sort;
  order: 'asc' | 'desc';
  onChange: (changes: Record<string, string | null>, resetPage?: boolean) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [text, setText] = useState(q);
  const lastSent = useRef(q);

  // Follow the address when it changes from outside (clear filters, back button).
  useEffect(() => {
    if (q !== lastSent.current) {
      lastSent.current = q;
      setText(q);
    }
  }, [q]);

  // Search as the person types, a moment after they pause.
  useEffect(() => {
    const value = text.trim();
    if (value === lastSent.current) return;
    const timer = setTimeout(() => {
      lastSent.current = value;
      onChange({ q: value || null, sort: null });
    }, 300);
    return () => clearTimeout(timer);
  }, [text, onChange]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const value = text.trim();
    lastSent.current = value;
    onChange({ q: value || null, sort: null });
  };

  return (
    <form className="rec-filters" role="search" onSubmit={submit} aria-label={t('recs.filtersLabel')}>
      <div className="rec-filters__search field">
        <label htmlFor={`${id}-q`}>{t('recs.search')}</label>
        <p className="field__hint">{t('recs.searchHint')}</p>
        <div className="search-row">
          <input id={`${id}-q`} type="search" value={text} onChange={(e) => setText(e.target.value)} maxLength={200} data-testid="rec-search" />
          <Button type="submit" variant="secondary">
            {t('recs.searchButton')}
          </Button>
        </div>
      </div>
      <div className="rec-filters__grid">
        {FILTER_KEYS.map((k) => (
          <div className="field" key={k}>
            <label htmlFor={`${id}-${k}`}>{t(`recs.filter.${k}`)}</label>
            <select id={`${id}-${k}`} value={filters[k]} onChange={(e) => onChange({ [k]: e.target.value || null })} data-testid={`rec-filter-${k}`}>
              <option value="">{t('recs.filterAll')}</option>
              {/* Keep a chosen value listed even if the facets no longer contain it. */}
              {filters[k] && !filterOptions[k].some((o) => o.value === filters[k]) && <option value={filters[k]}>{filters[k]}</option>}
              {filterOptions[k].map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          </div>
        ))}
        <div className="field rec-filters__sort">
          <label htmlFor={`${id}-sort`}>{t('recs.sort')}</label>
          <div className="search-row">
            <select id={`${id}-sort`} value={sort} onChange={(e) => onChange({ sort: e.target.value }, false)} data-testid="rec-sort">
              {SORTS.filter((s) => s !== 'relevance' || q).map((s) => (
                <option key={s} value={s}>
                  {t(`recs.sortBy.${s}`)}
                </option>
              ))}
            </select>
            <label className="visually-hidden" htmlFor={`${id}-order`}>
              {t('recs.order')}
            </label>
            <select id={`${id}-order`} className="select--narrow" value={order} onChange={(e) => onChange({ order: e.target.value === 'desc' ? 'desc' : null }, false)} data-testid="rec-order">
              <option value="asc">{t('recs.asc')}</option>
              <option value="desc">{t('recs.desc')}</option>
            </select>
          </div>
        </div>
      </div>
      <div className="checkbox rec-filters__check">
        <input
          id={`${id}-unaddressed`}
          type="checkbox"
          checked={unaddressed}
          onChange={(e) => onChange({ unaddressed: e.target.checked ? 'true' : null })}
          data-testid="rec-filter-unaddressed"
        />
        <label htmlFor={`${id}-unaddressed`}>{t('recs.filter.unaddressed')}</label>
      </div>
    </form>
  );
}

function RecommendationDetailPanel({
  planId,
  recId,
  mayWrite,
  isCoordinator,
  onClose,
  onPrevNext,
  onChanged,
}: {
  planId: string;
  recId: string;
  mayWrite: boolean;
  isCoordinator: boolean;
  onClose: () => void;
  onPrevNext: { prev: string | null; next: string | null; go: (id: string) => void } | null;
  onChanged: () => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const recQuery = useQuery({ queryKey: queryKeys.plan(planId).recommendation(recId), queryFn: () => api.recommendation(planId, recId) });
  const rec = recQuery.data ?? null;
  const error = recQuery.error ? { gone: recQuery.error instanceof ApiError && recQuery.error.status === 404, message: describeError(recQuery.error, t).message } : null;
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [busy, setBusy] = useState(false);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    headingRef.current?.focus({ preventScroll: true });
  }, [rec?.id]);

  async function remove() {
    setBusy(true);
    setDeleteError(null);
    try {
      await api.deleteRecommendation(planId, recId);
      setDeleting(false);
      onChanged();
      onClose();
    } catch (err) {
      setDeleteError(describeError(err, t).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <aside className="rec-detail panel" aria-labelledby="rec-detail-title" data-testid="rec-detail">
      <div className="panel__head">
        <div className="button-row button-row--tight">
          {onPrevNext && (
            <>
              <Button variant="link" className="button--small" disabled={!onPrevNext.prev} onClick={() => onPrevNext.prev && onPrevNext.go(onPrevNext.prev)}>
                {t('recs.detailPrev')}
              </Button>
              <Button variant="link" className="button--small" disabled={!onPrevNext.next} onClick={() => onPrevNext.next && onPrevNext.go(onPrevNext.next)}>
                {t('recs.detailNext')}
              </Button>
            </>
          )}
        </div>
        <Button variant="link" className="button--small" onClick={onClose} data-testid="rec-detail-close">
          {t('recs.closeDetail')}
        </Button>
      </div>
      {error && (
        <p className={error.gone ? 'notice' : 'alert alert--error'} role="alert">
          {error.gone ? t('recs.gone') : error.message}
        </p>
      )}
      {!rec && !error && (
        <p className="muted" role="status">
          {t('common.loading')}
        </p>
      )}
      {rec && !error?.gone && (
        <>
          <p className="rec-detail__kicker">{mechanismLabel(t, rec.mechanism)}</p>
          <h2 id="rec-detail-title" className="rec-detail__title" tabIndex={-1} ref={headingRef}>
            {rec.reference}
          </h2>
          <p>
            <PositionBadge position={rec.position} />
          </p>
          <blockquote className="rec-text" lang={rec.language}>
            {rec.text}
          </blockquote>
          <h3>{t('recs.implementingActions')}</h3>
          {rec.actions.length === 0 ? (
            <p className="notice" data-testid="rec-no-actions">
              {t('recs.noActionsDetail')}
            </p>
          ) : (
            <ul className="link-list" data-testid="rec-actions">
              {rec.actions.map((a) => (
                <li key={a.id}>
                  <Link to={`/plans/${planId}/sections/${a.sectionId}#action-${a.id}`}>{a.title}</Link>
                  <span className="muted small"> — {t('recs.inSection', { section: a.sectionTitle })}</span>
                </li>
              ))}
            </ul>
          )}
          {editing ? (
            <EditRecommendation
              planId={planId}
              rec={rec}
              onCancel={() => setEditing(false)}
              onSaved={(r) => {
                // The answer is the fresh detail: show it now; onChanged refetches the rest.
                queryClient.setQueryData(queryKeys.plan(planId).recommendation(recId), r);
                setEditing(false);
                onChanged();
              }}
            />
          ) : (
            <>
              <h3>{t('recs.details')}</h3>
              <dl className="summary-list summary-list--compact">
                <Row label={t('recs.field.documentSymbol')} value={rec.documentSymbol} />
                <Row label={t('recs.field.paragraph')} value={rec.paragraph} />
                <Row label={t('recs.field.positionSource')} value={rec.positionSource} />
                <Row label={t('recs.field.cycle')} value={rec.cycle !== null ? t('recs.cycleN', { n: rec.cycle }) : null} />
                <Row label={t('recs.field.session')} value={rec.session} />
                <Row label={t('recs.field.date')} value={rec.date} />
                <Row label={t('recs.field.stateUnderReview')} value={rec.stateUnderReview} />
                <Row label={t('recs.field.recommendingStates')} value={rec.recommendingStates.join(', ')} />
                <Row label={t('recs.field.themes')} value={rec.themes.join('; ')} />
                <Row label={t('recs.field.affectedPersons')} value={rec.affectedPersons.join('; ')} />
                <Row label={t('recs.field.sdgTargets')} value={rec.sdgTargets.join(', ')} />
                <Row label={t('recs.field.actionCategory')} value={rec.actionCategory !== null ? t('recs.actionCategoryValue', { n: rec.actionCategory }) : null} />
                <Row label={t('recs.field.language')} value={rec.language} />
                <Row label={t('recs.field.notes')} value={rec.notes} pre />
              </dl>
              {(mayWrite || isCoordinator) && (
                <div className="button-row">
                  {mayWrite && (
                    <Button variant="secondary" onClick={() => setEditing(true)} data-testid="rec-edit">
                      {t('recs.edit')}
                    </Button>
                  )}
                  {isCoordinator && (
                    <Button
                      variant="link"
                      className="button--danger-link"
                      onClick={() => {
                        setDeleteError(null);
                        setDeleting(true);
                      }}
                      data-testid="rec-delete"
                    >
                      {t('recs.delete')}
                    </Button>
                  )}
                </div>
              )}
            </>
          )}
          <ConfirmDialog
            open={deleting}
            title={t('recs.deleteTitle')}
            confirmLabel={t('recs.deleteConfirm')}
            onConfirm={() => void remove()}
            onCancel={() => setDeleting(false)}
            busy={busy}
            error={deleteError}
          >
            <p>{t('recs.deleteBody', { reference: rec.reference })}</p>
            {rec.actions.length > 0 && <p>{t('recs.deleteLinks', { count: rec.actions.length })}</p>}
            <p className="muted">{t('recs.deleteReimport')}</p>
          </ConfirmDialog>
        </>
      )}
    </aside>
  );
}

function Row({ label, value, pre }: { label: string; value: string | null | undefined; pre?: boolean }) {
  const { t } = useTranslation();
  return (
    <div>
      <dt>{label}</dt>
      <dd className={pre ? 'pre-wrap' : undefined}>{value ? value : <span className="muted">{t('recs.notGiven')}</span>}</dd>
    </div>
  );
}

function EditRecommendation({
  planId,
  rec,
  onCancel,
  onSaved,
}: {
  planId: string;
  rec: RecommendationDetail;
  onCancel: () => void;
  onSaved: (r: RecommendationDetail) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [position, setPosition] = useState<Position>(rec.position);
  const [themes, setThemes] = useState(rec.themes.join('\n'));
  const [notes, setNotes] = useState(rec.notes ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function save(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const themeList = [...new Set(themes.split('\n').map((s) => s.trim()).filter(Boolean))];
      onSaved(await api.updateRecommendation(planId, rec.id, { position, themes: themeList, notes: notes.trim() ? notes : null }));
    } catch (err) {
      setError(describeError(err, t).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="rec-edit" onSubmit={save} data-testid="rec-edit-form">
      <h3>{t('recs.editTitle')}</h3>
      <FormError message={error} />
      <div className="field">
        <label htmlFor={`${id}-pos`}>{t('recs.field.position')}</label>
        <p className="field__hint">{t('recs.positionHint')}</p>
        <select id={`${id}-pos`} value={position} onChange={(e) => setPosition(e.target.value as Position)} data-testid="rec-edit-position">
          {PositionSchema.options.map((p) => (
            <option key={p} value={p}>
              {t(`position.${p}`)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-themes`}>{t('recs.field.themes')}</label>
        <p className="field__hint">{t('recs.themesHint')}</p>
        <textarea id={`${id}-themes`} rows={4} value={themes} onChange={(e) => setThemes(e.target.value)} data-testid="rec-edit-themes" />
      </div>
      <div className="field">
        <label htmlFor={`${id}-notes`}>{t('recs.field.notes')}</label>
        <p className="field__hint">{t('recs.notesHint')}</p>
        <textarea id={`${id}-notes`} rows={4} value={notes} onChange={(e) => setNotes(e.target.value)} maxLength={10_000} data-testid="rec-edit-notes" />
      </div>
      <div className="button-row">
        <Button type="submit" busy={busy} data-testid="rec-edit-save">
          {t('common.save')}
        </Button>
        <Button variant="link" onClick={onCancel}>
          {t('common.cancel')}
        </Button>
      </div>
    </form>
  );
}
