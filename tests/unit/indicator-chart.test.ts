import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { IndicatorChart, chartPoints, type IndicatorChartLabels } from '../../shared/charts/IndicatorChart.tsx';

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
