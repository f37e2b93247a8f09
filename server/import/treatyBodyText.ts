import type { ParsedImport } from '../../shared/api/recommendations.ts';
import { countryForIso3 } from './countries.ts';
import { chooseSymbol, issueDate, mostFrequent, warnWhereTaken, type SymbolSource } from './documentMeta.ts';
import { ImportFileError } from './errors.ts';
import { cleanText } from './normalise.ts';
import { removeFootnoteMarks, removePageFurniture } from './reportPages.ts';
import { ImportCollector } from './result.ts';
import type { ParserOptions } from './types.ts';
import { mechanismForBody } from './uhri.ts';
import { joinExtractedLines } from './unReportText.ts';

/**
 * Importer for the text of a treaty body's concluding observations (e.g. CCPR/C/BLR/CO/5), as
 * saved from the PDF: numbered paragraphs under theme headings ("Death penalty"), where the
 * recommendations are the paragraphs saying "The State party should…" or "The Committee
 * recommends that the State party…", often as a lettered list "(a) … (b) …". Each lettered item
 * is one recommendation; a recommending paragraph without letters is one. Treaty bodies are not
 * answered item by item as in the UPR, so every position is "pending".
 */

/** A concluding observations symbol: CCPR/C/BLR/CO/5, E/C.12/BLR/CO/6, CRC/C/BLR/CO/5-6, CRC/C/OPAC/BLR/CO/1. */
const CO_SYMBOL = /\b(?:(?:CCPR|CAT|CEDAW|CERD|CRC|CRPD|CED|CMW)\/C|E\/C\.12)(?:\/[A-Z]{2,}){1,2}\/CO\/\d+(?:-\d+)?(?:\/Add\.\d+)?/g;

/** The title that starts concluding observations ("Concluding observations on the fifth periodic report of Belarus"). */
const TITLE = /Concluding observations on the\s+[^\n]{0,160}?reports?\s+of\s+([^\n*]+)/i;

/** Whether a text looks like concluding observations: their title near the top and a CO symbol. */
export function looksLikeConcludingObservations(text: string): boolean {
  const top = text.slice(0, 6000);
  return TITLE.test(top) && new RegExp(CO_SYMBOL.source).test(top);
}

/** The sentence that makes a paragraph a recommendation. */
const LEAD_IN = new RegExp(
  [
    String.raw`The State party should`,
    String.raw`The State party is (?:(?:also|further|strongly)\s+)*(?:encouraged|urged|invited|called upon)\b`,
    String.raw`The Committee (?:(?:also|further|strongly|again|therefore)\s+)*(?:recommends|urges|calls upon|encourages|requests)(?: that)? the State party`,
    String.raw`The Committee reiterates its (?:previous )?recommendations? (?:that|to) the State party`,
  ]
    .map((s) => `\\b${s}`)
    .join('|'),
  'i',
);

/** A section heading ("C. Principal matters of concern and recommendations", "II. …"). */
const SECTION = /^\s*(?:[A-H]|[IVX]{1,4})\.\s+(\p{Lu}.*)$/u;
const PARAGRAPH_START = /^\s*(\d{1,3})\.\s+(\S.*)$/;

interface Paragraph {
  number: number;
  theme: string | null;
  lines: string[];
}

/** Could this line be (part of) a heading: short, capitalised, not ending a sentence. */
const headingLike = (line: string) => {
  const t = line.trim();
  return t.length > 0 && t.length <= 100 && /^\p{Lu}/u.test(t) && !/[.,;:]$/.test(t) && !PARAGRAPH_START.test(t);
};

/**
 * Splits the lines into numbered paragraphs, each with the theme heading it stands under.
 * Paragraphs are numbered 1, 2, 3… through the document, so only the next number starts one (a
 * wrapped line starting "12. " inside a paragraph does not); a heading is a run of short lines
 * after a finished sentence and right before the next paragraph.
 */
