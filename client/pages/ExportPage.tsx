import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { ExportFormatSchema, type ExportFormat, type ExportLanguage, type PlanEvent } from '../../shared/api/index.ts';
import { agreementApi, type ExportJobResult } from '../api/index.ts';
import { usePlanLiveEvents } from '../api/liveEvents.ts';
import { queryKeys, useInvalidate } from '../api/queries.ts';
import { Button, FormError, describeError } from '../ui/forms.tsx';
import { PlanNotFound, PlanTabs, ProgressBar, usePlanOutline } from '../features/recommendations/recommendations.tsx';
import { useAccessChanges } from '../api/usePlanEvents.ts';
import { useDocumentTitle } from '../ui/useDocumentTitle.ts';
import { agreedCount } from '../features/agreement/agreedCount.ts';
import { PastExports } from '../features/exports/PastExports.tsx';
import { MatrixImport } from '../features/matrixImport/MatrixImport.tsx';
import { ExportSourceField } from '../features/exports/ExportSourceField.tsx';
import { defaultScope, type ExportScope as Scope } from '../features/exports/defaultScope.ts';
import { ExportLanguageField } from '../features/exports/ExportLanguageField.tsx';
import { exportLanguageOf } from '../features/exports/exportLanguage.ts';
import { failureReason } from '../features/exports/failureReason.ts';
import { useLifecycleQuery } from '../api/monitoring.ts';
import { OfflineNote } from '../sync/OfflineNote.tsx';
import { useOffline } from '../sync/connectivity.ts';

/** Polling is only the safety net for a missed event (e.g. a job finishing before we subscribed). */
const POLL_MS = 2000;

