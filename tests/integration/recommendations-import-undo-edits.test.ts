/**
 * Undoing an import takes back what the file brought, never what people did after it. A re-import
 * that rewrote a recommendation, or a second source that filled in the plan's copy, is undone field
 * by field: a field the import changed gets its earlier value back only while it still holds the
 * import's value; one a person corrected by hand since keeps the correction, and fields the import
 * did not change are left alone. The undo's answer and its audit entry say how many kept an edit.
 */
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiClient } from '../helpers/api.ts';
import { BELARUS_FILES, belarusPath } from '../helpers/belarusData.ts';
import { ok } from '../helpers/exportPlan.ts';
import { importFile, uploadImport } from '../helpers/imports.ts';
import { sampleRecommendation } from '../helpers/recommendations.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { setUpWorkspace } from '../helpers/workspace.ts';
import { toAccordJson } from '../../server/import/index.ts';
import { ImportRecordSchema, RecommendationPageSchema, RecommendationSchema, UndoImportResultSchema, type Recommendation } from '../../shared/api/index.ts';
import { sql } from 'kysely';

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

/** Every recommendation of the plan, by id. */
async function everything(): Promise<Map<string, Recommendation>> {
  const all = new Map<string, Recommendation>();
  for (let offset = 0; ; offset += 200) {
    const page = RecommendationPageSchema.parse(await ok(coordinator.get(`${p}/recommendations?limit=200&offset=${offset}`)));
    for (const r of page.items) all.set(r.id, r);
    if (offset + 200 >= page.total) return all;
  }
}

const bySourceKey = async (sourceKey: string) => [...(await everything()).values()].find((r) => r.sourceKey === sourceKey)!;
const handEdit = async (id: string, changes: object) => RecommendationSchema.parse(await ok(coordinator.patch(`${p}/recommendations/${id}`, changes)));
const undo = async (importId: string) => UndoImportResultSchema.parse(await ok(coordinator.post(`${p}/imports/${importId}/undo`, {})));

describe('undoing a re-import after people edited what it updated', () => {
  it('gives back the fields nobody touched since, and keeps each field edited by hand', async () => {
    const recs = [1, 2, 3, 4].map((n) => sampleRecommendation(n));
    await importFile(coordinator, planId, 'recs.json', toAccordJson(recs));
    const before = await everything();
    const original = (n: number) => [...before.values()].find((r) => r.sourceKey === `test:${n}`)!;

    // The file again, corrected: 2's text and themes, 3's text, 4's reference.
    const corrected = recs.map((r, i) =>
      i === 1 ? { ...r, text: 'Rewritten text of the second', themes: ['Elections'] }
      : i === 2 ? { ...r, text: 'Rewritten text of the third' }
      : i === 3 ? { ...r, reference: 'BLR-X-4' }
      : r,
    );
    const second = await importFile(coordinator, planId, 'recs.json', toAccordJson(corrected));
    expect(second.record).toMatchObject({ created: 0, updated: 3 });

    // By hand since: 2 gets one more theme (a field the import changed) and a note (one it did
    // not); 4 gets another reference. 3 is left as the import wrote it.
    const two = await bySourceKey('test:2');
    await handEdit(two.id, { themes: ['Elections', 'Detention'], notes: 'The Central Election Commission leads.' });
    const four = await bySourceKey('test:4');
    await handEdit(four.id, { reference: 'BLR-X-4-corrected' });

    const undone = await undo(second.record.id);
    expect(undone).toMatchObject({ updated: 3, keptEdits: 2 });
    expect(undone.keptEditRecommendations).toEqual([
      { id: four.id, reference: 'BLR-X-4-corrected', fields: ['reference'] },
      { id: two.id, reference: original(2).reference, fields: ['themes'] },
    ]);

    const after = await everything();
    // 2: the text the import wrote is undone; the themes and the note edited by hand stay.
    expect(after.get(two.id)).toMatchObject({
      text: original(2).text,
      themes: ['Elections', 'Detention'],
      notes: 'The Central Election Commission leads.',
    });
    // 4: the reference given by hand stays (the import's own is gone).
    expect(after.get(four.id)).toMatchObject({ reference: 'BLR-X-4-corrected', text: original(4).text });
    // 3, untouched since the import, and 1, which the import did not change, are exactly as before.
    expect(after.get(original(3).id)).toEqual(original(3));
    expect(after.get(original(1).id)).toEqual(original(1));

    // The audit entry says it too.
    const audit = await ok(coordinator.get(`${p}/audit?action=import.undone`));
    expect(audit.items[0].summary).toContain('2 recommendations kept values edited by hand since the import');
    expect(audit.items[0].details).toMatchObject({ keptEdits: 2, keptEditReferences: ['BLR-X-4-corrected', original(2).reference] });
  });

  it('gives every field back, as before, for an update recorded before the import kept what it wrote', async () => {
    const recs = [1, 2].map((n) => sampleRecommendation(n));
    await importFile(coordinator, planId, 'recs.json', toAccordJson(recs));
    const before = await everything();
    const second = await importFile(coordinator, planId, 'recs.json', toAccordJson(recs.map((r) => ({ ...r, text: `${r.text}, revised` }))));
    const one = await bySourceKey('test:1');
    await handEdit(one.id, { notes: 'Edited after the import.' });
    // Such a change row has no `applied` (migration 044): nothing says what the import wrote.
    await server.sql.run(sql`UPDATE import_changes SET applied = NULL WHERE import_id = ${second.record.id}`);

    expect(await undo(second.record.id)).toMatchObject({ keptEdits: 0, keptEditRecommendations: [] });
    expect(await everything()).toEqual(before);
  });
});

