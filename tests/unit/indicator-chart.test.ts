import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { IndicatorChart, chartPoints, yearTicks, type IndicatorChartLabels } from '../../shared/charts/IndicatorChart.tsx';
import { chartDescription } from '../../server/export/progress/chartImage.ts';

/**
 * The indicator chart renders to plain SVG without a browser: the same markup serves the progress
 * page, the report exports and the public pages.
 */

const labels: IndicatorChartLabels = {
  title: 'Judges appointed by open competition',
  baseline: 'Baseline',
  target: 'Target',
  observed: 'Observed',
  description: 'Baseline 10 (2024); observed 14 on 2026-03-01; target 40 (2028).',
};
const series = {
  unit: '%',
  baseline: { value: 10, year: 2024 },
  target: { value: 40, year: 2028 },
  values: [
    { roundId: 'round-0001', date: '2026-03-01', value: 14 },
    { roundId: 'round-0002', date: '2025-03-01', value: 12 },
  ],
};

describe('indicator chart', () => {
  it('orders baseline, observed values and target in time', () => {
    expect(chartPoints(series).map((p) => `${p.kind}:${p.value}`)).toEqual(['baseline:10', 'observed:12', 'observed:14', 'target:40']);
  });

  it('renders baseline, every observed value and the target as SVG with a text alternative', () => {
    const svg = renderToStaticMarkup(createElement(IndicatorChart, { series, labels, idPrefix: 'c1' }));
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('role="img"');
    expect(svg).toContain('aria-labelledby="c1-title c1-desc"');
    expect(svg).toContain(`<title id="c1-title">${labels.title}</title>`);
    expect(svg).toContain(labels.description);
    expect(svg.match(/data-point="baseline"/g)).toHaveLength(1);
    expect(svg.match(/data-point="observed"/g)).toHaveLength(2);
    expect(svg.match(/data-point="target"/g)).toHaveLength(1);
    expect(svg).not.toMatch(/NaN/);
  });

  it('labels its time axis with years in the middle of each, in no language, and writes dates as the reader does', () => {
    const svg = renderToStaticMarkup(createElement(IndicatorChart, { series, labels, idPrefix: 'c2' }));
    const ticks = [...svg.matchAll(/<tspan[^>]*>([^<]*)<\/tspan>/g)].map((m) => m[1]);
    expect(ticks).toEqual(expect.arrayContaining(['2024', '2025', '2026', '2027', '2028']));
    expect(svg).not.toMatch(/January|February|March|April|May|June|July|August|September|October|November|December/);
    // Mid-year, and thinned evenly when the years outnumber the room.
    expect(yearTicks(new Date('2025-10-01'), new Date('2027-04-01'), 6).map((d) => d.toISOString().slice(0, 10))).toEqual(['2026-07-01']);
    expect(yearTicks(new Date('2020-01-01'), new Date('2031-01-01'), 4).map((d) => d.getUTCFullYear())).toEqual([2020, 2023, 2026, 2029]);
    // One value in January: the few months around it hold no 1 July, and still show their year.
    expect(yearTicks(new Date('2025-10-15'), new Date('2026-04-15'), 6).map((d) => d.getUTCFullYear())).toEqual([2026]);
    const words = { baseline: 'Базавы ўзровень', target: 'Мэта', observed: 'Назіранае значэнне', none: '—', yes: 'Так', no: 'Не' };
    expect(chartDescription(series, { ...words, date: (d) => new Intl.DateTimeFormat('be', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(d)) })).not.toContain('2026-03-01');
    expect(chartDescription(series, words)).toContain('(2026-03-01)');
  });

  it('draws a yes/no indicator with "No" and "Yes" on its axis and at its points, and says them in its text', () => {
    const law = {
      unit: 'law',
      measure: 'yes_no' as const,
      baseline: { value: 0, year: 2025 },
      target: { value: 1, year: 2028 },
      values: [{ roundId: 'round-0001', date: '2026-03-01', value: 1 }],
    };
    const svg = renderToStaticMarkup(createElement(IndicatorChart, { series: law, labels: { ...labels, yes: 'Так', no: 'Не' }, idPrefix: 'c3' }));
    const ticks = [...svg.matchAll(/<tspan[^>]*>([^<]*)<\/tspan>/g)].map((m) => m[1]);
    expect(ticks).toEqual(expect.arrayContaining(['Не', 'Так']));
    expect(ticks).not.toContain('0.5');
    expect(svg).toContain('<title>Observed: Так</title>');
    const words = { baseline: 'Baseline', target: 'Target', observed: 'Observed', none: '—', yes: 'Yes', no: 'No' };
    expect(chartDescription(law, words)).toBe('Baseline No (2025); Observed Yes (2026-03-01); Target Yes (2028).');
    // The same numbers on an indicator measured in numbers stay numbers.
    expect(chartDescription({ ...law, measure: 'number' }, words)).toBe('Baseline 0 law (2025); Observed 1 law (2026-03-01); Target 1 law (2028).');
  });

  it('draws an indicator with no numbers yet without failing', () => {
    const empty = { unit: null, baseline: { value: null, year: null }, target: { value: null, year: null }, values: [] };
    const svg = renderToStaticMarkup(createElement(IndicatorChart, { series: empty, labels, idPrefix: 'c2' }));
    expect(svg).toContain('<svg');
    expect(svg).not.toMatch(/NaN/);
    expect(svg).not.toContain('data-point');
  });

  it('escapes hostile text in its labels', () => {
    const svg = renderToStaticMarkup(
      createElement(IndicatorChart, { series, labels: { ...labels, title: '<script>alert(1)</script>' }, idPrefix: 'c3' }),
    );
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;');
  });
});
