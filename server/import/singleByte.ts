import { analyse } from 'chardet';
import type { ImportEncoding } from '../../shared/api/recommendations.ts';

/**
 * Which single-byte code page a file that is not Unicode was written in. Every byte sequence
 * "decodes" in every code page, so the choice rests on what the decoded text looks like: chardet's
 * statistics alone confuse Windows-1251 with KOI8-R (and Mac Cyrillic) on a few sentences, and
 * have no Mac Roman at all. Each candidate's text is scored for what real text never has, and the
 * most plausible one wins; chardet only settles ties.
 */

export type SingleByteEncoding = Extract<ImportEncoding, 'windows-1251' | 'koi8-r' | 'macintosh' | 'windows-1252'>;

/** Candidates, in the order that settles a tie nothing else settles. */
export const SINGLE_BYTE_ENCODINGS: readonly SingleByteEncoding[] = ['windows-1251', 'koi8-r', 'windows-1252', 'macintosh'];

/** chardet's names for what Accord reads as each candidate (ISO-8859-1 is Windows-1252's subset). */
const CHARDET_NAMES: Record<string, SingleByteEncoding> = {
  'windows-1251': 'windows-1251',
  'KOI8-R': 'koi8-r',
  'windows-1252': 'windows-1252',
  'ISO-8859-1': 'windows-1252',
};

/** How much of the file is judged: plenty of words, cheap to decode four times. */
const SAMPLE_BYTES = 64 * 1024;

/** Punctuation and signs real documents use beyond ASCII; anything else non-alphanumeric is suspect. */
const USUAL_SIGNS = new Set([...'«»„“”‘’‚‹›–—…№§°•€£¥¢©®¿¡·×±\u00a0\u00ad']);

const LATIN = /\p{Script=Latin}/u;
const CYRILLIC = /\p{Script=Cyrillic}/u;
const LETTER = /\p{L}/u;

/** The most frequent letters of Russian and Belarusian text (about 60% of letters in either). */
const COMMON_CYRILLIC = new Set([...'оеаинтсрвлкыіу']);

/**
 * How many things in the text real text does not have: control characters, unusual symbols,
 * letters of other scripts, signs glued between letters, and words that mix Latin with Cyrillic
 * letters, switch to a capital in the middle ("forcŽes", "рАТЫФ") or string three accented
 * Latin letters together ("Ðàòèôèöèðîâàòü" is Cyrillic read as Windows-1252). Words of plain
 * ASCII are skipped: they read the same in every candidate.
 */
export function implausibility(text: string): number {
  let bad = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) {
      if ((c < 0x20 && ch !== '\t' && ch !== '\n' && ch !== '\r' && ch !== '\f') || c === 0x7f) bad++;
    } else if (c <= 0x9f) bad++; // C1 controls: bytes a code page leaves undefined
    else if (LETTER.test(ch)) {
      if (!LATIN.test(ch) && !CYRILLIC.test(ch)) bad++;
    } else if (!/[\p{N}\s]/u.test(ch) && !USUAL_SIGNS.has(ch)) bad++;
  }
  // A dash or sign glued between two letters ("Convenci—n" is Mac Roman "ó" read as Windows-1252);
  // apostrophes and the Catalan middle dot do sit there.
  bad += [...text.matchAll(/\p{L}[^\p{L}\x00-\x7f’‘ʼ·\u00ad]\p{L}/gu)].length;
  for (const [word] of text.matchAll(/\p{L}+/gu)) {
    if (/^[\x00-\x7f]*$/.test(word)) continue;
    if (LATIN.test(word) && CYRILLIC.test(word)) bad++;
    else if (/\p{Ll}\p{Lu}/u.test(word)) bad++;
    else if (/[^\x00-\x7f\P{Script=Latin}]{3}/u.test(word)) bad++;
  }
  return bad;
}

/** Share of Cyrillic letters that are among the most frequent ones; 0 without Cyrillic letters. */
export function commonCyrillicShare(text: string): number {
  let cyrillic = 0;
  let common = 0;
  for (const ch of text) {
    if (!CYRILLIC.test(ch) || !LETTER.test(ch)) continue;
    cyrillic++;
    if (COMMON_CYRILLIC.has(ch.toLowerCase())) common++;
  }
  return cyrillic === 0 ? 0 : common / cyrillic;
}

/**
 * The candidate whose decoding of the file reads most like real text; among equals, the one whose
 * Cyrillic letters are the commonest ones (Windows-1251 and KOI8-R both give Cyrillic letters, and
 * in the wrong one the frequent letters are rare), then the one chardet is surest of.
 */
export function guessSingleByte(bytes: Uint8Array): SingleByteEncoding {
  const sample = bytes.subarray(0, SAMPLE_BYTES);
  const confidence = new Map<SingleByteEncoding, number>();
  for (const match of analyse(sample)) {
    const name = CHARDET_NAMES[match.name];
    if (name) confidence.set(name, Math.max(confidence.get(name) ?? 0, match.confidence));
  }
  const scored = SINGLE_BYTE_ENCODINGS.map((encoding, order) => {
    const text = new TextDecoder(encoding).decode(sample);
    return { encoding, order, bad: implausibility(text), common: commonCyrillicShare(text), confidence: confidence.get(encoding) ?? 0 };
  });
  scored.sort((a, b) => a.bad - b.bad || b.common - a.common || b.confidence - a.confidence || a.order - b.order);
  return scored[0]!.encoding;
}
