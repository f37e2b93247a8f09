import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { IndicatorSeries } from '../../../shared/api/index.ts';

import { chartPoints } from '../../../shared/charts/IndicatorChart.tsx';
import { IndicatorChart } from './IndicatorChart.tsx';
import { formatDate } from '../../i18n/format.ts';
import { measuredText } from '../../../shared/indicators/yesNo.ts';
import { TableScroll } from '../../ui/TableScroll.tsx';

/** An indicator's chart with its numbers as a table beside it: the chart is never the only way to read them. */
export function IndicatorSeriesView({ series }: { series: IndicatorSeries }) {
  const { t, i18n } = useTranslation();
  const id = useId();
  // A yes/no indicator reads "Yes" and "No", without a unit.
  const yesNo = { yes: t('monitoring.yes'), no: t('monitoring.no') };
  const text = (value: number) => measuredText(value, series.measure, yesNo);
  const unit = series.unit && series.measure !== 'yes_no' ? ` ${series.unit}` : '';
  const points = chartPoints(series);
  const summary = t('monitoring.chart.summary', {
    baseline: series.baseline.value === null ? '—' : text(series.baseline.value),
    target: series.target.value === null ? '—' : text(series.target.value),
    count: series.values.length,
  });
  return (
    <figure className="mon-chart" data-testid="indicator-chart" data-indicator-id={series.indicatorId} aria-labelledby={`${id}-cap`}>
      <figcaption id={`${id}-cap`}>
        <strong>{series.description}</strong>
        {series.unit && <span className="muted"> ({series.unit})</span>}
        <span className="visually-hidden"> {summary}</span>
      </figcaption>
      <div className="mon-chart__body">
        <div className="mon-chart__plot" aria-hidden="true">
          <IndicatorChart
            series={series}
            labels={{
              title: series.description,
              description: summary,
              baseline: t('monitoring.chart.baseline'),
              observed: t('monitoring.chart.observed'),
              target: t('monitoring.chart.target'),
              ...yesNo,
            }}
          />
        </div>
        <TableScroll label={t('monitoring.chart.tableCaption', { indicator: series.description })}>
          <table className="table table--compact mon-chart__table" data-testid="indicator-chart-table">
            <caption className="visually-hidden">{t('monitoring.chart.tableCaption', { indicator: series.description })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('monitoring.chart.colWhat')}</th>
                <th scope="col">{t('monitoring.chart.colWhen')}</th>
                <th scope="col" className="num">
                  {t('monitoring.chart.colValue')}
                </th>
              </tr>
            </thead>
            <tbody>
              {points.length === 0 && (
                <tr>
                  <td colSpan={3} className="muted">
                    {t('monitoring.chart.noData')}
                  </td>
                </tr>
              )}
              {points.map((p, i) => (
                <tr key={i} data-kind={p.kind}>
                  <th scope="row">{t(`monitoring.chart.${p.kind}`)}</th>
                  <td>{p.kind === 'observed' ? formatDate(p.date.toISOString().slice(0, 10), i18n.language) : p.date.getUTCFullYear()}</td>
                  <td className="num">
                    {text(p.value)}
                    {unit}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      </div>
    </figure>
  );
}
