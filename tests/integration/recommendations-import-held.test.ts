/**
 * A plan that already holds a document's recommendations, copied from another file, recognises them
 * when the document itself is imported: the sample plan's 167 recommendations came from a CSV copy
 * of A/HRC/15/16, and importing the report's text must not reject each of them as "reference taken".
 * They are left as they are (their themes, from UPR Info, stay); a row whose words differ from the
 * plan's copy at that reference is still refused, since two sources may letter a paragraph's
 * recommendations in different orders.
 */
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { setUpWorkspace } from '../helpers/workspace.ts';
import { importFile, uploadImport } from '../helpers/imports.ts';
import { BELARUS_FILES, belarusPath } from '../helpers/belarusData.ts';
import { ok } from '../helpers/exportPlan.ts';
import { sampleRecommendation } from '../helpers/recommendations.ts';
import { LAYOUT_FIXTURES, layoutFixture } from '../helpers/importFixtures.ts';
import { toAccordJson } from '../../server/import/index.ts';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await server.destroy();
});

describe('importing a document whose recommendations the plan already holds from another file', () => {
  it('recognises them as the same recommendations, leaves them as they are, and refuses only a row whose words differ', async () => {
    const { coordinator, planId } = await setUpWorkspace(server);
    const p = `/api/plans/${planId}`;
    await importFile(coordinator, planId, BELARUS_FILES.verbatimCsv, readFileSync(belarusPath(BELARUS_FILES.verbatimCsv)));
    const before = (await ok(coordinator.get(`${p}/recommendations?limit=200`))).items as Array<{ id: string; reference: string; themes: string[]; text: string }>;
    expect(before).toHaveLength(167);
    // Someone reworded one recommendation in the plan: the report's 97.2 is no longer the plan's.
    const reworded = before.find((r) => r.reference === 'BLR-C1-97.2')!;
    await ok(coordinator.patch(`${p}/recommendations/${reworded.id}`, { text: 'Accede to the Convention on the Rights of Persons with Disabilities without delay' }));

    const report = readFileSync(belarusPath(BELARUS_FILES.reportText));
    const preview = await uploadImport(coordinator, planId, 'report.txt', report, { documentSymbol: 'A/HRC/15/16' });
    expect(preview.status).toBe(200);
    expect(preview.body.counts).toEqual({ create: 0, update: 0, unchanged: 166, rejected: 1 });
    expect(preview.body.rejected).toEqual([expect.objectContaining({ code: 'reference_taken', params: { reference: 'BLR-C1-97.2' } })]);
    expect(preview.body.warnings).toContainEqual({
      code: 'already_in_plan',
      params: { n: 166, references: 'BLR-C1-97.1a, BLR-C1-97.1b, BLR-C1-97.3a, BLR-C1-97.3b, BLR-C1-97.4a…' },
      message: expect.stringContaining('left as they are'),
    });

    const commit = await ok(coordinator.post(`${p}/imports/${preview.body.previewId}/commit`, {}));
    expect(commit).toMatchObject({ created: 0, updated: 0 });
    const after = (await ok(coordinator.get(`${p}/recommendations?limit=200`))).items as typeof before;
    expect(after).toHaveLength(167);
    // Nothing of the plan's copies changed: their themes (which the report lacks) and words stay.
    const byId = new Map(before.map((r) => [r.id, r]));
    for (const r of after) expect(r.themes, r.reference).toEqual(byId.get(r.id)!.themes);
    expect(after.find((r) => r.reference === 'BLR-C1-97.1a')!.themes.length).toBeGreaterThan(0);
  });

  it('keeps apart the same words from another State, lets the plan copy’s own row update it, and writes nothing it called unchanged', async () => {
    const { coordinator, planId } = await setUpWorkspace(server);
    const p = `/api/plans/${planId}`;
    const ours = sampleRecommendation(1, { sourceKey: 'ours:1', reference: 'R-1', recommendingStates: ['Iraq'], text: 'Sign and ratify the Optional Protocol to the Convention against Torture' });
    await importFile(coordinator, planId, 'ours.json', toAccordJson([ours]));

    // The same sentence from Spain, at the same place: another recommendation, not this one.
    const spain = await uploadImport(coordinator, planId, 'theirs.json', toAccordJson([{ ...ours, sourceKey: 'theirs:1', recommendingStates: ['Spain'] }]));
    expect(spain.body.counts).toMatchObject({ unchanged: 0, rejected: 1 });

    // Another source's copy first, then the plan copy's own row with a change: the change is kept.
    const both = await uploadImport(coordinator, planId, 'both.json', toAccordJson([{ ...ours, sourceKey: 'theirs:1' }, { ...ours, position: 'noted' }]));
    expect(both.body.counts).toEqual({ create: 0, update: 1, unchanged: 1, rejected: 0 });

    // Called unchanged in the preview; the plan's copy reworded before the commit: still nothing written.
    const held = await uploadImport(coordinator, planId, 'theirs.json', toAccordJson([{ ...ours, sourceKey: 'theirs:1' }]));
    expect(held.body.counts).toMatchObject({ unchanged: 1 });
    const [rec] = (await ok(coordinator.get(`${p}/recommendations`))).items as Array<{ id: string }>;
    await ok(coordinator.patch(`${p}/recommendations/${rec!.id}`, { text: 'Accede to the Optional Protocol without delay' }));
    expect(await ok(coordinator.post(`${p}/imports/${held.body.previewId}/commit`, {}))).toMatchObject({ created: 0, updated: 0 });
    expect((await ok(coordinator.get(`${p}/recommendations`))).items).toHaveLength(1);
  });

  it('says so when new rows repeat, under other references, recommendations another source brought', async () => {
    const { coordinator, planId } = await setUpWorkspace(server);
    // UPR Info numbers the session's recommendations UPR-S8-001…; the report numbers them by paragraph.
    await importFile(coordinator, planId, BELARUS_FILES.uprInfoCsv, readFileSync(belarusPath(BELARUS_FILES.uprInfoCsv)));
    const report = await uploadImport(coordinator, planId, 'report.txt', readFileSync(belarusPath(BELARUS_FILES.reportText)), { documentSymbol: 'A/HRC/15/16' });
    expect(report.status).toBe(200);
    expect(report.body.counts).toMatchObject({ create: 167, unchanged: 0 });
    const warning = report.body.warnings.find((w: { code: string }) => w.code === 'same_as_plan');
    // 148 have the very same words and States, 16 more once States are named alike or a typo aside
    // (recommendations-import-two-sources.test.ts); each would fill in the plan's copy.
    expect(warning).toMatchObject({ params: { n: 164, filling: 164, references: expect.stringMatching(/^UPR-S8-\d{3}, /) } });
    expect(warning.message).toContain('twice');

    // A file that brings nothing the plan holds says nothing of the kind.
    const ccpr = await uploadImport(coordinator, planId, 'CCPR-C-BLR-CO-5.txt', layoutFixture(LAYOUT_FIXTURES.ccpr));
    expect(ccpr.body.warnings.map((w: { code: string }) => w.code)).not.toContain('same_as_plan');
  });
});
