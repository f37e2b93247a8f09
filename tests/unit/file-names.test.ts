import { describe, expect, it } from 'vitest';
import { suggestSlug } from '../../server/services/publicRecord/publications.ts';
import { asciiSlug, attachmentDisposition, savableName, shortTitle } from '../../server/fileNames.ts';

describe('file names for downloads', () => {
  it('transliterates Belarusian and Russian titles instead of dropping them', () => {
    expect(asciiSlug('Нацыянальны план дзеянняў па правах чалавека ў 2027–2030 гг.', 100)).toBe(
      'natsyyanalny-plan-dzeyannyau-pa-pravakh-chalaveka-u-2027-2030-gg',
    );
    expect(asciiSlug('Национальный план, ёлка')).toBe('natsionalnyy-plan-elka');
  });

  it('suggests a public address from a Cyrillic title, not a bare period', () => {
    expect(suggestSlug('Национальный план действий по правам человека', 2026, 2030)).toBe('natsionalnyy-plan-deystviy-po-pravam-cheloveka');
    expect(suggestSlug('План', 2026, 2030)).toBe('plan');
    expect(suggestSlug('', 2026, 2030)).toBe('plan-2026-2030');
  });

  it('cuts a slug at a word', () => {
    expect(asciiSlug('national human rights plan', 20)).toBe('national-human');
    expect(asciiSlug('abcdefghijklmnopqrstuvwxyz', 10)).toBe('abcdefghij');
    expect(asciiSlug('')).toBe('');
  });

  it('shortens a title at a word, with nothing dangling', () => {
    expect(shortTitle('National Human Rights Plan – 2026', 28)).toBe('National Human Rights Plan');
    expect(shortTitle('  short  title ')).toBe('short title');
  });

  it('never ends a cut name on a word that joins it to what was cut off', () => {
    // The act an adopted version is named after, cut to the 40 characters a file name gives it.
    expect(asciiSlug('Утверждён: Resolution of the Council of Ministers of the Republic of Belarus', 40)).toBe('utverzhden-resolution-of-the-council');
    expect(asciiSlug('Зацверджаны: пастанова ўрада па правах і свабодах чалавека', 41)).toBe('zatsverdzhany-pastanova-urada-pa-pravakh');
    expect(asciiSlug('Утверждён: указ о плане действий и мерах', 36)).toBe('utverzhden-ukaz-o-plane-deystviy');
    expect(asciiSlug('Adopted: Decree No. 123 of 2 December 2026', 20)).toBe('adopted-decree');
    // A name that fits is left whole, joining words and all.
    expect(asciiSlug('Plan of action', 40)).toBe('plan-of-action');
    expect(shortTitle('National Human Rights Plan of the Republic of Belarus', 37)).toBe('National Human Rights Plan');
    expect(shortTitle('Национальный план действий по правам и свободам человека', 42)).toBe('Национальный план действий по правам');
    expect(shortTitle('Нацыянальны план дзеянняў па правах чалавека', 30)).toBe('Нацыянальны план дзеянняў');
  });

  it('makes names every system can save: a colon reads as a dash', () => {
    expect(savableName('Progress report: Mid-term 2028.pdf')).toBe('Progress report - Mid-term 2028.pdf');
    expect(savableName('a/b\\c*?"<>|.pdf')).toBe('abc.pdf');
  });

  it('offers the UTF-8 name and a readable ASCII one', () => {
    expect(attachmentDisposition('План: Справаздача.pdf')).toBe(
      `attachment; filename="Plan - Spravazdacha.pdf"; filename*=UTF-8''${encodeURIComponent('План - Справаздача.pdf')}`,
    );
  });
});
