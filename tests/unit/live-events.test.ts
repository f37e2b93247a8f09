import { describe, expect, it } from 'vitest';
import { QueryClient, type QueryKey } from '@tanstack/react-query';
import { PlanEventSchema, type PlanEvent } from '../../shared/api/index.ts';
import { invalidatedBy, keysInvalidatedBy } from '../../client/api/liveEvents.ts';
import { queryKeys } from '../../client/api/queries.ts';

/**
 * The one table from the plan's live events to the queries they make stale
 * (client/api/liveEvents.ts), checked against a real QueryClient holding the keys the hooks use.
 */
const PLAN = 'plan-a';
const OTHER = 'plan-b';
const A = 'section-a';
const B = 'section-b';
const k = queryKeys.plan(PLAN);

/** Keys as the hooks in client/api/queries.ts build them (including the per-organisation threads). */
const HELD: Record<string, QueryKey> = {
  outline: k.outline(),
  members: k.members(),
  organisations: k.organisations(),
  coverage: k.coverage(),
  recsFiltered: k.recommendations({ position: 'noted', limit: 50, offset: 0 }),
  recDetail: k.recommendation('rec-1'),
  imports: k.imports(),
  audit: k.audit({ limit: 50, offset: 0 }),
  planVersions: k.planVersions(),
  suggestionRule: k.suggestionRule(),
  signoffRules: k.signoffRules(),
  threadsA: k.threads(A),
  threadsAOrg: [...k.threads(A), 'org-1'],
  threadsB: k.threads(B),
  actionsA: k.actions(A),
  actionsB: k.actions(B),
  planActions: k.planActions(),
  agreementA: k.agreement(A),
  agreementB: k.agreement(B),
  positionsA: k.positions(A),
  decisionsA: k.decisions(A),
  versionsA: k.sectionVersions(A),
  versionsB: k.sectionVersions(B),
  lifecycle: k.lifecycle(),
  publication: k.publication(),
  notifications: queryKeys.notifications(),
  otherPlanOutline: queryKeys.plan(OTHER).outline(),
};

/** Which of the held queries an event invalidates. */
async function stale(event: PlanEvent): Promise<string[]> {
  const client = new QueryClient();
  for (const key of Object.values(HELD)) client.setQueryData(key, 1);
  for (const queryKey of keysInvalidatedBy(PLAN, event)) await client.invalidateQueries({ queryKey, refetchType: 'none' });
  return Object.entries(HELD)
    .filter(([, key]) => client.getQueryState(key)?.isInvalidated)
    .map(([name]) => name)
    .sort();
}

describe('live events → invalidated queries', () => {
  it('has an entry for every event the server sends', () => {
    const types = PlanEventSchema.options.map((o) => o.shape.type.value).sort();
    expect(Object.keys(invalidatedBy).sort()).toEqual(types);
  });

  it('a change of the outline (a section moved, binned or restored) changes the plan-wide list of actions', async () => {
    expect(await stale({ type: 'outline' })).toContain('planActions');
  });

  it('a comment changes that section’s threads (every filter of them) and the outline’s counts, nothing else', async () => {
    expect(await stale({ type: 'comments', sectionId: A })).toEqual(['outline', 'threadsA', 'threadsAOrg']);
  });

  it('a verification reaches the marks on every section’s actions, comments, positions and signatures', async () => {
    const names = await stale({ type: 'organisations' });
    for (const name of ['organisations', 'members', 'actionsA', 'actionsB', 'planActions', 'threadsA', 'threadsB', 'positionsA', 'agreementA', 'agreementB', 'audit']) {
      expect(names).toContain(name);
    }
    expect(names).not.toContain('outline');
  });

  it('actions of one section change its actions, the plan-wide list, its agreement and coverage, not another section’s', async () => {
    expect(await stale({ type: 'actions', sectionId: A })).toEqual(['actionsA', 'agreementA', 'audit', 'coverage', 'planActions']);
  });

  it('recommendations reach filtered lists, the open detail, imports, coverage and linked actions', async () => {
    expect(await stale({ type: 'recommendations' })).toEqual(['actionsA', 'actionsB', 'audit', 'coverage', 'imports', 'planActions', 'recDetail', 'recsFiltered']);
  });

  it('a whole-plan version reaches every section’s versions; a section’s only its own', async () => {
    expect(await stale({ type: 'versions', sectionId: null })).toEqual(['agreementA', 'agreementB', 'audit', 'planVersions', 'versionsA', 'versionsB']);
    expect(await stale({ type: 'versions', sectionId: B })).toEqual(['agreementB', 'audit', 'planVersions', 'versionsB']);
  });

  it('the notices are refetched on `notifications` (no window event)', async () => {
    expect(await stale({ type: 'notifications' })).toEqual(['notifications']);
  });

  it('a changed role refetches everything of that plan and one’s notices, nothing of another plan', async () => {
    // Notices too: a removal brings one naming who removed the person, and takes the plan's others away.
    const names = await stale({ type: 'access', role: 'observer' });
    expect(names).toEqual(Object.keys(HELD).filter((n) => n !== 'otherPlanOutline').sort());
    expect(await stale({ type: 'access', role: null })).toContain('notifications');
  });

  it('publishing or unpublishing refetches the public record and the audit log, nothing else', async () => {
    expect(await stale({ type: 'publication' })).toEqual(['audit', 'publication']);
  });

  it('adoption changes what publishing would put out (the adopted plan, no longer a consultation draft)', async () => {
    expect(await stale({ type: 'lifecycle' })).toContain('publication');
  });

  it('progress events refetch nothing while running', async () => {
    expect(await stale({ type: 'import-progress', phase: 'writing', previewId: 'p', done: 1, total: 2 })).toEqual([]);
    expect(await stale({ type: 'export-progress', exportId: 'e', done: 1, total: 2, state: 'running' })).toEqual([]);
    expect(await stale({ type: 'export-progress', exportId: 'e', done: 2, total: 2, state: 'done' })).toEqual(['audit']);
  });
});
