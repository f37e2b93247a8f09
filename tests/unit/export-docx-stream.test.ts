/**
 * The DOCX written section by section (server/export/render/docxStream.ts, for plans too large to
 * build whole) is the same file as the one docx builds whole: every part byte for byte, the body
 * too, but for the ids docx draws from its counter for the headings' bookmarks.
 */
import { PassThrough } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import type { ModelSection, PlanModel } from '../../server/export/model.ts';
import { renderDocx, streamDocx } from '../../server/export/render/docx.ts';

const action = (n: number) => ({
  id: `a${n}`,
  number: n,
  gaps: n % 2 ? [] : ['budget'],
  title: `Action ${n} <&> "quoted"`,
  description: `Describe ${n}\nsecond line`,
  status: 'planned',
  leadAgency: 'Ministry of Justice',
  coImplementers: ['Ministry of Interior'],
  csoPartners: ['Human Rights House'],
  start: '2027',
  end: '2028-Q4',
  budgetAmount: 1000 + n,
  currency: 'BYN',
  fundingSource: 'State budget',
  budget: `${1000 + n} BYN`,
  recommendations: [{ id: 'r1', reference: 'BLR-1.1', position: 'supported', text: 'Abolish the death penalty.' }],
  indicators: [{ type: 'outcome', description: 'Cases', unit: 'cases', baseline: '3', target: '0', dataSource: 'Statistics', frequency: null, disaggregation: ['sex'], proposedBy: 'NGO' }],
});

function section(id: string, title: string, included: boolean, actions: number[]): ModelSection {
  const lines = [`${title} text`, 'More text'];
  return {
    id,
    title,
    status: included ? 'agreed' : 'drafting',
    included,
    blocks: [
      { type: 'heading', level: 2, inlines: [{ text: `Situation in ${title}` }] },
      { type: 'paragraph', inlines: [{ text: 'Bold ', bold: true }, { text: 'a link', link: 'https://example.org/?a=1&b=2' }, { br: true, text: '' }, { text: 'code', code: true }] },
      { type: 'list', ordered: true, items: [[{ type: 'paragraph', inlines: [{ text: 'One' }] }, { type: 'list', ordered: false, items: [[{ type: 'paragraph', inlines: [{ text: 'Nested' }] }]] }], [{ type: 'paragraph', inlines: [{ text: 'Two' }] }]] },
      { type: 'list', ordered: false, items: [[{ type: 'paragraph', inlines: [{ text: 'Bullet', link: 'mailto:a@b.c' }] }]] },
      { type: 'table', rows: [{ header: true, cells: [[{ text: 'H1' }], [{ text: 'H2' }]] }, { header: false, cells: [[{ text: 'c1' }], [{ text: 'c2' }]] }] },
      { type: 'blockquote', blocks: [{ type: 'paragraph', inlines: [{ text: 'Quoted' }] }] },
      { type: 'codeBlock', text: 'line 1\nline 2' },
      { type: 'rule' },
    ],
    actions: actions.map(action),
    canonicalLines: lines,
    currentHash: 'hash',
    agreedAt: included ? '2026-11-20T10:00:00.000Z' : null,
    agreedHash: included ? 'hash' : null,
    signers: included ? [{ name: 'Signer', organisation: 'Ministry', side: 'government', signedAt: '2026-11-20', contentHash: 'abc', verified: true }] : [],
  } as ModelSection;
}

function model(withActions: boolean): PlanModel {
  return {
    plan: { id: 'p', title: 'Национальный план & <plan>', country: 'Belarus', periodStart: 2026, periodEnd: 2030, source: 'UPR' },
    stamp: 'Draft — not agreed',
    documentNumber: 'NHRP-P-D-20261204',
    flagGaps: true,
    scope: 'current',
    exportedAt: '2026-12-04T10:00:00.000Z',
    madeFrom: 'Current state',
    chapters: [
      { id: 'c1', title: 'First', sections: [section('s1', 'One', true, withActions ? [1, 2] : []), section('s2', 'Two', false, [])] },
      { id: 'c2', title: 'Empty', sections: [] },
      { id: 'c3', title: 'Third', sections: [section('s3', 'Three', true, withActions ? [3] : [])] },
    ],
    recommendations: [
      { id: 'r1', reference: 'BLR-1.1', mechanism: 'UPR', documentSymbol: 'A/HRC/15/16', paragraph: '1', recommendingStates: ['France'], sdgTargets: ['16.3'], position: 'supported', text: 'Abolish\nthe death penalty.' },
      { id: 'r2', reference: 'BLR-1.2', mechanism: 'UPR', documentSymbol: 'A/HRC/15/16', paragraph: '2', recommendingStates: [], sdgTargets: [], position: 'noted', text: 'Ratify.' },
    ],
    annexes: [
      { key: 'reservations', title: 'Reservations', intro: ['Intro'], empty: 'Nothing on record.', groups: [{ heading: 'Group', note: 'Note', entries: [{ label: 'Label', byline: 'By', text: 'One\nTwo' }] }] },
    ],
  } as PlanModel;
}

async function files(bytes: Buffer): Promise<Map<string, string>> {
  const zip = await JSZip.loadAsync(bytes);
  const out = new Map<string, string>();
  for (const name of Object.keys(zip.files).sort()) {
    // The time it was made aside.
    const xml = zip.files[name]!.dir ? '' : await zip.file(name)!.async('string');
    out.set(name, xml.replace(/W3CDTF">[^<]*</g, 'W3CDTF"><'));
  }
  return out;
}

/** The ids docx draws (the headings' bookmarks, the links' relationships), numbered in the order they first appear. */
function sameIds(xml: string): string {
  const ids = new Map<string, number>();
  const id = (n: string) => (ids.has(n) ? ids.get(n)! : (ids.set(n, ids.size), ids.size - 1));
  return xml
    .replace(/"rId([A-Za-z0-9_-]{16,})"/g, (_, n: string) => `"rId#${id(n)}"`)
    .replace(/_Toc(\d+)/g, (_, n: string) => `_Toc#${id(n)}`)
    .replace(/(<w:bookmark(?:Start|End)\b[^>]*? w:id=")(\d+)"/g, (_, start: string, n: string) => `${start}#${id(`b${n}`)}"`);
}

async function streamed(m: PlanModel): Promise<Buffer> {
  const out = new PassThrough();
  const bytes = buffer(out);
  await streamDocx(m, out);
  return bytes;
}

describe('DOCX written section by section', () => {
  for (const withActions of [true, false]) {
    it(`is the DOCX docx builds whole, part for part (${withActions ? 'with' : 'without'} the landscape implementation plan)`, async () => {
      const whole = await files(await renderDocx(model(withActions), undefined, { pageNumbers: false }));
      const parts = await files(await streamed(model(withActions)));
      expect([...parts.keys()]).toEqual([...whole.keys()]);
      for (const [name, xml] of whole) {
        expect(sameIds(parts.get(name)!), name).toBe(sameIds(xml));
      }
      // The contents list every chapter, section and annex, each linked to its heading.
      const document = parts.get('word/document.xml')!;
      expect(document.match(/w:anchor="_Toc\d+"/g)?.length).toBeGreaterThanOrEqual(7);
      expect(document).toContain('w:numId w:val="');
      expect(document).not.toMatch(/\{accord-(bullet|number)-\d+\}/);
    });
  }
});
