import { useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { canEditText } from '../../shared/api/index.ts';
import { agreementApi, type PlanCompareRow } from '../api/index.ts';
import { usePlanLiveEvents } from '../api/liveEvents.ts';
import { queryKeys, useInvalidate } from '../api/queries.ts';
import { SectionStatusBadge } from '../features/agreement/SectionStatusBadge.tsx';
import { Button, FormError, describeError } from '../ui/forms.tsx';
import { NotLoadedNote, OfflineNote } from '../sync/OfflineNote.tsx';
import { useOffline } from '../sync/connectivity.ts';
import { PlanNotFound, PlanTabs, usePlanOutline } from '../features/recommendations/recommendations.tsx';
import { CompareForm, CURRENT } from '../features/versions/CompareForm.tsx';
import { useAccessChanges } from '../api/usePlanEvents.ts';
import { useDocumentTitle } from '../ui/useDocumentTitle.ts';
import { formatDateTime } from '../i18n/format.ts';
import { labelledName } from '../features/versions/versionNames.ts';
import { TableScroll } from '../ui/TableScroll.tsx';

/** Whole-plan versions (every section saved together) and a per-section comparison. */
export function PlanHistoryPage() {
  const { t, i18n } = useTranslation();
  // Saving a version is the server's to do: offline it waits, and says why; the name typed stays.
  const offline = useOffline();
  const { planId = '' } = useParams();
  const nameId = useId();
  const { outline, error: outlineError } = usePlanOutline(planId);
  const mayWrite = outline ? canEditText(outline.plan.role) : false;
  useDocumentTitle(outline ? t('planHistory.pageTitle', { plan: outline.plan.title }) : t('planHistory.title'));

  // Refetched on `versions` events (client/api/liveEvents.ts).
  const versionsQuery = useQuery({ queryKey: queryKeys.plan(planId).planVersions(), queryFn: () => agreementApi.planVersions(planId) });
  const versions = useMemo(() => (versionsQuery.data ? [...versionsQuery.data].sort((a, b) => b.createdAt.localeCompare(a.createdAt)) : null), [versionsQuery.data]);
  const error = versionsQuery.error ? describeError(versionsQuery.error, t).message : null;
  const invalidate = useInvalidate();
  const [name, setName] = useState('');
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState(CURRENT);
  const [rows, setRows] = useState<PlanCompareRow[] | null>(null);
  const [comparing, setComparing] = useState(false);
  const [compareError, setCompareError] = useState<string | null>(null);

  useEffect(() => {
    if (versions && versions.length > 0 && !versions.some((v) => v.id === from)) setFrom(versions[0]!.id);
  }, [versions, from]);

  usePlanLiveEvents(planId, useAccessChanges(outline?.plan.title));

  async function save(e: FormEvent) {
    e.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) {
      setSaveError(t('history.nameRequired'));
      return;
    }
    setSaving(true);
    setSaveError(null);
    try {
      await agreementApi.savePlanVersion(planId, trimmed);
      setName('');
      setNotice(t('history.saved', { name: trimmed }));
      await invalidate(queryKeys.plan(planId).planVersions());
    } catch (err) {
      setSaveError(describeError(err, t).message);
    } finally {
      setSaving(false);
    }
  }

  async function compare(e: FormEvent) {
    e.preventDefault();
    if (!from) return;
    setComparing(true);
    setCompareError(null);
    try {
      setRows(await agreementApi.comparePlan(planId, from, to));
    } catch (err) {
      setCompareError(describeError(err, t).message);
    } finally {
      setComparing(false);
    }
  }

  if (outlineError && (outlineError.status === 403 || outlineError.status === 404)) return <PlanNotFound />;

  const sections = outline ? outline.chapters.flatMap((c) => c.sections.map((s) => ({ ...s, chapterTitle: c.title }))) : [];
  const titleOf = (id: string) => sections.find((s) => s.id === id)?.title;
  const options = (versions ?? []).map((v) => ({ value: v.id, label: `${labelledName(v, t, i18n.language)} · ${formatDateTime(v.createdAt, i18n.language)}` }));

  return (
    <main id="main" className="page page--wide">
      <PlanTabs planId={planId} title={outline?.plan.title} role={outline?.plan.role} />
      <h1>{t('planHistory.title')}</h1>
      <p className="lead">{t('planHistory.intro')}</p>
      <FormError message={error} />
      {notice && (
        <div className="alert alert--info" role="status">
          {notice}{' '}
          <button type="button" className="button button--link button--small" onClick={() => setNotice(null)}>
            {t('common.dismiss')}
          </button>
        </div>
      )}

      {mayWrite && (
        <form className="inline-form history__save" onSubmit={(e) => void save(e)}>
          <div className="field">
            <label htmlFor={nameId}>{t('planHistory.nameLabel')}</label>
            <input id={nameId} value={name} onChange={(e) => setName(e.target.value)} maxLength={300} placeholder={t('planHistory.namePlaceholder')} data-testid="version-name" />
          </div>
          <Button type="submit" busy={saving} disabled={offline} data-testid="version-save">
            {t('planHistory.save')}
          </Button>
          <OfflineNote testId="plan-version-offline" />
        </form>
      )}
      <FormError message={saveError} />

      <section className="spaced" aria-labelledby="plan-versions-heading">
        <h2 id="plan-versions-heading">{t('planHistory.versionsTitle')}</h2>
        {versions === null && !error && <NotLoadedNote failure={versionsQuery.failureReason} testId="plan-versions-not-loaded" />}
        {versions !== null && versions.length === 0 && <p className="empty-state">{t('planHistory.empty')}</p>}
        {versions !== null && versions.length > 0 && (
          <TableScroll label={t('planHistory.versionsTitle')}>
            <table className="table table--compact">
              <thead>
                <tr>
                  <th scope="col">{t('history.colName')}</th>
                  <th scope="col">{t('history.colAuthor')}</th>
                  <th scope="col">{t('history.colTime')}</th>
                  <th scope="col" className="num">
                    {t('planHistory.colSections')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {versions.map((v) => (
                  <tr key={v.id} data-testid="version-item">
                    <th scope="row">{labelledName(v, t, i18n.language)}</th>
                    <td>{v.createdBy}</td>
                    <td>{v.createdAt ? formatDateTime(v.createdAt, i18n.language) : ''}</td>
                    <td className="num">{v.sectionCount ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        )}
      </section>

      {versions !== null && versions.length > 0 && (
        <section className="spaced" aria-labelledby="plan-compare-heading">
          <h2 id="plan-compare-heading">{t('planHistory.compareTitle')}</h2>
          <CompareForm
            options={options}
            from={from}
            to={to}
            onFrom={setFrom}
            onTo={setTo}
            currentLabel={t('planHistory.currentPlan')}
            comparing={comparing}
            onSubmit={(e) => void compare(e)}
          />
          <FormError message={compareError} />
          {rows && (
            <TableScroll label={t('planHistory.compareTitle')}>
              <table className="table table--compact" data-testid="plan-compare">
                <thead>
                  <tr>
                    <th scope="col">{t('planHistory.colSection')}</th>
                    <th scope="col">{t('planHistory.colChange')}</th>
                    <th scope="col" className="num">
                      {t('planHistory.colInserted')}
                    </th>
                    <th scope="col" className="num">
                      {t('planHistory.colDeleted')}
                    </th>
                    <th scope="col" className="num">
                      {t('planHistory.colBlocks')}
                    </th>
                    <th scope="col">{t('versionActions.planCol')}</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => {
                    const a = r.actions;
                    const changed = r.insertedChars + r.deletedChars + r.changedBlocks > 0 || (a !== null && a.actionsAdded + a.actionsRemoved + a.actionsChanged > 0);
                    return (
                      <tr key={r.sectionId} data-testid="plan-compare-row" className={changed ? '' : 'muted'}>
                        <th scope="row">
                          <Link to={`/plans/${planId}/sections/${r.sectionId}/history`}>{r.title || titleOf(r.sectionId) || r.sectionId}</Link>
                        </th>
                        <td>{r.change ? t(`planHistory.change.${r.change}`, { defaultValue: r.change }) : changed ? t('planHistory.change.changed') : t('planHistory.change.unchanged')}</td>
                        <td className="num">
                          <span className="diff__ins-count">+{r.insertedChars}</span>
                        </td>
                        <td className="num">
                          <span className="diff__del-count">−{r.deletedChars}</span>
                        </td>
                        <td className="num">{r.changedBlocks}</td>
                        <td data-testid="plan-compare-actions">
                          {!a ? (
                            <span className="muted">{t('versionActions.textOnlyBadge')}</span>
                          ) : a.actionsAdded + a.actionsRemoved + a.actionsChanged === 0 ? (
                            <span className="muted">{t('versionActions.planNone')}</span>
                          ) : (
                            t('versionActions.planCell', { ...a })
                          )}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </TableScroll>
          )}
        </section>
      )}

      <section className="spaced" aria-labelledby="plan-sections-heading">
        <h2 id="plan-sections-heading">{t('planHistory.sectionsTitle')}</h2>
        <p className="muted">{t('planHistory.sectionsIntro')}</p>
        <ul className="history__sections">
          {sections.map((s) => (
            <li key={s.id}>
              <Link to={`/plans/${planId}/sections/${s.id}/history`}>{s.title}</Link> <span className="muted small">{s.chapterTitle}</span>{' '}
              <SectionStatusBadge status={s.status} />
            </li>
          ))}
        </ul>
      </section>
    </main>
  );
}
