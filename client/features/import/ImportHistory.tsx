import { useTranslation } from 'react-i18next';
import { counted } from '../../i18n/counted.ts';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { Button, FormError, describeError } from '../../ui/forms.tsx';

import { useImportsQuery, useUndoImport } from './useImportHistory.ts';
import { formatDateTime, formatList } from '../../i18n/format.ts';
import type { ImportRecord, UndoImportResult } from '../../../shared/api/index.ts';
import { ProgressBar } from '../recommendations/recommendations.tsx';
import type { ImportProgress } from './importSteps.ts';
import { TableScroll } from '../../ui/TableScroll.tsx';
import { useOffline } from '../../sync/connectivity.ts';
import { OfflineNote } from '../../sync/OfflineNote.tsx';

/** Past imports; a coordinator can undo one (what it created is removed, what it updated restored). */
export function ImportHistory({
  planId,
  isCoordinator,
  progress,
  onUndone,
}: {
  planId: string;
  isCoordinator: boolean;
  /** The plan's latest import progress event: an undo's is shown while it runs. */
  progress: ImportProgress | null;
  onUndone: () => void;
}) {
  const { t, i18n } = useTranslation();
  // Undoing an import is the server's to do: offline it waits, and says why.
  const offline = useOffline();
  const importsQuery = useImportsQuery(planId);
  const records = importsQuery.data ?? null;
  const error = importsQuery.error ? describeError(importsQuery.error, t).message : null;
  const undo = useUndoImport(planId, onUndone);
  const importStatus = (r: ImportRecord) => {
    if (r.state === 'committing') return t('importProgress.stateCommitting');
    if (r.state === 'undoing') return t('importProgress.stateUndoing');
    return r.undoneAt ? t('importHistory.undone', { when: formatDateTime(r.undoneAt, i18n.language) }) : t('importHistory.active');
  };
  const { undoing, done } = undo;

  return (
    <section className="spaced" aria-labelledby="import-history-heading" data-testid="import-history">
      <h2 id="import-history-heading">{t('importHistory.title')}</h2>
      <FormError message={error} />
      {done && <UndoDone result={done} onClose={undo.dismissDone} />}
      {records !== null && records.length === 0 && <p className="muted">{t('importHistory.none')}</p>}
      {isCoordinator && records !== null && records.length > 0 && <OfflineNote testId="import-history-offline" />}
      {records !== null && records.length > 0 && (
        <TableScroll label={t('importHistory.title')}>
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
                  <td>
                    {t('importHistory.result', { created: r.created, updated: r.updated })}
                    {r.held > 0 && (
                      <>
                        <br />
                        <span className="muted small">{t('importHistory.resultHeld', { n: r.held })}</span>
                      </>
                    )}
                    {r.recognised > 0 && (
                      <>
                        <br />
                        <span className="muted small" data-testid="import-history-recognised">
                          {t('importHistory.resultRecognised', { recognised: r.recognised, filled: r.filled })}
                        </span>
                      </>
                    )}
                    {r.kept > 0 && (
                      <>
                        <br />
                        <span className="muted small">{t('importHistory.resultKept', { n: r.kept })}</span>
                      </>
                    )}
                  </td>
                  <td>{importStatus(r)}</td>
                  {isCoordinator && (
                    <td className="table__actions">
                      {r.state === 'committed' && (
                        <Button variant="link" disabled={offline} onClick={() => undo.ask(r)} data-testid="import-undo">
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
        </TableScroll>
      )}
      <ConfirmDialog
        open={undoing !== null}
        title={t('importHistory.undoTitle')}
        confirmLabel={t('importHistory.undoConfirm')}
        onConfirm={undo.confirm}
        onCancel={undo.cancel}
        busy={undo.busy}
        error={undo.error}
      >
        {undoing && (
          <>
            <p>{t('importHistory.undoBody', { filename: undoing.filename, when: formatDateTime(undoing.createdAt, i18n.language) })}</p>
            <ul>
              {undoing.created > 0 && <li>{t('importHistory.undoCreated', { count: undoing.created })}</li>}
              {undoing.updated > 0 && <li>{t('importHistory.undoUpdated', { count: undoing.updated })}</li>}
              {undoing.filled > 0 && <li>{t('importHistory.undoFilled', { count: undoing.filled })}</li>}
              {undoing.held > 0 && <li>{t('importHistory.undoHeld', counted(undoing.held))}</li>}
            </ul>
            {undoing.updated + undoing.filled > 0 && <p className="muted">{t('importHistory.undoEdits')}</p>}
            <p className="muted">{t('importHistory.undoLinks')}</p>
            {undo.busy && progress?.phase === 'undoing' && progress.previewId === undoing.id && (
              <ProgressBar
                label={t('importProgress.undoing', { done: progress.done, total: progress.total })}
                value={progress.done}
                max={progress.total}
                testId="import-undo-progress"
              />
            )}
          </>
        )}
      </ConfirmDialog>
    </section>
  );
}

/** Kept recommendations named one by one after an undo; the rest are counted. */
const KEPT_SHOWN = 10;

/**
 * What an undo did: the recommendations it kept because something still uses them, each with why
 * (the first ones; the rest counted), the imports that hold them, those an earlier undo had kept
 * only for this import and that are now removed, and those it had updated that kept fields edited
 * by hand since (each with the fields: they do not have their earlier values back, and the person
 * undoing should know which).
 */
function UndoDone({ result, onClose }: { result: UndoImportResult; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  // A few by name, each with why; a whole file held by a re-import would be a page of the same line.
  const listed = result.keptRecommendations.slice(0, KEPT_SHOWN);
  const more = result.kept - listed.length;
  return (
    <div className="alert alert--success" role="status" data-testid="import-undo-result">
      <p>
        <strong>{t('importHistory.doneTitle', { filename: result.filename })}</strong>
      </p>
      {result.kept > 0 && (
        <>
          <p>{t('importHistory.kept', counted(result.kept))}</p>
          <ul data-testid="import-undo-kept">
            {listed.map((r) => (
              <li key={r.id}>
                <strong>{r.reference}</strong>: {formatList(r.reasons.map((reason) => t(`importHistory.keptReason.${reason}`)), i18n.language)}
              </li>
            ))}
          </ul>
          {more > 0 && <p>{t('importHistory.keptMore', { n: more })}</p>}
          {result.heldBy.length > 0 && (
            <p className="muted">{t('importHistory.keptHeldBy', { files: formatList(result.heldBy.map((filename) => t('importHistory.heldByFile', { filename })), i18n.language) })}</p>
          )}
        </>
      )}
      {result.released > 0 && <p>{t('importHistory.released', counted(result.released))}</p>}
      {result.keptEdits > 0 && <KeptEdits result={result} />}
      <div className="button-row">
        <Button variant="secondary" onClick={onClose}>
          {t('importHistory.close')}
        </Button>
      </div>
    </div>
  );
}

/** The recommendations whose later edits an undo kept, each with the fields (the first ones; the rest counted). */
function KeptEdits({ result }: { result: UndoImportResult }) {
  const { t, i18n } = useTranslation();
  const listed = result.keptEditRecommendations.slice(0, KEPT_SHOWN);
  const more = result.keptEdits - listed.length;
  return (
    <>
      <p>{t('importHistory.keptEdits', counted(result.keptEdits))}</p>
      <ul data-testid="import-undo-kept-edits">
        {listed.map((r) => (
          <li key={r.id}>
            <strong>{r.reference}</strong>: {formatList(r.fields.map((field) => t(`itemHistory.field.${field}`, { defaultValue: field })), i18n.language)}
          </li>
        ))}
      </ul>
      {more > 0 && <p>{t('importHistory.keptMore', { n: more })}</p>}
    </>
  );
}
