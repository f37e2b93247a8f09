/**
 * The matrix re-import's cell reading (server/import/matrixRows.ts) and its comparison with the plan
 * (services/matrixMatching.ts), without a server: words in any export language, typed cells, every
 * bad cell kept with its row and column, and "4" equal to "4.0" so a spreadsheet's rewriting of a
 * number is not a change.
 */
import { describe, expect, it } from 'vitest';
import { matrixLines } from '../../server/import/matrixRows.ts';
import { actionChanges, indicatorChanges } from '../../server/services/matrixMatching.ts';
import type { MatrixFile } from '../../server/import/matrixWorkbook.ts';
import type { Action, Indicator } from '../../shared/api/index.ts';

const file = (actions: Array<Record<string, string>>, indicators: Array<Record<string, string>> = []): MatrixFile => ({
  format: 'xlsx',
  actions: { headers: { actionId: 'Action ID', section: 'Section', action: 'Action', status: 'Status', budget: 'Budget', start: 'Start', end: 'End', currency: 'Currency' }, rows: actions.map((cells, i) => ({ row: i + 2, cells })) },
  indicators: { headers: { indicatorId: 'Indicator ID', actionId: 'Action ID', indicatorType: 'Indicator type', indicator: 'Indicator', baselineYear: 'Baseline year', targetYear: 'Target year' }, rows: indicators.map((cells, i) => ({ row: i + 2, cells })) },
  links: null,
});

describe('reading the cells', () => {
  it('takes statuses and types in Belarusian, Russian or English, and types numbers and codes', () => {
    const lines = matrixLines(
      file(
        [
          { actionId: 'a1', section: '1.1', action: 'One', status: 'Затрымліваецца', budget: '12.5', currency: 'eur', start: '2027-Q1', end: '' },
          { actionId: 'a2', section: '1.1', action: 'Two', status: 'Выполняется' },
        ],
        [{ indicatorId: '', actionId: 'a1', indicatorType: 'Індыкатар выніку', indicator: 'Cases', baselineYear: '2024', targetYear: '2030' }],
      ),
    );
    expect(lines.errors).toEqual([]);
    expect(lines.actions[0]!.fields).toEqual({ title: 'One', status: 'delayed', budgetAmount: 12.5, currency: 'EUR', start: '2027-Q1', end: null });
    expect(lines.actions[1]!.fields.status).toBe('in_progress');
    expect(lines.indicators![0]!.fields).toEqual({ type: 'outcome', description: 'Cases', baselineYear: 2024, targetYear: 2030 });
  });

  it('keeps every bad cell with its sheet, row and column', () => {
    const lines = matrixLines(
      file(
        [{ actionId: 'a1', section: '1.1', action: '', status: 'Soon', budget: '-3', start: '27', currency: 'euro' }],
        [{ indicatorId: '', actionId: 'a1', indicatorType: 'Impact', indicator: 'X', baselineYear: '2030', targetYear: '2024' }],
      ),
    );
    expect(lines.errors.map((e) => [e.sheet, e.row, e.column, e.code])).toEqual([
      ['actions', 2, 'Action', 'required'],
      ['actions', 2, 'Start', 'invalid_time_point'],
      ['actions', 2, 'Status', 'invalid_status'],
      ['actions', 2, 'Budget', 'invalid_number'],
      ['actions', 2, 'Currency', 'invalid_currency'],
      ['indicators', 2, 'Indicator type', 'invalid_indicator_type'],
      ['indicators', 2, 'Target year', 'target_before_baseline'],
    ]);
  });
});

describe('comparing with the plan', () => {
  const action = { title: 'One', status: 'planned', coImplementerIds: ['o1', 'o2'], recommendationIds: ['r1', 'r2'], budgetAmount: 10 } as unknown as Action;
  it('names only the fields that differ; links are a set, co-implementers a list', () => {
    expect(actionChanges(action, { title: 'One', status: 'planned', recommendationIds: ['r2', 'r1'], budgetAmount: 10 })).toEqual({});
    expect(actionChanges(action, { title: 'Two', coImplementerIds: ['o2', 'o1'] })).toEqual({ title: 'Two', coImplementerIds: ['o2', 'o1'] });
  });
  it('a baseline "4.0" is the stored "4"; "45%" is text', () => {
    const indicator = { baselineValue: '4', targetValue: '45%', disaggregation: ['sex'] } as unknown as Indicator;
    expect(indicatorChanges(indicator, { baselineValue: '4.0', targetValue: '45%', disaggregation: ['sex'] })).toEqual({});
    expect(indicatorChanges(indicator, { baselineValue: '5', targetValue: '45 %' })).toEqual({ baselineValue: '5', targetValue: '45 %' });
  });
});
