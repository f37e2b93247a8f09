/**
 * The round's progress report out of a running server (issue #15): DOCX and PDF carry each action's
 * status, both sides' assessments and the indicator chart; civil society's report carries only the
 * organisations asked for; a page of the PDF is rendered to PNG for people to review.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import JSZip from 'jszip';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { monitoredPlan, ok, submitReport } from '../helpers/monitoringPlan.ts';
import { exportText, squash } from '../helpers/exportPlan.ts';
import { findTool } from '../helpers/tools.ts';
import { sql } from 'kysely';
import { col, rowShape } from '../../server/db/rows.ts';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await server.destroy();
});

type Plan = Awaited<ReturnType<typeof monitoredPlan>>;

async function download(m: Plan, query: string, cookie = m.observer.client.cookie!) {
  const res = await fetch(`${server.url}${m.p}/rounds/${m.roundId}/progress-report?${query}`, { headers: { cookie } });
  return { res, bytes: Buffer.from(await res.arrayBuffer()) };
}

async function reportedAndAssessed(): Promise<Plan> {
  const m = await monitoredPlan(server);
  await submitReport(m, { status: 'in_progress', values: [{ indicatorId: m.indicatorId, value: 20, date: '2026-03-01', source: 'Judicial academy' }] });
  const assess = (client: typeof m.helsinki.client, targetType: string, targetId: string, rating: string, justification: string) =>
    ok(client.request('PUT', `${m.p}/rounds/${m.roundId}/assessments`, { targetType, targetId, rating, justification }));
  await assess(m.helsinki.client, 'recommendation', m.recId, 'not_implemented', 'Our court monitoring found no change.');
  await assess(m.viasna.client, 'recommendation', m.recId, 'partially_implemented', 'Two trainings took place.');
  return m;
}

describe('the round progress report', () => {
  it('DOCX and PDF hold the action status, both sides assessments and the chart; a page is rendered for review', async () => {
    const m = await reportedAndAssessed();
    for (const format of ['docx', 'pdf'] as const) {
      const { res, bytes } = await download(m, `format=${format}`);
      expect(res.status, bytes.toString('utf8', 0, 300)).toBe(200);
      // "Progress report: <round>" is saved with a dash, never the "_" a browser puts for a colon.
      expect(res.headers.get('content-disposition')).toMatch(new RegExp(`^attachment; filename="[^":_]+ - Progress report - [^":_]+\\.${format}"; filename\\*=UTF-8''`));
      const text = squash(await exportText(format, bytes));
      for (const s of ['Progress report:', 'Train judges on the prohibition of torture', 'Status this round', 'In progress', 'Helsinki Committee: Not implemented', 'Viasna: Partially implemented', 'Disputed', 'Observed 20']) {
        expect(text, `${format}: ${s}`).toContain(squash(s));
      }
      if (format === 'docx') {
        const media = Object.keys((await JSZip.loadAsync(bytes)).files).filter((f) => f.startsWith('word/media/'));
        expect(media.length, 'one chart image per indicator').toBeGreaterThanOrEqual(1);
      } else {
        expect(bytes.includes(Buffer.from('/Subtype /Image'))).toBe(true);
        const pdftoppm = findTool('pdftoppm');
        expect(pdftoppm, 'pdftoppm, from the Debian package poppler-utils ("apt-get install -y poppler-utils", or .ci/run)').not.toBeNull();
        const dir = join(import.meta.dirname, '..', '..', 'test-output', 'progress-report-export');
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(dir, 'report.pdf'), bytes);
        execFileSync(pdftoppm!, ['-png', '-r', '70', '-f', '2', '-l', '2', '-singlefile', join(dir, 'report.pdf'), join(dir, 'page-2')]);
        expect(readdirSync(dir)).toContain('page-2.png');
      }
    }
    const audit = await server.sql.rows(rowShape({ summary: col.text }), sql`SELECT summary FROM audit_log WHERE action = 'export.created' AND target_id = ${m.roundId}`);
    expect(audit).toHaveLength(2);
  });

  it("civil society's assessment report carries only the organisations asked for", async () => {
    const m = await reportedAndAssessed();
    const { res, bytes } = await download(m, `format=docx&organisationId=${m.helsinki.organisationId}`);
    expect(res.status).toBe(200);
    // Named after the organisation, so two organisations' reports never save under one name.
    expect(res.headers.get('content-disposition')).toMatch(/ - Helsinki Committee\.docx"; filename\*=/);
    const text = squash(await exportText('docx', bytes));
    expect(text).toContain(squash('Civil society assessment:'));
    expect(text).toContain(squash('Helsinki Committee: Not implemented'));
    expect(text).not.toContain(squash('Viasna'));
  });

  it('refuses a government organisation as an assessing one, an unknown format and a round the plan does not have', async () => {
    const m = await reportedAndAssessed();
    const gov = await download(m, `format=pdf&organisationId=${m.ministry.organisationId}`);
    expect(gov.res.status).toBe(400);
    expect((await download(m, 'format=exe')).res.status).toBe(400);
    const res = await fetch(`${server.url}${m.p}/rounds/round-not-in-plan/progress-report?format=pdf`, { headers: { cookie: m.observer.client.cookie! } });
    expect(res.status).toBe(404);
  });
});
