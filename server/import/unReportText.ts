import type { ParsedImport, Position } from '../../shared/api/recommendations.ts';
import { countryForIso3, iso3ForCountry, isKnownCountry } from './countries.ts';
import { parseStates } from './recommendingStates.ts';
import { isPageFurniture, removeFootnoteMarks, removePageFurniture } from './reportPages.ts';
import { chooseSymbol, issueDate, mostFrequent, warnWhereTaken, type SymbolSource } from './documentMeta.ts';
import { ImportFileError } from './errors.ts';
import { cleanText, cycleFromCouncilSymbol, cycleFromSession, letterFor } from './normalise.ts';
import { ImportCollector } from './result.ts';
import type { ParserOptions } from './types.ts';

/**
 * Importer for the text of a UPR Working Group report (e.g. A/HRC/15/16), as extracted from the
 * PDF. The recommendations are in "Conclusions and/or recommendations": main paragraphs whose
 * heading gives the State's position ("… have been examined by Belarus and enjoy its support:"),
 * each followed by numbered items `97.1. <text> (Algeria); <text> (Egypt);`.
 */

/** A main paragraph of the conclusions and the position its heading implies. */
export interface ReportHeading {
  /** Paragraph number, e.g. "97". */
  paragraph: string;
  /** The heading text up to the first item. */
  heading: string;
  position: Position;
  /** The phrase that decided the position, or null when none matched (then position is "pending"). */
  matched: string | null;
  /** Number of recommendations under this heading. */
  count: number;
}

/**
 * Heading phrases → position, checked in this order: the negative forms first, because
 * "did not enjoy the support" also contains "enjoy the support"; then the "will be examined"
 * forms, because "have been examined … and enjoy its support" must stay supported.
 */
const HEADING_RULES: Array<[RegExp, Position]> = [
  [/(?:did|does|do) not enjoy|not supported|were not accepted|did not accept|rejected|\bnoted\b|takes? note/i, 'noted'],
  [/supported in part|partially supported|partially accepted|accepted in part/i, 'supported_in_part'],
  [/will be examined|will examine|will provide (?:its )?responses?|in due course|will be considered|for consideration/i, 'pending'],
  [/enjoys? (?:its|the)(?: full)? support|\bsupports?\b|\bsupported\b|\baccept(?:s|ed)?\b|already (?:been )?implemented|in the process of implementation/i, 'supported'],
];

/** The position a paragraph heading states, with the phrase that decided it. */
export function inferHeadingPosition(heading: string): { position: Position; matched: string | null } {
  for (const [re, position] of HEADING_RULES) {
    const m = re.exec(heading);
    if (m) return { position, matched: m[0] };
  }
  return { position: 'pending', matched: null };
}

interface Item {
  paragraph: string; // "97.1"
  text: string; // joined item text, without the number
}

interface MainParagraph {
  number: string;
  heading: string;
  items: Item[];
}

/**
 * Joins the wrapped lines of the extracted text into one string, after dropping page furniture.
 * A line ending in "-" followed by a lowercase word is joined without a space and keeps the
 * hyphen: UN documents are not hyphenated, so a line-final hyphen is a real one ("non-\ngovernmental").
 */
export function joinExtractedLines(lines: string[]): string {
  let out = '';
  for (const raw of lines) {
    if (isPageFurniture(raw)) continue;
    const line = raw.replace(/\u00ad/g, '').replace(/[\s\u00a0]+/g, ' ').trim();
    if (!line) continue;
    if (out.endsWith('-') && /^\p{Ll}/u.test(line)) out += line;
    else out += (out ? ' ' : '') + line;
  }
  return out;
}

/**
 * The PDF-to-text step turned some hyphens into full stops ("non.governmental"); a full stop glued
 * between a common prefix and a lowercase word is never English, so it is restored as a hyphen.
 */
const LOST_HYPHEN = /\b(non|anti|self|co|inter|multi|pre|post|re)\.(?=\p{Ll}{3})/gu;

/**
 * The separator of a list of recommendations left at the end of one ("…disappearances; (France)",
 * "…disappearances; and (France)"): punctuation of the list, not of the State's words.
 */
const LIST_ENDING = /\s*;(?:\s*and)?\s*$/i;

function findConclusionsStart(lines: string[]): number {
  // The heading is a short line of its own; the table of contents has the same words followed by
  // dot leaders, and the closing paragraph ("All conclusions and/or recommendations…") is long.
  return lines.findIndex(
    (line) => /conclusions\s+and\s*\/\s*or\s+recommendations/i.test(line) && !/\.{4,}/.test(line) && line.trim().length < 80,
  );
}

