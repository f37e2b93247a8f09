import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { agreedPlan, agreeSection } from '../helpers/monitoring.ts';
import { exportPlan, ok } from '../helpers/exportPlan.ts';
import type { PlanOutline } from '../../shared/api/index.ts';

/**
 * "Measure 12" in a decree or a progress report must always be the same action. Actions are
 * numbered across the whole plan (not from 1 in each section); every export of a draft gives an
 * action the same number, whether it shows the sections it leaves out or not; at adoption the
 * numbers are fixed, so an action added or moved later takes a new number and changes no other.
 */
let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await server.destroy();
});

/** "Action 3: Title" headings of a Markdown export, in document order. */
async function numbered(plan: Awaited<ReturnType<typeof agreedPlan>>, scope: 'current' | 'agreed'): Promise<string[]> {
  const { bytes } = await exportPlan(server, plan.coordinator, plan.planId, 'md', scope);
  return [...bytes.toString('utf8').matchAll(/^#### Action (\d+): (.+)$/gm)].map((m) => `${m[1]} ${m[2]}`);
}

describe('plan-wide action numbers', () => {
  it('run across sections, agree between exports of a draft, and stay fixed after adoption', async () => {
    const plan = await agreedPlan(server, { agree: false });
    const p = `/api/plans/${plan.planId}`;
    const outline = (await ok(plan.coordinator.post(`${p}/sections`, { chapterId: plan.chapterId, title: 'Open questions' }))) as PlanOutline;
    const openQuestions = outline.chapters.flatMap((c) => c.sections).find((s) => s.title === 'Open questions')!.id;
    const action = async (sectionId: string, title: string) =>
      (await ok(plan.coordinator.post(`${p}/sections/${sectionId}/actions`, { title, leadAgencyId: plan.ministry.organisationId, end: '2028' }), 201)).id as string;

    // The first section holds "Train judges" (from agreedPlan); "Publish statistics" goes after it,
    // "Consult the Bar" into the later section. Plan order numbers them 1, 2, 3.
    const consult = await action(openQuestions, 'Consult the Bar');
    await action(plan.sectionId, 'Publish statistics');
    expect(await numbered(plan, 'current')).toEqual(['1 Train judges on fair trial standards', '2 Publish statistics', '3 Consult the Bar']);

    // An export of agreed sections only leaves "Open questions" out and keeps the numbers.
    for (const id of plan.sectionIds) await agreeSection(plan, id);
    expect(await numbered(plan, 'agreed')).toEqual(['1 Train judges on fair trial standards', '2 Publish statistics']);

    await ok(
      plan.coordinator.post(`${p}/adoption`, {
        act: { title: 'Decree No. 12', number: '12', date: '2026-03-01', url: null },
        leftOut: [{ sectionId: openQuestions, reason: 'Still under discussion' }],
      }),
    );

    // After adoption: a new action placed first in its section, and the old third one deleted.
    const hearings = await action(openQuestions, 'Hold public hearings');
    await ok(plan.coordinator.request('PUT', `${p}/sections/${openQuestions}/actions/${hearings}/position`, { position: 0 }));
    expect(await numbered(plan, 'current')).toEqual([
      '1 Train judges on fair trial standards',
      '2 Publish statistics',
      '4 Hold public hearings',
      '3 Consult the Bar',
    ]);
    await ok(plan.coordinator.delete(`${p}/actions/${consult}`), 204);
    await action(openQuestions, 'Report to the Ombudsperson');
    // 3 is not given again: a decree may already cite it.
    expect(await numbered(plan, 'current')).toEqual([
      '1 Train judges on fair trial standards',
      '2 Publish statistics',
      '4 Hold public hearings',
      '5 Report to the Ombudsperson',
    ]);
    // The app shows each action the number the exports print: not its place in its section.
    const inApp = async (sectionId: string) =>
      ((await ok(plan.coordinator.get(`${p}/sections/${sectionId}/actions`))) as Array<{ number: number; title: string }>).map((a) => `${a.number} ${a.title}`);
    expect([...(await inApp(plan.sectionId)), ...(await inApp(openQuestions))]).toEqual(await numbered(plan, 'current'));
    expect((await ok(plan.coordinator.get(`${p}/actions`))).map((a: { number: number }) => a.number)).toEqual([1, 2, 4, 5]);
    // Adopted: the exports no longer flag gaps ("Hold public hearings" has no indicator).
    const { bytes } = await exportPlan(server, plan.coordinator, plan.planId, 'md', 'current');
    expect(bytes.toString('utf8')).not.toContain('Incomplete:');
  });

  it('flags an action of a draft that lacks a lead agency, a deadline or an indicator, and shows every indicator field', async () => {
    const plan = await agreedPlan(server, { agree: false });
    const p = `/api/plans/${plan.planId}`;
    await ok(plan.coordinator.post(`${p}/sections/${plan.sectionId}/actions`, { title: 'Review the law on assemblies' }), 201);
    const { bytes } = await exportPlan(server, plan.coordinator, plan.planId, 'md', 'current');
    const md = bytes.toString('utf8');
    expect(md).toContain('**Incomplete: no lead agency, no timeline, no indicator**');
    // The complete action of agreedPlan carries no flag.
    const complete = md.slice(md.indexOf('#### Action 1:'), md.indexOf('#### Action 2:'));
    expect(complete).not.toContain('Incomplete');
    // Its indicator shows every field, disaggregation included.
    expect(complete).toContain('| Outcome | Judges trained on fair trial standards | 10 (2025) | 200 (2030) | judges |');
    expect(complete).toMatch(/\| sex \|/);
  });
});
