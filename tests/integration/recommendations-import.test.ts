import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiClient } from '../helpers/api.ts';
import { BELARUS_FILES, belarusPath } from '../helpers/belarusData.ts';
import { openPlanEvents } from '../helpers/events.ts';
import { LAYOUT_FIXTURES, layoutFixture } from '../helpers/importFixtures.ts';
import { importFile, uploadImport } from '../helpers/imports.ts';
import { parsedImport, sampleRecommendation } from '../helpers/recommendations.ts';
import { eventually, startTestServer, type TestServer } from '../helpers/server.ts';
import { addMember, setUpWorkspace } from '../helpers/workspace.ts';
import { toAccordJson } from '../../server/import/index.ts';
import { previewImport } from '../../server/services/imports.ts';
import { ImportPreviewSchema, ImportRecordSchema, RecommendationPageSchema } from '../../shared/api/index.ts';

const BELARUS_CSV = belarusPath(BELARUS_FILES.verbatimCsv);

let server: TestServer;
let coordinator: ApiClient;
let planId: string;

beforeEach(async () => {
  server = await startTestServer();
  ({ coordinator, planId } = await setUpWorkspace(server));
});
afterEach(async () => {
  await server.destroy();
});

const page = async (query = '') => {
  const res = await coordinator.get(`/api/plans/${planId}/recommendations${query}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return RecommendationPageSchema.parse(res.body);
};

describe('importing the real Belarus UPR cycle 1 file', () => {
  it('creates 167 (124 supported, 43 noted), re-imports as unchanged, and undoing both leaves nothing', async () => {
    const bytes = readFileSync(BELARUS_CSV);
    const preview = await uploadImport(coordinator, planId, 'belarus-upr-cycle1-recommendations.csv', bytes);
    expect(preview.status, JSON.stringify(preview.body).slice(0, 500)).toBe(200);
    const p = ImportPreviewSchema.parse(preview.body);
    expect(p.counts).toEqual({ create: 167, update: 0, unchanged: 0, rejected: 0 });
    expect(p.rows.find((r) => r.recommendation.sourceKey.includes('98.16a'))?.reference).toBe('BLR-C1-98.16a');

    const commit = await coordinator.post(`/api/plans/${planId}/imports/${p.previewId}/commit`, {});
    expect(commit.status, JSON.stringify(commit.body)).toBe(201);
    const record = ImportRecordSchema.parse(commit.body);
    expect(record).toMatchObject({ created: 167, updated: 0, filename: 'belarus-upr-cycle1-recommendations.csv', createdBy: 'Olga Coordinator' });
    expect((await page()).total).toBe(167);
    expect((await page('?position=supported')).total).toBe(124);
    expect((await page('?position=noted')).total).toBe(43);

    const again = await importFile(coordinator, planId, 'belarus-upr-cycle1-recommendations.csv', bytes);
    expect(again.preview.counts).toEqual({ create: 0, update: 0, unchanged: 167, rejected: 0 });
    expect(again.record).toMatchObject({ created: 0, updated: 0 });
    expect((await page()).total).toBe(167);

    const list = await coordinator.get(`/api/plans/${planId}/imports`);
    expect(list.body.map((i: { id: string }) => i.id)).toEqual([again.record.id, record.id]);

    const undo = await coordinator.post(`/api/plans/${planId}/imports/${record.id}/undo`, {});
    expect(undo.status, JSON.stringify(undo.body)).toBe(200);
    expect(undo.body.undoneAt).not.toBeNull();
    // The second import holds every one of them (it found them in the plan): they stay until it goes too.
    expect(undo.body).toMatchObject({ kept: 167, heldBy: ['belarus-upr-cycle1-recommendations.csv'] });
    expect((await page()).total).toBe(167);
    const twice = await coordinator.post(`/api/plans/${planId}/imports/${record.id}/undo`, {});
    expect(twice.status).toBe(409);
    expect((await coordinator.post(`/api/plans/${planId}/imports/${again.record.id}/undo`, {})).body).toMatchObject({ released: 167 });
    expect((await page()).total).toBe(0);
  });

  // Every real file, through the real import code and the API: exact counts, a second import
  // that changes nothing, and an undo that removes exactly what the import added.
  for (const [file, format, counts] of [
    // 169 rows (124 Accepted, 45 Noted), one per recommending State; two pairs with the same text
    // merge: 97.48 Uzbekistan + Tajikistan (accepted) and 98.1 Brazil + Italy (noted).
    ['upr-info-belarus-session8.csv', 'upr-info-csv', { total: 167, supported: 123, noted: 44 }],
    // Para 97 "enjoy its support" (92), para 98 "will be examined" (75, pending until answered).
    ['A-HRC-15-16-belarus-wg-report.txt', 'un-report-text', { total: 167, supported: 92, pending: 75 }],
  ] as const) {
    it(`imports ${file} with the expected counts, re-imports as unchanged, and undoes exactly`, async () => {
      const bytes = readFileSync(belarusPath(file));
      const first = await importFile(coordinator, planId, file, bytes);
      expect(first.preview.format).toBe(format);
      expect(first.preview.counts).toMatchObject({ create: counts.total, update: 0, unchanged: 0, rejected: 0 });
      expect((await page()).total).toBe(counts.total);
      for (const [position, n] of Object.entries(counts).filter(([k]) => k !== 'total')) {
        expect((await page(`?position=${position}`)).total, position).toBe(n);
      }
      const again = await importFile(coordinator, planId, file, bytes);
      expect(again.preview.counts).toEqual({ create: 0, update: 0, unchanged: counts.total, rejected: 0 });
      expect((await page()).total).toBe(counts.total);
      // Undo the second (a no-op) and then the first: nothing is left.
      expect((await coordinator.post(`/api/plans/${planId}/imports/${again.record.id}/undo`, {})).status).toBe(200);
      expect((await page()).total).toBe(counts.total);
      expect((await coordinator.post(`/api/plans/${planId}/imports/${first.record.id}/undo`, {})).status).toBe(200);
      expect((await page()).total).toBe(0);
    });
  }
});

describe('treaty-body concluding observations through the import API', () => {
  it('previews and commits one recommendation per lettered item, filed under the committee with their themes', async () => {
    const bytes = layoutFixture(LAYOUT_FIXTURES.ccpr);
    const preview = await uploadImport(coordinator, planId, 'CCPR-C-BLR-CO-5.txt', bytes);
    expect(preview.status, JSON.stringify(preview.body).slice(0, 500)).toBe(200);
    const p = ImportPreviewSchema.parse(preview.body);
    expect(p.format).toBe('treaty-body-text');
    expect(p.counts).toEqual({ create: 7, update: 0, unchanged: 0, rejected: 0 });
    expect(p.rows.map((r) => r.reference)).toEqual([
      'CCPR/C/BLR/CO/5 para 5(a)',
      'CCPR/C/BLR/CO/5 para 5(b)',
      'CCPR/C/BLR/CO/5 para 5(c)',
      'CCPR/C/BLR/CO/5 para 7',
      'CCPR/C/BLR/CO/5 para 9(a)',
      'CCPR/C/BLR/CO/5 para 9(b)',
      'CCPR/C/BLR/CO/5 para 10',
    ]);

    const commit = await coordinator.post(`/api/plans/${planId}/imports/${p.previewId}/commit`, {});
    expect(commit.status, JSON.stringify(commit.body)).toBe(201);
    expect(ImportRecordSchema.parse(commit.body)).toMatchObject({ created: 7, updated: 0, format: 'treaty-body-text' });
    expect((await page('?mechanism=CCPR')).total).toBe(7);
    expect((await page('?mechanism=UPR')).total).toBe(0);
    const stored = (await page('?limit=200')).items;
    const para9a = stored.find((r) => r.paragraph === '9(a)');
    expect(para9a).toMatchObject({
      reference: 'CCPR/C/BLR/CO/5 para 9(a)',
      mechanism: 'CCPR',
      documentSymbol: 'CCPR/C/BLR/CO/5',
      stateUnderReview: 'Belarus',
      themes: ['Death penalty'],
      position: 'pending',
      text: 'Consider establishing a moratorium on executions as a first step towards the abolition of the death penalty',
    });

    // The same file again changes nothing: the references are stable.
    const again = await importFile(coordinator, planId, 'CCPR-C-BLR-CO-5.txt', bytes);
    expect(again.preview.counts).toEqual({ create: 0, update: 0, unchanged: 7, rejected: 0 });
  });
});

describe("a report that does not name the State reviewed", () => {
  it("is read as the plan's country, and the preview says so", async () => {
    // The real A/HRC/15/16 text with its title cut, as when a copy starts below the title page, and
    // without the national report's symbols (A/HRC/WG.6/8/BLR/1), whose country code would name it.
    const text = readFileSync(belarusPath(BELARUS_FILES.reportText), 'utf8')
      .replace(/Report of the Working Group on the\s*Universal\s*Periodic\s*Review/gi, 'Report')
      .replace(/A\/HRC\/WG\.6\/8\/BLR\/\d/g, 'the national report');
    const { preview } = await importFile(coordinator, planId, 'A-HRC-15-16.txt', new TextEncoder().encode(text));
    expect(preview.counts).toMatchObject({ create: 167, rejected: 0 });
    expect(preview.warnings).toContainEqual(expect.objectContaining({ code: 'state_from_plan', params: { state: 'Belarus' } }));
    const stored = await page('?limit=200');
    expect(new Set(stored.items.map((r) => r.stateUnderReview))).toEqual(new Set(['Belarus']));
  });
});

describe('import round trip and updates', () => {
  it('updates what changed, reports progress live, exports and undoes an update exactly', async () => {
    const stream = await openPlanEvents(server.url, coordinator, planId);
    const recs = Array.from({ length: 30 }, (_, i) => sampleRecommendation(i + 1));
    const first = await importFile(coordinator, planId, 'recs.json', toAccordJson(recs));
    expect(first.record.created).toBe(30);
    await eventually(() => {
      expect(stream.received).toContainEqual({ type: 'import-progress', phase: 'writing', previewId: first.preview.previewId, done: 30, total: 30 });
      expect(stream.received).toContainEqual({ type: 'recommendations' });
    });
    await stream.close();

    const changed = recs.map((r, i) => (i === 4 ? { ...r, text: 'Rewritten text', themes: ['Elections'] } : r));
    const second = await importFile(coordinator, planId, 'recs.json', toAccordJson(changed));
    expect(second.preview.counts).toMatchObject({ create: 0, update: 1, unchanged: 29 });
    expect((await page('?theme=Elections')).items.map((r) => r.text)).toEqual(['Rewritten text']);

    const exported = await coordinator.get(`/api/plans/${planId}/recommendations/export?format=accord-json`);
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-disposition')).toMatch(/attachment/);
    expect(exported.body.recommendations).toHaveLength(30);
    expect(exported.body.recommendations[0]).not.toHaveProperty('id');
    const csv = await coordinator.get(`/api/plans/${planId}/recommendations/export?format=accord-csv`);
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    // Re-importing an export changes nothing.
    const back = await uploadImport(coordinator, planId, 'export.csv', csv.body as string);
    expect(back.body.counts).toMatchObject({ create: 0, update: 0, unchanged: 30 });

    await coordinator.post(`/api/plans/${planId}/imports/${second.record.id}/undo`, {});
    expect((await page('?theme=Elections')).total).toBe(0);
    expect((await page('?q=rewritten')).total).toBe(0);
    expect((await page()).total).toBe(30);
  });

  it('applies position overrides by paragraph at commit', async () => {
    const preview = await uploadImport(coordinator, planId, 'r.json', toAccordJson([sampleRecommendation(1), sampleRecommendation(2)]));
    const commit = await coordinator.post(`/api/plans/${planId}/imports/${preview.body.previewId}/commit`, {
      positionOverrides: { '97.1': 'noted', '97.2': 'noted' },
    });
    expect(commit.status).toBe(201);
    expect((await page('?position=noted')).total).toBe(2);
    const gone = await coordinator.post(`/api/plans/${planId}/imports/${preview.body.previewId}/commit`, {});
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe('preview_not_found');
  });

  it('commits a preview built straight from a ParsedImport (no file)', async () => {
    const me = await coordinator.get('/api/auth/me');
    const preview = await previewImport(server.sql, planId, me.body.user.id, parsedImport([sampleRecommendation(1)]), 'stub');
    const commit = await coordinator.post(`/api/plans/${planId}/imports/${preview.previewId}/commit`, {});
    expect(commit.status).toBe(201);
    expect(commit.body.created).toBe(1);
  });
});

describe('upload errors', () => {
  it('answers 400 for an unreadable file, 413 over 20 MB, 415 for the wrong type, 400 without a filename', async () => {
    const bad = await uploadImport(coordinator, planId, 'x.csv', 'just,some\nrandom,columns\n');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('import_file_invalid');
    expect(bad.body.error.message.length).toBeGreaterThan(10);
    // What is wrong, with its values, for the reader's browser to say in their language.
    expect(bad.body.error.params).toEqual({ problem: 'unknown_format_first_line', firstLine: 'just, some' });

    const big = await uploadImport(coordinator, planId, 'big.csv', new Uint8Array(20 * 1024 * 1024 + 1));
    expect(big.status).toBe(413);
    expect(big.body.error.message).toMatch(/20 MB/);

    const form = await uploadImport(coordinator, planId, 'x.csv', 'a=b', { contentType: 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(415);
    const json = await uploadImport(coordinator, planId, 'x.csv', '{}', { contentType: 'application/json' });
    expect(json.status).toBe(415);

    const empty = await uploadImport(coordinator, planId, 'empty.csv', '');
    expect(empty.status).toBe(400);
    expect(empty.body.error.code).toBe('import_file_invalid');

    const noName = await uploadImport(coordinator, planId, '', 'x');
    expect(noName.status).toBe(400);
    // Raw bytes stay refused everywhere else.
    const elsewhere = await fetch(`${server.url}/api/plans/${planId}/recommendations`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream', origin: server.url, cookie: coordinator.cookie! },
      body: 'x',
    });
    expect(elsewhere.status).toBe(415);
  });

  it('refuses uploads and undo by role: drafters import, only coordinators undo', async () => {
    const drafter = await addMember(server, coordinator, planId, 'drafter', {
      name: 'Nina Lawyer',
      email: 'nina@ngo.example',
      organisation: { name: 'Lawtrend', side: 'civil_society' },
    });
    const commenter = await addMember(server, coordinator, planId, 'commenter', {
      name: 'Ivan Ombudsman',
      email: 'ivan@nhri.example',
      organisation: { name: 'Ombudsperson', side: 'independent' },
    });
    const file = toAccordJson([sampleRecommendation(1)]);
    expect((await uploadImport(commenter.client, planId, 'r.json', file)).status).toBe(403);
    const { record } = await importFile(drafter.client, planId, 'r.json', file);
    expect((await drafter.client.post(`/api/plans/${planId}/imports/${record.id}/undo`, {})).status).toBe(403);
    expect((await commenter.client.get(`/api/plans/${planId}/imports`)).status).toBe(200);
  });
});
