import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  ImportFormatSchema,
  PositionSchema,
  type ImportFormat,
  type ImportPreview,
  type ImportRecord,
  type Position,
} from '../../../shared/api/index.ts';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/index.ts';
import { queryKeys } from '../../api/queries.ts';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { Button, FormError, describeError } from '../../ui/forms.tsx';
import { PositionBadge, ProgressBar, formatDateTime, mechanismLabel } from '../recommendations/recommendations.tsx';

const MAX_BYTES = 20 * 1024 * 1024;
const PREVIEW_ROWS = 25;
const PREVIEW_REJECTED = 200;

export interface ImportProgress {
  previewId: string;
  done: number;
  total: number;
}

type Step =
  | { kind: 'choose' }
  | { kind: 'uploading'; loaded: number; total: number }
  | { kind: 'preview'; preview: ImportPreview }
  | { kind: 'committing'; preview: ImportPreview }
  | { kind: 'done'; record: ImportRecord };

/** Main paragraph of a UN report item ("97.12" → "97"). */
const mainParagraph = (paragraph: string | null) => (paragraph ?? '').split('.')[0] || '—';

/**
 * Import in three steps: choose a file (or paste a UN report), look at what would change, confirm.
 * Nothing is written before the person confirms.
 */
export function ImportWizard({
  planId,
  progress,
  onImported,
  onClose,
}: {
  planId: string;
  progress: ImportProgress | null;
  onImported: () => void;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const [step, setStep] = useState<Step>({ kind: 'choose' });
  const [source, setSource] = useState<'file' | 'paste'>('file');
  const [file, setFile] = useState<File | null>(null);
  const [pasted, setPasted] = useState('');
  const [format, setFormat] = useState<ImportFormat | ''>('');
  const [error, setError] = useState<string | null>(null);
  const [overrides, setOverrides] = useState<Record<string, Position>>({});
  const fileId = useId();
  const pasteId = useId();
  const formatId = useId();

  const upload = async (formatOverride?: ImportFormat | '') => {
    setError(null);
    const chosen = formatOverride ?? format;
    let blob: Blob;
    let filename: string;
    if (source === 'file') {
      if (!file) {
        setError(t('import.chooseFileFirst'));
        return;
      }
      blob = file;
      filename = file.name;
    } else {
      if (!pasted.trim()) {
        setError(t('import.pasteFirst'));
        return;
      }
      blob = new File([pasted], 'pasted-un-report.txt', { type: 'text/plain' });
      filename = 'pasted-un-report.txt';
    }
    if (blob.size > MAX_BYTES) {
      setError(t('import.tooLarge', { mb: 20 }));
      return;
    }
    setStep({ kind: 'uploading', loaded: 0, total: blob.size });
    try {
      const preview = await api.previewImport(
        planId,
        blob,
        filename,
        chosen === '' ? (source === 'paste' ? 'un-report-text' : undefined) : chosen,
        (loaded, total) => setStep({ kind: 'uploading', loaded, total }),
      );
      setOverrides({});
      setStep({ kind: 'preview', preview });
    } catch (err) {
      setError(describeError(err, t).message);
      setStep({ kind: 'choose' });
    }
  };

  const groups = useMemo(() => {
    if (step.kind !== 'preview' && step.kind !== 'committing') return [];
    if (step.preview.format !== 'un-report-text') return [];
    const map = new Map<string, { paragraph: string; count: number; position: Position; source: string | null; items: string[] }>();
    for (const r of step.preview.rows) {
      const key = mainParagraph(r.recommendation.paragraph);
      const g = map.get(key) ?? { paragraph: key, count: 0, position: r.recommendation.position, source: r.recommendation.positionSource, items: [] };
      g.count += 1;
      if (r.recommendation.paragraph) g.items.push(r.recommendation.paragraph);
      map.set(key, g);
    }
    return [...map.values()];
  }, [step]);

  const commit = async (preview: ImportPreview) => {
    setError(null);
    const positionOverrides: Record<string, Position> = {};
    for (const g of groups) {
      const chosen = overrides[g.paragraph];
      if (chosen && chosen !== g.position) for (const item of g.items) positionOverrides[item] = chosen;
    }
    setStep({ kind: 'committing', preview });
    try {
      const record = await api.commitImport(planId, preview.previewId, Object.keys(positionOverrides).length ? positionOverrides : undefined);
      setStep({ kind: 'done', record });
      onImported();
    } catch (err) {
      setError(describeError(err, t).message);
      setStep({ kind: 'preview', preview });
    }
  };

  const formatOptions = ImportFormatSchema.options;

  return (
    <section className="panel import-wizard" aria-labelledby="import-heading" data-testid="import-wizard">
      <div className="panel__head">
        <h2 id="import-heading">{t('import.title')}</h2>
        <Button variant="link" onClick={onClose} disabled={step.kind === 'uploading' || step.kind === 'committing'} data-testid="import-close">
          {t('import.close')}
        </Button>
      </div>
      <ol className="steps" aria-label={t('import.stepsLabel')}>
        {(['choose', 'preview', 'done'] as const).map((s, i) => {
          const current =
            s === 'choose' ? step.kind === 'choose' || step.kind === 'uploading' : s === 'preview' ? step.kind === 'preview' || step.kind === 'committing' : step.kind === 'done';
          return (
            <li key={s} className={current ? 'is-current' : undefined} aria-current={current ? 'step' : undefined}>
              <span className="steps__n">{i + 1}</span> {t(`import.step.${s}`)}
            </li>
          );
        })}
      </ol>
      <FormError message={error} />

      {(step.kind === 'choose' || step.kind === 'uploading') && (
        <div>
          <p>{t('import.intro')}</p>
          <fieldset>
            <legend className="visually-hidden">{t('import.sourceLegend')}</legend>
            <div className="radio">
              <input type="radio" id={`${fileId}-r`} name="import-source" checked={source === 'file'} onChange={() => setSource('file')} />
              <label htmlFor={`${fileId}-r`}>{t('import.sourceFile')}</label>
            </div>
            <div className="radio">
              <input type="radio" id={`${pasteId}-r`} name="import-source" checked={source === 'paste'} onChange={() => setSource('paste')} data-testid="import-source-paste" />
              <label htmlFor={`${pasteId}-r`}>{t('import.sourcePaste')}</label>
            </div>
          </fieldset>
          {source === 'file' ? (
            <div className="field">
              <label htmlFor={fileId}>{t('import.fileLabel')}</label>
              <p className="field__hint">{t('import.fileHint', { mb: 20 })}</p>
              <input
                id={fileId}
                type="file"
                accept=".csv,.tsv,.json,.txt,text/csv,application/json,text/plain"
                onChange={(e) => setFile(e.target.files?.[0] ?? null)}
                data-testid="import-file"
              />
            </div>
          ) : (
            <div className="field">
              <label htmlFor={pasteId}>{t('import.pasteLabel')}</label>
              <p className="field__hint">{t('import.pasteHint')}</p>
              <textarea id={pasteId} rows={10} value={pasted} onChange={(e) => setPasted(e.target.value)} data-testid="import-paste" />
            </div>
          )}
          <div className="field">
            <label htmlFor={formatId}>{t('import.formatLabel')}</label>
            <p className="field__hint">{t('import.formatHint')}</p>
            <select id={formatId} value={format} onChange={(e) => setFormat(e.target.value as ImportFormat | '')} data-testid="import-format">
              <option value="">{t('import.formatAuto')}</option>
              {formatOptions.map((f) => (
                <option key={f} value={f}>
                  {t(`importFormat.${f}`)}
                </option>
              ))}
            </select>
          </div>
          {step.kind === 'uploading' ? (
            <ProgressBar label={t('import.uploading')} value={step.loaded} max={step.total} testId="import-upload-progress" />
          ) : (
            <Button onClick={() => void upload()} data-testid="import-upload">
              {t('import.previewButton')}
            </Button>
          )}
        </div>
      )}

      {(step.kind === 'preview' || step.kind === 'committing') && (
        <PreviewView
          preview={step.preview}
          groups={groups}
          overrides={overrides}
          setOverrides={setOverrides}
          committing={step.kind === 'committing'}
          progress={step.kind === 'committing' && progress?.previewId === step.preview.previewId ? progress : null}
          onConfirm={() => void commit(step.preview)}
          onReformat={(f) => {
            setFormat(f);
            void upload(f);
          }}
          onBack={() => setStep({ kind: 'choose' })}
        />
      )}

      {step.kind === 'done' && (
        <div className="alert alert--success" role="status" data-testid="import-result">
          <h3>{t('import.doneTitle')}</h3>
          <p>
            {t('import.doneBody', {
              created: step.record.created,
              updated: step.record.updated,
              filename: step.record.filename,
              when: formatDateTime(step.record.createdAt, i18n.language),
            })}
          </p>
          <p className="muted">{t('import.doneUndo')}</p>
          <div className="button-row">
            <Button variant="secondary" onClick={onClose} data-testid="import-done-close">
              {t('import.close')}
            </Button>
            <Button
              variant="link"
              onClick={() => {
                setFile(null);
                setPasted('');
                setStep({ kind: 'choose' });
              }}
            >
              {t('import.another')}
            </Button>
          </div>
        </div>
      )}
    </section>
  );
}

function PreviewView({
  preview,
  groups,
  overrides,
  setOverrides,
  committing,
  progress,
  onConfirm,
  onReformat,
  onBack,
}: {
  preview: ImportPreview;
  groups: Array<{ paragraph: string; count: number; position: Position; source: string | null }>;
  overrides: Record<string, Position>;
  setOverrides: (o: Record<string, Position>) => void;
  committing: boolean;
  progress: ImportProgress | null;
  onConfirm: () => void;
  onReformat: (f: ImportFormat) => void;
  onBack: () => void;
}) {
  const { t } = useTranslation();
  const reformatId = useId();
  const { counts } = preview;
  const toWrite = counts.create + counts.update;
  const rows = preview.rows.slice(0, PREVIEW_ROWS);

  return (
    <div data-testid="import-preview">
      <p>
        {t('import.previewOf', { filename: preview.filename })}{' '}
        <span className="muted">{t('import.previewNothingYet')}</span>
      </p>
      <div className="inline-form import-reformat">
        <div className="field">
          <label htmlFor={reformatId}>{t('import.readAs')}</label>
          <select id={reformatId} value={preview.format} disabled={committing} onChange={(e) => onReformat(e.target.value as ImportFormat)} data-testid="import-reformat">
            {ImportFormatSchema.options.map((f) => (
              <option key={f} value={f}>
                {t(`importFormat.${f}`)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <dl className="stat-row" aria-label={t('import.countsLabel')}>
        {(['create', 'update', 'unchanged', 'rejected'] as const).map((k) => (
          <div key={k} className={`stat stat--${k}`}>
            <dt>{t(`import.count.${k}`)}</dt>
            <dd data-testid={`import-count-${k}`}>{counts[k]}</dd>
          </div>
        ))}
      </dl>

      {preview.warnings.length > 0 && (
        <div className="alert alert--warning" data-testid="import-warnings">
          <h3 className="alert__title">{t('import.warnings', { count: preview.warnings.length })}</h3>
          <ul>
            {preview.warnings.map((w, i) => (
              <li key={i}>{w}</li>
            ))}
          </ul>
        </div>
      )}

      {groups.length > 0 && (
        <fieldset className="position-overrides" data-testid="import-positions">
          <legend>{t('import.positionsLegend')}</legend>
          <p className="field__hint">{t('import.positionsHint')}</p>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('import.colParagraph')}</th>
                <th scope="col">{t('import.colDetected')}</th>
                <th scope="col">{t('import.colPosition')}</th>
              </tr>
            </thead>
            <tbody>
              {groups.map((g) => (
                <tr key={g.paragraph}>
                  <td>
                    <strong>{t('import.paragraphN', { n: g.paragraph })}</strong>
                    <br />
                    <span className="muted small">{t('import.nRecommendations', { count: g.count })}</span>
                  </td>
                  <td className="small">{g.source ?? t('import.noHeading')}</td>
                  <td>
                    <label className="visually-hidden" htmlFor={`pos-${g.paragraph}`}>
                      {t('import.positionFor', { n: g.paragraph })}
                    </label>
                    <select
                      id={`pos-${g.paragraph}`}
                      value={overrides[g.paragraph] ?? g.position}
                      disabled={committing}
                      onChange={(e) => setOverrides({ ...overrides, [g.paragraph]: e.target.value as Position })}
                      data-testid="import-position-select"
                    >
                      {PositionSchema.options.map((p) => (
                        <option key={p} value={p}>
                          {t(`position.${p}`)}
                        </option>
                      ))}
                    </select>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </fieldset>
      )}

      <h3>{t('import.rowsHeading', { shown: rows.length, total: preview.counts.create + preview.counts.update + preview.counts.unchanged })}</h3>
      {rows.length === 0 ? (
        <p className="muted">{t('import.noRows')}</p>
      ) : (
        <div className="table-scroll">
          <table className="table table--compact" data-testid="import-rows">
            <thead>
              <tr>
                <th scope="col">{t('import.colRow')}</th>
                <th scope="col">{t('import.colChange')}</th>
                <th scope="col">{t('recs.colReference')}</th>
                <th scope="col">{t('recs.colText')}</th>
                <th scope="col">{t('recs.colStates')}</th>
                <th scope="col">{t('recs.colPosition')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.row}>
                  <td className="num">{r.row}</td>
                  <td>
                    <span className={`badge badge--change badge--change-${r.action}`}>{t(`import.change.${r.action}`)}</span>
                  </td>
                  <td className="nowrap">{r.reference}</td>
                  <td className="clip-text">
                    <span className="muted small">{mechanismLabel(t, r.recommendation.mechanism)} · </span>
                    {r.recommendation.text}
                  </td>
                  <td className="small">{r.recommendation.recommendingStates.join(', ')}</td>
                  <td>
                    <PositionBadge position={r.recommendation.position} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {preview.rejected.length > 0 && (
        <>
          <h3>{t('import.rejectedHeading', { count: preview.rejected.length })}</h3>
          <p className="field__hint">{t('import.rejectedHint')}</p>
          <table className="table table--compact" data-testid="import-rejected">
            <thead>
              <tr>
                <th scope="col">{t('import.colRow')}</th>
                <th scope="col">{t('import.colReason')}</th>
              </tr>
            </thead>
            <tbody>
              {preview.rejected.slice(0, PREVIEW_REJECTED).map((r, i) => (
                <tr key={`${r.row}-${i}`}>
                  <td className="num">{r.row}</td>
                  <td>{r.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {preview.rejected.length > PREVIEW_REJECTED && <p className="muted">{t('import.moreRejected', { count: preview.rejected.length - PREVIEW_REJECTED })}</p>}
        </>
      )}

      {committing ? (
        <ProgressBar
          label={progress ? t('import.writing', { done: progress.done, total: progress.total }) : t('import.writingStart')}
          value={progress?.done ?? 0}
          max={progress?.total ?? 0}
          testId="import-commit-progress"
        />
      ) : (
        <div className="button-row confirm-bar">
          <Button onClick={onConfirm} disabled={toWrite === 0} data-testid="import-confirm">
            {t('import.confirm', { count: toWrite })}
          </Button>
          <Button variant="secondary" onClick={onBack}>
            {t('import.back')}
          </Button>
        </div>
      )}
      {!committing && toWrite === 0 && <p className="muted">{t('import.nothingToWrite')}</p>}
    </div>
  );
}

/** Past imports; a coordinator can undo one (what it created is removed, what it updated restored). */
export function ImportHistory({ planId, isCoordinator, onUndone }: { planId: string; isCoordinator: boolean; onUndone: () => void }) {
  const { t, i18n } = useTranslation();
  // Refetched on `recommendations` events and after an import or undo here (onUndone).
  const importsQuery = useQuery({ queryKey: queryKeys.plan(planId).imports(), queryFn: () => api.imports(planId) });
  const records = importsQuery.data ?? null;
  const error = importsQuery.error ? describeError(importsQuery.error, t).message : null;
  const [undoing, setUndoing] = useState<ImportRecord | null>(null);
  const [busy, setBusy] = useState(false);
  const [undoError, setUndoError] = useState<string | null>(null);

  async function undo() {
    if (!undoing) return;
    setBusy(true);
    setUndoError(null);
    try {
      await api.undoImport(planId, undoing.id);
      setUndoing(null);
      onUndone();
    } catch (err) {
      setUndoError(describeError(err, t).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="spaced" aria-labelledby="import-history-heading" data-testid="import-history">
      <h2 id="import-history-heading">{t('importHistory.title')}</h2>
      <FormError message={error} />
      {records !== null && records.length === 0 && <p className="muted">{t('importHistory.none')}</p>}
      {records !== null && records.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('importHistory.colFile')}</th>
              <th scope="col">{t('importHistory.colBy')}</th>
              <th scope="col">{t('importHistory.colResult')}</th>
              <th scope="col">{t('importHistory.colStatus')}</th>
              {isCoordinator && (
                <th scope="col">
                  <span className="visually-hidden">{t('members.colActions')}</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {records.map((r) => (
              <tr key={r.id} data-testid="import-record">
                <td>
                  <strong>{r.filename}</strong>
                  <br />
                  <span className="muted small">{t(`importFormat.${r.format}`)}</span>
                </td>
                <td>
                  {r.createdBy}
                  <br />
                  <span className="muted small">{formatDateTime(r.createdAt, i18n.language)}</span>
                </td>
                <td>{t('importHistory.result', { created: r.created, updated: r.updated })}</td>
                <td>{r.undoneAt ? t('importHistory.undone', { when: formatDateTime(r.undoneAt, i18n.language) }) : t('importHistory.active')}</td>
                {isCoordinator && (
                  <td className="table__actions">
                    {!r.undoneAt && (
                      <Button
                        variant="link"
                        onClick={() => {
                          setUndoError(null);
                          setUndoing(r);
                        }}
                        data-testid="import-undo"
                      >
                        {t('importHistory.undo')}
                        <span className="visually-hidden"> {r.filename}</span>
                      </Button>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ConfirmDialog
        open={undoing !== null}
        title={t('importHistory.undoTitle')}
        confirmLabel={t('importHistory.undoConfirm')}
        onConfirm={() => void undo()}
        onCancel={() => setUndoing(null)}
        busy={busy}
        error={undoError}
      >
        {undoing && (
          <>
            <p>{t('importHistory.undoBody', { filename: undoing.filename, when: formatDateTime(undoing.createdAt, i18n.language) })}</p>
            <ul>
              {undoing.created > 0 && <li>{t('importHistory.undoCreated', { count: undoing.created })}</li>}
              {undoing.updated > 0 && <li>{t('importHistory.undoUpdated', { count: undoing.updated })}</li>}
            </ul>
            <p className="muted">{t('importHistory.undoLinks')}</p>
          </>
        )}
      </ConfirmDialog>
    </section>
  );
}
