/**
 * The same recommendations from two sources, numbered differently: UPR Info's export of session 8
 * (UPR-S8-001…, with themes and final positions) and the Working Group report A/HRC/15/16 (BLR-C1-97.1a…,
 * with paragraphs, the document symbol and the date). Importing the report after UPR Info's file must
 * give one recommendation with both, not each twice: the report's rows fill in what UPR Info's copies
 * lack, and never overwrite what they have. Importing the report again changes nothing; undoing it
 * gives every copy back exactly; choosing "add as new" keeps the two apart, as before.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BELARUS_FILES, belarusPath } from '../helpers/belarusData.ts';
import { ok } from '../helpers/exportPlan.ts';
import { importFile, uploadImport } from '../helpers/imports.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { setUpWorkspace } from '../helpers/workspace.ts';
import type { ApiClient } from '../helpers/api.ts';
import { ImportPreviewSchema, ImportRecordSchema, RecommendationPageSchema, type Recommendation } from '../../shared/api/index.ts';

let server: TestServer;
let coordinator: ApiClient;
let planId: string;
let p: string;
beforeEach(async () => {
  server = await startTestServer();
  ({ coordinator, planId } = await setUpWorkspace(server));
  p = `/api/plans/${planId}`;
});
afterEach(async () => {
  await server.destroy();
});

const uprInfo = () => readFileSync(belarusPath(BELARUS_FILES.uprInfoCsv));
const report = () => readFileSync(belarusPath(BELARUS_FILES.reportText));

/** Every recommendation of the plan, by id (actionCount aside, each field as stored). */
async function everything(): Promise<Map<string, Recommendation>> {
  const all = new Map<string, Recommendation>();
  for (let offset = 0; ; offset += 200) {
    const page = RecommendationPageSchema.parse(await ok(coordinator.get(`${p}/recommendations?limit=200&offset=${offset}`)));
    for (const r of page.items) all.set(r.id, r);
    if (offset + 200 >= page.total) return all;
  }
}

async function previewReport() {
  const res = await uploadImport(coordinator, planId, 'A-HRC-15-16.txt', report(), { documentSymbol: 'A/HRC/15/16' });
  expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(200);
  return ImportPreviewSchema.parse(res.body);
}

const commit = async (previewId: string, body: object = {}) => ImportRecordSchema.parse(await ok(coordinator.post(`${p}/imports/${previewId}/commit`, body)));

