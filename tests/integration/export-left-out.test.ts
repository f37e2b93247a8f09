/**
 * A section the coordinator leaves out when the plan is adopted is out of the adopted plan's
 * documents even if both sides had agreed it: the agreed export names it "left out", with the
 * reason, and does not print its text (as the public record does not). A version saved before the
 * adoption still says what it said then.
 */
import * as Y from 'yjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getSectionBody, sectionDocName } from '../../shared/doc/schema.ts';
import { exportPlan, exportText, ok, squash } from '../helpers/exportPlan.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { addMember, setUpWorkspace } from '../helpers/workspace.ts';
import type { PlanOutline } from '../../shared/api/index.ts';
import { serverEdit } from '../helpers/serverEdit.ts';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await server.destroy();
});

describe('a section left out at adoption', () => {
  it('is left out of the agreed export, with its reason, even though it was agreed', async () => {
    const { coordinator, planId, sectionId } = await setUpWorkspace(server);
    const p = `/api/plans/${planId}`;
    const ngo = await addMember(server, coordinator, planId, 'drafter', { name: 'Nina Lawyer', email: 'nina@ngo.example', organisation: { name: 'Human Rights Centre', side: 'civil_society' } });
    await serverEdit(server, sectionDocName(sectionId), planId, (doc: Y.Doc) => {
      const para = new Y.XmlElement('paragraph');
      para.insert(0, [new Y.XmlText('Text both sides signed but the decree does not adopt.')]);
      getSectionBody(doc).push([para]);
    });
    const { currentHash } = await ok(coordinator.get(`${p}/sections/${sectionId}/agreement`));
    await ok(coordinator.post(`${p}/sections/${sectionId}/signoffs`, { contentHash: currentHash }));
    await ok(ngo.client.post(`${p}/sections/${sectionId}/signoffs`, { contentHash: currentHash }));
    const sections = ((await ok(coordinator.get(p))) as PlanOutline).chapters.flatMap((c) => c.sections);
    expect(sections.find((s) => s.id === sectionId)!.status).toBe('agreed');

    await ok(
      coordinator.post(`${p}/adoption`, {
        act: { title: 'Decree No. 7', date: '2026-06-01' },
        leftOut: sections.map((s) => ({ sectionId: s.id, reason: s.id === sectionId ? 'Adopted by a separate law' : 'Agreed separately' })),
      }),
    );
    const text = squash(await exportText('md', (await exportPlan(server, coordinator, planId, 'md', 'agreed')).bytes));
    expect(text).toContain(squash('Left out of the adopted plan — Adopted by a separate law'));
    expect(text).not.toContain(squash('Text both sides signed but the decree does not adopt.'));
    // The current draft is everything the plan holds, adopted or not.
    expect(squash(await exportText('md', (await exportPlan(server, coordinator, planId, 'md', 'current')).bytes))).toContain(
      squash('Text both sides signed but the decree does not adopt.'),
    );
  });
});