function splitObservations(lines: string[]): Paragraph[] {
  const paragraphs: Paragraph[] = [];
  let theme: string | null = null;
  const startsNext = (line: string | undefined) => {
    const m = line === undefined ? null : PARAGRAPH_START.exec(line);
    return m !== null && Number(m[1]) === (paragraphs.at(-1)?.number ?? 0) + 1;
  };
  const content = lines.filter((l) => l.trim());
  for (let i = 0; i < content.length; i++) {
    const line = content[i]!;
    if (startsNext(line)) {
      paragraphs.push({ number: Number(PARAGRAPH_START.exec(line)![1]), theme, lines: [line.replace(/^\s*\d{1,3}\.\s+/, '')] });
      continue;
    }
    const current = paragraphs.at(-1);
    const afterSentence = !current || /[.;:)]$/.test(current.lines.at(-1)!.trim());
    if (afterSentence && headingLike(line)) {
      let j = i;
      while (j < content.length && j < i + 3 && headingLike(content[j]!) && !startsNext(content[j])) j++;
      if (startsNext(content[j])) {
        let previousWasTheme = false;
        for (const h of content.slice(i, j)) {
          const section = SECTION.exec(h);
          if (section) [theme, previousWasTheme] = [cleanText(section[1]!), false];
          else [theme, previousWasTheme] = [previousWasTheme ? `${theme} ${cleanText(h)}` : cleanText(h), true];
        }
        i = j - 1;
        continue;
      }
    }
    current?.lines.push(line);
  }
  return paragraphs;
}

/** Longer than any line a PDF-to-text step writes: the text was saved without its line breaks. */
const STREAM_LINE = 3000;

/**
 * Text saved as one long line (as copied from a web page) has no line starts to find paragraphs
 * and headings at, so they are cut out of it: a break before each paragraph number in sequence,
 * and a heading line for the words after a paragraph's last sentence ("…in 2016. Death penalty
 * 9. The State party…"). Job numbers are dropped; footnotes cannot be told from text there.
 */
export function unwrapStream(lines: string[]): string[] {
  if (!lines.some((l) => l.length > STREAM_LINE)) return lines;
  const stream = joinExtractedLines(lines).replace(/\s*\bGE\.\d{2}-\d{3,6}(?:\s*\(E\))?(?:\s+\d{6})?/g, '');
  const pieces: string[] = [];
  let from = 0;
  for (let n = 1; ; n++) {
    const re = new RegExp(`(?:^|\\s)${n}\\.\\s+(?=\\p{Lu})`, 'gu');
    re.lastIndex = from;
    const m = re.exec(stream);
    if (!m) break;
    pieces.push(stream.slice(from, m.index).trim());
    from = m.index;
  }
  pieces.push(stream.slice(from).trim());
  return pieces.flatMap((piece) => {
    const heading = /(?<=[.;:)])\s+((?:(?:[A-H]|[IVX]{1,4})\.\s+)?\p{Lu}[^.;:!?()\d]{2,150})$/u.exec(piece);
    if (!heading) return [piece];
    // The standard section title glued to the first theme: kept apart so the theme is the theme.
    const section = /^((?:[A-H]\.\s+)?Principal (?:matters|subjects|areas) of concern and recommendations)\s+(\p{Lu}.*)$/u.exec(heading[1]!);
    return [piece.slice(0, heading.index), ...(section ? [section[1]!, section[2]!] : [heading[1]!])];
  });
}

/** The recommendations of one paragraph: its lettered items after the lead-in, or the whole lead-in on. */
export function paragraphRecommendations(text: string): Array<{ letter: string | null; text: string }> {
  const lead = LEAD_IN.exec(text);
  if (!lead) return [];
  const from = lead.index;
  const first = /:\s*\(a\)\s+/.exec(text.slice(from));
  if (!first) return [{ letter: null, text: text.slice(from).trim() }];
  const items: Array<{ letter: string; text: string }> = [];
  let start = from + first.index + first[0].length;
  for (let k = 1; ; k++) {
    const letter = String.fromCharCode(96 + k);
    // The next letter only after the end of an item ("…order; (b)", "…; and (c)"), so "(b)" quoted
    // inside a text ("article 2 (b)") does not split it.
    const next = k < 26 ? new RegExp(`(?:[;.:]|\\band)\\s+\\(${String.fromCharCode(97 + k)}\\)\\s+`, 'g') : null;
    if (next) next.lastIndex = start;
    const m = next?.exec(text) ?? null;
    const body = text.slice(start, m ? m.index + (m[0].startsWith('and') ? 0 : 1) : text.length);
    items.push({ letter, text: body.trim().replace(/\s*(?:;\s*and|;|\.)\s*$/i, '').trim() });
    if (!m) break;
    start = m.index + m[0].length;
  }
  return items;
}

