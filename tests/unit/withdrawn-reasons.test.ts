/**
 * The reasons Accord writes when it withdraws signatures are stored in English words and read back
 * by the browser to say them in the reader's language: what the server writes, the browser knows.
 */
import { describe, expect, it } from 'vitest';
import { reopeningOf, withdrawnByReopening, WITHDRAWN_BACK_TO_DRAFTING } from '../../shared/api/agreement.ts';
import be from '../../client/i18n/locales/be.json';

describe('the reasons Accord gives for withdrawn signatures', () => {
  it('reads back who reopened a section and why, also a reason with colons and lines', () => {
    const reason = 'The ministry asks: a later deadline.\nAnd a new indicator.';
    expect(reopeningOf(withdrawnByReopening('Olga Kavalenka', reason))).toEqual({ who: 'Olga Kavalenka', reason });
    expect(reopeningOf(WITHDRAWN_BACK_TO_DRAFTING)).toBeNull();
    expect(reopeningOf('Ihar Sokal edited the section.')).toBeNull();
  });

  it('has Belarusian words for each', () => {
    expect(be.agreement.withdrawnReasonDrafting).toMatch(/[а-яіў]/);
    expect(be.agreement.withdrawnReasonReopened).toContain('{{who}}');
    expect(be.agreement.withdrawnReasonReopened).toContain('{{reason}}');
  });
});
