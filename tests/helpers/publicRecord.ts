import { ApiClient } from './api.ts';
import { ok } from './exportPlan.ts';
import { agreedPlan, agreeSection, type AgreedPlan } from './monitoring.ts';

/** Text that would run as script, or break out of an attribute, if any public page let it through. */
export const HOSTILE = `<script>alert("x")</script><img src=x onerror="alert(1)"> "'><svg onload=alert(2)> =HYPERLINK("http://evil.example")`;

export interface PublishedPlan extends AgreedPlan {
  slug: string;
  roundId: string;
  hash: string;
}

/**
 * An adopted plan put on the public record: its action and indicator carry `title` (hostile text
 * when asked), the ministry has reported a value in the first round, the NGO has assessed the
 * action and recorded a dissenting position on the section.
 */
export async function publishedPlan(server: { url: string }, options: { hostile?: boolean; slug?: string; correct?: boolean } = {}): Promise<PublishedPlan> {
  const plan = await agreedPlan(server, { agree: false });
  const p = `/api/plans/${plan.planId}`;
  const text = (words: string) => (options.hostile ? `${words} ${HOSTILE}` : words);
  if (options.hostile) {
    await ok(plan.coordinator.patch(`${p}/actions/${plan.actionId}`, { title: text('Train judges'), description: text('Courses for judges') }));
    await ok(plan.coordinator.patch(`${p}/indicators/${plan.indicatorId}`, { description: text('Judges trained') }));
    await ok(plan.coordinator.patch(`${p}/recommendations/${plan.recommendationId}`, { text: text('Abolish the death penalty') }));
  }
  for (const id of plan.sectionIds) await agreeSection(plan, id);
  await ok(
    plan.coordinator.post(`${p}/adoption`, {
      act: { title: 'Decree No. 12 on the National Human Rights Plan', number: '12', date: '2026-03-01', url: 'https://example.gov/decree-12' },
      monitoringBodyId: plan.ngo.organisationId,
    }),
  );
  const round = await ok(plan.coordinator.post(`${p}/rounds`, { name: '2026 report', dueDate: '2026-12-31' }), 201);
  const draft = await ok(
    plan.ministry.client.post(`${p}/rounds/${round.id}/actions/${plan.actionId}/reports`, {
      status: 'in_progress',
      narrative: text('Two courses held'),
      values: [{ indicatorId: plan.indicatorId, value: 35, date: '2026-06-30' }],
    }),
  );
  await ok(plan.ministry.client.post(`${p}/reports/${draft.id}/submit`, {}));
  if (options.correct) {
    // The ministry corrects its report after submitting it: the figures change, the first stays on the record.
    const correction = await ok(
      plan.ministry.client.post(`${p}/rounds/${round.id}/actions/${plan.actionId}/reports`, {
        status: 'completed',
        narrative: 'Four courses held',
        spentAmount: 15000.75,
        corrects: draft.id,
        values: [{ indicatorId: plan.indicatorId, value: 35, date: '2026-06-30' }],
      }),
      201,
    );
    await ok(plan.ministry.client.post(`${p}/reports/${correction.id}/submit`, {}));
  }
  await ok(
    plan.ngo.client.request('PUT', `${p}/rounds/${round.id}/assessments`, {
      targetType: 'action',
      targetId: plan.actionId,
      rating: 'partially_implemented',
      justification: text('Only judges in Minsk were trained'),
    }),
  );
  await ok(plan.ngo.client.post(`${p}/sections/${plan.sectionId}/positions`, { text: text('We do not agree that training is enough') }), 201);
  const slug = options.slug ?? `plan-${plan.planId.slice(0, 8).toLowerCase().replace(/[^a-z0-9]/g, 'x')}`;
  const state = await ok(plan.coordinator.post(`${p}/publication`, { slug }), 201);
  return { ...plan, slug, roundId: round.id, hash: state.current.hash };
}

/** A client without any session: what anyone on the internet sees. */
export const anyone = (server: { url: string }) => new ApiClient(server.url);