/** Splits the joined conclusions text into main paragraphs and their numbered items. */
export function splitParagraphs(stream: string): MainParagraph[] {
  const first = /(?:^|\s)(\d{1,3})\.\s+(?=\S)/.exec(stream);
  if (!first) return [];
  const paragraphs: MainParagraph[] = [];
  let p = Number(first[1]);
  let pos = first.index;
  for (;;) {
    const nextMainRe = new RegExp(`(?:^|\\s)(${p + 1})\\.\\s+(?=\\p{Lu})`, 'gu');
    const headStart = pos;
    const items: Item[] = [];
    let k = 1;
    let nextMain = findFrom(nextMainRe, stream, headStart);
    const before = (m: RegExpExecArray | null) => (m && (!nextMain || m.index < nextMain.index) ? m : null);
    // Item numbers are searched for in sequence (97.1, 97.2…), so numbers inside texts
    // ("article 193-1", "resolution 62/169") are never taken for items. Reports number the
    // items either "97.1" or "1." under each paragraph; the paragraph's first item says which.
    const dotted = (n: number) => new RegExp(`(?:^|\\s)(${p}\\.${n})\\.?\\s+(?=\\S)`, 'g');
    const plain = (n: number) => new RegExp(`(?:^|\\s)(${n})\\.\\s+(?=[\\p{Lu}"“])`, 'gu');
    let itemRe = dotted;
    let cur = before(findFrom(dotted(1), stream, headStart));
    if (!cur) {
      cur = before(findFrom(plain(1), stream, headStart + `${p}.`.length));
      if (cur) itemRe = plain;
    }
    const heading = stream
      .slice(headStart, cur ? cur.index : (nextMain?.index ?? stream.length))
      .replace(new RegExp(`^\\s*${p}\\.\\s*`), '')
      .trim();
    while (cur) {
      const bodyStart = cur.index + cur[0].length;
      const next = findFrom(itemRe(k + 1), stream, bodyStart);
      nextMain = findFrom(nextMainRe, stream, bodyStart);
      let end: number;
      let following: RegExpExecArray | null = null;
      if (next && (!nextMain || next.index < nextMain.index)) {
        end = next.index;
        following = next;
      } else {
        end = nextMain?.index ?? stream.length;
      }
      // "1." under paragraph 105 becomes 105.1: unique in the report and stable across re-imports.
      items.push({ paragraph: `${p}.${k}`, text: stream.slice(bodyStart, end).trim() });
      cur = following;
      k++;
    }
    paragraphs.push({ number: String(p), heading, items });
    if (!nextMain) break;
    pos = nextMain.index;
    p++;
  }
  return paragraphs;
}

function findFrom(re: RegExp, s: string, from: number): RegExpExecArray | null {
  re.lastIndex = from;
  return re.exec(s);
}

/**
 * Splits one item into its recommendations. Each ends with a parenthesised list of States that
 * is followed by ";" or "." or the end of the item; semicolons inside a recommendation
 * ("(i) simplify …; (ii) remove …") do not split it because no attribution precedes them.
 * A joint recommendation keeps every State it names: several in one parenthesis ("(Brazil,
 * Mexico and Spain)", "(Brazil; Mexico)"), several parentheses in a row ("(Denmark) (Estonia)"),
 * or a parenthesis with no wording of its own ("… (Denmark); (Estonia);"), which adds its States
 * to the wording before it. Near-identical wordings each with their own State ("… (France);
 * … (Germany)") stay separate recommendations, each with its State.
 */
