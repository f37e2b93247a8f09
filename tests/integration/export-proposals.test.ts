/**
 * The exports' annex "Proposals by civil society and what became of them" (issue #13, acceptance
 * 5): a disability-rights organisation proposes an action and four indicators; the government
 * changes one, removes another with a reason, the proposers withdraw a third and leave the fourth
 * as it is. Every format lists each with its fate; the government's own action is not a proposal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportPlan, exportText, ok, squash } from '../helpers/exportPlan.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { addMember, setUpWorkspace } from '../helpers/workspace.ts';
import type { ApiClient } from '../helpers/api.ts';

let server: TestServer;
let coordinator: ApiClient;
let planId: string;
let emptyPlanId: string;

const DRB = { name: 'Dina Sokal', email: 'dina@drb.example', organisation: { name: 'Disability Rights Belarus', side: 'civil_society' as const } };
const ACTION = 'Make polling stations accessible';
const CHANGED = 'Share of polling stations with step-free access';
const REJECTED = 'Sign-language interpretation at every court hearing';
const WITHDRAWN = 'Braille ballots in every district';
const KEPT = 'Accessible voter information in easy-read format';
const GOVERNMENT_ACTION = 'Train election officials';
const REASON = 'Courts have no budget line for interpreters until 2028';
const ANNEX = 'Annex D. Proposals by civil society and what became of them';

beforeAll(async () => {
  server = await startTestServer();
  let sectionId: string;
  ({ coordinator, planId, sectionId } = await setUpWorkspace(server));
  const dina = (await addMember(server, coordinator, planId, 'drafter', DRB)).client;
  const p = `/api/plans/${planId}`;

  const action = await ok(dina.post(`${p}/sections/${sectionId}/actions`, { title: ACTION }), [201]);
  const indicator = (description: string, targetValue?: string) =>
    ok(dina.post(`${p}/actions/${action.id}/indicators`, { type: 'outcome', description, ...(targetValue ? { targetValue } : {}) }), [201]);
  const changed = await indicator(CHANGED, '80%');
  const rejected = await indicator(REJECTED);
  const withdrawn = await indicator(WITHDRAWN);
  await indicator(KEPT);
  await ok(coordinator.post(`${p}/sections/${sectionId}/actions`, { title: GOVERNMENT_ACTION }), [201]);

  await ok(coordinator.patch(`${p}/indicators/${changed.id}`, { targetValue: '50%' }));
  // Removing another organisation's proposal takes a reason.
  expect((await coordinator.delete(`${p}/indicators/${rejected.id}`)).status).toBe(400);
  await ok(coordinator.request('DELETE', `${p}/indicators/${rejected.id}`, { reason: REASON }), [204]);
  await ok(dina.delete(`${p}/indicators/${withdrawn.id}`), [204]);

  emptyPlanId = (await ok(coordinator.post('/api/plans', { title: 'A plan nobody proposed to', country: 'Belarus', periodStart: 2026, periodEnd: 2030 }), [201])).id;
});
afterAll(async () => {
  await server?.destroy();
});

describe('the proposals annex', () => {
  for (const format of ['docx', 'pdf', 'html', 'md'] as const) {
    it(`${format}: lists each civil-society proposal with its fate`, async () => {
      const { bytes } = await exportPlan(server, coordinator, planId, format);
      const text = squash(await exportText(format, bytes));
      const annexAt = text.lastIndexOf(squash(ANNEX));
      expect(annexAt, 'annex heading').toBeGreaterThan(0);
      const annex = text.slice(annexAt);
      if (process.env.ACCORD_KEEP_EXPORT) (await import('node:fs')).writeFileSync(`test-output/proposals.${format}`, bytes);
      expect(annex).toContain(squash('1.1 Purpose and scope'));
      expect(annex).toContain(squash(`Action “${ACTION}” — kept as proposed`));
      expect(annex).toContain(squash('Proposed by Disability Rights Belarus'));
      // Changed by the government: what, from what to what, by whom.
      expect(annex).toContain(squash(`Indicator “${CHANGED}” (action “${ACTION}”) — kept, changed by others`));
      expect(annex).toContain(squash('Olga Coordinator (Ministry of Foreign Affairs)'));
      expect(annex).toContain(squash('target: 80% → 50%'));
      // Rejected, with the reason the government had to give.
      expect(annex).toContain(squash(`Indicator “${REJECTED}” (action “${ACTION}”) — rejected`));
      expect(annex).toContain(squash(`Reason: ${REASON}`));
      // Withdrawn by its own proposers.
      expect(annex).toContain(squash(`Indicator “${WITHDRAWN}” (action “${ACTION}”) — withdrawn`));
      expect(annex).toContain(squash('Withdrawn by Dina Sokal (Disability Rights Belarus)'));
      expect(annex).toContain(squash(`Indicator “${KEPT}” (action “${ACTION}”) — kept as proposed`));
      // The government's own action is in the plan, but is no proposal of civil society.
      expect(text).toContain(squash(GOVERNMENT_ACTION));
      expect(annex).not.toContain(squash(GOVERNMENT_ACTION));
      if (format !== 'md') expect(text.indexOf(squash(ANNEX))).toBeLessThan(annexAt);
    }, 60_000);
  }

  it('says so in one line when civil society proposed nothing', async () => {
    const { bytes } = await exportPlan(server, coordinator, emptyPlanId, 'md');
    const text = await exportText('md', bytes);
    expect(text).toContain(ANNEX);
    expect(text).toContain('No civil-society organisation has proposed an action or an indicator in this plan.');
  }, 60_000);
});
