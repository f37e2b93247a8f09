import { detect } from 'chardet';
import { describe, expect, it } from 'vitest';
import { decodeText, parseImport } from '../../server/import/index.ts';
import { implausibility } from '../../server/import/singleByte.ts';
import { canEncode, encodeAs, FILE_ENCODINGS, uprInfoCsv } from '../helpers/encodings.ts';

// Recommendation texts as States write them, in the languages of the files people bring.
const SAMPLES = {
  be: 'Ратыфікаваць Факультатыўны пратакол да Міжнароднага пакта аб грамадзянскіх і палітычных правах; узмацніць барацьбу з гандлём людзьмі',
  ru: 'Ратифицировать Факультативный протокол к Международному пакту о гражданских и политических правах; усилить борьбу с торговлей людьми',
  fr: 'Ratifier la Convention internationale pour la protection de toutes les personnes contre les disparitions forcées',
  es: 'Ratificar la Convención internacional sobre la protección de los derechos de todos los trabajadores migratorios y de sus familiares',
} as const;



describe('the encoding of an uploaded file', () => {
  for (const [language, sample] of Object.entries(SAMPLES)) {
    for (const { encoding, bom } of FILE_ENCODINGS) {
      // Cyrillic has no Mac Roman or Windows-1252 bytes, French no Cyrillic ones; Belarusian's
      // і and ў have no KOI8-R bytes (KOI8-R is Russian only).
      if (!canEncode(sample, encoding)) continue;
      const name = `${language} text in ${encoding}${bom ? ' with a BOM' : ''}`;
      it(`reads ${name}`, () => {
        const csv = uprInfoCsv(sample);
        const decoded = decodeText(encodeAs(csv, encoding, { bom }));
        expect(decoded.encoding).toBe(encoding);
        expect(decoded.text).toBe(csv.replace(/\r\n/g, '\n'));
        const parsed = parseImport({ filename: 'upr-info.csv', bytes: encodeAs(csv, encoding, { bom }) });
        expect(parsed.encoding).toBe(encoding);
        expect(parsed.rows.map((r) => r.recommendation.text)).toEqual([sample]);
        // A guessed code page is named, for the person to check; Unicode is certain.
        const guessed = parsed.warnings.filter((w) => w.code === 'encoding_guessed');
        expect(guessed).toEqual(encoding.startsWith('utf-') ? [] : [expect.objectContaining({ params: { encoding } })]);
      });
    }
  }

  it('cannot put Belarusian into KOI8-R, so no such file exists to read', () => {
    expect(canEncode(SAMPLES.be, 'koi8-r')).toBe(false);
    expect(canEncode(SAMPLES.ru, 'koi8-r')).toBe(true);
  });

  it('reads single short words right where chardet alone misreads them', () => {
    const misread: string[] = [];
    for (const word of ['Беларусь', 'Прынята', 'Поддержана', 'ЗАКОН', 'Расія', 'Швецыя', 'Отмечена']) {
      for (const encoding of ['windows-1251', 'koi8-r'] as const) {
        if (!canEncode(word, encoding)) continue;
        const bytes = encodeAs(word, encoding);
        if (detect(bytes)?.toLowerCase() !== encoding) misread.push(`${word} ${encoding}`);
        expect(decodeText(bytes), `${word} in ${encoding}`).toMatchObject({ text: word, encoding });
      }
    }
    // What this guards: chardet's answer for these is Shift_JIS, Big5, ISO-8859-6…
    expect(misread.length).toBeGreaterThan(5);
  });

  it('keeps plain ASCII as UTF-8, without a warning', () => {
    const decoded = decodeText(new TextEncoder().encode('To,Text\nBelarus,Ratify the Convention\n'));
    expect(decoded).toMatchObject({ encoding: 'utf-8', warnings: [] });
  });

  it('still refuses a binary file, even one with NUL bytes on one side like UTF-16', () => {
    const binary = Uint8Array.from({ length: 4000 }, (_, i) => (i % 2 === 1 ? 0 : (i * 7) % 32));
    expect(() => decodeText(binary)).toThrow(expect.objectContaining({ code: 'not_text' }));
  });
});

describe('an encoding the person chose', () => {
  const csv = uprInfoCsv(SAMPLES.ru);

  it('is used instead of the detected one, without the "guessed" warning', () => {
    const bytes = encodeAs(csv, 'windows-1251');
    const asKoi = decodeText(bytes, 'koi8-r');
    expect(asKoi.encoding).toBe('koi8-r');
    expect(asKoi.text).not.toContain('Ратифицировать');
    expect(asKoi.warnings).toEqual([]);
    const parsed = parseImport({ filename: 'upr-info.csv', bytes: encodeAs(csv, 'koi8-r'), encoding: 'koi8-r' });
    expect(parsed.rows[0]!.recommendation.text).toBe(SAMPLES.ru);
    expect(parsed.warnings.map((w) => w.code)).not.toContain('encoding_guessed');
  });

  it('says how many characters a wrong Unicode choice could not read', () => {
    const decoded = decodeText(encodeAs(csv, 'windows-1251'), 'utf-8');
    const letters = [...SAMPLES.ru].filter((ch) => ch.charCodeAt(0) > 0x7f).length;
    expect(decoded.warnings).toEqual([
      expect.objectContaining({ code: 'undecodable_characters', params: { n: letters, encoding: 'utf-8' } }),
    ]);
  });
});

describe('what real text does not have', () => {
  it('scores the right decoding below the wrong ones', () => {
    const bytes = encodeAs(SAMPLES.fr, 'macintosh');
    const right = implausibility(new TextDecoder('macintosh').decode(bytes));
    expect(right).toBe(0);
    for (const wrong of ['windows-1252', 'windows-1251', 'koi8-r']) {
      expect(implausibility(new TextDecoder(wrong).decode(bytes)), wrong).toBeGreaterThan(0);
    }
    expect(implausibility('forcŽes')).toBe(1); // a capital inside a word
    expect(implausibility('Convenci—n')).toBe(1); // a dash glued inside a word
    expect(implausibility('Ðàòèôèöèðîâàòü')).toBeGreaterThan(0); // Cyrillic read as Windows-1252
    expect(implausibility('Côte d’Ivoire, l’État, España, ¿Año?')).toBe(0);
  });
});
