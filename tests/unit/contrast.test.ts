import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ORGANISATION_PALETTE } from '../../server/services/accounts.ts';

/**
 * WCAG 2.2 AA contrast (4.5:1 for text) of the colours the section editor paints words with
 * (issue #17): suggested insertions and deletions in their author's organisation colour, proposed
 * formatting, comment highlights, other people's caret labels, and the status and notice colours
 * of client/styles/tokens.css. The colours are read from tokens.css and the mixing percentages
 * from client/editor/editor.css, so a change to either that breaks contrast fails here, naming
 * the pair.
 */
const ROOT = join(import.meta.dirname, '..', '..');
const TOKENS_CSS = readFileSync(join(ROOT, 'client', 'styles', 'tokens.css'), 'utf8');
const EDITOR_CSS = readFileSync(join(ROOT, 'client', 'editor', 'editor.css'), 'utf8');
const AA_TEXT = 4.5;

type Rgb = [number, number, number];

function token(name: string): Rgb {
  const m = new RegExp(`--${name}:\\s*(#[0-9a-fA-F]{3,6})\\s*;`).exec(TOKENS_CSS);
  if (!m) throw new Error(`--${name} is not a hex colour in tokens.css`);
  return hex(m[1]!);
}

function hex(value: string): Rgb {
  let h = value.replace('#', '');
  if (h.length === 3) h = [...h].map((c) => c + c).join('');
  return [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16)) as Rgb;
}

/** color-mix(in srgb, a p%, b): per channel in gamma-encoded sRGB, as browsers do. */
const mix = (a: Rgb, p: number, b: Rgb): Rgb => a.map((c, i) => c * p + b[i]! * (1 - p)) as Rgb;

function luminance([r, g, b]: Rgb): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

export function contrast(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** The percentage editor.css mixes the author's colour with in the rule that starts with `selector`. */
function mixPercent(selector: string, property: 'color' | 'background', other = ''): number {
  const at = EDITOR_CSS.indexOf(selector + ' {');
  if (at < 0) throw new Error(`${selector} is not in editor.css`);
  const rule = EDITOR_CSS.slice(at, EDITOR_CSS.indexOf('}', at));
  const m = new RegExp(`(?:^|\\s)${property}:\\s*color-mix\\(in srgb, var\\(--suggestion-color\\) (\\d+)%${other}`).exec(rule);
  if (!m) throw new Error(`${selector} has no ${property} mixed from --suggestion-color`);
  return Number(m[1]) / 100;
}

const WHITE = token('surface');
const TEXT = token('text');
/** Every colour a suggestion or caret can take: each organisation's, the defaults, the unknown author's. */
const AUTHOR_COLOURS: Array<[string, Rgb]> = [
  ...Object.entries(ORGANISATION_PALETTE).flatMap(([side, colours]) => colours.map((c): [string, Rgb] => [`${side} ${c}`, hex(c)])),
  ['insert default', token('suggestion-insert-default')],
  ['delete default', token('suggestion-delete-default')],
  ['unknown author #505a5f', hex('#505a5f')],
];

function failures(pairs: Array<[string, Rgb, Rgb]>, minimum = AA_TEXT): string[] {
  return pairs.filter(([, fg, bg]) => contrast(fg, bg) < minimum).map(([what, fg, bg]) => `${what}: ${contrast(fg, bg).toFixed(2)}:1`);
}

describe('contrast of the editor colours (WCAG 2.2 AA, 4.5:1 for text)', () => {
  it('computes contrast as WCAG defines it', () => {
    expect(contrast(hex('#000'), hex('#fff'))).toBeCloseTo(21, 5);
    expect(contrast(hex('#777'), hex('#fff'))).toBeCloseTo(4.48, 2);
  });

  it('suggested insertions: the author colour on its own tint', () => {
    const tint = mixPercent('.ProseMirror ins [data-suggestion-author]', 'background');
    const ink = mixPercent('.ProseMirror ins [data-suggestion-author]', 'color', ', var\\(--text\\)');
    const authors = AUTHOR_COLOURS.filter(([name]) => name !== 'delete default');
    expect(failures(authors.map(([name, c]) => [`insertion by ${name}`, mix(c, ink, TEXT), mix(c, tint, WHITE)]))).toEqual([]);
    // Without an author (a suggestion read before the list of members arrives): the default green.
    const insertDefault = token('suggestion-insert-default');
    expect(failures([['insertion, no author', insertDefault, mix(insertDefault, 0.1, WHITE)]])).toEqual([]);
  });

  it('suggested deletions: the author colour darkened, on the page', () => {
    const share = mixPercent('.ProseMirror del [data-suggestion-author]', 'color');
    const grey = token('suggestion-delete-mix');
    expect(failures(AUTHOR_COLOURS.map(([name, c]) => [`deletion by ${name}`, mix(c, share, grey), WHITE]))).toEqual([]);
  });

  it('proposed formatting and suggested paragraphs: the text on the author tint', () => {
    const format = mixPercent('.ProseMirror .suggestion--format [data-suggestion-author]', 'background');
    expect(failures(AUTHOR_COLOURS.map(([name, c]) => [`format change by ${name}`, TEXT, mix(c, format, WHITE)]))).toEqual([]);
    expect(failures(AUTHOR_COLOURS.map(([name, c]) => [`suggested paragraph by ${name}`, TEXT, mix(c, 0.06, WHITE)]))).toEqual([]);
  });

  it("other people's caret labels: white on the organisation colour", () => {
    expect(failures(AUTHOR_COLOURS.map(([name, c]) => [`caret label of ${name}`, token('text-inverse'), c]))).toEqual([]);
  });

  it('comment highlights, links, notices and status colours', () => {
    const pairs: Array<[string, Rgb, Rgb]> = [
      ['text on a comment highlight', TEXT, token('comment-highlight-bg')],
      ['text on the active comment highlight', TEXT, token('comment-highlight-active-bg')],
      ['muted text on the page', token('text-muted'), WHITE],
      ['muted text on a subtle background', token('text-muted'), token('bg-subtle')],
      ['links', token('link'), WHITE],
      ['"Saved"', token('success'), WHITE],
      ['"Offline"', token('warning-text'), token('warning-bg')],
      ['"Not saved"', token('conn-failing-text'), token('error-bg')],
      ['deleted words in a comparison', token('suggestion-del-text'), token('diff-del-bg')],
      ['inserted words in a comparison', TEXT, token('diff-ins-bg')],
      ['text on an info notice', TEXT, token('info-bg')],
      ['primary button', token('text-inverse'), token('primary')],
      ['danger button', token('text-inverse'), token('danger')],
    ];
    expect(failures(pairs)).toEqual([]);
  });
});
