/**
 * Page furniture and footnotes in the text of a UN document saved from its PDF. Between two pages
 * the text carries the page's footnotes, the job number ("GE.10-14321"), the page number and the
 * next page's running header (the document symbol). None of it belongs to a recommendation, and
 * a footnote line ("7 The recommendation as read during the interactive dialogue: … (Spain).")
 * looks enough like an item to be read as one, so all of it is taken out before items are split.
 */

/** A document symbol on its own ("A/HRC/15/16", "CCPR/C/BLR/CO/5", "E/C.12/BLR/CO/6"). */
const SYMBOL = String.raw`[A-Z]{1,10}(?:\/[A-Za-z0-9][A-Za-z0-9.-]*){2,}`;

/** Lines a PDF-to-text step leaves between pages: job numbers, running symbols, page numbers. */
const FURNITURE_LINES = [
  /^\s*GE\.\d{2}-\d{3,6}\b.*$/, // "GE.10-14321  (E)  070710"
  new RegExp(String.raw`^\s*(?:\d{1,3}\s+)?${SYMBOL}\s*(?:(?:page\s+)?\d{1,3})?\s*$`, 'i'), // "A/HRC/15/16", "14 A/HRC/15/16", "A/HRC/15/16 page 14"
  /^\s*(?:page\s+)?\d{1,3}\s*$/i, // page number alone
  /^\s*\f\s*$/,
];

export function isPageFurniture(line: string): boolean {
  return FURNITURE_LINES.some((re) => re.test(line));
}

/** A footnote starts with its number, a space or tab, and a capital or quote: "7 The recommendation…". */
const FOOTNOTE_START = /^\s*(\d{1,3})[ \t]+(?=[\p{Lu}"“‘'(*])/u;
/** The start of a numbered paragraph or item ("105.", "105.3", "3."): never a footnote. */
const ITEM_START = /^\s*\d{1,3}(?:\.\d{1,3})*\.(?:\s|$)|^\s*\d{1,3}\.\d{1,3}\s/;

export interface Footnote {
  number: string;
  text: string;
}

/** Whether footnote `n` has its mark in the text: a number glued to a word or a closing bracket. */
function hasMark(before: string, n: string): boolean {
  return new RegExp(String.raw`[\p{L})\].,;:’”"]${n}(?!\d)`, 'u').test(before);
}

/**
 * Drops page furniture and the footnotes printed at the foot of a page. A footnote is a line
 * starting with a number whose mark appears in the text, followed (with its wrapped
 * lines) by page furniture or the end of the text, with no item number in between; this is
 * what tells it from a wrapped line that happens to start with a number ("16 December 1966").
 */
export function removePageFurniture(lines: string[]): { lines: string[]; footnotes: Footnote[] } {
  const kept: string[] = [];
  const footnotes: Footnote[] = [];
  // The mark may sit before the note or, when an item runs over the page, after it.
  const all = lines.join('\n');
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (isPageFurniture(line)) {
      i++;
      continue;
    }
    const start = FOOTNOTE_START.exec(line);
    if (start && !ITEM_START.test(line) && hasMark(all, start[1]!)) {
      let j = i + 1;
      while (j < lines.length && !isPageFurniture(lines[j]!) && !ITEM_START.test(lines[j]!)) j++;
      if (j === lines.length || isPageFurniture(lines[j]!)) {
        for (const note of lines.slice(i, j)) {
          const next = FOOTNOTE_START.exec(note);
          if (next && hasMark(all, next[1]!)) footnotes.push({ number: next[1]!, text: note.slice(next[0].length).trim() });
          else if (note.trim() && footnotes.length) footnotes[footnotes.length - 1]!.text += ` ${note.trim()}`;
        }
        i = j;
        continue;
      }
    }
    kept.push(line);
    i++;
  }
  return { lines: kept, footnotes };
}

/**
 * Removes footnote marks from joined text: a number glued after a closing bracket, with or without
 * the punctuation between ("(Brazil)7;", "(Brazil);1", "(Brazil).7"), and, for the footnotes found
 * at page feet, a number glued after a lowercase word ("dialogue.7 ").
 */
export function removeFootnoteMarks(text: string, footnotes: Footnote[]): string {
  let out = text.replace(/\)(\d{1,2})(?=[;.,\s]|$)/g, ')').replace(/\)([;.,])\d{1,2}(?=\s|$)/g, ')$1');
  const numbers = [...new Set(footnotes.map((f) => f.number))];
  if (numbers.length) {
    const word = new RegExp(String.raw`(?<![\p{L}/])(\p{Ll}+[.,;:]?)(?:${numbers.join('|')})(?=\s|$)`, 'gu');
    out = out.replace(word, '$1');
  }
  return out;
}
