import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { BinEntry } from '../../shared/api/index.ts';
import { api } from '../api/index.ts';
import { usePlanLiveEvents } from '../api/liveEvents.ts';
import { queryKeys, useInvalidate } from '../api/queries.ts';
import { Button, FormError, describeError } from '../ui/forms.tsx';
import { PlanNotFound, PlanTabs, usePlanOutline } from '../features/recommendations/recommendations.tsx';
import { useAccessChanges } from '../api/usePlanEvents.ts';
import { useDocumentTitle } from '../ui/useDocumentTitle.ts';
import { formatDateTime } from '../i18n/format.ts';
import { TableScroll } from '../ui/TableScroll.tsx';
import { NotLoadedNote, OfflineNote } from '../sync/OfflineNote.tsx';
import { useOffline } from '../sync/connectivity.ts';

/** Deleted sections and chapters, for coordinators: who deleted them, when, how long they are kept, and Restore. */
export function BinPage() {
  const { t, i18n } = useTranslation();
  const { planId = '' } = useParams();
  const { outline, error: outlineError } = usePlanOutline(planId);
  useDocumentTitle(outline ? t('bin.pageTitle', { plan: outline.plan.title }) : t('bin.title'));
  const isCoordinator = outline?.plan.role === 'coordinator';

  // Deleting and restoring change the outline: the `outline` event invalidates the bin too.
  const bin = useQuery({ queryKey: queryKeys.plan(planId).bin(), queryFn: () => api.bin(planId), enabled: isCoordinator });
  const entries = bin.data ?? null;
  const invalidate = useInvalidate();
  const [actionError, setError] = useState<string | null>(null);
  const error = actionError ?? (bin.error ? describeError(bin.error, t).message : null);
  const [busy, setBusy] = useState<string | null>(null);
  // Restoring is the server's to do: offline it waits, and says why.
  const offline = useOffline();
  const [restored, setRestored] = useState<{ title: string; to: string } | null>(null);

  usePlanLiveEvents(planId, useAccessChanges(outline?.plan.title));

  async function restore(entry: BinEntry) {
    setBusy(entry.id);
    setError(null);
    try {
      if (entry.kind === 'section') await api.restoreSection(planId, entry.id);
      else await api.restoreChapter(planId, entry.id);
      const firstSection = entry.kind === 'section' ? entry.id : null;
      setRestored({ title: entry.title, to: firstSection ? `/plans/${planId}/sections/${firstSection}` : `/plans/${planId}` });
      await invalidate(queryKeys.plan(planId).bin(), queryKeys.plan(planId).outline());
    } catch (err) {
      setError(describeError(err, t).message);
    } finally {
      setBusy(null);
    }
  }

  if (outlineError && (outlineError.status === 403 || outlineError.status === 404)) return <PlanNotFound />;
  if (outline && !isCoordinator) {
    return (
      <main id="main" className="page page--wide">
        <PlanTabs planId={planId} title={outline.plan.title} role={outline.plan.role} />
        <h1>{t('bin.title')}</h1>
        <p className="alert alert--info">{t('bin.coordinatorsOnly')}</p>
      </main>
    );
  }

  return (
    <main id="main" className="page page--wide">
      <PlanTabs planId={planId} title={outline?.plan.title} role={outline?.plan.role} />
      <h1>{t('bin.title')}</h1>
      <p className="lead">{t('bin.intro')}</p>
      {restored && (
        <div className="alert alert--success" role="status" data-testid="bin-restored">
          {t('bin.restored', { title: restored.title })} <Link to={restored.to}>{t('bin.open')}</Link>
        </div>
      )}
      <FormError message={error} />
      {!entries && !error && <NotLoadedNote failure={bin.failureReason} testId="bin-not-loaded" />}
      {entries && entries.length === 0 && (
        <p className="empty-state" data-testid="bin-empty">
          {t('bin.empty')}
        </p>
      )}
      {entries && entries.length > 0 && <OfflineNote testId="bin-offline" />}
      {entries && entries.length > 0 && (
        <TableScroll label={t('bin.caption')}>
          <table className="table bin-table" data-testid="bin-table">
            <caption className="visually-hidden">{t('bin.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('bin.colWhat')}</th>
                <th scope="col">{t('bin.colWho')}</th>
                <th scope="col">{t('bin.colWhen')}</th>
                <th scope="col">{t('bin.colDaysLeft')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('bin.colAction')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={`${e.kind}-${e.id}`} data-testid="bin-entry" data-kind={e.kind} data-id={e.id}>
                  <td>
                    <span className="badge badge--role">{t(`bin.kind.${e.kind}`)}</span>{' '}
                    <strong data-testid="bin-entry-title">{e.title}</strong>
                    <br />
                    <span className="muted">
                      {e.kind === 'section'
                        ? t('bin.inChapter', { chapter: e.chapterTitle })
                        : e.sections.length > 0
                          ? t('bin.withSections', { count: e.sections.length, titles: e.sections.map((s) => `“${s}”`).join(', ') })
                          : t('bin.withNoSections')}
                    </span>
                  </td>
                  <td data-testid="bin-entry-by">
                    {e.deletedBy ? (
                      <>
                        {e.deletedBy.name}
                        <br />
                        <span className="muted">{e.deletedBy.organisation}</span>
                      </>
                    ) : (
                      t('bin.someone')
                    )}
                  </td>
                  <td className="nowrap">
                    <time dateTime={e.deletedAt}>{formatDateTime(e.deletedAt, i18n.language)}</time>
                  </td>
                  <td className="nowrap" data-testid="bin-entry-days">
                    {t('bin.daysLeft', { count: e.daysLeft })}
                  </td>
                  <td>
                    {e.kind === 'section' && e.chapterInBin ? (
                      <span className="muted">{t('bin.restoreChapterFirst', { chapter: e.chapterTitle })}</span>
                    ) : (
                      <Button
                        variant="secondary"
                        onClick={() => void restore(e)}
                        disabled={busy !== null || offline}
                        aria-label={t('bin.restoreLabel', { title: e.title })}
                        data-testid="bin-restore"
                      >
                        {t('bin.restore')}
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </main>
  );
}
