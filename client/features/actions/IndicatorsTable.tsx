import { useTranslation } from 'react-i18next';
import type { Indicator } from '../../../shared/api/index.ts';
import { Button } from '../../ui/forms.tsx';
import { HistoryButton } from '../history/ItemHistory.tsx';
import { TableScroll } from '../../ui/TableScroll.tsx';

/** An action's indicators, in their order; writers edit or delete each. */
export function IndicatorsTable({
  planId,
  label,
  indicators,
  orgName,
  mayWrite,
  busy,
  onEdit,
  onDelete,
}: {
  planId: string;
  /** What the table is, for a screen reader when it scrolls sideways. */
  label: string;
  indicators: Indicator[];
  orgName: (id: string) => string;
  mayWrite: boolean;
  busy: boolean;
  onEdit: (i: Indicator) => void;
  onDelete: (i: Indicator) => void;
}) {
  const { t } = useTranslation();
  const point = (value: string | null, year: number | null) =>
    value === null && year === null ? <span className="muted">{t('actions.notSet')}</span> : [value, year !== null ? `(${year})` : null].filter(Boolean).join(' ');
  return (
    <TableScroll label={label}>
      <table className="table table--compact indicator-table">
        <thead>
          <tr>
            <th scope="col">{t('indicators.colType')}</th>
            <th scope="col">{t('indicators.colDescription')}</th>
            <th scope="col">{t('indicators.colBaseline')}</th>
            <th scope="col">{t('indicators.colTarget')}</th>
            <th scope="col">{t('indicators.colSource')}</th>
            <th scope="col">{t('indicators.colDisaggregation')}</th>
            <th scope="col">{t('indicators.colProposedBy')}</th>
            <th scope="col">
              <span className="visually-hidden">{t('members.colActions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {[...indicators]
            .sort((a, b) => a.position - b.position)
            .map((i) => (
              <tr key={i.id} data-testid="indicator-row">
                <td>
                  <span className={`badge badge--ind badge--ind-${i.type}`} title={t(`indicators.typeHelp.${i.type}`)}>
                    {t(`indicators.type.${i.type}`)}
                  </span>
                </td>
                <td>
                  {i.description}
                  {i.unit && <span className="muted small"> · {t('indicators.unitValue', { unit: i.unit })}</span>}
                </td>
                <td>{point(i.baselineValue, i.baselineYear)}</td>
                <td>{point(i.targetValue, i.targetYear)}</td>
                <td className="small">
                  {i.dataSource ?? <span className="muted">{t('actions.notSet')}</span>}
                  {i.frequency && <span className="muted"> · {i.frequency}</span>}
                </td>
                <td className="small">{i.disaggregation.length ? i.disaggregation.join(', ') : <span className="muted">—</span>}</td>
                <td className="small">{i.proposedByOrganisationId ? orgName(i.proposedByOrganisationId) : <span className="muted">—</span>}</td>
                <td className="table__actions nowrap">
                  {mayWrite && (
                    <>
                      <Button variant="link" className="button--small" disabled={busy} onClick={() => onEdit(i)} data-testid="indicator-edit">
                        {t('actions.edit')}
                        <span className="visually-hidden"> {i.description}</span>
                      </Button>
                      <Button variant="link" className="button--small button--danger-link" disabled={busy} onClick={() => onDelete(i)} data-testid="indicator-delete">
                        {t('actions.delete')}
                        <span className="visually-hidden"> {i.description}</span>
                      </Button>
                    </>
                  )}
                  <HistoryButton planId={planId} targetType="indicator" targetId={i.id} title={i.description} testId="indicator-history" />
                </td>
              </tr>
            ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
