import { useTranslation } from 'react-i18next';
import type { ImportPreview, SameAsPlanRow } from '../../../shared/api/index.ts';
import { PositionBadge, mechanismLabel } from '../recommendations/recommendations.tsx';
import { rowProblemText } from './importText.ts';
import { TableScroll } from '../../ui/TableScroll.tsx';

/** How many rows of the file the preview lists (the counts above cover all of them). */
const PREVIEW_ROWS = 25;
/** How many rejected rows are listed with their reasons. */
const PREVIEW_REJECTED = 200;

/**
 * The first rows the import would write, each with what it would do (create, update, leave). A row
 * treated as a recommendation the plan already holds (`sameAs`, by row) shows the plan's copy it
 * fills in, or leaves as it is, instead of "new".
 */
export function PreviewRows({ preview, sameAs }: { preview: ImportPreview; sameAs?: ReadonlyMap<number, SameAsPlanRow> }) {
  const { t } = useTranslation();
  const rows = preview.rows.slice(0, PREVIEW_ROWS);
  return (
    <>
      <h3>{t('import.rowsHeading', { shown: rows.length, total: preview.counts.create + preview.counts.update + preview.counts.unchanged })}</h3>
      {rows.length === 0 ? (
        <p className="muted">{t('import.noRows')}</p>
      ) : (
        <TableScroll label={t('import.rowsHeading', { shown: rows.length, total: preview.counts.create + preview.counts.update + preview.counts.unchanged })}>
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
              {rows.map((r) => {
                const same = sameAs?.get(r.row);
                const action = same ? (same.adds.length > 0 ? 'update' : 'unchanged') : r.action;
                return (
                <tr key={r.row}>
                  <td className="num">{r.row}</td>
                  <td>
                    <span className={`badge badge--change badge--change-${action}`}>{t(`import.change.${action}`)}</span>
                  </td>
                  <td className="nowrap">{same ? same.heldReference : r.reference}</td>
                  <td className="clip-text">
                    <span className="muted small">{mechanismLabel(t, r.recommendation.mechanism)} · </span>
                    {r.recommendation.text}
                  </td>
                  <td className="small">{r.recommendation.recommendingStates.join(', ')}</td>
                  <td>
                    <PositionBadge position={r.recommendation.position} kind={r.recommendation.kind} />
                  </td>
                </tr>
                );
              })}
            </tbody>
          </table>
        </TableScroll>
      )}
    </>
  );
}

/** The rows the import would leave out, and why, so the person can fix the file. */
export function RejectedRows({ rejected }: { rejected: ImportPreview['rejected'] }) {
  const { t } = useTranslation();
  if (rejected.length === 0) return null;
  return (
    <>
      <h3>{t('import.rejectedHeading', { count: rejected.length })}</h3>
      <p className="field__hint">{t('import.rejectedHint')}</p>
      <TableScroll label={t('import.rejectedHeading', { count: rejected.length })}>
        <table className="table table--compact" data-testid="import-rejected">
          <thead>
            <tr>
              <th scope="col">{t('import.colRow')}</th>
              <th scope="col">{t('import.colReason')}</th>
            </tr>
          </thead>
          <tbody>
            {rejected.slice(0, PREVIEW_REJECTED).map((r, i) => (
              <tr key={`${r.row}-${i}`}>
                <td className="num">{r.row}</td>
                <td>{rowProblemText(t, r)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      {rejected.length > PREVIEW_REJECTED && <p className="muted">{t('import.moreRejected', { count: rejected.length - PREVIEW_REJECTED })}</p>}
    </>
  );
}