interface ObservationsMeta {
  symbol: string;
  symbolFrom: SymbolSource;
  state: string;
  stateFromDefaults: boolean;
  date: string | null;
}

function observationsMeta(text: string, options: ParserOptions): ObservationsMeta {
  const defaults = options.defaults ?? {};
  // The running page header repeats the document's own symbol; earlier observations are cited once.
  const inText = mostFrequent([...text.matchAll(CO_SYMBOL)].map((m) => m[0]));
  const fromName = new RegExp(CO_SYMBOL.source).exec(options.filename.replace(/[-_ ](?=[A-Z0-9])/g, '/'));
  const { symbol, from: symbolFrom } = chooseSymbol({ inText, typed: defaults.documentSymbol, fromName: fromName?.[0] ?? null }, 'CCPR/C/BLR/CO/5');
  // The country code is the part before "CO": CCPR/C/BLR/CO/5, CRC/C/OPAC/BLR/CO/1.
  const parts = symbol.split('/');
  const iso = parts[parts.indexOf('CO') - 1] ?? '';
  const title = TITLE.exec(text.slice(0, 6000));
  let state = countryForIso3(iso) ?? (title ? cleanText(title[1]!) : '');
  const stateFromDefaults = !state && Boolean(defaults.stateUnderReview);
  if (stateFromDefaults) state = defaults.stateUnderReview!;
  if (!state) {
    throw new ImportFileError(
      'treaty_body_no_state',
      'Could not find which State these concluding observations are about (their title "Concluding observations on the … report of …" or the country code in the symbol).',
    );
  }
  return { symbol, symbolFrom, state, stateFromDefaults, date: issueDate(text) };
}

/**
 * Parses concluding observations into recommendations of the body that issued them (from the
 * symbol: CCPR → Human Rights Committee, E/C.12 → CESCR…). References are
 * `<symbol> para <n>(<letter>)`, e.g. "CCPR/C/BLR/CO/5 para 9(a)"; the theme heading is the theme.
 */
export function parseTreatyBodyText(text: string, options: ParserOptions): ParsedImport {
  const meta = observationsMeta(text, options);
  const mechanism = mechanismForBody('', meta.symbol);
  const { lines, footnotes } = removePageFurniture(unwrapStream(text.split('\n')));
  const out = new ImportCollector('treaty-body-text');
  warnWhereTaken(out, meta);
  let row = 0;
  let recommending = 0;
  for (const p of splitObservations(lines)) {
    const recs = paragraphRecommendations(removeFootnoteMarks(joinExtractedLines(p.lines), footnotes));
    if (recs.length) recommending++;
    for (const rec of recs) {
      row++;
      const paragraph = rec.letter ? `${p.number}(${rec.letter})` : String(p.number);
      out.add(row, {
        sourceKey: `treatybody:${meta.symbol}:${paragraph}`,
        reference: `${meta.symbol} para ${paragraph}`,
        mechanism,
        documentSymbol: meta.symbol,
        paragraph,
        cycle: null,
        session: null,
        date: meta.date,
        stateUnderReview: meta.state,
        recommendingStates: [],
        text: cleanText(rec.text),
        language: 'en',
        position: 'pending',
        positionSource: null,
        themes: p.theme ? [p.theme] : [],
        affectedPersons: [],
        sdgTargets: [],
        actionCategory: null,
        notes: null,
      });
    }
  }
  if (row === 0) {
    throw new ImportFileError(
      'treaty_body_no_recommendations',
      'No recommendations were found in these concluding observations: no numbered paragraph says "The State party should…" or "The Committee recommends that the State party…".',
    );
  }
  out.warn('treaty_body_read', `Read as concluding observations ${meta.symbol} (${mechanism}): ${row} recommendations from ${recommending} paragraphs.`, {
    symbol: meta.symbol,
    mechanism,
    n: row,
    paragraphs: recommending,
  });
  if (footnotes.length) out.warn('footnotes_removed', `Footnotes left out of the text: ${footnotes.length}.`, { n: footnotes.length });
  return out.result();
}
