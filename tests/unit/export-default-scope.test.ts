import { describe, expect, it } from 'vitest';
import { defaultScope } from '../../client/features/exports/defaultScope.ts';

describe('what an export includes until the person picks', () => {
  it('is the current draft until every section is agreed, then the agreed draft', () => {
    expect(defaultScope(null)).toBe('current');
    expect(defaultScope({ agreed: 0, total: 0 })).toBe('current');
    expect(defaultScope({ agreed: 3, total: 21 })).toBe('current');
    expect(defaultScope({ agreed: 21, total: 21 })).toBe('agreed');
  });

  it('is the agreed text once the plan is adopted, even with sections left out at adoption', () => {
    expect(defaultScope({ agreed: 1, total: 21 }, true)).toBe('agreed');
    expect(defaultScope(null, true)).toBe('agreed');
  });
});
