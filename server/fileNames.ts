/**
 * Names for files people download. Plans are written in Belarusian and Russian as often as in
 * English, so a name made of a title is transliterated (any-ascii: "Нацыянальны план" →
 * "natsyyanalny-plan") rather than stripped to nothing, as dropping every non-Latin letter did.
 */
import anyAscii from 'any-ascii';

/**
 * Words that only join the words around them, as they come out transliterated: English "of",
 * "the", "and"; Russian "и", "в", "по", "для"; Belarusian "і", "ў", "па", "ад"; and "No." without
 * its number. A name cut after one ("…-resolution-of-the-council-of") reads as broken off
 * mid-phrase, so a cut never ends on them.
 */
const JOINING_WORDS = new Set([
  // English
  ...['a', 'an', 'and', 'as', 'at', 'by', 'for', 'from', 'in', 'into', 'of', 'on', 'or', 'the', 'to', 'with', 'no', 'nr'],
  // Russian
  ...['i', 'ili', 'v', 'vo', 'na', 'po', 'o', 'ob', 'ot', 'do', 'iz', 's', 'so', 'k', 'ko', 'u', 'za', 'dlya', 'pri', 'pod', 'nad'],
  // Belarusian (and "і", "ў", "па", "на", "за", "для" above)
  ...['pa', 'z', 'ad', 'ab', 'da', 'pry', 'tsi', 'abo', 'ta'],
]);

/**
 * Lower-case words of `text` in ASCII joined by hyphens, at most `max` characters, cut at a word
 * and never after a joining word ("of", "и", "па"): "…-resolution-of-the-council", not
 * "…-resolution-of-the-council-of".
 */
export function asciiSlug(text: string, max = 60): string {
  const words = anyAscii(text)
    .toLowerCase()
    // A soft sign comes out as an apostrophe ("natsyyanal'ny"): part of the word, not a break.
    .replace(/'/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (words.length <= max) return words;
  const cut = words.slice(0, max + 1);
  const lastBreak = cut.lastIndexOf('-');
  if (lastBreak <= 0) return cut.slice(0, max);
  const kept = cut.slice(0, lastBreak).split('-').filter(Boolean);
  while (kept.length > 1 && JOINING_WORDS.has(kept[kept.length - 1]!)) kept.pop();
  return kept.join('-');
}

/** Whether a word as written ("of", "и", "па", "№") is a joining word: judged by its transliteration. */
const joining = (word: string) => JOINING_WORDS.has(anyAscii(word).toLowerCase().replace(/[^a-z0-9]/g, ''));

/** `text` cut to at most `max` characters at a word, without a dangling space, dash or joining word ("of", "и", "па"). */
export function shortTitle(text: string, max = 60): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, max + 1);
  const lastSpace = cut.lastIndexOf(' ');
  if (lastSpace <= 0) return cut.slice(0, max).replace(/[\s\-–—,;:.]+$/u, '');
  const tidy = (s: string) => s.replace(/[\s\-–—,;:.]+$/u, '');
  const kept = tidy(cut.slice(0, lastSpace)).split(' ');
  while (kept.length > 1 && joining(kept[kept.length - 1]!)) kept.pop();
  return tidy(kept.join(' '));
}

/**
 * A name every common system can save under: a colon ("Progress report: Mid-term 2028") becomes
 * " - " rather than the "_" browsers put in its place; other reserved characters are dropped.
 */
export function savableName(name: string): string {
  return name
    .replace(/\s*:\s*/g, ' - ')
    .replace(/[\\/*?"<>|\u0000-\u001f\u007f]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * `attachment` with the exact name in UTF-8 (RFC 5987 / RFC 6266) and, for clients that read only
 * `filename`, the same name transliterated to ASCII.
 */
export function attachmentDisposition(name: string): string {
  const savable = savableName(name);
  const ascii = savableName(anyAscii(savable).replace(/[^\x20-\x7e]/g, '_'));
  const encoded = encodeURIComponent(savable).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
