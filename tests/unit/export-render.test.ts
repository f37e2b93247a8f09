import JSZip from 'jszip';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { docxParagraphs, extractCanonicalBlocks } from '../../server/export/extract.ts';
import { hashLines } from '../../server/services/contentHash.ts';
import { fileStem, type PlanModel, safeHref } from '../../server/export/model.ts';
import { versionNameIn } from '../../server/export/versionName.ts';
import { exportWords } from '../../server/export/i18n/index.ts';
import { sectionBlocks } from '../../shared/doc/blocks.ts';
import { renderDocx } from '../../server/export/render/docx.ts';
import { renderHtml } from '../../server/export/render/html.ts';
import { mdEscape, renderMarkdown } from '../../server/export/render/markdown.ts';
import { renderMatrixCsv } from '../../server/export/render/matrix.ts';
import { getSectionBody } from '../../shared/doc/schema.ts';

const H = ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '"><svg onload=alert(1)>', "'; DROP TABLE x; --"];
const hostile = (label: string, i = 0) => `${label} ${H[i % H.length]}`;

function hostileModel(lines: string[] = ['line']): PlanModel {
  const action = {
    id: 'a1',
    number: 1,
    gaps: [],
    title: hostile('Action', 0),
    description: hostile('Description', 1),
    status: 'planned',
    leadAgency: hostile('Lead', 2),
    coImplementers: [hostile('Co', 3)],
    csoPartners: [hostile('CSO', 0)],
    start: '2027',
    end: '2028',
    budgetAmount: 1,
    currency: 'EUR',
    fundingSource: hostile('Fund', 1),
    budget: hostile('Budget', 1),
    recommendations: [{ id: 'r1', reference: hostile('Ref', 2), position: 'supported', text: hostile('Rec text', 3) }],
    indicators: [{ type: 'outcome', description: hostile('Ind', 0), unit: hostile('Unit', 1), baseline: hostile('Base', 2), target: '=1+1', dataSource: hostile('Src', 3), frequency: null, disaggregation: [hostile('Dis', 0)], proposedBy: hostile('Org', 1) }],
  };
  return {
    plan: { id: 'p', title: hostile('Plan', 0), country: hostile('Country', 1), periodStart: 2026, periodEnd: 2030, source: hostile('Source', 2) },
    scope: 'current',
    exportedAt: '2026-11-25T10:00:00.000Z',
    madeFrom: hostile('Made from', 3),
    chapters: [
      {
        id: 'c',
        title: hostile('Chapter', 1),
        sections: [
          {
            id: 'sectionAAAA',
            title: hostile('Section', 2),
            status: 'agreed',
            included: true,
            blocks: [
              { type: 'heading', level: 2, inlines: [{ text: hostile('Heading', 0) }] },
              {
                type: 'paragraph',
                inlines: [
                  { text: hostile('Para', 1), bold: true },
                  { text: 'bad link', link: 'javascript:alert(1)' },
                  { text: 'data link', link: ' data:text/html,<script>alert(1)</script>' },
                  { text: 'good link', link: 'https://example.org/?a=1&b="2"' },
                ],
              },
              { type: 'list', ordered: false, items: [[{ type: 'paragraph', inlines: [{ text: hostile('Item', 2) }] }]] },
              { type: 'table', rows: [{ header: true, cells: [[{ text: hostile('Cell', 3) }]] }] },
              { type: 'codeBlock', text: hostile('Code', 0) },
            ],
            actions: [action],
            canonicalLines: lines,
            currentHash: hashLines(lines),
            agreedAt: '2026-11-20T10:00:00.000Z',
            agreedHash: hashLines(lines),
            signers: [{ name: hostile('Signer', 1), organisation: hostile('Org', 2), side: 'government', signedAt: '2026-11-20', contentHash: 'abc', verified: false }],
          },
        ],
      },
    ],
    recommendations: [
      { id: 'r1', reference: hostile('Ref', 2), mechanism: 'UPR', documentSymbol: hostile('Sym', 0), paragraph: '1', recommendingStates: [hostile('State', 1)], sdgTargets: ['16.3', hostile('Sdg', 2)], position: 'supported', text: hostile('Rec text', 3) },
    ],
    // Reservations and positions are people's words too (server/export/annexes.ts).
    annexes: [
      {
        key: 'reservations',
        title: 'Reservations and dissenting positions',
        intro: [hostile('Intro', 1)],
        empty: 'Nothing on record.',
        groups: [{ heading: hostile('Group', 2), note: hostile('Note', 3), entries: [{ label: hostile('Label', 0), byline: hostile('Byline', 1), text: hostile('Reservation', 2) }] }],
      },
    ],
  };
}

