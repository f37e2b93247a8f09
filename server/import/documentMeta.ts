import { ImportFileError } from './errors.ts';
import { normaliseDate } from './normalise.ts';
import type { ImportCollector } from './result.ts';

/**
 * What both UN-document importers (UPR reports, treaty-body observations) read about the
 * document itself: its symbol and where it came from, and its issue date.
 */

export type SymbolSource = 'the text' | 'the Document symbol field' | 'the file name';

/** The most frequent of the matches: a running page header repeats the document's own symbol. */
export function mostFrequent(matches: string[]): string | null {
  const counts = new Map<string, number>();
  for (const m of matches) counts.set(m, (counts.get(m) ?? 0) + 1);
  let best: string | null = null;
  let n = 0;
  for (const [k, v] of counts) if (v > n) [best, n] = [k, v];
  return best;
}

/**
 * The document symbol: as the text states it, else as the person typed it, else from the file
 * name; refused with `no_document_symbol` (the import screen then asks for it) when none says it.
 */
export function chooseSymbol(
  found: { inText: string | null; typed: string | undefined; fromName: string | null },
  example: string,
): { symbol: string; from: SymbolSource } {
  if (found.inText) return { symbol: found.inText, from: 'the text' };
  if (found.typed) return { symbol: found.typed, from: 'the Document symbol field' };
  if (found.fromName) return { symbol: found.fromName, from: 'the file name' };
  throw new ImportFileError(
    'no_document_symbol',
    `Could not find the document symbol (e.g. ${example}) in this document or its file name. Enter it in the "Document symbol" field (documentSymbol in the API) and try again.`,
  );
}

/** The date under "Distr.: General" on the first page, as YYYY-MM-DD. */
export function issueDate(text: string): string | null {
  const distr = /Distr\.:?\s*\w+\s+(\d{1,2}\s+[A-Za-z]+\s+\d{4})/.exec(text);
  return distr ? normaliseDate(distr[1]) : null;
}

/** Tells the person which of the document's facts came from elsewhere than its text. */
export function warnWhereTaken(
  out: ImportCollector,
  meta: { symbol: string; symbolFrom: SymbolSource; state: string; stateFromDefaults: boolean },
): void {
  if (meta.symbolFrom !== 'the text') {
    const code = meta.symbolFrom === 'the file name' ? 'symbol_from_filename' : 'symbol_from_settings';
    out.warn(code, `Document symbol ${meta.symbol} taken from ${meta.symbolFrom}.`, { symbol: meta.symbol });
  }
  if (meta.stateFromDefaults) {
    out.warn('state_from_plan', `The report does not name the State reviewed: ${meta.state}, the plan's country, was taken.`, { state: meta.state });
  }
}