describe("undoing a second source's import after people edited the copies it filled in", () => {
  const uprInfo = () => readFileSync(belarusPath(BELARUS_FILES.uprInfoCsv));
  const report = () => readFileSync(belarusPath(BELARUS_FILES.reportText));

  it('empties what it filled in unless edited since, and never touches what it did not fill', async () => {
    await importFile(coordinator, planId, BELARUS_FILES.uprInfoCsv, uprInfo());
    const before = await everything();
    const preview = await uploadImport(coordinator, planId, 'A-HRC-15-16.txt', report(), { documentSymbol: 'A/HRC/15/16' });
    expect(preview.status).toBe(200);
    const filling = ImportRecordSchema.parse(await ok(coordinator.post(`${p}/imports/${preview.body.previewId}/commit`, {})));
    expect(filling).toMatchObject({ recognised: 164, filled: 164 });
    const filled = await everything();

    // One copy got its paragraph, document and date from the report; a person corrects the
    // paragraph. Another copy's text is corrected: a field the report did not fill.
    const [corrected, retranslated] = [...before.values()].filter((r) => filled.get(r.id)!.paragraph !== null && r.paragraph === null);
    expect(filled.get(corrected!.id)).toMatchObject({ documentSymbol: 'A/HRC/15/16', paragraph: expect.any(String), date: expect.any(String) });
    const paragraph = `${filled.get(corrected!.id)!.paragraph} (as corrected by the Ministry)`;
    await handEdit(corrected!.id, { paragraph });
    await handEdit(retranslated!.id, { text: `${retranslated!.text} (translation checked)` });

    const undone = await undo(filling.id);
    expect(undone).toMatchObject({ filled: 164, keptEdits: 1 });
    expect(undone.keptEditRecommendations).toEqual([{ id: corrected!.id, reference: corrected!.reference, fields: ['paragraph'] }]);

    const after = await everything();
    expect(after.get(corrected!.id)).toMatchObject({ paragraph, documentSymbol: null, date: null });
    expect(after.get(retranslated!.id)).toMatchObject({ text: `${retranslated!.text} (translation checked)`, paragraph: null, documentSymbol: null, date: null });
    // Every copy nobody edited is exactly as UPR Info's file left it.
    for (const [id, was] of before) {
      if (id === corrected!.id || id === retranslated!.id) continue;
      expect(after.get(id), was.reference).toEqual(was);
    }
    expect(after.size).toBe(before.size);
  });
});
