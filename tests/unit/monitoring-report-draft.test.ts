import { describe, expect, it } from 'vitest';
import type { Action } from '../../shared/api/index.ts';
import { bodyFrom, draftFrom, formFieldsOf, parseGroups, toNumber } from '../../client/features/monitoring/reportDraft.ts';
import { editableNumber, typedDay } from '../../client/i18n/typedNumber.ts';

/** The report form's translation from what people type to the request body (client/features/monitoring). */
const action = {
  id: 'a1',
  indicators: [
    { id: 'i1', disaggregation: ['sex'], unit: 'people' },
    { id: 'i2', disaggregation: [], unit: null },
  ],
} as unknown as Action;

describe('report form', () => {
  it('reads disaggregated groups, and refuses what it cannot read', () => {
    expect(parseGroups('women: 11; men: 14')).toEqual([
      { group: 'women', value: 11 },
      { group: 'men', value: 14 },
    ]);
    expect(parseGroups('under 18: 2.5')).toEqual([{ group: 'under 18', value: 2.5 }]);
    expect(parseGroups('')).toEqual([]);
    expect(parseGroups('women 11')).toBeNull();
  });

  it('sends only the indicators given a value, with their groups per dimension', () => {
    const draft = draftFrom(action, null);
    draft.values[0] = { ...draft.values[0]!, value: '25', date: '2026-11-30', source: ' Corrections ', disaggregated: { sex: 'women: 11; men: 14' } };
    draft.spent = '12500';
    const built = bodyFrom(draft);
    expect(built).toEqual({
      ok: true,
      body: {
        status: 'in_progress',
        reason: '',
        narrative: '',
        spentAmount: 12500,
        values: [
          {
            indicatorId: 'i1',
            value: 25,
            date: '2026-11-30',
            source: 'Corrections',
            disaggregated: [
              { dimension: 'sex', group: 'women', value: 11 },
              { dimension: 'sex', group: 'men', value: 14 },
            ],
          },
        ],
      },
    });
  });

  it('asks for a reason when delayed, and for numbers where numbers go', () => {
    const draft = { ...draftFrom(action, null), status: 'delayed' as const, spent: 'a lot' };
    draft.values[1] = { ...draft.values[1]!, value: 'many' };
    const built = bodyFrom(draft);
    expect(built.ok).toBe(false);
    if (!built.ok) expect(built.problems.map((p) => p.field).sort()).toEqual(['reason', 'spent', 'value.i2']);
  });

  it('refuses a value dated after today, and takes one dated today, the default', () => {
    const draft = draftFrom(action, null);
    const local = new Date();
    const todayHere = `${local.getFullYear()}-${String(local.getMonth() + 1).padStart(2, '0')}-${String(local.getDate()).padStart(2, '0')}`;
    expect(draft.values[0]!.date).toBe(todayHere);
    draft.values[0] = { ...draft.values[0]!, value: '20' };
    expect(bodyFrom(draft).ok).toBe(true);
    draft.values[0] = { ...draft.values[0]!, date: `${local.getFullYear() + 36}-05-01` };
    const built = bodyFrom(draft);
    expect(built.ok).toBe(false);
    if (!built.ok) expect(built.problems).toEqual([{ field: 'date.i1', key: 'monitoring.form.dateFuture' }]);
  });

  it('asks for the day a value was observed when its date field is emptied', () => {
    const draft = draftFrom(action, null);
    draft.values[0] = { ...draft.values[0]!, value: '20', date: '' };
    const built = bodyFrom(draft);
    expect(built.ok).toBe(false);
    if (!built.ok) expect(built.problems).toEqual([{ field: 'date.i1', key: 'dayField.required' }]);
    // An indicator given no value needs no date.
    draft.values[0] = { ...draft.values[0]!, value: '' };
    expect(bodyFrom(draft).ok).toBe(true);
  });

  it('reads numbers without guessing what a comma means', () => {
    expect(toNumber('12500')).toBe(12500);
    expect(toNumber('12 500')).toBe(12500);
    expect(toNumber('12.5')).toBe(12.5);
    expect(toNumber('12,500')).toBeNaN();
    expect(toNumber('1,200,000')).toBeNaN();
    expect(toNumber('1,200.50')).toBeNaN();
    expect(toNumber('1.200,50')).toBeNaN();
    // A comma before the last one or two digits is a decimal comma, as Belarusian and Russian write it.
    expect(toNumber('1,2')).toBe(1.2);
    expect(toNumber('1 500 000,50')).toBe(1500000.5);
    expect(toNumber('1e5')).toBeNaN();
    expect(toNumber('0x1F')).toBeNaN();
    expect(toNumber('Infinity')).toBeNaN();
    expect(parseGroups('women: 1,500')).toBeNull();
    expect(parseGroups('women: 1,5; men: 2')).toEqual([{ group: 'women', value: 1.5 }, { group: 'men', value: 2 }]);
  });

  it('reads a day written as Belarusian and Russian write it, and shows numbers back as the reader writes them', () => {
    expect(typedDay('2026-12-01')).toBe('2026-12-01');
    expect(typedDay('01.12.2026')).toBe('2026-12-01');
    expect(typedDay('1.2.2026')).toBe('2026-02-01');
    expect(typedDay('30.02.2026')).toBeNull();
    expect(typedDay('12/01/2026')).toBeNull();
    expect(editableNumber(12500.5, 'ru')).toBe('12500,5');
    expect(editableNumber(12500.5, 'en')).toBe('12500.5');
    expect(editableNumber(12500, 'be')).toBe('12500');
    for (const lng of ['en', 'ru', 'be']) expect(toNumber(editableNumber(12500.75, lng))).toBe(12500.75);
    const draft = draftFrom(action, null, 'ru');
    draft.values[0] = { ...draft.values[0]!, value: '20,5', date: '01.12.2025' };
    const built = bodyFrom(draft);
    expect(built.ok && built.body.values[0]).toMatchObject({ value: 20.5, date: '2025-12-01' });
  });

  it('names the server\'s refusals by the form\'s boxes: a value by its indicator, not its place in the body', () => {
    // The first indicator's value is left empty, so the body's first value is the second indicator's.
    const draft = draftFrom(action, null);
    draft.spent = '5';
    draft.values[1]!.value = '3';
    draft.values[0]!.disaggregated = { sex: '' };
    const built = bodyFrom(draft);
    if (!built.ok) throw new Error('the draft should be sendable');
    const withGroups = { ...built.body, values: [{ ...built.body.values[0]!, indicatorId: 'i1', disaggregated: [{ dimension: 'sex', group: 'women', value: 1 }] }] };
    expect(formFieldsOf({ spentAmount: 'too big', 'values.0.source': 'too long', 'values.0.date': 'future', reason: 'say why' }, built.body)).toEqual({
      spent: 'too big',
      'source.i2': 'too long',
      'date.i2': 'future',
      reason: 'say why',
    });
    expect(formFieldsOf({ 'values.0.disaggregated.0.group': 'too long' }, withGroups)).toEqual({ 'disagg.i1.sex': 'too long' });
    // What the form has no box for keeps the server's name, and is said under the form.
    expect(formFieldsOf({ 'values.0.indicatorId': 'not in plan', 'values.3.value': 'x', corrects: 'draft' }, built.body)).toEqual({
      'values.0.indicatorId': 'not in plan',
      'values.3.value': 'x',
      corrects: 'draft',
    });
  });
});
