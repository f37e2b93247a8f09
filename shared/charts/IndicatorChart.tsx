import { useId } from 'react';
import { AxisBottom, AxisLeft } from '@visx/axis';
import { Group } from '@visx/group';
import { scaleLinear, scaleTime } from '@visx/scale';
import { LinePath } from '@visx/shape';

import type { IndicatorSeries } from '../api/monitoring.ts';
import { measuredText } from '../indicators/yesNo.ts';

/**
 * One indicator over time: baseline → observed values → target (issue #15).
 *
 * Plain SVG from plain props, with no effects and no measuring, so the same component renders in
 * the browser (progress page), on the server to a string (report exports, public pages) and
 * without JavaScript. Strings come in as props because this module sits below the client's i18n.
 */

export interface IndicatorChartLabels {
  /** The chart's accessible name, e.g. the indicator's description. */
  title: string;
  baseline: string;
  target: string;
  observed: string;
  /** A sentence listing every number, for people who cannot see the chart. */
  description: string;
  /** The words for 1 and 0 on a yes/no indicator's chart. */
  yes?: string;
  no?: string;
}

export interface IndicatorChartColours {
  axis: string;
  observed: string;
  baseline: string;
  target: string;
  text: string;
}

/** The exports have no stylesheet; the browser passes its own tokens (`var(--…)`). */
export const PRINT_CHART_COLOURS: IndicatorChartColours = {
  axis: '#505a5f',
  observed: '#1d70b8',
  baseline: '#505a5f',
  target: '#00703c',
  text: '#0b0c0c',
};

export interface ChartPoint {
  date: Date;
  value: number;
  kind: 'baseline' | 'observed' | 'target';
}

/** The series as dated points: a baseline or target year stands for the middle of that year. */
export function chartPoints(series: Pick<IndicatorSeries, 'baseline' | 'target' | 'values'>): ChartPoint[] {
  const midYear = (year: number) => new Date(Date.UTC(year, 6, 1));
  const points: ChartPoint[] = [];
  if (series.baseline.value !== null && series.baseline.year !== null) {
    points.push({ date: midYear(series.baseline.year), value: series.baseline.value, kind: 'baseline' });
  }
  for (const v of series.values) points.push({ date: new Date(`${v.date}T00:00:00Z`), value: v.value, kind: 'observed' });
  if (series.target.value !== null && series.target.year !== null) {
    points.push({ date: midYear(series.target.year), value: series.target.value, kind: 'target' });
  }
  return points.sort((a, b) => a.date.getTime() - b.date.getTime());
}

const MARGIN = { top: 16, right: 24, bottom: 40, left: 56 };

/**
 * The time axis's ticks: one per year, at its middle, labelled with the year alone. A number reads
 * the same in every language (month names came out in English on Russian and Belarusian pages),
 * and a label in the middle of its year puts a value observed on 31 December at the end of its
 * year, not on the next year's label. At most `most` years are labelled, evenly.
 */
export function yearTicks(from: Date, to: Date, most: number): Date[] {
  const years: number[] = [];
  for (let y = from.getUTCFullYear(); y <= to.getUTCFullYear(); y++) {
    const mid = Date.UTC(y, 6, 1);
    if (mid >= from.getTime() && mid <= to.getTime()) years.push(y);
  }
  // A span that holds no 1 July (a few months around one value) is labelled at its middle.
  if (years.length === 0) return [new Date((from.getTime() + to.getTime()) / 2)];
  const step = Math.max(1, Math.ceil(years.length / Math.max(1, most)));
  return years.filter((_, i) => i % step === 0).map((y) => new Date(Date.UTC(y, 6, 1)));
}

/** 1 January of each year inside the span: where the time axis marks a new year. */
export function yearStarts(from: Date, to: Date): Date[] {
  const starts: Date[] = [];
  for (let y = from.getUTCFullYear() + 1; y <= to.getUTCFullYear(); y++) starts.push(new Date(Date.UTC(y, 0, 1)));
  return starts;
}

