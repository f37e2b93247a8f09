import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiClient } from '../helpers/api.ts';
import { importFile, uploadImport } from '../helpers/imports.ts';
import { sampleRecommendation } from '../helpers/recommendations.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { addMember, setUpWorkspace } from '../helpers/workspace.ts';
import { toAccordJson } from '../../server/import/index.ts';

/**
 * An agreed section's canonical content cites the references of the recommendations linked to
 * its actions. Changes made from the recommendations side that would alter it are refused with
 * 409 section_agreed, naming the section, until a coordinator reopens it.
 */

let server: TestServer;
let coordinator: ApiClient;
let ngo: ApiClient;
let planId: string;
let sectionId: string;

beforeEach(async () => {
  server = await startTestServer();
  ({ coordinator, planId, sectionId } = await setUpWorkspace(server));
  ngo = (
    await addMember(server, coordinator, planId, 'drafter', {
      name: 'Nina Lawyer',
      email: 'nina@hrc.example',
      organisation: { name: 'Human Rights Centre', side: 'civil_society' },
    })
  ).client;
});
afterEach(async () => {
  await server.destroy();
});

const sectionPath = () => `/api/plans/${planId}/sections/${sectionId}`;
const recPath = (id: string) => `/api/plans/${planId}/recommendations/${id}`;

async function sectionTitle(): Promise<string> {
  const outline = await coordinator.get(`/api/plans/${planId}`);
  return outline.body.chapters[0].sections[0].title as string;
}

async function linkAction(recommendationIds: string[]): Promise<void> {
  const action = await coordinator.post(`${sectionPath()}/actions`, { title: 'Introduce a moratorium', recommendationIds });
  expect(action.status, JSON.stringify(action.body)).toBe(201);
}

async function agree(): Promise<string> {
  const { currentHash } = (await coordinator.get(`${sectionPath()}/agreement`)).body;
  expect((await coordinator.post(`${sectionPath()}/signoffs`, { contentHash: currentHash })).status).toBe(201);
  const res = await ngo.post(`${sectionPath()}/signoffs`, { contentHash: currentHash });
  expect(res.body.status).toBe('agreed');
  return currentHash as string;
}

async function reopen(): Promise<void> {
  expect((await coordinator.post(`${sectionPath()}/reopen`, { reason: 'The references change' })).status).toBe(200);
}

async function expectRefused(res: { status: number; body: any }, hash: string): Promise<void> {
  expect(res.status, JSON.stringify(res.body)).toBe(409);
  expect(res.body.error.code).toBe('section_agreed');
  expect(res.body.error.message).toContain(`“${await sectionTitle()}”`);
  expect(res.body.error.message).toMatch(/reopen/);
  // Nothing changed: still agreed on the same content.
  const agreement = (await coordinator.get(`${sectionPath()}/agreement`)).body;
  expect(agreement).toMatchObject({ status: 'agreed', currentHash: hash });
}

