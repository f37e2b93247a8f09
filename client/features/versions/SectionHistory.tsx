import { useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import { CompareForm, CURRENT } from './CompareForm.tsx';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { agreementApi, type ListedVersionResult, type SectionDiffResult, type VersionWithText } from '../../api/index.ts';
import { queryKeys, useInvalidate, useSectionVersionsQuery } from '../../api/queries.ts';
import { ActionsDiffView, VersionActionsList, restoredMessage } from '../actions/ActionsDiff.tsx';
import { shortHash } from '../agreement/hash.ts';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { DiffView } from './Diff.tsx';
import { Button, FormError, describeError } from '../../ui/forms.tsx';
import { NotLoadedNote, OfflineNote } from '../../sync/OfflineNote.tsx';
import { useOffline } from '../../sync/connectivity.ts';

import { versionMaker, versionName } from './versionNames.ts';
import { formatDateTime, formatList } from '../../i18n/format.ts';
import { useQuery } from '@tanstack/react-query';
import { TableScroll } from '../../ui/TableScroll.tsx';

/** "Section text · 12 May 2026, 10:30" — how a version is named in pickers. */
function versionLabel(name: string, createdAt: string, lng: string): string {
  return `${name} · ${formatDateTime(createdAt, lng)}`;
}

/**
 * A section's versions: saving a named one, comparing any two (or one with the current text),
 * reading one, and restoring one (which makes a new change; nothing is lost).
 */
export function SectionHistory({
  planId,
  sectionId,
  sectionTitle,
  mayWrite,
  agreed,
}: {
  planId: string;
  sectionId: string;
  sectionTitle: string;
  mayWrite: boolean;
  agreed: boolean;
}) {
  const { t, i18n } = useTranslation();
  const nameId = useId();
  // Refetched on `versions` events (client/api/liveEvents.ts).
  const versionsQuery = useSectionVersionsQuery(planId, sectionId);
  const versions = useMemo(() => (versionsQuery.data ? [...versionsQuery.data].sort((a, b) => b.createdAt.localeCompare(a.createdAt)) : null), [versionsQuery.data]);
  const [viewError, setError] = useState<string | null>(null);
  const error = viewError ?? (versionsQuery.error ? describeError(versionsQuery.error, t).message : null);
  // Offline, saving a version and reading or comparing one (each asks the server) wait, saying
  // why; the list loaded before stays shown, and restoring asks in a dialog that waits too.
  const offline = useOffline();
  const invalidate = useInvalidate();
  // Saving or restoring a version changes the list and, for a restore, the text and its agreement.
  const load = () => {
    const p = queryKeys.plan(planId);
    return invalidate(p.sectionVersions(sectionId), p.agreement(sectionId), p.planVersions());
  };
  const [name, setName] = useState('');
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState(CURRENT);
  const [diff, setDiff] = useState<SectionDiffResult | null>(null);
  const [comparing, setComparing] = useState(false);
  const [compareError, setCompareError] = useState<string | null>(null);
  const [viewing, setViewing] = useState<VersionWithText | null>(null);
  const [restoring, setRestoring] = useState<ListedVersionResult | null>(null);
  const [restoreBusy, setRestoreBusy] = useState(false);
  const [restoreError, setRestoreError] = useState<string | null>(null);

  // Default comparison: the newest version against the current text.
  useEffect(() => {
    if (!versions || versions.length === 0) return;
    if (!from || (!versions.some((v) => v.id === from) && from !== CURRENT)) setFrom(versions[0]!.id);
  }, [versions, from]);

  async function save(e: FormEvent) {
    e.preventDefault();
    if (offline) return;
    const trimmed = name.trim();
    if (!trimmed) {
      setSaveError(t('history.nameRequired'));
      return;
    }
    setSaving(true);
    setSaveError(null);
    try {
      await agreementApi.saveSectionVersion(planId, sectionId, trimmed);
      setName('');
      setNotice(t('history.saved', { name: trimmed }));
      await load();
    } catch (err) {
      setSaveError(describeError(err, t).message);
    } finally {
      setSaving(false);
    }
  }

  async function compare(a: string, b: string) {
    setComparing(true);
    setCompareError(null);
    try {
      setDiff(await agreementApi.compareSection(planId, sectionId, a, b));
    } catch (err) {
      setCompareError(describeError(err, t).message);
    } finally {
      setComparing(false);
    }
  }

  async function view(v: ListedVersionResult) {
    if (viewing?.id === v.id) {
      setViewing(null);
      return;
    }
    try {
      setViewing(await agreementApi.version(planId, v.id));
    } catch (err) {
      setError(describeError(err, t).message);
    }
  }

  async function confirmRestore() {
    if (!restoring) return;
    setRestoreBusy(true);
    setRestoreError(null);
    try {
      const result = await agreementApi.restoreVersion(planId, restoring.id);
      setNotice(restoredMessage(t, nameOf(restoring), result.actionsRestore));
      setRestoring(null);
      setDiff(null);
      await load();
    } catch (err) {
      setRestoreError(describeError(err, t).message);
    } finally {
      setRestoreBusy(false);
    }
  }

  const mayRestore = mayWrite && !agreed;
  const nameOf = (v: Parameters<typeof versionName>[0]) => versionName(v, t, i18n.language);
  const options = (versions ?? []).map((v) => ({ value: v.id, label: versionLabel(nameOf(v), v.createdAt, i18n.language) }));
  const viewingBlocks: Array<{ type: string; text: string; level?: number }> = viewing
    ? viewing.blocks.map((b) => ({ type: b.type, text: b.text, level: b.level }))
    : [];

  return (
    <section className="history" aria-labelledby="history-heading" data-testid="section-history">
      <div className="history__head">
        <h2 id="history-heading">{t('history.title')}</h2>
        <p className="muted">
          {t('history.intro', { section: sectionTitle })} <Link to={`/plans/${planId}/history`}>{t('history.planHistoryLink')}</Link>
        </p>
      </div>
      <FormError message={error} />
      {notice && (
        <div className="alert alert--info" role="status">
          {notice}{' '}
          <button type="button" className="button button--link button--small" onClick={() => setNotice(null)}>
            {t('common.dismiss')}
          </button>
        </div>
      )}
      {agreed && <p className="notice">{t('history.agreedNoRestore')}</p>}
      {versions !== null && <OfflineNote testId="history-offline" />}

      {mayWrite && (
        <form className="inline-form history__save" onSubmit={(e) => void save(e)}>
          <div className="field">
            <label htmlFor={nameId}>{t('history.nameLabel')}</label>
            <input id={nameId} value={name} onChange={(e) => setName(e.target.value)} maxLength={300} placeholder={t('history.namePlaceholder')} data-testid="version-name" />
          </div>
          <Button type="submit" busy={saving} disabled={offline} data-testid="version-save">
            {t('history.save')}
          </Button>
        </form>
      )}
      <FormError message={saveError} />

      {versions === null && !error && <NotLoadedNote failure={versionsQuery.failureReason} testId="versions-not-loaded" />}
      {versions !== null && versions.length === 0 && <p className="empty-state">{t('history.empty')}</p>}
      {versions !== null && versions.length > 0 && (
        <>
          <TableScroll label={t('history.tableCaption', { section: sectionTitle })}>
            <table className="table table--compact history__table">
              <caption className="visually-hidden">{t('history.tableCaption', { section: sectionTitle })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('history.colName')}</th>
                  <th scope="col">{t('history.colKind')}</th>
                  <th scope="col">{t('history.colAuthor')}</th>
                  <th scope="col">{t('history.colTime')}</th>
                  <th scope="col">{t('history.colHash')}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t('history.colActions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {versions.map((v) => (
                  <tr key={v.id} data-testid="version-item" data-version-id={v.id} data-kind={v.kind}>
                    <th scope="row">{nameOf(v)}</th>
                    <td>
                      <span className={`badge badge--kind badge--kind-${v.kind}`}>{t(`history.kind.${v.kind}`, { defaultValue: v.kind })}</span>
                      {v.holdsActions === false && (
                        <>
                          {' '}
                          <span className="badge badge--kind" title={t('versionActions.textOnlyHelp')} data-testid="version-text-only">
                            {t('versionActions.textOnlyBadge')}
                          </span>
                        </>
                      )}
                    </td>
                    <td>{versionMaker(v, t)}</td>
                    <td>{formatDateTime(v.createdAt, i18n.language)}</td>
                    <td>
                      <code title={v.contentHash}>{shortHash(v.contentHash)}</code>
                    </td>
                    <td className="table__actions history__actions">
                      <button type="button" className="button button--link button--small" disabled={offline} onClick={() => void view(v)} aria-expanded={viewing?.id === v.id} data-testid="version-view">
                        {viewing?.id === v.id ? t('history.hideText') : t('history.viewText')}
                      </button>
                      <button
                        type="button"
                        className="button button--link button--small"
                        disabled={offline}
                        onClick={() => {
                          setFrom(v.id);
                          setTo(CURRENT);
                          void compare(v.id, CURRENT);
                        }}
                        data-testid="version-compare-current"
                      >
                        {t('history.compareWithCurrent')}
                      </button>
                      {mayRestore && (
                        <button
                          type="button"
                          className="button button--secondary button--small"
                          disabled={offline}
                          onClick={() => {
                            setRestoreError(null);
                            setRestoring(v);
                          }}
                          data-testid="version-restore"
                        >
                          {t('history.restore')}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>

          {viewing && (
            <div className="panel history__view" data-testid="version-text">
              <h3>{t('history.viewTitle', { name: nameOf(viewing) })}</h3>
              {viewingBlocks.length === 0 ? (
                <p className="muted">{t('history.emptyText')}</p>
              ) : (
                viewingBlocks.map((b, i) =>
                  b.type === 'heading' ? (
                    <p key={i} className="history__view-heading">
                      <strong>{b.text}</strong>
                    </p>
                  ) : b.type === 'listItem' ? (
                    <p key={i} className="history__view-item">
                      • {b.text}
                    </p>
                  ) : (
                    <p key={i}>{b.text}</p>
                  ),
                )
              )}
              <VersionActionsList snapshot={viewing.actions} />
            </div>
          )}

          <CompareForm
            options={options}
            from={from}
            to={to}
            onFrom={setFrom}
            onTo={setTo}
            currentLabel={t('history.currentText')}
            comparing={comparing}
            disabled={!from || offline}
            onSubmit={(e) => {
              e.preventDefault();
              if (from) void compare(from, to);
            }}
          />
          <FormError message={compareError} />
          {diff && <DiffView diff={diff} />}
          {diff?.actions && <ActionsDiffView diff={diff.actions} />}
        </>
      )}

      <ConfirmDialog
        open={restoring !== null}
        title={t('history.restoreTitle', { name: restoring ? nameOf(restoring) : '' })}
        confirmLabel={t('history.restoreConfirm')}
        confirmVariant="primary"
        confirmTestId="version-restore-confirm"
        testId="version-restore-dialog"
        onConfirm={() => void confirmRestore()}
        onCancel={() => setRestoring(null)}
        busy={restoreBusy}
        error={restoreError}
      >
        <p>{t('history.restoreBody')}</p>
        <p data-testid="version-restore-actions">{restoring?.holdsActions === false ? t('versionActions.restoreTextOnly') : t('versionActions.restoreBody')}</p>
        {restoring && (
          <p className="muted">
            {restoring.kind === 'automatic'
              ? t('history.restoreWhichAutomatic', { name: nameOf(restoring), when: formatDateTime(restoring.createdAt, i18n.language) })
              : t('history.restoreWhich', { name: nameOf(restoring), when: formatDateTime(restoring.createdAt, i18n.language), author: restoring.createdBy })}
          </p>
        )}
        {restoring && <WrittenSince planId={planId} sectionId={sectionId} versionId={restoring.id} />}
      </ConfirmDialog>
    </section>
  );
}

/**
 * Whose writing a restore takes back: the people who wrote in the section since the version. A
 * restore undoes other people's work as well as one's own, so the dialog names them before anyone
 * confirms.
 */
function WrittenSince({ planId, sectionId, versionId }: { planId: string; sectionId: string; versionId: string }) {
  const { t, i18n } = useTranslation();
  const compared = useQuery({
    queryKey: [...queryKeys.plan(planId).sectionVersions(sectionId), 'written-since', versionId],
    queryFn: () => agreementApi.compareSection(planId, sectionId, versionId, CURRENT),
  });
  if (!compared.data) return null;
  const people = compared.data.writtenBy.map((w) => (w.organisation ? `${w.name} (${w.organisation})` : w.name));
  return (
    <p data-testid="version-restore-writers">
      {people.length === 0 ? t('history.restoreWrittenByNobody') : t('history.restoreWrittenBy', { people: formatList(people, i18n.language) })}
    </p>
  );
}
