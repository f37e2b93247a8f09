/** A small but complete plan for export tests: formatted text, lists, a table, an action, a linked recommendation. */
import JSZip from 'jszip';
import { PDFParse } from 'pdf-parse';
import { expect } from 'vitest';
import { docxParagraphs } from '../../server/export/extract.ts';
import * as Y from 'yjs';
import { getSectionBody, sectionDocName } from '../../shared/doc/schema.ts';
import type { ApiClient } from './api.ts';
import type { TestServer } from './server.ts';
import { serverEdit } from './serverEdit.ts';
import { sampleRecommendation } from './recommendations.ts';

const p = (text: string | Array<[string, Record<string, unknown>?]>, name = 'paragraph') => {
  const el = new Y.XmlElement(name);
  const runs = typeof text === 'string' ? [[text] as [string]] : text;
  const t = new Y.XmlText();
  el.insert(0, [t]);
  let at = 0;
  for (const [s, attrs] of runs) {
    t.insert(at, s, attrs ?? {});
    at += s.length;
  }
  return el;
};
const list = (name: string, items: string[]) => {
  const l = new Y.XmlElement(name);
  l.insert(
    0,
    items.map((i) => {
      const li = new Y.XmlElement('listItem');
      li.insert(0, [p(i)]);
      return li;
    }),
  );
  return l;
};
const table = (rows: string[][]) => {
  const t = new Y.XmlElement('table');
  t.insert(
    0,
    rows.map((r, ri) => {
      const row = new Y.XmlElement('tableRow');
      row.insert(
        0,
        r.map((c) => {
          const cell = new Y.XmlElement(ri === 0 ? 'tableHeader' : 'tableCell');
          cell.insert(0, [p(c)]);
          return cell;
        }),
      );
      return row;
    }),
  );
  return t;
};

/** Section-body elements for tests that write a section's Yjs document directly. */
export { p as yParagraph, table as yTable };

export interface SectionContent {
  heading: string;
  paragraph: string;
  link?: string;
  bullets: string[];
  numbered: string[];
  table: string[][];
}

/** Replaces a section's text through the sync server, as one server-side edit. */
export async function writeSection(server: TestServer, planId: string, sectionId: string, c: SectionContent): Promise<void> {
  await serverEdit(server, sectionDocName(sectionId), planId, (doc) => {
    const body = getSectionBody(doc);
    body.delete(0, body.length);
    const heading = p(c.heading, 'heading');
    heading.setAttribute('level', 2 as unknown as string);
    body.insert(0, [
      heading,
      p([
        [c.paragraph + ' '],
        ['bold words', { bold: {} }],
        [' and '],
        ['a link', { link: { href: c.link ?? 'https://www.ohchr.org/' } }],
      ]),
      list('bulletList', c.bullets),
      list('orderedList', c.numbered),
      table(c.table),
    ]);
  });
}

/** The body of a request that must succeed: with one of `status` (a status or a list; any of 200, 201, 202 by default). */
export async function ok<T = any>(res: Promise<{ status: number; body: T }>, status: number | number[] = [200, 201, 202]): Promise<T> {
  const r = await res;
  expect([status].flat(), JSON.stringify(r.body)).toContain(r.status);
  return r.body;
}

/** An organisation, a recommendation and an action with an indicator in the section. */
export async function addAction(
  client: ApiClient,
  planId: string,
  sectionId: string,
  o: { lead: string; partner: string; recText: string; title: string; n?: number },
) {
  const base = `/api/plans/${planId}`;
  const lead = await ok(client.post(`${base}/organisations`, { name: o.lead, side: 'government' }));
  const partner = await ok(client.post(`${base}/organisations`, { name: o.partner, side: 'civil_society' }));
  const { sourceKey: _s, ...rec } = sampleRecommendation(o.n ?? 7, { text: o.recText });
  const created = await ok(client.post(`${base}/recommendations`, rec));
  const action = await ok(
    client.post(`${base}/sections/${sectionId}/actions`, {
      title: o.title,
      leadAgencyId: lead.id,
      civilSocietyPartnerIds: [partner.id],
      start: '2027-Q1',
      end: '2028',
      budgetAmount: 125000,
      currency: 'EUR',
      fundingSource: 'State budget',
      recommendationIds: [created.id],
    }),
  );
  await ok(
    client.post(`${base}/actions/${action.id}/indicators`, {
      type: 'outcome',
      description: 'Death sentences handed down per year',
      baselineValue: '4',
      baselineYear: 2024,
      targetValue: '0',
      targetYear: 2030,
    }),
  );
  return { action, recommendation: created, lead, partner };
}

/**
 * Starts an export (in `language`, or with none given; of a saved version with `versionGroupId`)
 * and waits until it is done; returns the job and the file.
 */
export async function exportPlan(
  server: TestServer,
  client: ApiClient,
  planId: string,
  format: string,
  scope = 'current',
  language?: string,
  options: { versionGroupId?: string } = {},
) {
  const job = await ok(client.post(`/api/plans/${planId}/exports`, { format, scope, ...(language === undefined ? {} : { language }), ...options }));
  expect(job.state).toBe('running');
  const deadline = Date.now() + 60_000;
  let current = job;
  while (current.state === 'running') {
    if (Date.now() > deadline) throw new Error('export did not finish');
    await new Promise((r) => setTimeout(r, 25));
    current = await ok(client.get(`/api/plans/${planId}/exports/${job.id}`));
  }
  expect(current.state, current.error ?? '').toBe('done');
  const res = await fetch(`${server.url}/api/plans/${planId}/exports/${job.id}/file`, { headers: { cookie: client.cookie! } });
  expect(res.status).toBe(200);
  return { job: current, res, bytes: Buffer.from(await res.arrayBuffer()) };
}

/** An export's text as a reader gets it, per format. */
export async function exportText(format: 'docx' | 'pdf' | 'html' | 'md', bytes: Buffer): Promise<string> {
  if (format === 'docx') return docxParagraphs(await (await JSZip.loadAsync(bytes)).file('word/document.xml')!.async('string')).join('\n');
  if (format === 'pdf') {
    const parser = new PDFParse({ data: new Uint8Array(bytes) });
    try {
      return (await parser.getText()).text;
    } finally {
      await parser.destroy();
    }
  }
  // Markdown as read: backslash escapes dropped (e.g. "1\\.1" at the start of a heading).
  return format === 'md' ? bytes.toString('utf8').replace(/\\(.)/g, '$1') : bytes.toString('utf8');
}

/** PDF lines wrap where the layout wraps them: compare without whitespace, in every format alike. */
export const squash = (s: string) => s.replace(/\s+/g, '');

/**
 * How an export should write a stored time for people, "2 December 2026, 18:09 UTC", worked out
 * here with Intl rather than the server's own function, so a test compares against an independent
 * reading of the same instant.
 */
export function readableUtc(iso: string): string {
  const d = new Date(iso);
  const date = d.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
  const time = d.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'UTC' });
  return `${date}, ${time} UTC`;
}
