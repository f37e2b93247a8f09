import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Indicator } from '../../../shared/api/index.ts';
import { Button } from '../../ui/forms.tsx';
import { useOffline } from '../../sync/connectivity.ts';
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
  // Deleting is the server's to do: offline it waits (the actions panel says why).
  const offline = useOffline();
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
                <td className="indicator-table__type">
                  <span className={`badge badge--ind badge--ind-${i.type}`} title={t(`indicators.typeHelp.${i.type}`)}>
                    {t(`indicators.type.${i.type}`)}
                  </span>
                </td>
                <td className="indicator-table__description">
                  {i.description}
                  {i.unit && <span className="muted small"> · {t('indicators.unitValue', { unit: i.unit })}</span>}
                </td>
                <Cell label={t('indicators.colBaseline')}>{point(i.baselineValue, i.baselineYear)}</Cell>
                <Cell label={t('indicators.colTarget')}>{point(i.targetValue, i.targetYear)}</Cell>
                <Cell label={t('indicators.colSource')} className="small">
                  {i.dataSource ?? <span className="muted">{t('actions.notSet')}</span>}
                  {i.frequency && <span className="muted"> · {i.frequency}</span>}
                </Cell>
                <Cell label={t('indicators.colDisaggregation')} className="small">
                  {i.disaggregation.length ? i.disaggregation.join(', ') : <span className="muted">—</span>}
                </Cell>
                <Cell label={t('indicators.colProposedBy')} className="small">
                  {i.proposedByOrganisationId ? orgName(i.proposedByOrganisationId) : <span className="muted">—</span>}
                </Cell>
                <td className="table__actions">
                  <div className="indicator-table__buttons">
                    {mayWrite && (
                      <>
                        <Button variant="link" className="button--small" disabled={busy} onClick={() => onEdit(i)} data-testid="indicator-edit">
                          {t('actions.edit')}
                          <span className="visually-hidden"> {i.description}</span>
                        </Button>
                        <Button variant="link" className="button--small button--danger-link" disabled={busy || offline} onClick={() => onDelete(i)} data-testid="indicator-delete">
                          {t('actions.delete')}
                          <span className="visually-hidden"> {i.description}</span>
                        </Button>
                      </>
                    )}
                    <HistoryButton planId={planId} targetType="indicator" targetId={i.id} title={i.description} testId="indicator-history" />
                  </div>
                </td>
              </tr>
            ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

/**
 * A value under its column's name. In a card too narrow for the table each indicator is a block
 * of its own (actions.css), and the name, `label`, is shown beside the value instead.
 */
function Cell({ label, className, children }: { label: string; className?: string; children: ReactNode }) {
  return (
    <td className={className} data-label={label}>
      <div className="indicator-table__value">{children}</div>
    </td>
  );
}