describe("importing the Working Group report after UPR Info's export of the same recommendations", () => {
  it('treats them as the same recommendations: fills in what the copies lack, overwrites nothing, and adds only the rest', async () => {
    const first = await importFile(coordinator, planId, BELARUS_FILES.uprInfoCsv, uprInfo());
    expect(first.record).toMatchObject({ created: 167 });
    const before = await everything();

    const preview = await previewReport();
    expect(preview.counts).toEqual({ create: 167, update: 0, unchanged: 0, rejected: 0 });
    // 148 word for word; 13 whose States the report names otherwise ("Libyan Arab Jamahiriya" is
    // UPR Info's "Libya"); 3 with nearly the same words (a hyphen, a typo, "(i)"). Left new: 97.48b
    // and c (Uzbekistan; Tajikistan), one row from both States in UPR Info's export, and 98.3, Spain's
    // "Sign and ratify the CRPD and its Optional Protocol", which UPR Info splits into two rows as
    // close to it as each other: not one of them for sure.
    expect(preview.sameAsPlan.total).toBe(164);
    expect(preview.sameAsPlan.rows.filter((r) => r.near).map((r) => r.reference).sort()).toEqual(['BLR-C1-97.41', 'BLR-C1-98.16e', 'BLR-C1-98.28']);
    expect(preview.sameAsPlan.rows.map((r) => r.reference)).not.toContain('BLR-C1-98.3');
    const algeria = preview.sameAsPlan.rows.find((r) => r.reference === 'BLR-C1-97.1a')!;
    expect(algeria.heldReference).toMatch(/^UPR-S8-\d{3}$/);
    // UPR Info has no paragraph, document or date: the report brings them.
    expect(algeria.adds).toEqual([
      { field: 'documentSymbol', n: 1 },
      { field: 'paragraph', n: 1 },
      { field: 'date', n: 1 },
    ]);
    expect(preview.sameAsPlan.filling).toBe(164);
    expect(preview.warnings).toContainEqual({
      code: 'same_as_plan',
      params: { n: 164, filling: 164, references: expect.stringMatching(/^UPR-S8-\d{3}, /) },
      message: expect.stringContaining('repeat recommendations the plan already holds'),
    });

    const record = await commit(preview.previewId);
    expect(record).toMatchObject({ created: 3, updated: 0, recognised: 164, filled: 164 });
    const after = await everything();
    expect(after.size).toBe(170);

    // Each UPR Info copy keeps everything it had; what it lacked now comes from the report.
    for (const [id, was] of before) {
      const now = after.get(id)!;
      expect(now, was.reference).toBeDefined();
      expect({ reference: now.reference, sourceKey: now.sourceKey, text: now.text, position: now.position, notes: now.notes, positionSource: now.positionSource, recommendingStates: now.recommendingStates }).toEqual({
        reference: was.reference,
        sourceKey: was.sourceKey,
        text: was.text,
        position: was.position,
        notes: was.notes,
        positionSource: was.positionSource,
        recommendingStates: was.recommendingStates,
      });
      expect(now.themes.slice(0, was.themes.length)).toEqual(was.themes);
    }
    const copy = after.get([...before.values()].find((r) => r.reference === algeria.heldReference)!.id)!;
    expect(copy).toMatchObject({ documentSymbol: 'A/HRC/15/16', paragraph: '97.1', date: '2010-06-21', themes: before.get(copy.id)!.themes });
    expect(copy.text).toContain('Migrant Workers');
    expect([...after.values()].filter((r) => r.documentSymbol === 'A/HRC/15/16')).toHaveLength(167);
    // A paragraph-98 recommendation keeps UPR Info's final position, not the report's "pending".
    const switzerland = preview.sameAsPlan.rows.find((r) => r.reference === 'BLR-C1-98.16e')!;
    const noted = [...after.values()].find((r) => r.reference === switzerland.heldReference)!;
    expect(noted.paragraph).toBe('98.16');
    expect(noted.position).toBe(before.get(noted.id)!.position);
    expect(noted.position).not.toBe('pending');

    // The import's history and the audit log say what happened.
    const history = await ok(coordinator.get(`${p}/imports`));
    expect(history[0]).toMatchObject({ id: record.id, created: 3, updated: 0, recognised: 164, filled: 164 });
    const audit = await ok(coordinator.get(`${p}/audit?action=import.committed`));
    expect(audit.items[0].summary).toContain('164 recognised as already in the plan, 164 of them filled in');
    expect(audit.items[0].details).toMatchObject({ recognised: 164, filled: 164, sameAsPlan: 'same' });
  });

  it('recognises the same report imported again, and undoing the report gives every copy back exactly', async () => {
    await importFile(coordinator, planId, BELARUS_FILES.uprInfoCsv, uprInfo());
    const before = await everything();
    const first = await commit((await previewReport()).previewId);
    const filledIn = await everything();

    // Again: every row is already in the plan, by its own key or as the copy it was recognised as.
    const again = await previewReport();
    expect(again.counts).toEqual({ create: 0, update: 0, unchanged: 167, rejected: 0 });
    expect(again.sameAsPlan).toEqual({ total: 0, filling: 0, rows: [] });
    expect(again.warnings).toContainEqual(expect.objectContaining({ code: 'recognised_before', params: expect.objectContaining({ n: 164 }) }));
    const second = await commit(again.previewId);
    expect(second).toMatchObject({ created: 0, updated: 0, recognised: 164, filled: 0 });
    expect(await everything()).toEqual(filledIn);

    // Undo both report imports, the later first: the copies are as UPR Info's file left them.
    await ok(coordinator.post(`${p}/imports/${second.id}/undo`, {}));
    expect(await everything()).toEqual(filledIn);
    const undone = await ok(coordinator.post(`${p}/imports/${first.id}/undo`, {}));
    expect(undone).toMatchObject({ filled: 164, recognised: 164 });
    expect(await everything()).toEqual(before);
    const audit = await ok(coordinator.get(`${p}/audit?action=import.undone`));
    expect(audit.items[0].summary).toContain('164 recommendations it filled in got their earlier values back');

    // The aliases went with it: the report is offered as the same recommendations again.
    expect((await previewReport()).sameAsPlan.total).toBe(164);
  });

  it('keeps the undo rules: undoing UPR Info’s import while the report has filled its copies is refused', async () => {
    const upr = await importFile(coordinator, planId, BELARUS_FILES.uprInfoCsv, uprInfo());
    await commit((await previewReport()).previewId);
    const res = await coordinator.post(`${p}/imports/${upr.record.id}/undo`, {});
    expect(res.status).toBe(409);
    expect(res.body.code ?? res.body.error?.code ?? JSON.stringify(res.body)).toContain('import_superseded');
    expect((await everything()).size).toBe(170);
  });

  it('a third source, the Human Rights Index, adds affected persons and SDG targets to the same copies', async () => {
    await importFile(coordinator, planId, BELARUS_FILES.uprInfoCsv, uprInfo());
    await commit((await previewReport()).previewId);
    const before = await everything();
    const res = await uploadImport(coordinator, planId, 'uhri-sample.csv', readFileSync(join(import.meta.dirname, '../fixtures/import/uhri-sample.csv')));
    const uhri = ImportPreviewSchema.parse(res.body);
    // The Index's sample (tests/fixtures/import: A/HRC/15/16 rows in its shape) is the same recommendations once more.
    expect(uhri.sameAsPlan.rows.map((r) => [r.row, r.adds])).toEqual([
      [1, [{ field: 'affectedPersons', n: 1 }, { field: 'sdgTargets', n: 1 }]],
      [2, [{ field: 'affectedPersons', n: 1 }]],
      [3, [{ field: 'affectedPersons', n: 1 }]],
      [4, [{ field: 'affectedPersons', n: 1 }]],
      [5, []],
    ]);
    const record = await commit(uhri.previewId);
    expect(record).toMatchObject({ recognised: 5, filled: 4 });
    const after = await everything();
    const migrants = after.get([...before.values()].find((r) => r.reference === uhri.sameAsPlan.rows[2]!.heldReference)!.id)!;
    expect(migrants.affectedPersons).toEqual([...before.get(migrants.id)!.affectedPersons, 'Migrants']);
    const deathPenalty = after.get([...before.values()].find((r) => r.reference === uhri.sameAsPlan.rows[0]!.heldReference)!.id)!;
    expect(deathPenalty.sdgTargets).toEqual(['16.1']);
    expect(deathPenalty.paragraph).toBe(before.get(deathPenalty.id)!.paragraph);
  });

  it('the other way round, UPR Info after the report adds its themes and action category, and leaves the report’s positions', async () => {
    await commit((await previewReport()).previewId);
    const before = await everything();
    const preview = await uploadImport(coordinator, planId, BELARUS_FILES.uprInfoCsv, uprInfo());
    const body = ImportPreviewSchema.parse(preview.body);
    expect(body.sameAsPlan.total).toBe(164);
    const algeria = body.sameAsPlan.rows.find((r) => r.heldReference === 'BLR-C1-97.1a')!;
    expect(algeria.adds).toEqual([
      { field: 'actionCategory', n: 1 },
      { field: 'themes', n: 3 },
    ]);
    const record = await commit(body.previewId);
    expect(record).toMatchObject({ created: 3, recognised: 164, filled: 164 });
    const after = await everything();
    const copy = [...after.values()].find((r) => r.reference === 'BLR-C1-97.1a')!;
    expect(copy.themes).toHaveLength(3);
    expect(copy).toMatchObject({ text: before.get(copy.id)!.text, position: 'supported', actionCategory: expect.any(Number) });
    // The report says "will examine" (pending) for para 98; UPR Info's final position does not overwrite it.
    const examined = [...after.values()].filter((r) => r.paragraph?.startsWith('98.') && r.documentSymbol === 'A/HRC/15/16');
    expect(examined.every((r) => r.position === before.get(r.id)?.position || !before.has(r.id))).toBe(true);
    expect(examined.filter((r) => before.has(r.id)).every((r) => r.position === 'pending')).toBe(true);
  });

  it('adds them as new recommendations when the coordinator says they are new, as before', async () => {
    await importFile(coordinator, planId, BELARUS_FILES.uprInfoCsv, uprInfo());
    const before = await everything();
    const preview = await previewReport();
    const record = await commit(preview.previewId, { sameAsPlan: 'new' });
    expect(record).toMatchObject({ created: 167, updated: 0, recognised: 0, filled: 0 });
    const after = await everything();
    expect(after.size).toBe(334);
    for (const [id, was] of before) expect(after.get(id)).toEqual(was);
    // Each row is its own recommendation now: the report again changes nothing.
    const again = await previewReport();
    expect(again.counts).toMatchObject({ create: 0, unchanged: 167 });
  });

  it('decides again at commit: a copy deleted since the preview is not filled in, its row is added', async () => {
    await importFile(coordinator, planId, BELARUS_FILES.uprInfoCsv, uprInfo());
    const preview = await previewReport();
    const algeria = preview.sameAsPlan.rows.find((r) => r.reference === 'BLR-C1-97.1a')!;
    const gone = [...(await everything()).values()].find((r) => r.reference === algeria.heldReference)!;
    await ok(coordinator.delete(`${p}/recommendations/${gone.id}`), 204);
    const record = await commit(preview.previewId);
    expect(record).toMatchObject({ created: 4, recognised: 163 });
    expect([...(await everything()).values()].find((r) => r.reference === 'BLR-C1-97.1a')).toMatchObject({ paragraph: '97.1', recommendingStates: ['Algeria'] });
  });
});
