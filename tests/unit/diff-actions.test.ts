import { describe, expect, it } from 'vitest';
import { diffActions } from '../../server/services/diff.ts';
import type { ActionSnapshot, ActionsSnapshot, IndicatorSnapshot } from '../../shared/api/index.ts';

const indicator = (id: string, over: Partial<IndicatorSnapshot> = {}): IndicatorSnapshot => ({
  id,
  type: 'process',
  description: `Indicator ${id}`,
  unit: null,
  baselineValue: null,
  baselineYear: null,
  targetValue: null,
  targetYear: null,
  dataSource: null,
  frequency: null,
  disaggregation: [],
  proposedByOrganisationId: null,
  createdAt: null,
  ...over,
});

const action = (id: string, over: Partial<ActionSnapshot> = {}): ActionSnapshot => ({
  id,
  title: `Action ${id}`,
  description: '',
  leadAgencyId: null,
  coImplementerIds: [],
  civilSocietyPartnerIds: [],
  proposedByOrganisationId: null,
  start: null,
  end: null,
  status: 'planned',
  budgetAmount: null,
  currency: null,
  fundingSource: null,
  recommendations: [],
  indicators: [],
  createdBy: null,
  createdAt: null,
  ...over,
});

const snap = (actions: ActionSnapshot[], organisations: Record<string, string> = {}): ActionsSnapshot => ({ format: 1, actions, organisations });

describe('diffActions', () => {
  it('names organisations as each side named them and recommendations by reference, ignoring link order', () => {
    const from = snap([action('a', { leadAgencyId: 'o1', recommendations: [{ id: 'r2', reference: '97.10' }, { id: 'r1', reference: '97.2' }] })], { o1: 'Ministry of Justice' });
    const to = snap([action('a', { leadAgencyId: 'o2', recommendations: [{ id: 'r1', reference: '97.2' }, { id: 'r2', reference: '97.10' }] })], { o2: 'Ministry of Interior' });
    const d = diffActions(from, to);
    expect(d.changes).toEqual([
      { actionId: 'a', title: 'Action a', change: 'changed', fields: [{ field: 'leadAgency', from: 'Ministry of Justice', to: 'Ministry of Interior' }], indicators: [] },
    ]);
  });

  it('reports a move only when the order of the actions on both sides changed, not when another was removed', () => {
    const removedFirst = diffActions(snap([action('a'), action('b'), action('c')]), snap([action('b'), action('c')]));
    expect(removedFirst.changes.map((c) => [c.actionId, c.change])).toEqual([['a', 'removed']]);
    const swapped = diffActions(snap([action('a'), action('b')]), snap([action('b'), action('a')]));
    expect(swapped.changes.map((c) => [c.actionId, c.fields])).toEqual([
      ['b', [{ field: 'position', from: '2', to: '1' }]],
      ['a', [{ field: 'position', from: '1', to: '2' }]],
    ]);
    expect(swapped.summary.actionsChanged).toBe(2);
  });

  it('counts indicators of added and removed actions, and changes inside kept ones', () => {
    const from = snap([action('a', { indicators: [indicator('i1'), indicator('i2')] }), action('b', { indicators: [indicator('i3')] })]);
    const to = snap([action('a', { indicators: [indicator('i1', { targetValue: '50%' })] }), action('c', { indicators: [indicator('i4'), indicator('i5')] })]);
    expect(diffActions(from, to).summary).toEqual({
      actionsAdded: 1,
      actionsRemoved: 1,
      actionsChanged: 1,
      indicatorsAdded: 2,
      indicatorsRemoved: 2,
      indicatorsChanged: 1,
    });
  });

  it('compares nothing when a side holds text only, and says which', () => {
    expect(diffActions(null, snap([action('a')]))).toMatchObject({ from: 'text_only', to: 'actions', comparable: false, changes: [] });
    expect(diffActions(snap([]), snap([]))).toMatchObject({ comparable: true, changes: [], summary: { actionsAdded: 0 } });
  });
});
