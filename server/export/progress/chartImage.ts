/**
 * Indicator charts for the progress report exports: the SVG the browser shows
 * (shared/charts/IndicatorChart.tsx), rendered on the server and turned into PNG with resvg, using
 * the DejaVu fonts the PDF export already embeds so Cyrillic labels render the same everywhere.
 */
import { createRequire } from 'node:module';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { Resvg } from '@resvg/resvg-js';
import { IndicatorChart, PRINT_CHART_COLOURS, type IndicatorChartLabels } from '../../../shared/charts/IndicatorChart.tsx';
import type { IndicatorSeries } from '../../../shared/api/monitoring.ts';
import { measuredText } from '../../../shared/indicators/yesNo.ts';

const require = createRequire(import.meta.url);
const FONT_FILES = [require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf')];

export const CHART_WIDTH = 560;
export const CHART_HEIGHT = 240;
/** Rendered at twice the size so the image stays sharp when printed. */
const SCALE = 2;

export function chartSvg(series: Pick<IndicatorSeries, 'indicatorId' | 'baseline' | 'target' | 'values' | 'unit' | 'measure'>, labels: IndicatorChartLabels): string {
  return renderToStaticMarkup(
    createElement(IndicatorChart, {
      series,
      labels,
      width: CHART_WIDTH,
      height: CHART_HEIGHT,
      colours: PRINT_CHART_COLOURS,
      idPrefix: `chart-${series.indicatorId}`,
    }),
  );
}

export function chartPng(svg: string): Buffer {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: SCALE },
    background: '#ffffff',
    font: { fontFiles: FONT_FILES, loadSystemFonts: false, defaultFontFamily: 'DejaVu Sans' },
  });
  return resvg.render().asPng();
}

/** The sentence a reader without the image gets: every number of the chart, in order. */
export function chartDescription(
  series: Pick<IndicatorSeries, 'baseline' | 'target' | 'values' | 'unit'> & { measure?: IndicatorSeries['measure'] },
  words: { baseline: string; target: string; observed: string; none: string; yes: string; no: string; date?: (isoDate: string) => string },
): string {
  // A yes/no indicator reads "Baseline No (2025); Observed Yes (…)": its unit would say nothing.
  const unit = series.unit && series.measure !== 'yes_no' ? ` ${series.unit}` : '';
  const text = (v: number) => measuredText(v, series.measure, words);
  // The date as the reader's language writes it ("31 декабря 2026 г."), not 2026-12-31.
  const date = words.date ?? ((d: string) => d);
  const parts: string[] = [];
  if (series.baseline.value !== null) parts.push(`${words.baseline} ${text(series.baseline.value)}${unit}${series.baseline.year ? ` (${series.baseline.year})` : ''}`);
  for (const v of series.values) parts.push(`${words.observed} ${text(v.value)}${unit} (${date(v.date)})`);
  if (series.target.value !== null) parts.push(`${words.target} ${text(series.target.value)}${unit}${series.target.year ? ` (${series.target.year})` : ''}`);
  return parts.length > 0 ? `${parts.join('; ')}.` : words.none;
}