/** Builds the plan as a document (or the implementation matrix), with progress and a download. */
export function ExportPage() {
  const { t, i18n } = useTranslation();
  // Making an export is the server's to do: offline it waits, and says why; the choices stay.
  const offline = useOffline();
  const { planId = '' } = useParams();
  const formatId = useId();
  const scopeId = useId();
  const { outline, error: outlineError } = usePlanOutline(planId);
  useDocumentTitle(outline ? t('export.pageTitle', { plan: outline.plan.title }) : t('export.title'));

  const [format, setFormat] = useState<ExportFormat>('docx');
  // null until the person picks: then the document follows the interface language.
  const [chosenLanguage, setLanguage] = useState<ExportLanguage | null>(null);
  const language = chosenLanguage ?? exportLanguageOf(i18n.language);
  // null until the person picks: then the default follows how much of the plan is agreed.
  const [chosenScope, setScope] = useState<Scope | null>(null);
  // '' = the current state; otherwise the group id of a saved whole-plan version.
  const [source, setSource] = useState('');
  // Saved whole-plan versions, refetched on `versions` events; none offered if they fail to load.
  const versionsQuery = useQuery({ queryKey: queryKeys.plan(planId).planVersions(), queryFn: () => agreementApi.planVersions(planId) });
  const versions = useMemo(() => (versionsQuery.data ?? []).filter((v) => v.id !== ''), [versionsQuery.data]);
  const counts = useMemo(() => (outline ? agreedCount(outline) : null), [outline]);
  const stage = useLifecycleQuery(planId).data?.stage;
  const scope = chosenScope ?? defaultScope(counts, stage !== undefined && stage !== 'drafting');
  const [job, setJob] = useState<ExportJobResult | null>(null);
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const invalidate = useInvalidate();
  const jobRef = useRef<ExportJobResult | null>(null);
  jobRef.current = job;

  const refreshJob = useCallback(
    async (id: string) => {
      try {
        const next = await agreementApi.exportJob(planId, id);
        setJob((cur) => (cur && cur.id === id ? next : cur));
      } catch (err) {
        setError(describeError(err, t).message);
      }
    },
    [planId, t],
  );

  const handleAccess = useAccessChanges(outline?.plan.title);
  usePlanLiveEvents(
    planId,
    useCallback(
      (event: PlanEvent) => {
        if (event.type === 'export-progress') {
          const cur = jobRef.current;
          if (!cur || cur.id !== event.exportId) return;
          const state = event.state === 'done' || event.state === 'failed' ? event.state : 'running';
          setJob({ ...cur, done: event.done, total: event.total, state });
          // The finished job carries the file name (and an error, if any).
          if (state !== 'running') void refreshJob(cur.id);
        }
        handleAccess(event);
      },
      [handleAccess, refreshJob],
    ),
    useCallback(() => {
      if (jobRef.current) void refreshJob(jobRef.current.id);
    }, [refreshJob]),
  );

  // A version that went away (another tab, a reload) falls back to the current state.
  useEffect(() => {
    if (source !== '' && !versions.some((v) => v.id === source)) setSource('');
  }, [source, versions]);

  const running = job?.state === 'running';
  const jobId = job?.id;
  useEffect(() => {
    if (!running || !jobId) return;
    const timer = setInterval(() => void refreshJob(jobId), POLL_MS);
    return () => clearInterval(timer);
  }, [running, jobId, refreshJob]);

  async function start() {
    setStarting(true);
    setError(null);
    setJob(null);
    try {
      const created = await agreementApi.createExport(planId, format, scope, language, source || undefined);
      setJob(created);
      // The new export shows in the past exports at once, as being made.
      void invalidate(queryKeys.plan(planId).exports());
    } catch (err) {
      setError(describeError(err, t).message);
    } finally {
      setStarting(false);
    }
  }

  if (outlineError && (outlineError.status === 403 || outlineError.status === 404)) return <PlanNotFound />;

  const isMatrix = format.startsWith('matrix-');
  const isMatrixTables = format === 'matrix-tables-xlsx' || format === 'matrix-tables-zip';
  const pct = job && job.total > 0 ? Math.round((job.done / job.total) * 100) : 0;

  return (
    <main id="main" className="page page--wide">
      <PlanTabs planId={planId} title={outline?.plan.title} role={outline?.plan.role} />
      <h1>{t('export.title')}</h1>
      <p className="lead">{t('export.intro')}</p>

      <div className="export-layout">
        <form
          className="panel export-form"
          onSubmit={(e) => {
            e.preventDefault();
            void start();
          }}
        >
          <div className="field">
            <label htmlFor={formatId}>{t('export.format')}</label>
            <select id={formatId} value={format} onChange={(e) => setFormat(e.target.value as ExportFormat)} data-testid="export-format">
              {ExportFormatSchema.options.map((f) => (
                <option key={f} value={f}>
                  {t(`export.formats.${f}`)}
                </option>
              ))}
            </select>
            <p className="field__hint">{t(`export.formatHints.${format}`)}</p>
          </div>
          <ExportSourceField versions={versions} source={source} onChange={setSource} />
          <ExportLanguageField value={language} onChange={setLanguage} />
          <div className="field">
            <label htmlFor={scopeId}>{t('export.scope')}</label>
            <select id={scopeId} value={scope} onChange={(e) => setScope(e.target.value as Scope)} data-testid="export-scope">
              <option value="agreed">{t('export.scopeAgreed')}</option>
              <option value="current">{t('export.scopeCurrent')}</option>
            </select>
            <p className="field__hint">{scope === 'agreed' ? t('export.scopeAgreedHint') : t('export.scopeCurrentHint')}</p>
          </div>
          {counts && (
            <p className={counts.agreed === 0 && scope === 'agreed' ? 'alert alert--warning' : 'muted'} data-testid="export-agreed-count">
              {counts.agreed === 0 && scope === 'agreed'
                ? t('export.noneAgreedWarning', { agreed: counts.agreed, count: counts.total })
                : t('plan.agreedCount', { agreed: counts.agreed, count: counts.total })}
            </p>
          )}
          <Button type="submit" busy={starting || running} disabled={offline} data-testid="export-start">
            {t('export.start')}
          </Button>
          <OfflineNote testId="export-offline" />
          <FormError message={error} />

          {job && (
            <div className="export-status" data-testid="export-status" data-state={job.state}>
              {job.state === 'running' && (
                <ProgressBar
                  label={job.total > 0 ? t('export.progress', { done: job.done, total: job.total }) : t('export.preparing')}
                  value={job.done}
                  max={job.total}
                  testId="export-progress"
                />
              )}
              {job.state !== 'running' && (
                <div className="progress" data-testid="export-progress" data-state={job.state}>
                  <div className="progress__label">{job.state === 'done' ? t('export.doneLabel') : t('export.failedLabel')}</div>
                  <progress value={job.state === 'done' ? 1 : pct / 100} max={1} aria-label={t('export.progressLabel')} />
                </div>
              )}
              {job.state === 'done' && (
                <p className="alert alert--success">
                  {t('export.ready')}{' '}
                  <a href={agreementApi.exportFileUrl(planId, job.id)} download={job.filename ?? true} data-testid="export-download" className="button button--primary">
                    {t('export.download', { name: job.filename ?? t(`export.formats.${job.format}`) })}
                  </a>
                </p>
              )}
              {job.state === 'failed' && (
                <p className="alert alert--error" role="alert" data-testid="export-failed">
                  {t('export.failed', { error: failureReason(t, job.errorCode) })}
                </p>
              )}
            </div>
          )}
        </form>

        <section className="export-about" aria-labelledby="export-contents-heading">
          <h2 id="export-contents-heading">{isMatrix ? t('export.matrixContentsTitle') : t('export.contentsTitle')}</h2>
          {isMatrix ? (
            <p>{isMatrixTables ? t('export.matrixTablesContents') : t('export.matrixContents')}</p>
          ) : (
            <ol className="export-contents">
              <li>{t('export.contents.title')}</li>
              <li>{t('export.contents.toc')}</li>
              <li>{scope === 'agreed' ? t('export.contents.sectionsAgreed') : t('export.contents.sectionsCurrent')}</li>
              <li>{t('export.contents.actions')}</li>
              <li>{t('export.contents.implementation')}</li>
              <li>{t('export.contents.recommendations')}</li>
              <li>{t('export.contents.provenance')}</li>
              <li>{t('export.contents.reservations')}</li>
              <li>{t('export.contents.proposals')}</li>
            </ol>
          )}
          <p className="muted small">{t('export.verify')}</p>
        </section>
      </div>
      <PastExports planId={planId} isCoordinator={outline?.plan.role === 'coordinator'} />
      <MatrixImport planId={planId} canEdit={outline?.plan.role === 'coordinator' || outline?.plan.role === 'drafter'} language={language} />
    </main>
  );
}
