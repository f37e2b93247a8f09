import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * One place for the look of Accord (issue #12): colours, spacing and font sizes are design tokens
 * in client/styles/tokens.css, and every other stylesheet in client/ uses them through var().
 * A colour or size written out elsewhere drifts from the palette and can break contrast, so this
 * test names each one with its file and line.
 *
 * Allowed outside the tokens: 0, 1px (hairline borders, the -1px overlaps that go with them),
 * em and percentages (layout relative to the text or the container), and the keywords below.
 * Widths, heights and positions in px are layout, not spacing, and are not checked.
 */

const ROOT = join(import.meta.dirname, '..', '..');
const CLIENT = join(ROOT, 'client');
const TOKENS = join(CLIENT, 'styles', 'tokens.css');

/** Exceptions, each with why. Format: 'path/from/repo:line'. Keep this empty if you can. */
const EXCEPTIONS = new Set<string>([]);

/** CSS named colours (CSS Color 4), except the allowed keywords transparent and currentColor. */
const NAMED_COLOURS =
  'aliceblue antiquewhite aqua aquamarine azure beige bisque black blanchedalmond blue blueviolet brown ' +
  'burlywood cadetblue chartreuse chocolate coral cornflowerblue cornsilk crimson cyan darkblue darkcyan ' +
  'darkgoldenrod darkgray darkgreen darkgrey darkkhaki darkmagenta darkolivegreen darkorange darkorchid ' +
  'darkred darksalmon darkseagreen darkslateblue darkslategray darkslategrey darkturquoise darkviolet ' +
  'deeppink deepskyblue dimgray dimgrey dodgerblue firebrick floralwhite forestgreen fuchsia gainsboro ' +
  'ghostwhite gold goldenrod gray green greenyellow grey honeydew hotpink indianred indigo ivory khaki ' +
  'lavender lavenderblush lawngreen lemonchiffon lightblue lightcoral lightcyan lightgoldenrodyellow ' +
  'lightgray lightgreen lightgrey lightpink lightsalmon lightseagreen lightskyblue lightslategray ' +
  'lightslategrey lightsteelblue lightyellow lime limegreen linen magenta maroon mediumaquamarine ' +
  'mediumblue mediumorchid mediumpurple mediumseagreen mediumslateblue mediumspringgreen ' +
  'mediumturquoise mediumvioletred midnightblue mintcream mistyrose moccasin navajowhite navy oldlace ' +
  'olive olivedrab orange orangered orchid palegoldenrod palegreen paleturquoise palevioletred ' +
  'papayawhip peachpuff peru pink plum powderblue purple rebeccapurple red rosybrown royalblue ' +
  'saddlebrown salmon sandybrown seagreen seashell sienna silver skyblue slateblue slategray slategrey ' +
  'snow springgreen steelblue tan teal thistle tomato turquoise violet wheat white whitesmoke yellow ' +
  'yellowgreen';
const NAMED = new RegExp(`(?<![\\w-])(${NAMED_COLOURS.split(' ').join('|')})(?![\\w-])`, 'i');
const COLOUR_FUNCTION = /#[0-9a-f]{3,8}\b|\b(rgba?|hsla?|hwb|lab|lch|oklab|oklch|color)\(/i;
const SPACING_PROPERTY = /^(margin|padding)(-[a-z-]+)?$|^(gap|row-gap|column-gap)$/;
const LENGTH = /(?<![\w.-])-?(\d*\.)?\d+(px|rem)\b/gi;
const ALLOWED_SPACING = new Set(['1px', '-1px']);

function cssFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return cssFiles(path);
    return name.endsWith('.css') ? [path] : [];
  });
}

/** Blanks out comments and quoted strings, keeping line breaks so line numbers stay right. */
function stripCommentsAndStrings(css: string): string {
  const blank = (s: string) => s.replace(/[^\n]/g, ' ');
  return css.replace(/\/\*[\s\S]*?\*\//g, blank).replace(/'[^'\n]*'|"[^"\n]*"/g, blank);
}

interface Declaration {
  property: string;
  value: string;
  line: number;
}

/** Declarations (property: value) of a stylesheet; selectors and at-rule preludes are skipped. */
function declarations(css: string): Declaration[] {
  const text = stripCommentsAndStrings(css);
  const found: Declaration[] = [];
  const pattern = /(?<=[{;]\s*)([-a-zA-Z]+)\s*:([^;{}]*)/g;
  for (const match of text.matchAll(pattern)) {
    const line = text.slice(0, match.index).split('\n').length;
    found.push({ property: match[1]!.toLowerCase(), value: match[2]!, line });
  }
  return found;
}

/** Problems in one stylesheet's text, as 'line: what'. */
export function literalsIn(css: string): string[] {
  const problems: string[] = [];
  for (const { property, value, line } of declarations(css)) {
    const v = value.trim();
    if (COLOUR_FUNCTION.test(v) || NAMED.test(v)) problems.push(`${line}: colour in ${property}: ${v}`);
    if (property === 'font-size' && /\d(px|rem)\b/i.test(v)) problems.push(`${line}: font size ${v}`);
    if (SPACING_PROPERTY.test(property)) {
      const sizes = [...v.matchAll(LENGTH)].map((m) => m[0]).filter((s) => !ALLOWED_SPACING.has(s));
      if (sizes.length) problems.push(`${line}: spacing in ${property}: ${v}`);
    }
  }
  return problems;
}

describe('client stylesheets', () => {
  it('have one tokens file and other stylesheets to check', () => {
    const files = cssFiles(CLIENT);
    expect(files).toContain(TOKENS);
    expect(files.length).toBeGreaterThan(5);
  });

  it('find each kind of literal (the check itself works)', () => {
    const sample = [
      '.a {',
      '  color: #fff;',
      '  background: rgb(0 0 0 / 0.2);',
      '  border-color: white;',
      '  font-size: 0.875rem;',
      '  padding: 6px var(--space-2);',
      '  margin: 0 -1px;',
      '  gap: 1px;',
      '  width: 12px;',
      '  border: 1px solid currentColor;',
      '  white-space: nowrap;',
      '  background: var(--surface) transparent;',
      '}',
    ].join('\n');
    expect(literalsIn(sample)).toEqual([
      '2: colour in color: #fff',
      '3: colour in background: rgb(0 0 0 / 0.2)',
      '4: colour in border-color: white',
      '5: font size 0.875rem',
      '6: spacing in padding: 6px var(--space-2)',
    ]);
  });

  it('write no colour, font size or spacing outside client/styles/tokens.css', () => {
    const problems = cssFiles(CLIENT)
      .filter((path) => path !== TOKENS)
      .flatMap((path) => {
        const file = relative(ROOT, path);
        return literalsIn(readFileSync(path, 'utf8'))
          .filter((p) => !EXCEPTIONS.has(`${file}:${p.split(':')[0]}`))
          .map((p) => `${file}:${p}`);
      });
    expect(problems, `Use a token from client/styles/tokens.css instead:\n${problems.join('\n')}`).toEqual([]);
  });
});
