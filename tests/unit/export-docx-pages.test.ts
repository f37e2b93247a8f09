/**
 * The DOCX's page numbers as written into the file (tests/integration/export-docx-layout.test.ts
 * checks them against LibreOffice's pages): worked out for a document of ordinary size, so the
 * contents field is written clean with a number in each entry and the footers carry cached
 * numbers; left to Word for a very large one (PAGE_ESTIMATE_LIMIT), whose contents field is then
 * marked for updating and has its entries without numbers.
 */
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import type { ModelSection, PlanModel } from '../../server/export/model.ts';
import { PAGE_ESTIMATE_LIMIT, renderDocx, textSize } from '../../server/export/render/docx.ts';

function section(id: string, title: string, lines: string[]): ModelSection {
  return {
    id,
    title,
    status: 'drafting',
    included: true,
    blocks: lines.map((text) => ({ type: 'paragraph' as const, inlines: [{ text }] })),
    actions: [],
    canonicalLines: lines,
    currentHash: 'hash',
    agreedAt: null,
    agreedHash: null,
    signers: [],
  };
}

function model(paragraphs: number): PlanModel {
  const lines = Array.from({ length: paragraphs }, (_, i) => `Paragraph ${i + 1}. ${'The State will report on every measure of the plan every year. '.repeat(4)}`);
  return {
    plan: { id: 'plan', title: 'Plan', country: 'Belarus', periodStart: 2026, periodEnd: 2030, source: null },
    stamp: 'Draft — not agreed',
    documentNumber: 'NHRP-PLAN-D-20261203',
    flagGaps: true,
    scope: 'current',
    exportedAt: '2026-12-03T10:00:00.000Z',
    madeFrom: 'Current state',
    chapters: [
      { id: 'c1', title: 'First', sections: [section('s1', 'One', lines.slice(0, paragraphs / 2))] },
      { id: 'c2', title: 'Second', sections: [section('s2', 'Two', lines.slice(paragraphs / 2))] },
    ],
    recommendations: [],
    annexes: [],
  };
}

async function parts(m: PlanModel) {
  const zip = await JSZip.loadAsync(await renderDocx(m));
  return { document: await zip.file('word/document.xml')!.async('string'), footer: await zip.file('word/footer1.xml')!.async('string') };
}

const tocOf = (xml: string) => /<w:sdt>[\s\S]*?<\/w:sdt>/.exec(xml)![0];

describe('DOCX page numbers', () => {
  it('are worked out for a document of ordinary size: the contents field clean, a page in every entry, PAGE and NUMPAGES cached', async () => {
    const m = model(60);
    expect(textSize(m)).toBeLessThan(PAGE_ESTIMATE_LIMIT);
    const { document, footer } = await parts(m);
    const toc = tocOf(document);
    expect(toc).not.toContain('w:dirty');
    const pages = [...toc.matchAll(/PAGEREF (_Toc\d+) \\h<\/w:instrText><w:fldChar w:fldCharType="separate"\/><w:t xml:space="preserve">(\d+)<\/w:t>/g)].map((x) => Number(x[2]));
    // 1. First, 1.1 One, 2. Second, 2.1 Two, Annex A, Annex B (no actions: no implementation plan).
    expect(pages).toHaveLength(6);
    expect(document).not.toContain('Implementation plan');
    expect(pages[0]).toBe(3);
    expect(pages).toEqual([...pages].sort((a, b) => a - b));
    expect(footer).toMatch(/<w:fldSimple w:instr="PAGE"><w:r><w:t xml:space="preserve">2<\/w:t><\/w:r><\/w:fldSimple>/);
    expect(footer).toMatch(/NUMPAGES<\/w:instrText><\/w:r><w:r><w:fldChar w:fldCharType="separate"\/><w:t xml:space="preserve">\d+<\/w:t>/);
  });

  it('are left to Word for a very large document: the entries without numbers, the field marked for updating', async () => {
    const m = model(3200);
    expect(textSize(m)).toBeGreaterThan(PAGE_ESTIMATE_LIMIT);
    const { document, footer } = await parts(m);
    const toc = tocOf(document);
    expect(toc).toContain('w:dirty="true"');
    expect(toc).toContain('1. First');
    expect(toc).toContain('2.1 Two');
    expect(toc).not.toMatch(/PAGEREF _Toc\d+ \\h<\/w:instrText><w:fldChar w:fldCharType="separate"\/><w:t/);
    // The footer's PAGE still has the first page it shows on.
    expect(footer).toMatch(/<w:fldSimple w:instr="PAGE"><w:r><w:t xml:space="preserve">2<\/w:t>/);
  }, 60_000);
});