export function IndicatorChart(props: {
  /** Without `measure`, values are numbers. */
  series: Pick<IndicatorSeries, 'baseline' | 'target' | 'values' | 'unit'> & { measure?: IndicatorSeries['measure'] };
  labels: IndicatorChartLabels;
  width?: number;
  height?: number;
  colours?: IndicatorChartColours;
  /** Stable ids for server rendering, where useId's are fine too; override to make output deterministic. */
  idPrefix?: string;
}) {
  const { series, labels, width = 560, height = 240, colours = PRINT_CHART_COLOURS } = props;
  const reactId = useId();
  const id = props.idPrefix ?? `indicator-chart-${reactId.replace(/[^A-Za-z0-9_-]/g, '')}`;
  const points = chartPoints(series);
  const innerWidth = width - MARGIN.left - MARGIN.right;
  const innerHeight = height - MARGIN.top - MARGIN.bottom;

  const times = points.map((p) => p.date.getTime());
  const values = points.map((p) => p.value);
  const year = 365 * 24 * 3600 * 1000;
  const [tMin, tMax] = times.length > 0 ? [Math.min(...times), Math.max(...times)] : [Date.now() - year, Date.now()];
  const [vMin, vMax] = values.length > 0 ? [Math.min(0, ...values), Math.max(...values)] : [0, 1];
  const domain: [Date, Date] = [new Date(tMin - year / 4), new Date(tMax + year / 4)];
  const x = scaleTime({ domain, range: [0, innerWidth] });
  // A year's label is four digits: one every 48 px fits a plan's whole period on a printed page.
  const ticks = yearTicks(domain[0], domain[1], Math.max(2, Math.floor(innerWidth / 48)));
  // A yes/no indicator has two values only: its axis is "No" and "Yes", whatever was observed.
  const yesNo = series.measure === 'yes_no';
  const y = yesNo
    ? scaleLinear({ domain: [0, 1.15], range: [innerHeight, 0] })
    : scaleLinear({ domain: [vMin, vMax === vMin ? vMin + 1 : vMax * 1.1], range: [innerHeight, 0], nice: true });
  const yesNoWords = { yes: labels.yes ?? '1', no: labels.no ?? '0' };
  const valueText = (v: number) => measuredText(v, series.measure, yesNoWords);

  const observed = points.filter((p) => p.kind === 'observed');
  const baseline = points.find((p) => p.kind === 'baseline');
  const target = points.find((p) => p.kind === 'target');
  // The line a reader follows: from the baseline through what was observed; dashed on to the target.
  const actual = [...(baseline ? [baseline] : []), ...observed];
  const last = actual.at(-1);
  const ahead = last && target ? [last, target] : [];
  const px = (p: ChartPoint) => x(p.date) ?? 0;
  const py = (p: ChartPoint) => y(p.value) ?? 0;

  return (
    <svg
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-labelledby={`${id}-title ${id}-desc`}
      xmlns="http://www.w3.org/2000/svg"
      fontFamily="DejaVu Sans, Arial, sans-serif"
    >
      <title id={`${id}-title`}>{labels.title}</title>
      <desc id={`${id}-desc`}>{labels.description}</desc>
      <Group left={MARGIN.left} top={MARGIN.top}>
        <AxisLeft
          scale={y}
          {...(yesNo ? { tickValues: [0, 1], tickFormat: (v) => valueText(Number(v)) } : { numTicks: 5 })}
          stroke={colours.axis} tickStroke={colours.axis} tickLabelProps={{ fill: colours.text, fontSize: 11 }} label={series.unit ?? undefined} labelProps={{ fill: colours.text, fontSize: 11 }} />
        {/* Tick marks where years begin; each year's label in the middle of its span, without a mark. */}
        <AxisBottom top={innerHeight} scale={x} tickValues={yearStarts(domain[0], domain[1])} tickFormat={() => ''} stroke={colours.axis} tickStroke={colours.axis} />
        <AxisBottom
          top={innerHeight}
          scale={x}
          tickValues={ticks}
          tickFormat={(d) => String((d as Date).getUTCFullYear())}
          hideAxisLine
          hideTicks
          tickLabelProps={{ fill: colours.text, fontSize: 11 }}
        />
        {ahead.length === 2 && <LinePath data={ahead} x={px} y={py} stroke={colours.target} strokeWidth={2} strokeDasharray="6 4" />}
        {actual.length > 1 && <LinePath data={actual} x={px} y={py} stroke={colours.observed} strokeWidth={2.5} />}
        {baseline && (
          <g data-point="baseline">
            <rect x={px(baseline) - 5} y={py(baseline) - 5} width={10} height={10} fill={colours.baseline} />
            <text x={px(baseline) + 8} y={py(baseline) - 8} fontSize={11} fill={colours.text}>
              {labels.baseline}
            </text>
          </g>
        )}
        {observed.map((p, i) => (
          <g key={i} data-point="observed">
            <circle cx={px(p)} cy={py(p)} r={4.5} fill={colours.observed}>
              <title>{`${labels.observed}: ${valueText(p.value)}`}</title>
            </circle>
            {/* Below the point, unless that would run into the time axis. */}
            <text x={px(p)} y={py(p) + 18 > innerHeight - 4 ? py(p) - 10 : py(p) + 18} fontSize={11} fill={colours.text} textAnchor="middle">
              {valueText(p.value)}
            </text>
          </g>
        ))}
        {target && (
          <g data-point="target">
            <path d={`M ${px(target)} ${py(target) - 7} L ${px(target) + 7} ${py(target)} L ${px(target)} ${py(target) + 7} L ${px(target) - 7} ${py(target)} Z`} fill={colours.target} />
            <text x={px(target) - 8} y={py(target) - 10} fontSize={11} fill={colours.text} textAnchor="end">
              {labels.target}
            </text>
          </g>
        )}
      </Group>
    </svg>
  );
}
