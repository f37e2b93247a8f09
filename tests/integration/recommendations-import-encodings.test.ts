import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../helpers/api.ts';
import { BELARUS_FILES, belarusPath } from '../helpers/belarusData.ts';
import { canEncode, encodeAs, FILE_ENCODINGS, uprInfoCsv } from '../helpers/encodings.ts';
import { uploadImport } from '../helpers/imports.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { setUpWorkspace } from '../helpers/workspace.ts';
import { ImportPreviewSchema, ImportRecordSchema, RecommendationPageSchema, type ImportEncoding } from '../../shared/api/index.ts';

// Files saved in every encoding Accord reads, through the real upload, preview, commit and
// storage: what is stored must be the text the State wrote, whatever the file's bytes.
const TEXTS = [
  'Ратыфікаваць Факультатыўны пратакол да Міжнароднага пакта аб грамадзянскіх і палітычных правах',
  'Ратифицировать Факультативный протокол к Международному пакту о гражданских и политических правах',
  'Ratifier la Convention internationale pour la protection de toutes les personnes contre les disparitions forcées',
  'Ratificar la Convención sobre los derechos de las personas con discapacidad y su Protocolo facultativo',
];

let server: TestServer;
let coordinator: ApiClient;
let planId: string;

beforeAll(async () => {
  server = await startTestServer();
  ({ coordinator, planId } = await setUpWorkspace(server));
});
afterAll(async () => {
  await server.destroy();
});

const storedTexts = async () => {
  const res = await coordinator.get(`/api/plans/${planId}/recommendations`);
  expect(res.status).toBe(200);
  return RecommendationPageSchema.parse(res.body).items.map((r) => r.text);
};

/** Previews, commits, checks what was stored, and undoes, so the next file starts from an empty plan. */
async function importAndCheck(filename: string, bytes: Uint8Array, options: { encoding?: ImportEncoding } = {}) {
  const res = await uploadImport(coordinator, planId, filename, bytes, options);
  expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(200);
  const preview = ImportPreviewSchema.parse(res.body);
  const commit = await coordinator.post(`/api/plans/${planId}/imports/${preview.previewId}/commit`, {});
  expect(commit.status).toBe(201);
  const stored = await storedTexts();
  const undo = await coordinator.post(`/api/plans/${planId}/imports/${ImportRecordSchema.parse(commit.body).id}/undo`, {});
  expect(undo.status).toBe(200);
  return { preview, stored };
}

describe('importing files saved in each encoding', () => {
  for (const text of TEXTS) {
    const kinds = FILE_ENCODINGS.filter(({ encoding }) => canEncode(text, encoding));
    it(`stores “${text.slice(0, 30)}…” as written, from ${kinds.length} encodings, and names the encoding`, async () => {
      for (const { encoding, bom } of kinds) {
        const { preview, stored } = await importAndCheck('upr-info.csv', encodeAs(uprInfoCsv(text), encoding, { bom }));
        const what = `${encoding}${bom ? ' with BOM' : ''}`;
        expect(preview.encoding, what).toBe(encoding);
        expect(preview.rows.map((r) => r.recommendation.text), what).toEqual([text]);
        expect(stored, what).toEqual([text]);
      }
    });
  }

  it('reads the file in the encoding the person chose instead', async () => {
    const text = TEXTS[1]!;
    const bytes = encodeAs(uprInfoCsv(text), 'koi8-r');
    // Chosen wrongly: the preview says so, and what it shows is not the text.
    const wrong = await uploadImport(coordinator, planId, 'upr-info.csv', bytes, { encoding: 'windows-1251' });
    expect(wrong.status).toBe(200);
    expect(wrong.body.encoding).toBe('windows-1251');
    expect(wrong.body.rows[0].recommendation.text).not.toBe(text);
    // Chosen rightly, it is stored as written.
    const { preview, stored } = await importAndCheck('upr-info.csv', bytes, { encoding: 'koi8-r' });
    expect(preview.encoding).toBe('koi8-r');
    expect(preview.warnings.map((w) => w.code)).not.toContain('encoding_guessed');
    expect(stored).toEqual([text]);
  });

  it('refuses an encoding Accord does not read', async () => {
    const res = await uploadImport(coordinator, planId, 'upr-info.csv', uprInfoCsv(TEXTS[0]!), { encoding: 'ebcdic' });
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toHaveProperty('encoding');
  });
});

describe('the document symbol of a report whose text does not state it', () => {
  // The real A/HRC/15/16 text mentions only A/HRC/WG.6/8/L.15; under another file name nothing
  // says which report it is.
  const report = readFileSync(belarusPath(BELARUS_FILES.reportText));

  it('is refused without one, pointing to the Document symbol field', async () => {
    const res = await uploadImport(coordinator, planId, 'report.txt', report);
    expect(res.status).toBe(400);
    expect(res.body.error.params.problem).toBe('no_document_symbol');
    expect(res.body.error.message).toMatch(/"Document symbol" field/);
  });

  it('is taken from the request, said in a warning, and stored', async () => {
    const res = await uploadImport(coordinator, planId, 'report.txt', report, { documentSymbol: ' A/HRC/15/16 ' });
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(200);
    const preview = ImportPreviewSchema.parse(res.body);
    expect(preview.counts.create).toBe(167);
    expect(preview.warnings).toContainEqual(expect.objectContaining({ code: 'symbol_from_settings', params: { symbol: 'A/HRC/15/16' } }));
    const commit = await coordinator.post(`/api/plans/${planId}/imports/${preview.previewId}/commit`, {});
    expect(commit.status).toBe(201);
    const page = RecommendationPageSchema.parse((await coordinator.get(`/api/plans/${planId}/recommendations?limit=200`)).body);
    expect(new Set(page.items.map((r) => r.documentSymbol))).toEqual(new Set(['A/HRC/15/16']));
    expect(page.items[0]!.sourceKey).toMatch(/^unreport:A\/HRC\/15\/16:/);
    await coordinator.post(`/api/plans/${planId}/imports/${ImportRecordSchema.parse(commit.body).id}/undo`, {});
  });

  it('accepts treaty body symbols and refuses what is not a UN symbol', async () => {
    const treaty = await uploadImport(coordinator, planId, 'report.txt', report, { documentSymbol: 'CCPR/C/BLR/CO/5' });
    expect(treaty.status).toBe(200);
    expect(treaty.body.rows[0].recommendation.documentSymbol).toBe('CCPR/C/BLR/CO/5');
    for (const bad of ['A-HRC-15-16', 'hrc/15/16', 'A/HRC/15/16; DROP TABLE', 'A']) {
      const res = await uploadImport(coordinator, planId, 'report.txt', report, { documentSymbol: bad });
      expect(res.status, bad).toBe(400);
      expect(res.body.error.fields, bad).toEqual({ documentSymbol: 'invalid_document_symbol' });
    }
  });
});
