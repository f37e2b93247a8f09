import { useId, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { counted } from '../../i18n/counted.ts';
import type { ExportLanguage, MatrixImportPreview, MatrixUndoResult } from '../../../shared/api/index.ts';
import { Button, FormError, describeError } from '../../ui/forms.tsx';
import { formatDateTime } from '../../i18n/format.ts';
import { matrixImportApi } from './matrixImportApi.ts';
import { MatrixUndoDone } from './MatrixUndoDone.tsx';
import { TableScroll } from '../../ui/TableScroll.tsx';

/**
 * "Import actions from the matrix": upload the edited implementation matrix (linked tables), see
 * what would be created, updated, left as it is or unlinked and every cell that cannot be used,
 * then commit; past imports can be undone. Everyone who reads the plan may download the blank
 * template; only those who edit actions see the upload.
 */
export function MatrixImport({ planId, canEdit, language }: { planId: string; canEdit: boolean; language: ExportLanguage }) {
  const { t, i18n } = useTranslation();
  const fileId = useId();
  const queryClient = useQueryClient();
  const historyKey = ['plan', planId, 'matrix-imports'];
  const history = useQuery({ queryKey: historyKey, queryFn: () => matrixImportApi.list(planId), enabled: canEdit });
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<MatrixImportPreview | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [undone, setUndone] = useState<MatrixUndoResult | null>(null);

  const run = async (what: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await what();
    } catch (err) {
      setError(describeError(err, t).message);
    } finally {
      setBusy(false);
    }
  };
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['plan', planId] });

  return (
    <section className="spaced" aria-labelledby={`${fileId}-heading`} data-testid="matrix-import">
      <h2 id={`${fileId}-heading`}>{t('matrixImport.title')}</h2>
      <p className="muted">{t('matrixImport.intro')}</p>
      <p>
        <a href={matrixImportApi.templateUrl(planId, language)} download data-testid="matrix-template">
          {t('matrixImport.template')}
        </a>
      </p>
      {canEdit && (
        <>
          <label htmlFor={fileId}>{t('matrixImport.fileLabel')}</label>
          <input
            id={fileId}
            type="file"
            accept=".xlsx,.zip"
            data-testid="matrix-file"
            onChange={(e) => {
              setFile(e.target.files?.[0] ?? null);
              setPreview(null);
              setDone(null);
              setUndone(null);
            }}
          />
          <Button
            busy={busy}
            disabled={!file}
            data-testid="matrix-preview"
            onClick={() => run(async () => setPreview(await matrixImportApi.preview(planId, file!)))}
          >
            {t('matrixImport.previewButton')}
          </Button>
          <FormError message={error} />
          {done && (
            <p className="alert alert--success" role="status" data-testid="matrix-done">
              {done}
            </p>
          )}
          {undone && <MatrixUndoDone result={undone} onClose={() => setUndone(null)} />}
          {preview && (
            <div data-testid="matrix-preview-result">
              <h3>{t('matrixImport.previewTitle', { file: preview.filename })}</h3>
              <ul>
                {(['actions', 'indicators', 'links'] as const).map((sheet) => (
                  <li key={sheet}>{t(`matrixImport.counts.${sheet}`, preview.counts[sheet])}</li>
                ))}
              </ul>
              {preview.errors.length > 0 && (
                <>
                  <p className="alert alert--error" role="alert">
                    {t('matrixImport.hasErrors', counted(preview.errors.length))}
                  </p>
                  <TableScroll label={t('matrixImport.hasErrors', counted(preview.errors.length))}>
                    <table className="table" data-testid="matrix-errors">
                      <thead>
                        <tr>
                          <th scope="col">{t('matrixImport.colSheet')}</th>
                          <th scope="col">{t('matrixImport.colRow')}</th>
                          <th scope="col">{t('matrixImport.colColumn')}</th>
                          <th scope="col">{t('matrixImport.colProblem')}</th>
                        </tr>
                      </thead>
                      <tbody>
                        {preview.errors.map((e, i) => (
                          <tr key={i}>
                            <td>{t(`matrixImport.sheet.${e.sheet}`)}</td>
                            <td>{e.row}</td>
                            <td>{e.column}</td>
                            <td>{t(`matrixImport.rowProblem.${e.code}`, e.params)}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </TableScroll>
                </>
              )}
              <TableScroll label={t('matrixImport.previewTitle', { file: preview.filename })}>
                <table className="table" data-testid="matrix-rows">
                  <thead>
                    <tr>
                      <th scope="col">{t('matrixImport.colSheet')}</th>
                      <th scope="col">{t('matrixImport.colRow')}</th>
                      <th scope="col">{t('matrixImport.colChange')}</th>
                      <th scope="col">{t('matrixImport.colItem')}</th>
                      <th scope="col">{t('matrixImport.colColumns')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {preview.rows
                      .filter((r) => r.change !== 'unchanged')
                      .map((r, i) => (
                        <tr key={i} data-testid="matrix-row">
                          <td>{t(`matrixImport.sheet.${r.sheet}`)}</td>
                          <td>{r.row}</td>
                          <td>{t(`matrixImport.change.${r.change}`)}</td>
                          <td>{r.action ? `${r.action} — ${r.label}` : r.label}</td>
                          <td>{r.columns.join(', ')}</td>
                        </tr>
                      ))}
                  </tbody>
                </table>
              </TableScroll>
              {preview.errors.length === 0 && (
                <Button
                  busy={busy}
                  data-testid="matrix-commit"
                  onClick={() =>
                    run(async () => {
                      const record = await matrixImportApi.commit(planId, preview.previewId);
                      setPreview(null);
                      setUndone(null);
                      setDone(t('matrixImport.committed', { created: record.created, updated: record.updated }));
                      await refresh();
                    })
                  }
                >
                  {t('matrixImport.commit')}
                </Button>
              )}
            </div>
          )}
          {(history.data ?? []).length > 0 && (
            <TableScroll label={t('matrixImport.historyTitle')}>
              <table className="table" data-testid="matrix-history">
                <caption>{t('matrixImport.historyTitle')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('matrixImport.colFile')}</th>
                    <th scope="col">{t('matrixImport.colBy')}</th>
                    <th scope="col">{t('matrixImport.colResult')}</th>
                    <th scope="col">
                      <span className="visually-hidden">{t('matrixImport.colUndo')}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {history.data!.map((r) => (
                    <tr key={r.id}>
                      <td>{r.filename}</td>
                      <td>
                        {r.createdBy}, {formatDateTime(r.createdAt, i18n.language)}
                      </td>
                      <td>
                        {t('matrixImport.result', { created: r.created, updated: r.updated })}
                        {r.undoneAt && ` — ${t('matrixImport.undone', { when: formatDateTime(r.undoneAt, i18n.language) })}`}
                      </td>
                      <td>
                        {!r.undoneAt && (
                          <Button
                            variant="link"
                            busy={busy}
                            data-testid="matrix-undo"
                            onClick={() =>
                              run(async () => {
                                const result = await matrixImportApi.undo(planId, r.id);
                                setDone(null);
                                setUndone(result);
                                await refresh();
                              })
                            }
                          >
                            {t('matrixImport.undo')}
                            <span className="visually-hidden"> {r.filename}</span>
                          </Button>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          )}
        </>
      )}
    </section>
  );
}
