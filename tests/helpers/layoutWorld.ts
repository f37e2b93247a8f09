import { ok } from './exportPlan.ts';
import { addMember, setUpSampleWorkspace } from './workspace.ts';
import type { ApiClient } from './api.ts';

/**
 * The sample plan (Belarus, with its UPR recommendations) as a new user finds it a few weeks in,
 * for the layout tests: Olga (Ministry of Foreign Affairs) coordinates; Ihar drafts for the
 * Ministry of Internal Affairs, which leads the one action of the first section (three
 * recommendations, one indicator with every field filled in); Maryna comments for the Belarusian
 * Helsinki Committee and Oleg observes for the UN human rights office, both organisations with long
 * names. With `adopt`, the plan is then adopted (the unagreed sections left out) and a reporting
 * round opened, so the progress page has a round to show.
 */
export async function setUpLayoutWorld(
  server: { url: string },
  options: { adopt?: boolean } = {},
): Promise<{ olga: ApiClient; planId: string; sectionId: string; actionId: string; planUrl: string; sectionUrl: string }> {
  const { coordinator: olga, planId, outline } = await setUpSampleWorkspace(server);
  const p = `/api/plans/${planId}`;
  const ministry = await addMember(server, olga, planId, 'drafter', {
    name: 'Ihar Sokal',
    email: 'ihar@mvd.example',
    organisation: { name: 'Ministry of Internal Affairs of the Republic of Belarus', side: 'government' },
  });
  await addMember(server, olga, planId, 'commenter', {
    name: 'Maryna Ivanova',
    email: 'maryna@helsinki.example',
    organisation: { name: 'Belarusian Helsinki Committee', side: 'civil_society' },
  });
  await addMember(server, olga, planId, 'observer', {
    name: 'Oleg Observer',
    email: 'oleg@ohchr.example',
    organisation: { name: 'Office of the United Nations High Commissioner for Human Rights', side: 'international' },
  });
  const recs = (await ok(olga.get(`${p}/recommendations?limit=3`))).items as Array<{ id: string }>;
  const section = outline.chapters[0]!.sections[0]!;
  const action = await ok(
    olga.post(`${p}/sections/${section.id}/actions`, {
      title: 'Guarantee access to a lawyer from the first hour of detention',
      description: 'Amend the Code of Criminal Procedure so that every detained person can see a lawyer of their choice from the moment of arrest.',
      leadAgencyId: ministry.organisationId,
      recommendationIds: recs.map((r) => r.id),
      start: '2026',
      end: '2028-Q4',
      budgetAmount: 250000,
      currency: 'BYN',
      fundingSource: 'State budget',
    }),
  );
  await ok(
    olga.post(`${p}/actions/${action.id}/indicators`, {
      type: 'outcome',
      description: 'Share of detained persons who saw a lawyer within 24 hours of arrest',
      unit: 'per cent',
      baselineValue: '35',
      baselineYear: 2025,
      targetValue: '90',
      targetYear: 2030,
      dataSource: 'Ministry of Internal Affairs, annual statistics on detention',
      frequency: 'annual',
      disaggregation: ['sex', 'age', 'region'],
    }),
  );
  if (options.adopt) {
    await ok(
      olga.post(`${p}/adoption`, {
        act: { title: 'Decree No. 1 on the National Human Rights Plan', date: '2026-06-01' },
        leftOut: outline.chapters.flatMap((c) => c.sections).map((s) => ({ sectionId: s.id, reason: 'Agreed separately' })),
      }),
    );
    await ok(olga.post(`${p}/rounds`, { name: 'Mid-term review 2028', dueDate: '2099-01-31' }));
  }
  const planUrl = `${server.url}/plans/${planId}`;
  return { olga, planId, sectionId: section.id, actionId: action.id as string, planUrl, sectionUrl: `${planUrl}/sections/${section.id}` };
}
