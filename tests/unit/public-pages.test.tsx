/**
 * The public pages as plain functions of a snapshot: what a section's text may carry (links,
 * tables, formatting) comes out as inert HTML; links keep only safe schemes; every page has one
 * h1 and its landmarks; a left-out section says why; filters narrow the lists.
 */
import { describe, expect, it } from 'vitest';
import { renderPage, type PageContext } from '../../server/public/html.tsx';
import { PlanTextPage } from '../../server/public/pages/PlanText.tsx';
import { ActionsPage } from '../../server/public/pages/Actions.tsx';
import { RecommendationsPage } from '../../server/public/pages/Recommendations.tsx';
import { RecommendationPage } from '../../server/public/pages/Recommendation.tsx';
import { ProgressPage } from '../../server/public/pages/Progress.tsx';
import { DataPage } from '../../server/public/pages/Data.tsx';
import { filterActions, filterRecommendations, readFilters } from '../../server/public/filters.ts';
import { SAMPLE_IDS, sampleSnapshot } from '../helpers/publicSnapshot.ts';
import type { PublicSnapshot } from '../../server/services/publicRecord/snapshot.ts';

const ctx = (snapshot: PublicSnapshot): PageContext => ({ slug: 'freedonia-2026', publicationId: 'pub-1', hash: 'f'.repeat(64), snapshot });
const NO_FILTERS = readFilters({});

function allPages(s: PublicSnapshot): Array<[string, string]> {
  const c = ctx(s);
  return [
    ['plan', renderPage(<PlanTextPage ctx={c} />)],
    ['actions', renderPage(<ActionsPage ctx={c} filters={NO_FILTERS} />)],
    ['recommendations', renderPage(<RecommendationsPage ctx={c} filters={NO_FILTERS} />)],
    ['recommendation', renderPage(<RecommendationPage ctx={c} rec={s.recommendations[0]!} />)],
    ['progress', renderPage(<ProgressPage ctx={c} round={s.rounds.at(-1) ?? null} />)],
    ['data', renderPage(<DataPage ctx={c} />)],
  ];
}

describe('the public pages', () => {
  it('render a section text with hostile content as text, and drop unsafe links', () => {
    const s = sampleSnapshot();
    const section = s.chapters[0]!.sections[0]!;
    section.blocks = [
      { type: 'heading', level: 1, inlines: [{ text: '<script>alert(1)</script>' }] },
      {
        type: 'paragraph',
        inlines: [
          { text: 'Click', link: 'javascript:alert(1)' },
          { text: ' safe', link: 'https://ohchr.org/upr', bold: true },
          { text: '"><img src=x onerror=alert(2)>' },
        ],
      },
      { type: 'table', rows: [{ header: true, cells: [[{ text: 'Body' }]] }, { header: false, cells: [[{ text: '<b>x</b>' }]] }] },
    ];
    const html = renderPage(<PlanTextPage ctx={ctx(s)} />);
    expect(html).not.toMatch(/<script|<img|javascript:|<[a-z][^>]*\son[a-z]+=/i);
    expect(html).toContain('<h4>&lt;script&gt;alert(1)&lt;/script&gt;</h4>');
    expect(html).toContain('<a href="https://ohchr.org/upr" rel="nofollow noopener noreferrer"><strong> safe</strong></a>');
    expect(html).toContain('<th scope="col">Body</th>');
  });

  it('every page has one h1, the landmarks, the stylesheet and the publication hash', () => {
    for (const [name, html] of allPages(sampleSnapshot())) {
      expect(html.match(/<h1[ >]/g), name).toHaveLength(1);
      for (const landmark of ['<header', '<nav', '<main id="main"', '<footer']) expect(html, `${name}: ${landmark}`).toContain(landmark);
      expect(html, name).toContain('<link rel="stylesheet" href="/public-record.css"/>');
      expect(html, name).toContain('f'.repeat(64));
      expect(html, name).not.toContain('<script');
    }
  });

  it('says why a section is not in the adopted plan', () => {
    const html = renderPage(<PlanTextPage ctx={ctx(sampleSnapshot())} />);
    expect(html).toContain('Left out of the adopted plan: Not agreed in time; to be negotiated in the next plan.');
  });

  it('marks a consultation draft on every page, and has no progress tab for it', () => {
    const s = { ...sampleSnapshot(), kind: 'consultation' as const, rounds: [] };
    for (const [name, html] of allPages(s)) {
      expect(html, name).toContain('Draft for public consultation.');
      expect(html, name).not.toContain('href="/p/freedonia-2026/progress"');
    }
  });

  it('filters actions by status and theme, and recommendations by position and search', () => {
    const s = sampleSnapshot();
    const all = filterActions(s, NO_FILTERS);
    expect(all.length).toBeGreaterThan(1);
    const unreported = filterActions(s, readFilters({ status: 'not_reported' }));
    expect(unreported.every((a) => a.action.reportedStatus === null)).toBe(true);
    expect(unreported.length).toBeLessThan(all.length);
    const theme = s.recommendations.find((r) => r.themes.length > 0)!.themes[0]!;
    expect(filterActions(s, readFilters({ theme })).every((a) => a.action.recommendationIds.some((id) => s.recommendations.find((r) => r.id === id)?.themes.includes(theme)))).toBe(true);
    const noted = filterRecommendations(s, readFilters({ status: 'noted' }));
    expect(noted.every((r) => r.position === 'noted')).toBe(true);
    const query = s.recommendations[0]!.text.split(' ').slice(-1)[0]!;
    expect(filterRecommendations(s, readFilters({ q: query.toUpperCase() }))).toContainEqual(s.recommendations[0]);
    expect(filterRecommendations(s, readFilters({ q: 'no such words anywhere' }))).toEqual([]);
    expect(readFilters({ q: ['a', 'b'], theme: 42 })).toEqual(NO_FILTERS); // odd query strings are ignored, not refused
    expect(SAMPLE_IDS).toBeTruthy();
  });
});
