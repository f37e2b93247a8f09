/**
 * Names for files people download. Plans are written in Belarusian and Russian as often as in
 * English, so a name made of a title is transliterated (any-ascii: "Нацыянальны план" →
 * "natsyyanalny-plan") rather than stripped to nothing, as dropping every non-Latin letter did.
 */
import anyAscii from 'any-ascii';

/** Lower-case words of `text` in ASCII joined by hyphens, at most `max` characters, cut at a word. */
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
  return (lastBreak > 0 ? cut.slice(0, lastBreak) : cut.slice(0, max)).replace(/-+$/, '');
}

/** `text` cut to at most `max` characters at a word, without a dangling space or dash. */
export function shortTitle(text: string, max = 60): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, max + 1);
  const lastSpace = cut.lastIndexOf(' ');
  return (lastSpace > 0 ? cut.slice(0, lastSpace) : cut.slice(0, max)).replace(/[\s\-–—,;:.]+$/u, '');
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
