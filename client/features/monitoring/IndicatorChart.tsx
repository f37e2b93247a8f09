import type { IndicatorSeries } from '../../../shared/api/index.ts';
import { IndicatorChart as Chart, type IndicatorChartColours } from '../../../shared/charts/IndicatorChart.tsx';

/** The page's colours: the app's own tokens (the exports use the print colours of the same chart). */
const SCREEN_COLOURS: IndicatorChartColours = {
  axis: 'var(--text-muted)',
  observed: 'var(--link)',
  baseline: 'var(--text-muted)',
  target: 'var(--primary)',
  text: 'var(--text)',
};

/**
 * One indicator over time in the progress page: the same SVG the server draws into the progress
 * report (shared/charts/IndicatorChart.tsx), in the page's colours. Its numbers are also in the
 * table beside it (IndicatorSeriesView), so the chart is hidden from screen readers there.
 */
export function IndicatorChart({
  series,
  labels,
}: {
  series: IndicatorSeries;
  labels: { title: string; baseline: string; observed: string; target: string; description: string; yes: string; no: string };
}) {
  return <Chart series={series} labels={labels} width={520} height={240} colours={SCREEN_COLOURS} />;
}
