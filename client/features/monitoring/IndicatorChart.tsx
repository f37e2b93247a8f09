import { CartesianGrid, Line, LineChart, ReferenceLine, XAxis, YAxis } from 'recharts';

/**
 * One indicator over time: baseline → observed values → target. Plain data in, fixed size, no
 * query or translation hook inside, so the server can render the same component to SVG for the
 * exports (renderToStaticMarkup). Colours come from props with CSS-variable defaults.
 */
export interface IndicatorChartPoint {
  /** The x position: a date (2027-05-31) or a year (2027). */
  date: string;
  value: number;
  kind: 'baseline' | 'observed' | 'target';
}

export interface IndicatorChartProps {
  points: IndicatorChartPoint[];
  /** The words the chart needs, already translated. */
  labels: { baseline: string; observed: string; target: string };
  width?: number;
  height?: number;
  colors?: { line: string; baseline: string; target: string; grid: string; text: string };
  /** Off when rendered to static SVG (no animation frames there). */
  animate?: boolean;
}

const DEFAULT_COLORS = {
  line: 'var(--link)',
  baseline: 'var(--text-muted)',
  target: 'var(--primary)',
  grid: 'var(--border)',
  text: 'var(--text)',
};

/** Year or date as a number of years, so a baseline year and observation dates share one axis. */
export function timeOf(date: string): number {
  if (/^\d{4}$/.test(date)) return Number(date);
  const d = Date.parse(`${date.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(d)) return NaN;
  const year = new Date(d).getUTCFullYear();
  const start = Date.UTC(year, 0, 1);
  const end = Date.UTC(year + 1, 0, 1);
  return year + (d - start) / (end - start);
}

export function IndicatorChart({ points, labels, width = 520, height = 240, colors = DEFAULT_COLORS, animate = true }: IndicatorChartProps) {
  const sorted = points
    .map((p) => ({ ...p, t: timeOf(p.date) }))
    .filter((p) => Number.isFinite(p.t))
    .sort((a, b) => a.t - b.t);
  // Two lines: what was measured (baseline, then observed values) solid; from the last measure to the target dashed.
  const measured = sorted.filter((p) => p.kind !== 'target');
  const last = measured[measured.length - 1];
  const data = sorted.map((p) => ({
    t: p.t,
    kind: p.kind,
    measured: p.kind !== 'target' ? p.value : null,
    toTarget: p.kind === 'target' || p === last ? p.value : null,
  }));
  const baseline = sorted.find((p) => p.kind === 'baseline');
  const target = sorted.find((p) => p.kind === 'target');
  const years = sorted.map((p) => p.t);
  const min = years.length ? Math.floor(Math.min(...years)) : 0;
  const max = years.length ? Math.ceil(Math.max(...years)) : 1;
  const ticks: number[] = [];
  for (let y = min; y <= max; y++) ticks.push(y);
  return (
    <LineChart width={width} height={height} data={data} margin={{ top: 16, right: 24, bottom: 8, left: 8 }}>
      <CartesianGrid stroke={colors.grid} strokeDasharray="3 3" />
      <XAxis dataKey="t" type="number" domain={[min, max === min ? max + 1 : max]} ticks={ticks} tickFormatter={(v: number) => String(Math.round(v))} stroke={colors.text} />
      <YAxis stroke={colors.text} width={56} />
      {baseline && <ReferenceLine y={baseline.value} stroke={colors.baseline} strokeDasharray="4 4" label={{ value: labels.baseline, position: 'insideBottomRight', fill: colors.baseline }} />}
      {target && <ReferenceLine y={target.value} stroke={colors.target} strokeDasharray="6 3" label={{ value: labels.target, position: 'insideTopLeft', fill: colors.target }} />}
      <Line type="linear" dataKey="measured" name={labels.observed} stroke={colors.line} strokeWidth={2} dot={{ r: 4 }} connectNulls isAnimationActive={animate} />
      <Line
        type="linear"
        dataKey="toTarget"
        name={labels.target}
        stroke={colors.target}
        strokeWidth={2}
        strokeDasharray="6 4"
        dot={{ r: 4 }}
        connectNulls
        isAnimationActive={animate}
      />
    </LineChart>
  );
}
