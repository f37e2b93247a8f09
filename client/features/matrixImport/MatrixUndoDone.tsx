import { useTranslation } from 'react-i18next';
import { counted } from '../../i18n/counted.ts';
import { formatList } from '../../i18n/format.ts';
import type { MatrixKeptEdit, MatrixKeptItem, MatrixUndoResult } from '../../../shared/api/index.ts';
import { Button } from '../../ui/forms.tsx';

/** Items with kept edits named one by one after an undo; the rest are counted. */
const KEPT_SHOWN = 10;

/**
 * What undoing a matrix import did: the actions and indicators it had created that were kept, not
 * deleted, because people worked on them since (each with why), and those it had updated that kept
 * fields edited by hand since, each with those fields: they did not get their earlier values back.
 * Either way the person undoing should know where to look.
 */
export function MatrixUndoDone({ result, onClose }: { result: MatrixUndoResult; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const listed = result.keptEditItems.slice(0, KEPT_SHOWN);
  const more = result.keptEdits - listed.length;
  const keptListed = result.keptItems.slice(0, KEPT_SHOWN);
  const keptMore = result.kept - keptListed.length;
  const name = (item: MatrixKeptEdit | MatrixKeptItem) =>
    item.item === 'action'
      ? t('matrixImport.keptEditAction', { title: item.label })
      : t('matrixImport.keptEditIndicator', { description: item.label, action: item.action ?? '' });
  return (
    <div className="alert alert--success" role="status" data-testid="matrix-undo-result">
      <p>
        <strong>{t('matrixImport.undoneTitle', { filename: result.filename })}</strong>
      </p>
      {result.kept > 0 && (
        <>
          <p>{t('matrixImport.kept', counted(result.kept))}</p>
          <ul data-testid="matrix-undo-kept">
            {keptListed.map((item) => (
              <li key={item.id}>
                <strong>{name(item)}</strong>: {formatList(item.reasons.map((reason) => t(`matrixImport.keptReason.${reason}`)), i18n.language)}
              </li>
            ))}
          </ul>
          {keptMore > 0 && <p>{t('matrixImport.keptMore', { n: keptMore })}</p>}
        </>
      )}
      {result.keptEdits > 0 && (
        <>
          <p>{t('matrixImport.keptEdits', counted(result.keptEdits))}</p>
          <ul data-testid="matrix-undo-kept-edits">
            {listed.map((item) => (
              <li key={item.id}>
                <strong>{name(item)}</strong>: {formatList(item.fields.map((field) => t(`itemHistory.field.${field}`, { defaultValue: field })), i18n.language)}
              </li>
            ))}
          </ul>
          {more > 0 && <p>{t('matrixImport.keptMore', { n: more })}</p>}
        </>
      )}
      <div className="button-row">
        <Button variant="secondary" onClick={onClose}>
          {t('matrixImport.close')}
        </Button>
      </div>
    </div>
  );
}