describe('HTML renderer', () => {
  const html = renderHtml(hostileModel());
  it('escapes every user string: no element or attribute comes from user text', () => {
    const tags = [...html.matchAll(/<\/?([a-zA-Z0-9]+)([^>]*)>/g)];
    const allowed = new Set(['html', 'head', 'meta', 'title', 'style', 'body', 'header', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'br', 'nav', 'ol', 'ul', 'li', 'a', 'span', 'section', 'strong', 'em', 'u', 's', 'code', 'pre', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'div', 'blockquote', 'hr']);
    for (const [, name, attrs] of tags) {
      expect(allowed.has(name!.toLowerCase()), name).toBe(true);
      expect(attrs).not.toMatch(/\son\w+=/i);
    }
    expect(html).not.toMatch(/<script|<img|<svg/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    // The reservations annex too.
    expect(html).toContain('Annex C. Reservations and dissenting positions');
    expect(html).toContain('Reservation &quot;&gt;&lt;svg onload=alert(1)&gt;');
  });
  it('keeps only http(s)/mailto links', () => {
    const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!).filter((h) => !h.startsWith('#'));
    expect(hrefs).toEqual(['https://example.org/?a=1&amp;b=&quot;2&quot;']);
    expect(html).not.toMatch(/javascript:alert/);
    expect(html).toContain('bad link');
    expect(safeHref('JavaScript:alert(1)')).toBeNull();
    expect(safeHref('mailto:a@b.c')).toBe('mailto:a@b.c');
  });
});

describe('Markdown renderer', () => {
  it('escapes structure in user text', () => {
    expect(mdEscape('# not a heading')).toBe('\\# not a heading');
    expect(mdEscape('- not a list')).toBe('\\- not a list');
    expect(mdEscape('1. not a list')).toBe('1\\. not a list');
    expect(mdEscape('[x](javascript:alert(1)) *y* <b>')).toBe('\\[x\\](javascript:alert(1)) \\*y\\* \\<b\\>');
    const md = renderMarkdown(hostileModel());
    expect(md).not.toContain('javascript:');
    // Outside fenced blocks (code and signed content are verbatim inside fences, which Markdown never interprets).
    const outside = md.replace(/^(```|~~~~~~~~)[\s\S]*?^\1$/gm, '');
    expect(outside).not.toMatch(/(^|[^\\])<(script|img|svg)/);
  });
});

describe('Matrix CSV', () => {
  it('prefixes formula cells', () => {
    const csv = renderMatrixCsv(hostileModel());
    const rows = Papa.parse<string[]>(csv.slice(1), { skipEmptyLines: true }).data;
    expect(rows).toHaveLength(2);
    for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });
});

describe('DOCX signed content', () => {
  it('round-trips canonical lines verbatim, however odd', async () => {
    const lines = ['  leading spaces', 'tab\there', '<&> "quotes" \'', '', 'Кірылічны радок', 'a | b | c', 'trailing  '];
    const bytes = await renderDocx(hostileModel(lines));
    const xml = await (await JSZip.loadAsync(bytes)).file('word/document.xml')!.async('string');
    const blocks = extractCanonicalBlocks(docxParagraphs(xml));
    expect(blocks.get('sectionAAAA')).toEqual(lines);
    expect(xml).not.toContain('<script>');
  });
});

describe('model', () => {
  it('reads marks, links, hard breaks and tables from the section document', () => {
    const doc = new Y.Doc();
    const body = getSectionBody(doc);
    const p = new Y.XmlElement('paragraph');
    const t = new Y.XmlText();
    p.insert(0, [t, new Y.XmlElement('hardBreak'), new Y.XmlText('after')]);
    body.insert(0, [p]);
    t.insert(0, 'plain ');
    t.insert(6, 'bold', { bold: {} });
    t.insert(10, 'link', { link: { href: 'https://x.org' }, italic: true });
    const blocks = sectionBlocks(doc);
    expect(blocks).toEqual([
      {
        type: 'paragraph',
        inlines: [{ text: 'plain ' }, { text: 'bold', bold: true }, { text: 'link', italic: true, link: 'https://x.org' }, { text: '', br: true }, { text: 'after' }],
      },
    ]);
  });
  it('makes an ASCII file stem that says which text it holds', () => {
    const stem = (title: string, more: Partial<PlanModel> = {}) =>
      fileStem({ plan: { title } as PlanModel['plan'], exportedAt: '2026-01-02T00:00:00Z', scope: 'current', ...more });
    expect(stem('Нацыянальны план')).toBe('natsyyanalny-plan-2026-01-02');
    expect(stem('Plan d’action — Ré')).toBe('plan-daction-re-2026-01-02');
    expect(stem('日本')).toBe('riben-2026-01-02');
    expect(stem('…')).toBe('plan-2026-01-02');
    expect(stem('National Plan', { scope: 'agreed' })).toBe('national-plan-agreed-sections-2026-01-02');
    expect(stem('Национальный план', { scope: 'agreed', language: 'ru' })).toBe('natsionalnyy-plan-soglasovannye-razdely-2026-01-02');
    const adopted = { groupId: 'g1', name: 'Adopted: Decree No. 12', createdAt: '2026-01-01T00:00:00Z', createdBy: 'A' };
    expect(stem('National Plan', { scope: 'agreed', version: adopted })).toBe('national-plan-adopted-decree-no-12-2026-01-02');
    expect(stem('National Plan', { scope: 'current', version: adopted })).not.toBe(stem('National Plan'));
    // A long act is cut at a word, and not after "of": the name does not break off mid-phrase.
    const act = 'Resolution of the Council of Ministers of the Republic of Belarus No. 123';
    const label = JSON.stringify({ key: 'adopted', act });
    const byAct = { groupId: 'g2', name: versionNameIn(exportWords('ru'), 'Adopted', label), createdAt: '2026-01-01T00:00:00Z', createdBy: 'A' };
    expect(stem('Национальный план', { scope: 'agreed', language: 'ru', version: byAct })).toBe('natsionalnyy-plan-utverzhden-resolution-of-the-council-2026-01-02');
  });
});
