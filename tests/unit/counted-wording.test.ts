/**
 * Sentences with a number in them read as a person would write them, in each language's plural
 * forms (Belarusian and Russian have one, few and many), with no stray "(1)" or "indicator(s)",
 * and without counts of nothing: a notice that one's suggestions were decided, and the question
 * before deleting an action.
 */
import { describe, expect, it } from 'vitest';
import { noticeText } from '../../client/features/notifications/noticeText.ts';
import { actionDeletionText } from '../../client/features/actions/deletionText.ts';
import { translator } from '../helpers/i18n.ts';

const rejected = (count: number, reason?: string) => ({
  kind: 'suggestion_decided' as const,
  text: {
    key: reason ? ('suggestions_rejected_reason' as const) : ('suggestions_rejected' as const),
    params: { who: 'Andrei Petrov', title: 'Right to a fair trial', count, ...(reason ? { reason } : {}) },
  },
});
const accepted = (count: number) => ({ kind: 'suggestion_decided' as const, text: { key: 'suggestions_accepted' as const, params: { who: 'Andrei Petrov', title: 'Right to a fair trial', count } } });

describe('a notice that one’s suggestions were decided', () => {
  it('in English: one suggestion without a count, several counted', async () => {
    const t = await translator('en');
    expect(noticeText(rejected(1), t, 'en')).toBe('Your suggestion in “Right to a fair trial” was rejected by Andrei Petrov.');
    expect(noticeText(rejected(3), t, 'en')).toBe('3 of your suggestions in “Right to a fair trial” were rejected by Andrei Petrov.');
    expect(noticeText(rejected(1, 'Out of scope.'), t, 'en')).toBe('Your suggestion in “Right to a fair trial” was rejected by Andrei Petrov. Reason: Out of scope.');
    expect(noticeText(accepted(2), t, 'en')).toBe('2 of your suggestions in “Right to a fair trial” were accepted by Andrei Petrov.');
  });

  it('in Russian and Belarusian: one, few and many', async () => {
    const ru = await translator('ru');
    expect(noticeText(rejected(1), ru, 'ru')).toBe('В разделе «Right to a fair trial» отклонена 1 ваша предложенная правка (Andrei Petrov).');
    expect(noticeText(rejected(3), ru, 'ru')).toBe('В разделе «Right to a fair trial» отклонены 3 ваши предложенные правки (Andrei Petrov).');
    expect(noticeText(rejected(5), ru, 'ru')).toBe('В разделе «Right to a fair trial» отклонено 5 ваших предложенных правок (Andrei Petrov).');
    expect(noticeText(rejected(21), ru, 'ru')).toBe('В разделе «Right to a fair trial» отклонена 21 ваша предложенная правка (Andrei Petrov).');
    expect(noticeText(accepted(2), ru, 'ru')).toBe('В разделе «Right to a fair trial» приняты 2 ваши предложенные правки (Andrei Petrov).');
    const be = await translator('be');
    expect(noticeText(rejected(1), be, 'be')).toBe('У раздзеле «Right to a fair trial» адхілена 1 ваша прапанаваная праўка (Andrei Petrov).');
    expect(noticeText(rejected(4), be, 'be')).toBe('У раздзеле «Right to a fair trial» адхілены 4 вашы прапанаваныя праўкі (Andrei Petrov).');
    expect(noticeText(rejected(11, 'Па-за межамі.'), be, 'be')).toBe('У раздзеле «Right to a fair trial» адхілена 11 вашых прапанаваных правак (Andrei Petrov). Прычына: Па-за межамі.');
  });

  it('never with a count in brackets, in any language', async () => {
    for (const lng of ['en', 'be', 'ru'] as const) {
      const t = await translator(lng);
      for (const count of [1, 2, 5, 21]) {
        for (const n of [rejected(count), rejected(count, 'x'), accepted(count)]) expect(noticeText(n, t, lng)).not.toMatch(/\(\d+\)|: \d+\)/);
      }
    }
  });
});

describe('the question before deleting an action', () => {
  const action = (indicators: number, recs: number) => ({ title: 'Train judges', indicators, recs });

  it('in English: counts what goes with it, and leaves out what it does not have', async () => {
    const t = await translator('en');
    expect(actionDeletionText(t, 'en', action(0, 0))).toBe('The action “Train judges” will be deleted for everyone.');
    expect(actionDeletionText(t, 'en', action(1, 0))).toBe('The action “Train judges” will be deleted for everyone, with its indicator.');
    expect(actionDeletionText(t, 'en', action(0, 1))).toBe(
      'The action “Train judges” will be deleted for everyone, with its link to 1 recommendation. The recommendations stay in the plan.',
    );
    expect(actionDeletionText(t, 'en', action(2, 3))).toBe(
      'The action “Train judges” will be deleted for everyone, with its 2 indicators and its links to 3 recommendations. The recommendations stay in the plan.',
    );
  });

  it('in Russian and Belarusian, in the forms their numbers take', async () => {
    const ru = await translator('ru');
    expect(actionDeletionText(ru, 'ru', action(0, 0))).toBe('Мероприятие «Train judges» будет удалено для всех.');
    expect(actionDeletionText(ru, 'ru', action(1, 0))).toBe('Мероприятие «Train judges» будет удалено для всех вместе с его 1 индикатором.');
    expect(actionDeletionText(ru, 'ru', action(2, 5))).toBe(
      'Мероприятие «Train judges» будет удалено для всех вместе с его 2 индикаторами и со связями с 5 рекомендациями. Сами рекомендации останутся в плане.',
    );
    expect(actionDeletionText(ru, 'ru', action(0, 21))).toBe(
      'Мероприятие «Train judges» будет удалено для всех вместе со связью с 21 рекомендацией. Сами рекомендации останутся в плане.',
    );
    const be = await translator('be');
    expect(actionDeletionText(be, 'be', action(3, 1))).toBe(
      'Мерапрыемства «Train judges» будзе выдалена для ўсіх разам з яго 3 індыкатарамі і з сувяззю з 1 рэкамендацыяй. Самі рэкамендацыі застануцца ў плане.',
    );
  });

  it('never says "(s)" or counts nothing, in any language', async () => {
    for (const lng of ['en', 'be', 'ru'] as const) {
      const t = await translator(lng);
      for (const [i, r] of [[0, 0], [0, 2], [3, 0], [1, 1], [5, 22]] as const) {
        const text = actionDeletionText(t, lng, action(i, r));
        expect(text).not.toMatch(/\(s\)|\b0\b/);
      }
    }
  });
});
