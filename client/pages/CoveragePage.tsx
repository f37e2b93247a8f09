import { useId, useMemo, useState } from 'react';
import { themeLabel } from '../../shared/themes/uprThemes.ts';
import { useQueries, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { canEditText, type Action, type Coverage, type PlanOutline } from '../../shared/api/index.ts';
import { api } from '../api/index.ts';
import { usePlanLiveEvents } from '../api/liveEvents.ts';
import { queryKeys, useInvalidate } from '../api/queries.ts';
import { Button, FormError, describeError } from '../ui/forms.tsx';
import { NotLoadedNote } from '../sync/OfflineNote.tsx';
import { PlanNotFound, PlanTabs, percent, usePlanOutline } from '../features/recommendations/recommendations.tsx';
import { useAccessChanges } from '../api/usePlanEvents.ts';
import { useDocumentTitle } from '../ui/useDocumentTitle.ts';
import { formatPercent } from '../i18n/format.ts';
import { BucketTable } from '../features/coverage/BucketTable.tsx';
import { CoverageAsks } from '../features/recommendationGroups/CoverageAsks.tsx';

/** Unaddressed recommendations listed before "Show all". */
const UNADDRESSED_SHOWN = 10;

interface SectionActions {
  chapterTitle: string;
  sectionId: string;
  sectionTitle: string;
  /** Agreed: its actions are read-only until a coordinator reopens it, so none can be linked. */
  agreed: boolean;
  actions: Action[];
}

export function CoveragePage() {
  const { t, i18n } = useTranslation();
  const { planId = '' } = useParams();
  const { outline, error: outlineError } = usePlanOutline(planId);
  // Refetched on `actions` and `recommendations` events (client/api/liveEvents.ts).
  const coverageQuery = useQuery({ queryKey: queryKeys.plan(planId).coverage(), queryFn: () => api.coverage(planId) });
  const coverage = coverageQuery.data ?? null;
  const error = coverageQuery.error ? describeError(coverageQuery.error, t).message : null;
  const invalidate = useInvalidate();
  const [notice, setNotice] = useState<string | null>(null);
  const [showAllUnaddressed, setShowAllUnaddressed] = useState(false);
  const mayWrite = outline ? canEditText(outline.plan.role) : false;
  useDocumentTitle(outline ? t('coverage.pageTitle', { plan: outline.plan.title }) : t('coverage.title'));

  usePlanLiveEvents(planId, useAccessChanges(outline?.plan.title));

  if (outlineError && (outlineError.status === 403 || outlineError.status === 404)) return <PlanNotFound />;

  const totals = coverage?.totals;
  const unaddressedSupported = totals ? totals.supported - totals.supportedAddressed : 0;

  return (
    <main id="main" className="page page--wide">
      <PlanTabs planId={planId} title={outline?.plan.title} role={outline?.plan.role} />
      <h1>{t('coverage.title')}</h1>
      <p className="lead">{t('coverage.intro')}</p>
      <FormError message={error} />
      {notice && (
        <div className="alert alert--info" role="status">
          {notice}{' '}
          <button type="button" className="button button--link button--small" onClick={() => setNotice(null)}>
            {t('common.dismiss')}
          </button>
        </div>
      )}
      {!coverage && !error && <NotLoadedNote failure={coverageQuery.failureReason} testId="coverage-not-loaded" />}
      {coverage && totals && (
        <>
          <dl className="stat-row stat-row--big" data-testid="coverage-totals">
            <div className="stat">
              <dt>{t('coverage.stat.recommendations')}</dt>
              <dd data-testid="coverage-total">{totals.recommendations}</dd>
            </div>
            <div className="stat">
              <dt>{t('coverage.stat.addressed')}</dt>
              <dd>
                <span data-testid="coverage-addressed">{totals.addressed}</span>
                <span className="stat__pct">{formatPercent(totals.addressed, totals.recommendations, i18n.language)}</span>
              </dd>
            </div>
            <div className="stat">
              <dt>{t('coverage.stat.supported')}</dt>
              <dd data-testid="coverage-supported">{totals.supported}</dd>
            </div>
            <div className={'stat' + (unaddressedSupported > 0 ? ' stat--attention' : ' stat--ok')}>
              <dt>{t('coverage.stat.supportedAddressed')}</dt>
              <dd>
                <span data-testid="coverage-supported-addressed">{totals.supportedAddressed}</span>
                <span className="stat__pct">{t('coverage.ofSupported', { pct: formatPercent(totals.supportedAddressed, totals.supported, i18n.language) })}</span>
              </dd>
            </div>
          </dl>
          {totals.supported > 0 && (
            <div className="meter" aria-hidden="true">
              <div className="meter__fill" style={{ width: percent(totals.supportedAddressed, totals.supported) }} />
            </div>
          )}
          <p className="muted small">{t('coverage.definition')}</p>
          {/* Once recommendations that say the same thing are grouped, the counts by ask. */}
          <CoverageAsks planId={planId} />

          {totals.recommendations === 0 ? (
            <div className="empty-state">
              <p>{t('coverage.noRecs')}</p>
              {/* Importing is for coordinators and drafters (DRAFTERS on the server). */}
              {mayWrite && (
                <p>
                  <Link to={`/plans/${planId}/recommendations`} data-testid="coverage-go-import">
                    {t('coverage.goImport')}
                  </Link>
                </p>
              )}
            </div>
          ) : (
            <>
              <section className="spaced" aria-labelledby="unaddressed-heading">
                <h2 id="unaddressed-heading">{t('coverage.unaddressedTitle', { count: unaddressedSupported })}</h2>
                <p>{t('coverage.unaddressedIntro')}</p>
                {coverage.unaddressedSupported.length === 0 ? (
                  <p className="alert alert--success">{t('coverage.allAddressed')}</p>
                ) : (
                  <>
                    <ul className="unaddressed-list">
                      {coverage.unaddressedSupported.slice(0, showAllUnaddressed ? undefined : UNADDRESSED_SHOWN).map((r) => (
                        <UnaddressedRow
                          key={r.id}
                          planId={planId}
                          rec={r}
                          outline={outline}
                          mayWrite={mayWrite}
                          onLinked={(title) => {
                            setNotice(t('coverage.linked', { reference: r.reference, title }));
                            void invalidate(queryKeys.plan(planId).coverage(), queryKeys.plan(planId).actions());
                          }}
                        />
                      ))}
                    </ul>
                    {!showAllUnaddressed && coverage.unaddressedSupported.length > UNADDRESSED_SHOWN && (
                      <p>
                        <Button variant="secondary" className="button--small" onClick={() => setShowAllUnaddressed(true)} data-testid="coverage-show-all">
                          {t('coverage.showAll', { count: coverage.unaddressedSupported.length })}
                        </Button>
                      </p>
                    )}
                    {showAllUnaddressed && coverage.unaddressedSupported.length < unaddressedSupported && (
                      <p className="muted">
                        {t('coverage.moreUnaddressed', { shown: coverage.unaddressedSupported.length, total: unaddressedSupported })}{' '}
                        <Link to={`/plans/${planId}/recommendations?unaddressed=true&position=supported`}>{t('coverage.seeAll')}</Link>
                      </p>
                    )}
                  </>
                )}
              </section>

              <section className="spaced" aria-labelledby="weak-heading">
                <h2 id="weak-heading">{t('coverage.weakTitle', { count: coverage.weakActions.length })}</h2>
                <p>{t('coverage.weakIntro')}</p>
                {coverage.weakActions.length === 0 ? (
                  <p className="muted">{t('coverage.noWeak')}</p>
                ) : (
                  <ul className="weak-list" data-testid="coverage-weak">
                    {coverage.weakActions.map((a) => (
                      <li key={a.actionId} data-testid="coverage-weak-row">
                        <Link to={`/plans/${planId}/sections/${a.sectionId}#action-${a.actionId}`}>{a.title}</Link>
                        <span className="weak-list__problems">
                          {a.problems.map((p) => (
                            <span key={p} className="badge badge--problem">
                              <span aria-hidden="true">! </span>
                              {t(`actions.problemShort.${p}`)}
                            </span>
                          ))}
                        </span>
                      </li>
                    ))}
                  </ul>
                )}
              </section>

              <section className="spaced" aria-labelledby="by-theme-heading">
                <h2 id="by-theme-heading">{t('coverage.byTheme')}</h2>
                <BucketTable buckets={coverage.byTheme} title={t('coverage.byTheme')} label={t('coverage.colTheme')} planId={planId} filterKey="theme" testId="coverage-by-theme" />
              </section>
              <section className="spaced" aria-labelledby="by-mechanism-heading">
                <h2 id="by-mechanism-heading">{t('coverage.byMechanism')}</h2>
                <BucketTable buckets={coverage.byMechanism} title={t('coverage.byMechanism')} label={t('coverage.colMechanism')} planId={planId} filterKey="mechanism" testId="coverage-by-mechanism" />
              </section>
              <section className="spaced" aria-labelledby="by-sdg-heading">
                <h2 id="by-sdg-heading">{t('sdg.coverageTitle')}</h2>
                <p>{t('sdg.coverageIntro')}</p>
                <BucketTable buckets={coverage.bySdg} title={t('sdg.coverageTitle')} label={t('sdg.colGoal')} planId={planId} filterKey="sdg" testId="coverage-by-sdg" />
              </section>
            </>
          )}
        </>
      )}
    </main>
  );
}

function UnaddressedRow({
  planId,
  rec,
  outline,
  mayWrite,
  onLinked,
}: {
  planId: string;
  rec: Coverage['unaddressedSupported'][number];
  outline: PlanOutline | null;
  mayWrite: boolean;
  onLinked: (actionTitle: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <li className="unaddressed-list__item" data-testid="coverage-unaddressed-row" data-rec-id={rec.id}>
      <div className="unaddressed-list__main">
        <p className="unaddressed-list__ref">
          <Link to={`/plans/${planId}/recommendations?rec=${rec.id}`}>{rec.reference}</Link>
          {rec.themes.length > 0 && <span className="muted small"> · {rec.themes.map((th) => themeLabel(th, i18n.language)).join('; ')}</span>}
        </p>
        <p className="unaddressed-list__text">{rec.text}</p>
      </div>
      {mayWrite && !open && (
        <Button variant="secondary" className="button--small" onClick={() => setOpen(true)} data-testid="coverage-link-action">
          {t('coverage.linkAction')}
          <span className="visually-hidden"> {rec.reference}</span>
        </Button>
      )}
      {open && outline && (
        <ActionChooser
          planId={planId}
          outline={outline}
          recReference={rec.reference}
          onCancel={() => setOpen(false)}
          onPick={async (action) => {
            await api.linkRecommendation(planId, action.id, rec.id);
            setOpen(false);
            onLinked(action.title);
          }}
        />
      )}
    </li>
  );
}

/**
 * Every action of the plan, by chapter and section, to pick one. Actions of agreed sections are
 * listed without a button, with why: the server refuses links to them until the section is reopened.
 */
function ActionChooser({
  planId,
  outline,
  recReference,
  onPick,
  onCancel,
}: {
  planId: string;
  outline: PlanOutline;
  recReference: string;
  onPick: (action: Action) => Promise<void>;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [filter, setFilter] = useState('');
  const [busy, setBusy] = useState<string | null>(null);

  // Each section's actions are the same queries the plan page reads, refetched on `actions` events.
  const sections = useMemo(
    () =>
      [...outline.chapters]
        .sort((a, b) => a.position - b.position)
        .flatMap((c) =>
          [...c.sections]
            .sort((a, b) => a.position - b.position)
            .map((s) => ({ chapterTitle: c.title, sectionId: s.id, sectionTitle: s.title, agreed: s.status === 'agreed' })),
        ),
    [outline],
  );
  const results = useQueries({
    queries: sections.map((s) => ({ queryKey: queryKeys.plan(planId).actions(s.sectionId), queryFn: () => api.actions(planId, s.sectionId) })),
  });
  const failed = results.find((r) => r.error)?.error;
  const [pickError, setError] = useState<string | null>(null);
  const error = pickError ?? (failed ? describeError(failed, t).message : null);
  const groups: SectionActions[] | null = results.every((r) => r.data)
    ? sections.map((s, i) => ({ ...s, actions: results[i]!.data! })).filter((x) => x.actions.length > 0)
    : null;

  const f = filter.trim().toLowerCase();
  const shown = (groups ?? [])
    .map((g) => ({ ...g, actions: g.actions.filter((a) => !f || a.title.toLowerCase().includes(f) || g.sectionTitle.toLowerCase().includes(f)) }))
    .filter((g) => g.actions.length > 0);

  return (
    <div className="action-chooser" role="group" aria-labelledby={`${id}-h`} data-testid="coverage-action-chooser">
      <div className="panel__head">
        <p id={`${id}-h`} className="link-picker__title">
          {t('coverage.chooseTitle', { reference: recReference })}
        </p>
        <Button variant="link" className="button--small" onClick={onCancel}>
          {t('common.cancel')}
        </Button>
      </div>
      {error && (
        <p className="alert alert--error" role="alert">
          {error}
        </p>
      )}
      {groups === null && !error && <NotLoadedNote failure={results.find((r) => r.failureReason)?.failureReason} />}
      {groups !== null && groups.length === 0 && <p className="muted">{t('coverage.noActions')}</p>}
      {groups !== null && groups.length > 0 && (
        <>
          <div className="field">
            <label htmlFor={`${id}-f`}>{t('coverage.filterActions')}</label>
            <input id={`${id}-f`} type="search" value={filter} onChange={(e) => setFilter(e.target.value)} autoFocus data-testid="coverage-action-filter" />
          </div>
          {shown.map((g) => (
            <div key={g.sectionId} className="action-chooser__group" data-testid="coverage-action-group" data-agreed={g.agreed || undefined}>
              <p className="action-chooser__section">
                <span className="muted">{g.chapterTitle} › </span>
                {g.sectionTitle}
              </p>
              {g.agreed && (
                <p className="muted small" data-testid="coverage-section-agreed">
                  {t('coverage.sectionAgreed')}
                </p>
              )}
              <ul>
                {g.actions.map((a) => (
                  <li key={a.id} data-testid="coverage-chooser-action">
                    {!g.agreed && (
                      <>
                        <Button
                          variant="secondary"
                          className="button--small"
                          busy={busy === a.id}
                          disabled={busy !== null}
                          onClick={() => {
                            setBusy(a.id);
                            setError(null);
                            onPick(a)
                              .catch((err: unknown) => setError(describeError(err, t).message))
                              .finally(() => setBusy(null));
                          }}
                          data-testid="coverage-pick-action"
                          aria-label={t('coverage.pickLabel', { title: a.title })}
                        >
                          {t('coverage.pick')}
                        </Button>{' '}
                      </>
                    )}
                    {a.title}
                    {a.recommendations.length > 0 && <span className="muted small"> · {t('linkRecs.recCount', { count: a.recommendations.length })}</span>}
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </>
      )}
    </div>
  );
}
