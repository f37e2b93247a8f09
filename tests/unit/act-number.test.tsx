/**
 * A ministry writes its act's number as it is printed ("No. 123", "№ 123"); Accord prints its
 * language's sign before the number, so the sign must not come twice ("No. No. 123", "№ No. 123").
 */
import { describe, expect, it } from 'vitest';
import { bareActNumber } from '../../shared/monitoring/actNumber.ts';
import { AdoptingActSchema } from '../../shared/api/monitoring.ts';
import { renderPage } from '../../server/public/html.tsx';
import { PlanTextPage } from '../../server/public/pages/PlanText.tsx';
import { publicWords } from '../../server/public/i18n/index.ts';
import { sampleSnapshot } from '../helpers/publicSnapshot.ts';

describe('the number of the act that adopted the plan', () => {
  it('is kept without the number sign it was typed with', () => {
    expect(['No. 123', 'no 123', 'Nos. 12', 'Nr. 7', '№ 45', '№45', '#9', '123', '  No.  123/2026 '].map(bareActNumber)).toEqual(['123', '123', '12', '7', '45', '45', '9', '123', '123/2026']);
    // A number that merely starts with the letters stays whole.
    expect(bareActNumber('Nord-12')).toBe('Nord-12');
    expect(['N 123', 'Nº 123', 'N° 123', '№№ 12, 13'].map(bareActNumber)).toEqual(['123', '123', '123', '12, 13']);
    expect(AdoptingActSchema.parse({ title: 'Resolution of the Council of Ministers', number: 'No. 123', date: '2026-12-01' }).number).toBe('123');
  });

  it('prints one sign in each language, also for an act stored with its sign before this rule', () => {
    for (const [lang, sign] of [['en', 'No. 123'], ['be', '№ 123'], ['ru', '№ 123']] as const) {
      const s = sampleSnapshot();
      s.adoption = { actTitle: 'Resolution', actNumber: 'No. 123', actDate: '2026-12-01', actUrl: null, contentHash: 'a'.repeat(64), leftOut: [] };
      const html = renderPage(
        <PlanTextPage ctx={{ slug: 'belarus-2026', publicationId: 'pub-1', hash: 'f'.repeat(64), snapshot: s, words: publicWords({ lang, from: 'query' }), path: '/p/belarus-2026' }} />,
      );
      expect(html, lang).toContain(sign);
      expect(html, lang).not.toMatch(/(No\.|№)\s*(No\.|№)/);
    }
  });
});