export function splitItem(item: string): { recommendations: Array<{ text: string; states: string[] }>; leftover: string; unknown: string[] } {
  const recommendations: Array<{ text: string; states: string[] }> = [];
  const unknown: string[] = [];
  let segStart = 0;
  let depth = 0;
  let open = -1;
  // Attributions read so far in a run of parentheses, and where the run began.
  let chain: string[] = [];
  let chainOpen = -1;
  for (let i = 0; i < item.length; i++) {
    const c = item[i];
    if (c === '(') {
      if (depth === 0) open = i;
      depth++;
    } else if (c === ')' && depth > 0) {
      depth--;
      if (depth !== 0) continue;
      const rest = item.slice(i + 1);
      const parsed = parseStates(item.slice(open + 1, i));
      if (!parsed) {
        chain = [];
        continue;
      }
      if (/^\s*\(/.test(rest)) {
        if (!chain.length) chainOpen = open;
        chain.push(...parsed.states);
        unknown.push(...parsed.unknown);
        continue;
      }
      const after = /^\s*(?:[;.]|$)/.exec(rest);
      if (!after) {
        chain = [];
        continue;
      }
      const start = chain.length ? chainOpen : open;
      const states = [...chain, ...parsed.states];
      chain = [];
      const text = item.slice(segStart, start).trim().replace(/^[;,]\s*/, '').replace(/^and$/i, '');
      const previous = recommendations[recommendations.length - 1];
      if (!text && !previous) continue;
      if (text) recommendations.push({ text, states });
      else previous!.states.push(...states.filter((s) => !previous!.states.includes(s)));
      unknown.push(...parsed.unknown);
      segStart = i + 1 + after[0].length;
      i = segStart - 1;
    }
  }
  const leftover = item.slice(segStart).trim().replace(/^[;.]\s*|[;.]\s*$/g, '').trim();
  return { recommendations, leftover, unknown };
}

interface ReportMeta {
  documentSymbol: string;
  symbolFrom: SymbolSource;
  stateUnderReview: string;
  /** The State was not named in the report: it is the one the import's defaults gave (the plan's country). */
  stateFromDefaults: boolean;
  session: string | null;
  cycle: number | null;
  date: string | null;
}

function reportMeta(text: string, options: ParserOptions): ReportMeta {
  const defaults = options.defaults ?? {};
  // The running page header repeats the report's own symbol; other symbols are mentioned once or twice.
  const inText = mostFrequent([...text.matchAll(/\bA\/HRC\/\d+\/\d+(?![/\d])/g)].map((m) => m[0]));
  const fromName = /A[-_ ]HRC[-_ ](\d+)[-_ ](\d+)(?!\d)/i.exec(options.filename);
  const { symbol: documentSymbol, from: symbolFrom } = chooseSymbol(
    { inText, typed: defaults.documentSymbol, fromName: fromName ? `A/HRC/${fromName[1]}/${fromName[2]}` : null },
    'A/HRC/15/16',
  );

  const wgSession = /A\/HRC\/WG\.6\/(\d+)\//.exec(text);
  const session = wgSession ? wgSession[1]! : null;

  const title = /Report of the Working Group on the\s*Universal\s*Periodic\s*Review[*\s:]*?(?::\s*|\*?\s*\n[\s*]*)([^\n*]+)/i.exec(text);
  const titleState = title ? cleanText(title[1]!) : '';
  let stateUnderReview = '';
  if (titleState && (isKnownCountry(titleState) || (titleState.length <= 80 && !/\d/.test(titleState)))) stateUnderReview = titleState;
  if (!stateUnderReview) {
    // Country-specific WG symbols end in the ISO code: A/HRC/WG.6/8/BLR/1.
    const iso = /A\/HRC\/WG\.6\/\d+\/([A-Z]{3})\/\d/.exec(text);
    stateUnderReview = iso ? (countryForIso3(iso[1]!) ?? '') : '';
  }
  // What the report says wins; only when it names no State is the one given with the import used.
  const stateFromDefaults = !stateUnderReview && Boolean(defaults.stateUnderReview);
  if (stateFromDefaults) stateUnderReview = defaults.stateUnderReview!;
  if (!stateUnderReview) {
    throw new ImportFileError(
      'no_state_reviewed',
      'Could not find which State was reviewed (the line after "Report of the Working Group on the Universal Periodic Review"). Check that the text holds the whole report, from its title on.',
    );
  }

  return {
    documentSymbol,
    symbolFrom,
    stateUnderReview,
    stateFromDefaults,
    session,
    cycle: cycleFromSession(session) ?? defaults.cycle ?? cycleFromCouncilSymbol(documentSymbol),
    date: issueDate(text),
  };
}

function conclusions(text: string): { paragraphs: MainParagraph[]; footnotes: number } {
  const { lines, footnotes } = removePageFurniture(text.split('\n'));
  const start = findConclusionsStart(lines);
  if (start < 0) {
    throw new ImportFileError(
      'no_conclusions',
      'Could not find the "Conclusions and/or recommendations" part of this report, where the recommendations are listed.',
    );
  }
  let end = lines.length;
  for (let i = start + 1; i < lines.length; i++) {
    // The annex (composition of the delegation) and notes follow the last paragraph.
    if (/^\s*(Annex(es)?|Notes)\s*[IVX\d]*\s*$/i.test(lines[i]!)) {
      end = i;
      break;
    }
  }
  const stream = removeFootnoteMarks(joinExtractedLines(lines.slice(start + 1, end)), footnotes);
  return { paragraphs: splitParagraphs(stream).filter((p) => p.items.length > 0), footnotes: footnotes.length };
}

/**
 * The main paragraph headings of the report's conclusions and the position each implies, so the
 * UI can show them and let a person correct a position before the import is committed.
 */
export function findReportHeadings(text: string): ReportHeading[] {
  return conclusions(text).paragraphs.map((p) => {
    const { position, matched } = inferHeadingPosition(p.heading);
    const count = p.items.reduce((n, item) => n + Math.max(1, splitItem(item.text).recommendations.length), 0);
    return { paragraph: p.number, heading: p.heading, position, matched, count };
  });
}

/**
 * Parses the text of a UPR Working Group report into recommendations: one per attributed text,
 * several recommending States when one text names several. References are
 * `<ISO3>-C<cycle>-<item><letter>` (e.g. `BLR-C1-97.1a`, letter only when an item holds several).
 */
export function parseUnReportText(text: string, options: ParserOptions): ParsedImport {
  const meta = reportMeta(text, options);
  const { paragraphs, footnotes } = conclusions(text);
  if (paragraphs.length === 0) {
    throw new ImportFileError('no_numbered_recommendations', 'The "Conclusions and/or recommendations" part has no numbered recommendations (like "97.1." or "1." under a paragraph).');
  }
  const out = new ImportCollector('un-report-text');
  warnWhereTaken(out, { symbol: meta.documentSymbol, symbolFrom: meta.symbolFrom, state: meta.stateUnderReview, stateFromDefaults: meta.stateFromDefaults });

  const iso3 = iso3ForCountry(meta.stateUnderReview);
  const prefix = iso3 ? (meta.cycle ? `${iso3}-C${meta.cycle}-` : `${iso3}-`) : '';
  let row = 0;
  let repaired = 0;
  const unknownStates = new Set<string>();

  for (const p of paragraphs) {
    const { position, matched } = inferHeadingPosition(p.heading);
    if (matched) {
      out.warn('heading_position', `Paragraph ${p.number} heading "${matched}" → ${position}: "${p.heading}"`, {
        paragraph: p.number,
        matched,
        position,
        heading: p.heading,
      });
    } else {
      out.warn(
        'heading_no_position',
        `Paragraph ${p.number}: the heading does not say the position; set to pending — please check: "${p.heading}"`,
        { paragraph: p.number, heading: p.heading },
      );
    }
    for (const item of p.items) {
      const { recommendations, leftover, unknown } = splitItem(item.text);
      unknown.forEach((u) => unknownStates.add(u));
      recommendations.forEach((rec, i) => {
        row++;
        const ref = recommendations.length > 1 ? `${item.paragraph}${letterFor(i)}` : item.paragraph;
        let fixes = 0;
        const recText = cleanText(rec.text)
          .replace(LIST_ENDING, '')
          .replace(LOST_HYPHEN, (_m, pre: string) => {
            fixes++;
            return `${pre}-`;
          });
        repaired += fixes;
        out.add(row, {
          sourceKey: `unreport:${meta.documentSymbol}:${ref}`,
          reference: `${prefix}${ref}`,
          mechanism: 'UPR',
          documentSymbol: meta.documentSymbol,
          paragraph: item.paragraph,
          cycle: meta.cycle,
          session: meta.session,
          date: meta.date,
          stateUnderReview: meta.stateUnderReview,
          recommendingStates: rec.states.map(cleanText),
          text: recText,
          language: 'en',
          position,
          positionSource: `${meta.documentSymbol} para ${p.number} heading`,
          themes: [],
          affectedPersons: [],
          sdgTargets: [],
          actionCategory: null,
          notes: fixes === 0 ? null : 'A hyphen lost in PDF-to-text extraction was restored ("non." → "non-").',
        });
      });
      if (leftover) {
        row++;
        const text = `${leftover.slice(0, 120)}${leftover.length > 120 ? '…' : ''}`;
        out.reject(row, 'no_recommending_state', `Paragraph ${item.paragraph}: text without a recommending State in brackets: "${text}"`, {
          paragraph: item.paragraph,
          text,
        });
      }
    }
  }
  if (footnotes > 0) out.warn('footnotes_removed', `Footnotes left out of the text: ${footnotes}.`, { n: footnotes });
  if (repaired > 0) out.warn('hyphens_restored', `${repaired} hyphen${repaired > 1 ? 's' : ''} lost in PDF-to-text extraction restored ("non.governmental" → "non-governmental").`, { n: repaired });
  if (unknownStates.size > 0) {
    const states = [...unknownStates].join(', ');
    out.warn('unknown_states', `Recommending States not in Accord's list of UN member States (check the spelling): ${states}.`, { states });
  }
  return out.result();
}
