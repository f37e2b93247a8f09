/**
 * The exports' annex "Reservations and dissenting positions" (issue #13, acceptance 5): in DOCX,
 * PDF, HTML and Markdown, the reservations of standing signatures and the positions not withdrawn,
 * on a section and on one of its actions, each with its organisation — an unverified one marked —
 * and, for a saved version, the record as it stood when the version was saved.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addAction, exportPlan, exportText as textOf, ok, squash, writeSection } from '../helpers/exportPlan.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { addMember, setUpWorkspace } from '../helpers/workspace.ts';
import type { ApiClient } from '../helpers/api.ts';

let server: TestServer;
let coordinator: ApiClient;
let planId: string;
let sectionId: string;
let emptyPlanId: string;
let versionGroupId: string;

const HELSINKI = { name: 'Maryna Ivanova', email: 'maryna@helsinki.example', organisation: { name: 'Belarusian Helsinki Committee', side: 'civil_society' as const } };
const VIASNA = { name: 'Наталля Праваабаронца', email: 'natallia@viasna.example', organisation: { name: 'Human Rights Center Viasna', side: 'civil_society' as const } };
const ACTION = 'Prepare a moratorium bill';
const RENAMED = 'Prepare and table a moratorium bill';

// Written without Markdown or HTML specials, so every format holds them character for character.
const OLD_RESERVATION = 'We sign on the understanding that the moratorium covers military courts';
const RESERVATION = 'Signed subject to a public consultation on the bill within six months';
const P_EARLY = 'The section should name the date of the last execution, which it leaves out';
const P_SECTION = 'A moratorium without a date for abolition postpones the question indefinitely';
const P_ACTION = 'The bill must be drafted with the Helsinki Committee, not only shown to it';
const P_WITHDRAWN = 'Position written in haste and withdrawn the same day by its authors';

const ANNEX = 'Annex C. Reservations and dissenting positions';
const HELSINKI_MARKED = 'Belarusian Helsinki Committee (unverified)';

const plan = (id = planId) => `/api/plans/${id}`;

async function sign(client: ApiClient, reservation?: string) {
  const { currentHash } = await ok(client.get(`${plan()}/sections/${sectionId}/agreement`));
  return ok(client.post(`${plan()}/sections/${sectionId}/signoffs`, { contentHash: currentHash, ...(reservation ? { reservation } : {}) }), [201]);
}
const position = (client: ApiClient, text: string, actionId?: string) =>
  ok(client.post(`${plan()}/sections/${sectionId}/positions`, { text, ...(actionId ? { actionId } : {}) }), [201]);
const withdraw = (client: ApiClient, id: string) => ok(client.post(`${plan()}/positions/${id}/withdraw`, {}));

beforeAll(async () => {
  server = await startTestServer();
  ({ coordinator, planId, sectionId } = await setUpWorkspace(server));
  await writeSection(server, planId, sectionId, {
    heading: 'Situation analysis',
    paragraph: 'Belarus retains the death penalty.',
    bullets: ['Introduce a moratorium'],
    numbered: ['Draft the law'],
    table: [['Year', 'Sentences']],
  });
  const { action } = await addAction(coordinator, planId, sectionId, { lead: 'Ministry of Justice', partner: 'Lawyers for Human Rights', recText: 'Abolish the death penalty', title: ACTION });
  const helsinki = await addMember(server, coordinator, planId, 'drafter', HELSINKI);
  const viasna = (await addMember(server, coordinator, planId, 'commenter', VIASNA)).client;

  // As saved in the version: a signature with a reservation, and a position, both later ended.
  await sign(helsinki.client, OLD_RESERVATION);
  const early = await position(viasna, P_EARLY);
  versionGroupId = (await ok(coordinator.post(`${plan()}/versions`, { name: 'Before the second reading' }))).groupId;

  // After the version: renaming the action ends the signature; the early position is withdrawn.
  await ok(coordinator.patch(`${plan()}/actions/${action.id}`, { title: RENAMED }));
  const afterRename = await ok(coordinator.get(`${plan()}/sections/${sectionId}/agreement`));
  expect(afterRename.signoffs.every((s: { withdrawnAt: string | null }) => s.withdrawnAt !== null)).toBe(true);
  await withdraw(viasna, early.id);

  await position(helsinki.client, P_ACTION, action.id);
  const hasty = await position(helsinki.client, P_WITHDRAWN);
  await withdraw(helsinki.client, hasty.id);
  await position(viasna, P_SECTION);

  await sign(helsinki.client, RESERVATION);
  await sign(coordinator);
  expect((await ok(coordinator.get(`${plan()}/sections/${sectionId}/agreement`))).status).toBe('agreed');
  // The committee's verification is withdrawn afterwards: its signature and position stay, marked.
  await ok(coordinator.request('DELETE', `${plan()}/organisations/${helsinki.organisationId}/verification`, { reason: 'Registration could not be confirmed.' }));

  emptyPlanId = (await ok(coordinator.post('/api/plans', { title: 'A plan with nothing said yet', country: 'Belarus', periodStart: 2026, periodEnd: 2030 }))).id;
}, 90_000);

afterAll(async () => {
  await server?.destroy();
});


async function exportVersion(format: string): Promise<Buffer> {
  const job = await ok(coordinator.post(`${plan()}/exports`, { format, scope: 'current', versionGroupId }), [202]);
  const deadline = Date.now() + 60_000;
  let current = job;
  while (current.state === 'running') {
    if (Date.now() > deadline) throw new Error('export did not finish');
    await new Promise((r) => setTimeout(r, 25));
    current = await ok(coordinator.get(`${plan()}/exports/${job.id}`));
  }
  expect(current.state, current.error ?? '').toBe('done');
  const res = await fetch(`${server.url}${plan()}/exports/${job.id}/file`, { headers: { cookie: coordinator.cookie! } });
  return Buffer.from(await res.arrayBuffer());
}

describe('the reservations and dissent annex', () => {
  for (const format of ['docx', 'pdf', 'html', 'md'] as const) {
    it(`${format}: holds the standing reservation and positions with their organisations, not what was withdrawn`, async () => {
      const { bytes } = await exportPlan(server, coordinator, planId, format);
      const text = squash(await textOf(format, bytes));
      const annexAt = text.lastIndexOf(squash(ANNEX));
      expect(annexAt, 'annex heading').toBeGreaterThan(0);
      const annex = text.slice(annexAt);
      // The section's group, then each entry with who said it.
      expect(annex).toContain(squash('1.1 Purpose and scope'));
      expect(annex).toContain(squash(RESERVATION));
      expect(annex).toContain(squash(`${HELSINKI_MARKED}, civil society — signed by Maryna Ivanova`));
      expect(annex).toContain(squash(P_SECTION));
      expect(annex).toContain(squash('Human Rights Center Viasna, civil society — recorded by Наталля Праваабаронца'));
      expect(annex).toContain(squash(`Dissenting position on the action “${RENAMED}”`));
      expect(annex).toContain(squash(P_ACTION));
      expect(annex).toContain(squash(`${HELSINKI_MARKED}, civil society — recorded by Maryna Ivanova`));
      // The entries follow their labels, in order: reservation, section position, action position.
      expect(annex.indexOf(squash(RESERVATION))).toBeLessThan(annex.indexOf(squash(P_SECTION)));
      expect(annex.indexOf(squash(P_SECTION))).toBeLessThan(annex.indexOf(squash(P_ACTION)));
      // What was withdrawn, or ended with its signature, is nowhere in the export.
      for (const gone of [P_WITHDRAWN, P_EARLY, OLD_RESERVATION]) expect(text, gone).not.toContain(squash(gone));
      // The provenance annex marks the unverified signer's organisation too; the verified one is not marked.
      const provenance = text.slice(text.lastIndexOf(squash('Annex B. Provenance')), annexAt);
      expect(provenance).toContain(squash(HELSINKI_MARKED));
      expect(provenance).toContain(squash('Ministry of Foreign Affairs'));
      expect(provenance).not.toContain(squash('Ministry of Foreign Affairs (unverified)'));
      // The contents list it (the Markdown export has no list of annexes).
      if (format !== 'md') expect(text.indexOf(squash(ANNEX))).toBeLessThan(annexAt);
    }, 60_000);
  }

  it('says in one line that nothing is on record when nothing is', async () => {
    for (const format of ['md', 'docx'] as const) {
      const { bytes } = await exportPlan(server, coordinator, emptyPlanId, format);
      const text = await textOf(format, bytes);
      expect(text, format).toContain(ANNEX);
      expect(text, format).toContain('No reservation or dissenting position is on record for the sections of this export.');
    }
  });

  it('a saved version carries the reservations and positions as they stood when it was saved, and says so', async () => {
    for (const format of ['docx', 'md'] as const) {
      const text = squash(await textOf(format, await exportVersion(format)));
      const annex = text.slice(text.lastIndexOf(squash(ANNEX)));
      expect(annex, format).toContain(squash('As they stood when the version “Before the second reading” was saved'));
      expect(annex, format).toContain(squash(OLD_RESERVATION));
      expect(annex, format).toContain(squash(P_EARLY));
      for (const later of [RESERVATION, P_SECTION, P_ACTION, P_WITHDRAWN]) expect(text, `${format}: ${later}`).not.toContain(squash(later));
    }
  }, 60_000);
});