async function createRec(reference: string): Promise<string> {
  const res = await coordinator.post(`/api/plans/${planId}/recommendations`, {
    reference,
    mechanism: 'UPR',
    stateUnderReview: 'Belarus',
    text: 'Abolish the death penalty',
    language: 'en',
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
}

describe('recommendations cited by an agreed section', () => {
  it('refuses changing the reference of a cited recommendation, allows other fields, and allows it after reopening', async () => {
    const recId = await createRec('UPR-S8-001');
    await linkAction([recId]);
    const hash = await agree();

    await expectRefused(await coordinator.patch(recPath(recId), { reference: 'UPR-S8-999' }), hash);
    expect((await coordinator.get(recPath(recId))).body.reference).toBe('UPR-S8-001');
    // Fields the canonical content does not show can still change.
    const notes = await coordinator.patch(recPath(recId), { notes: 'Discussed with the ministry', position: 'supported' });
    expect(notes.status, JSON.stringify(notes.body)).toBe(200);
    expect((await coordinator.get(`${sectionPath()}/agreement`)).body).toMatchObject({ status: 'agreed', currentHash: hash });

    await reopen();
    const changed = await coordinator.patch(recPath(recId), { reference: 'UPR-S8-999' });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body.reference).toBe('UPR-S8-999');
  });

  it('refuses deleting a cited recommendation until the section is reopened', async () => {
    const recId = await createRec('UPR-S8-002');
    const other = await createRec('UPR-S8-003');
    await linkAction([recId]);
    const hash = await agree();

    await expectRefused(await coordinator.delete(recPath(recId)), hash);
    expect((await coordinator.get(recPath(recId))).status).toBe(200);
    // One no agreed section cites can go.
    expect((await coordinator.delete(recPath(other))).status).toBe(204);

    await reopen();
    expect((await coordinator.delete(recPath(recId))).status).toBe(204);
    expect((await coordinator.get(recPath(recId))).status).toBe(404);
  });

  it('keeps a cited recommendation when the import that created it is undone: the agreed section stands', async () => {
    const { record } = await importFile(coordinator, planId, 'recs.json', toAccordJson([sampleRecommendation(1, { reference: 'UPR-S8-010' })]));
    const rec = (await coordinator.get(`/api/plans/${planId}/recommendations?q=UPR-S8-010`)).body.items[0];
    await linkAction([rec.id]);
    const hash = await agree();

    // An action cites it, so undoing the file takes nothing from the section: it is kept, and said so.
    const undone = await coordinator.post(`/api/plans/${planId}/imports/${record.id}/undo`, {});
    expect(undone.status, JSON.stringify(undone.body)).toBe(200);
    expect(undone.body).toMatchObject({ kept: 1, keptRecommendations: [{ id: rec.id, reference: 'UPR-S8-010', reasons: ['actions'] }] });
    expect((await coordinator.get(recPath(rec.id))).status).toBe(200);
    expect((await coordinator.get(`${sectionPath()}/agreement`)).body).toMatchObject({ status: 'agreed', currentHash: hash });
  });

  it('refuses undoing an import that changed a cited reference until the section is reopened', async () => {
    const base = sampleRecommendation(2, { reference: 'UPR-S8-020' });
    await importFile(coordinator, planId, 'v1.json', toAccordJson([base]));
    const { record } = await importFile(coordinator, planId, 'v2.json', toAccordJson([{ ...base, reference: 'UPR-S8-021' }]));
    const rec = (await coordinator.get(`/api/plans/${planId}/recommendations?q=UPR-S8-021`)).body.items[0];
    expect(rec.reference).toBe('UPR-S8-021');
    await linkAction([rec.id]);
    const hash = await agree();

    await expectRefused(await coordinator.post(`/api/plans/${planId}/imports/${record.id}/undo`, {}), hash);
    expect((await coordinator.get(recPath(rec.id))).body.reference).toBe('UPR-S8-021');

    await reopen();
    expect((await coordinator.post(`/api/plans/${planId}/imports/${record.id}/undo`, {})).status).toBe(200);
    expect((await coordinator.get(recPath(rec.id))).body.reference).toBe('UPR-S8-020');
  });

  it('keeps a cited reference when a re-import would change it, with a warning, and changes it after reopening', async () => {
    const base = sampleRecommendation(3, { reference: 'UPR-S8-030', notes: null });
    await importFile(coordinator, planId, 'v1.json', toAccordJson([base]));
    const rec = (await coordinator.get(`/api/plans/${planId}/recommendations?q=UPR-S8-030`)).body.items[0];
    await linkAction([rec.id]);
    const hash = await agree();

    const file = toAccordJson([{ ...base, reference: 'UPR-S8-031', text: `${base.text} (corrected)` }]);
    const preview = await uploadImport(coordinator, planId, 'v2.json', file);
    expect(preview.status).toBe(200);
    expect(preview.body.rows[0]).toMatchObject({ action: 'update', reference: 'UPR-S8-030' });
    expect(preview.body.warnings).toContainEqual(
      expect.objectContaining({
        code: 'reference_kept',
        params: { row: 1, kept: 'UPR-S8-030', wanted: 'UPR-S8-031', sections: `“${await sectionTitle()}”` },
      }),
    );
    expect((await coordinator.post(`/api/plans/${planId}/imports/${preview.body.previewId}/commit`, {})).status).toBe(201);
    const after = (await coordinator.get(recPath(rec.id))).body;
    expect(after).toMatchObject({ reference: 'UPR-S8-030', text: `${base.text} (corrected)` });
    expect((await coordinator.get(`${sectionPath()}/agreement`)).body).toMatchObject({ status: 'agreed', currentHash: hash });

    await reopen();
    await importFile(coordinator, planId, 'v3.json', file);
    expect((await coordinator.get(recPath(rec.id))).body.reference).toBe('UPR-S8-031');
  });
});
