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
import { chooseLanguage, PUBLIC_CATALOGUES, publicWords, type LanguageChoice } from '../../server/public/i18n/index.ts';
import { en as exportEn } from '../../server/export/i18n/en.ts';
import { notFoundHtml } from '../../server/public/pages/NotFound.tsx';
import { DATASETS } from '../../server/public/openData.ts';

const ctx = (snapshot: PublicSnapshot, choice: LanguageChoice = { lang: 'en', from: 'default' }): PageContext => ({
  slug: 'freedonia-2026',
  publicationId: 'pub-1',
  hash: 'f'.repeat(64),
  snapshot,
  words: publicWords(choice),
  path: '/p/freedonia-2026',
});
const NO_FILTERS = readFilters({});

function allPages(s: PublicSnapshot, choice?: LanguageChoice): Array<[string, string]> {
  const c = ctx(s, choice);
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

  it('counts in the plan only the sections this publication holds, and says how many it does not', () => {
    const s = sampleSnapshot();
    const sections = s.chapters.flatMap((c) => c.sections);
    const included = sections.filter((sec) => sec.included).length;
    const left = sections.length - included;
    expect(left).toBeGreaterThan(0);
    const text = visibleText(renderPage(<PlanTextPage ctx={ctx(s)} />)).replace(/\s+/g, ' ');
    expect(text).toContain(`In this plan ${included} section${included === 1 ? '' : 's'},`);
    expect(text).toContain(`(${left} section${left === 1 ? '' : 's'} not part of this publication)`);

    const whole = { ...s, chapters: s.chapters.map((c) => ({ ...c, sections: c.sections.filter((sec) => sec.included) })) };
    expect(visibleText(renderPage(<PlanTextPage ctx={ctx(whole)} />))).not.toContain('not part of this publication)');
  });

  it('marks a consultation draft on every page, and has no progress tab for it', () => {
    const s = { ...sampleSnapshot(), kind: 'consultation' as const, rounds: [] };
    for (const [name, html] of allPages(s)) {
      expect(html, name).toContain('Draft for public consultation.');
      expect(html, name).not.toContain('href="/p/freedonia-2026/progress"');
    }
  });

  it('marks a voluntary pledge as one in the list and on its page, in the reader’s language; a publication made before pledges shows none', () => {
    const s = sampleSnapshot();
    const pledge = { ...s.recommendations[2]!, position: 'supported', kind: 'pledge' as const };
    s.recommendations[2] = pledge;
    const list = renderPage(<RecommendationsPage ctx={ctx(s)} filters={NO_FILTERS} />);
    expect(list.match(/Voluntary pledge/g)).toHaveLength(1);
    expect(renderPage(<RecommendationPage ctx={ctx(s)} rec={pledge} />)).toContain('Voluntary pledge');
    expect(renderPage(<RecommendationPage ctx={ctx(s, { lang: 'ru', from: 'query' })} rec={pledge} />)).toContain('Добровольное обязательство');
    // The sample has no kind, as a publication made before pledges were told apart.
    expect(renderPage(<RecommendationsPage ctx={ctx(sampleSnapshot())} filters={NO_FILTERS} />)).not.toContain('Voluntary pledge');
  });

  it('shows on the progress page what the signed-in one does: evidence, disputes and assessments of recommendations', () => {
    const s = sampleSnapshot();
    const round = s.rounds[0]!;
    // Civil society finds nothing done on the action the Ministry reports in progress, and says why with a link.
    round.assessments.push({
      targetType: 'action',
      targetId: SAMPLE_IDS.actions[0],
      organisation: 'Legal Aid Network',
      side: 'civil_society',
      rating: 'not_implemented',
      justification: 'No judge we asked attended a course.',
      evidenceLinks: ['https://example.org/survey-2027', 'javascript:alert(1)'],
      updatedAt: '2027-06-27T10:00:00.000Z',
    });
    const html = renderPage(<ProgressPage ctx={ctx(s)} round={round} />);
    expect(html).toContain('href="https://example.org/survey-2027"');
    expect(html).not.toContain('javascript:');
    expect(html.match(/⚑ Disputed/g)).toHaveLength(1);
    // The assessment of recommendation R1, with its evidence and the government's rating beside it.
    expect(html).toContain('Recommendations civil society assessed');
    expect(html).toContain(`/recommendations/${SAMPLE_IDS.recommendations[0]}`);
    expect(html).toContain('Training started, appointments are still political.');
    expect(html).toContain('href="https://example.org/court-watch"');
    expect(renderPage(<RecommendationPage ctx={ctx(s)} rec={s.recommendations[0]!} />)).toContain('href="https://example.org/monitoring-2027"');
    // The same in Belarusian, with no English.
    const be = renderPage(<ProgressPage ctx={ctx(s, { lang: 'be', from: 'query' })} round={round} />);
    expect(be).toContain('Рэкамендацыі, ацэненыя грамадзянскай супольнасцю');
    expect(be).toContain('⚑ Спрэчна');
  });

  it('writes a yes/no indicator’s values as words, in the reader’s language, in its chart and its table', () => {
    const s = sampleSnapshot();
    const law = s.chapters.flatMap((c) => c.sections).flatMap((sec) => sec.actions)[1]!.indicators[0]!;
    // As a publication holds it: "No (2024)" was not a number, so it has no chart point of its own.
    Object.assign(law, { description: 'Law on shelters adopted', unit: null, baseline: 'No (2024)', target: 'Yes (2029)', baselinePoint: { value: null, year: 2024 }, targetPoint: { value: null, year: 2029 } });
    law.values = [{ roundId: s.rounds[0]!.id, date: '2027-05-15', value: 1 }];
    const round = s.rounds[0]!;
    const en = renderPage(<ProgressPage ctx={ctx(s)} round={round} />);
    expect(en).toContain('Baseline No (2024); Observed Yes (15 May 2027); Target Yes (2029).');
    expect(en).toContain('<title>Observed: Yes</title>');
    expect(renderPage(<ActionsPage ctx={ctx(s)} filters={NO_FILTERS} />)).toContain('<td data-label="Latest value">Yes (15 May 2027)</td>');
    const be = renderPage(<ProgressPage ctx={ctx(s, { lang: 'be', from: 'query' })} round={round} />);
    expect(be).toContain('<title>Назіранае значэнне: Так</title>');
    // The open data gives it as numbers, 0 and 1, as its observed values are (and says so).
    expect(DATASETS.find((d) => d.name === 'indicators')!.rows(s).find((r) => r.description === 'Law on shelters adopted')).toMatchObject({ baseline_value: 0, target_value: 1, latest_value: 1 });
    // Baseline, target and latest value in the table, all in the reader's words.
    expect(renderPage(<ActionsPage ctx={ctx(s, { lang: 'ru', from: 'query' })} filters={NO_FILTERS} />)).toMatch(/<td[^>]*>Нет \(2024\)<\/td><td[^>]*>Да \(2029\)<\/td><td[^>]*>Да \(15 мая 2027 г\.\)<\/td>/);
  });

  it('names UPR Info’s themes in the reader’s language on a recommendation and in the theme filter, filtering on the stored name', () => {
    const s = sampleSnapshot();
    const ru = { lang: 'ru' as const, from: 'query' as const };
    expect(renderPage(<RecommendationPage ctx={ctx(s, ru)} rec={s.recommendations[2]!} />)).toContain('Права женщин');
    const list = renderPage(<RecommendationsPage ctx={ctx(s, ru)} filters={NO_FILTERS} />);
    expect(list).toContain('<option value="Women’s rights">Права женщин</option>');
    // A theme that is not UPR Info's is shown as the plan wrote it.
    expect(list).toContain('<option value="Fair trial">Fair trial</option>');
  });

  it('says whose the reported status is, and marks it disputed wherever it is shown when civil society disagrees', () => {
    const s = sampleSnapshot();
    const actionId = SAMPLE_IDS.actions[0];
    const pages = () => [
      renderPage(<PlanTextPage ctx={ctx(s)} />),
      renderPage(<ActionsPage ctx={ctx(s)} filters={NO_FILTERS} />),
    ];
    for (const html of pages()) {
      expect(html).toContain('Status in the government report');
      expect(html).not.toContain('⚑ Disputed');
    }
    s.rounds.at(-1)!.assessments.push({
      targetType: 'action',
      targetId: actionId,
      organisation: 'Legal Aid Network',
      side: 'civil_society',
      rating: 'not_implemented',
      justification: 'No judge we asked attended a course.',
      evidenceLinks: [],
      updatedAt: '2027-06-27T10:00:00.000Z',
    });
    for (const html of pages()) {
      expect(html.match(/⚑ Disputed/g)).toHaveLength(1);
      expect(html).toContain(`href="/p/freedonia-2026/progress#p-${actionId}"`);
    }
    const linked = s.recommendations.find((r) => s.chapters.some((c) => c.sections.some((sec) => sec.actions.some((a) => a.id === actionId && a.recommendationIds.includes(r.id)))))!;
    expect(renderPage(<RecommendationPage ctx={ctx(s)} rec={linked} />)).toContain('⚑ Disputed');
  });

  it('writes an action’s timeline and budget as the app does, in the reader’s language', () => {
    const s = sampleSnapshot();
    const en = visibleText(renderPage(<ActionsPage ctx={ctx(s)} filters={NO_FILTERS} />)).replace(/\s+/g, ' ');
    expect(en).toContain('2026 – Q4 2028');
    expect(en).toMatch(/EUR\s120,000 \(State budget\)/);
    expect(en).not.toContain('2028-Q4');
    const ru = visibleText(renderPage(<ActionsPage ctx={ctx(s, { lang: 'ru', from: 'query' })} filters={NO_FILTERS} />)).replace(/\s+/g, ' ');
    expect(ru).toContain('4 квартал 2028 г.');
    expect(ru).toMatch(/120\s000\sEUR \(State budget\)/);
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

/** Every string of a catalogue (plural forms included), for scanning a page for them. */
const strings = (o: unknown): string[] => (typeof o === 'string' ? [o] : o && typeof o === 'object' ? Object.values(o).flatMap(strings) : []);
/** The English words the public pages could print: the fixed parts of each template, long enough to mean something. */
const ENGLISH = [...new Set([...strings(PUBLIC_CATALOGUES.en), ...strings(exportEn)].flatMap((t) => t.split(/\{\w+\}/)).map((p) => p.trim()).filter((p) => /[a-z]{3}/i.test(p)))];
/** What the pages print that is the same in every language, or the plan's own (English) text in the sample. */
const SAME_EVERYWHERE = new Set(['Accord', 'sha256', 'English']);

const visibleText = (html: string) => html.replace(/<[^>]*>/g, '\n').replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&amp;/g, '&');

describe('the public pages in Belarusian and Russian', () => {
  for (const lang of ['be', 'ru'] as const) {
    it(`in ${lang}: the lang attribute is ${lang}, and no English word of the catalogues is on any page`, () => {
      const s = sampleSnapshot();
      // The sample plan's own text is English; what the record itself says must not be.
      // …and the open data's descriptions are English, as the page says (the files' field names are).
      const planText = JSON.stringify(s) + JSON.stringify(DATASETS.map((d) => [d.description, d.columns]));
      for (const [name, html] of allPages(s, { lang, from: 'query' })) {
        expect(html, name).toMatch(new RegExp(`^<!doctype html><html lang="${lang}">`));
        const text = visibleText(html.replace(/<title>.*?<\/title>/, ''));
        const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
        const found = ENGLISH.filter((word) => !SAME_EVERYWHERE.has(word) && !planText.includes(word) && lines.some((l) => l.includes(word)));
        expect(found, `${name} in ${lang}`).toEqual([]);
      }
      const consultation = { ...sampleSnapshot(), kind: 'consultation' as const, rounds: [] };
      for (const [name, html] of allPages(consultation, { lang, from: 'query' })) expect(html, name).toContain(PUBLIC_CATALOGUES[lang].consultationStrong);
      expect(notFoundHtml(lang)).toContain(`<html lang="${lang}">`);
    });
  }

  it('keeps a language chosen in the address in every link inside the record, and names each language in itself', () => {
    for (const [name, html] of allPages(sampleSnapshot(), { lang: 'ru', from: 'query' })) {
      const inside = [...html.matchAll(/href="(\/p\/[^"]*)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&')).filter((h) => !h.includes('/data/'));
      expect(inside.length, name).toBeGreaterThan(3);
      for (const href of inside) expect(href, `${name}: ${href}`).toMatch(/[?&]lang=(ru|be|en)(#|$|&)/);
      expect(html, name).toContain('<a href="/p/freedonia-2026?lang=be" lang="be" hrefLang="be">Беларуская</a>');
      expect(html, name).toContain('lang="en" hrefLang="en">English</a>');
      if (name === 'actions') expect(html).toContain('<input type="hidden" name="lang" value="ru"/>');
    }
    // A language from the browser's header needs no carrying: the browser sends it again.
    const [, plan] = allPages(sampleSnapshot(), { lang: 'ru', from: 'header' })[0]!;
    expect(plan).toContain('<a href="/p/freedonia-2026/actions">');
  });

  it('chooses ?lang over the browser, else the first of be/ru/en the browser accepts, else English', () => {
    expect(chooseLanguage('be', 'ru,en')).toEqual({ lang: 'be', from: 'query' });
    expect(chooseLanguage(undefined, 'de-DE,ru;q=0.8,be;q=0.9')).toEqual({ lang: 'be', from: 'header' });
    expect(chooseLanguage('xx', 'ru-RU,ru;q=0.9,en;q=0.8')).toEqual({ lang: 'ru', from: 'header' });
    expect(chooseLanguage(['ru', 'be'], 'fr')).toEqual({ lang: 'en', from: 'header' });
    expect(chooseLanguage(undefined, undefined)).toEqual({ lang: 'en', from: 'default' });
  });

  it('writes dates and counts in the language', () => {
    const [, plan] = allPages(sampleSnapshot(), { lang: 'ru', from: 'query' })[0]!;
    expect(plan).toMatch(/\d+ (раздел|раздела|разделов),/);
    expect(plan).toMatch(/\d{1,2} (января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря) \d{4}/);
  });
});
