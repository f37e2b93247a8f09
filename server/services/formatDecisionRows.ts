import type { SuggestionDecision } from '../../shared/api/index.ts';
import { isFormatChange, type FormatChange } from '../../shared/doc/formatProposal.ts';
import type { SuggestionSummary } from '../../shared/doc/suggestions.ts';

/**
 * How a decided formatting proposal is kept in suggestion_decisions. The table's `kind` column
 * allows only 'insert', 'delete' and 'replace' (migration 010), so until a migration widens it a
 * formatting proposal is stored as kind 'replace' with its words in `inserted` and the change, as
 * JSON after FORMAT_TAG, in `deleted`. Word suggestions never start with FORMAT_TAG (a NUL
 * character, which no editor writes), so reading the row back tells the two apart.
 */
const FORMAT_TAG = '\u0000format:';

export type DecisionRow = Omit<SuggestionDecision, 'formatted' | 'format'> & { kind: 'insert' | 'delete' | 'replace' };

export function rowColumns(s: SuggestionSummary): { kind: DecisionRow['kind']; inserted: string; deleted: string } {
  if (s.kind === 'format' && s.format) return { kind: 'replace', inserted: s.formatted ?? '', deleted: FORMAT_TAG + JSON.stringify(s.format) };
  return { kind: s.kind === 'format' ? 'insert' : s.kind, inserted: s.inserted, deleted: s.deleted };
}

export function decisionFromRow(row: DecisionRow): SuggestionDecision {
  if (row.kind === 'replace' && row.deleted.startsWith(FORMAT_TAG)) {
    let change: unknown = null;
    try {
      change = JSON.parse(row.deleted.slice(FORMAT_TAG.length));
    } catch {
      change = null;
    }
    if (isFormatChange(change)) {
      return { ...row, kind: 'format', inserted: '', deleted: '', formatted: row.inserted, format: { mark: change.mark, set: change.set, href: change.href ?? null } };
    }
  }
  return { ...row, formatted: '', format: null };
}

const NAMES: Record<FormatChange['mark'], string> = { bold: 'bold', italic: 'italic', link: 'a link' };

/** For the audit log and notices (English, like the rest of them): "make “words” bold". */
export function describeFormat(change: FormatChange, quoted: string): string {
  if (change.mark === 'link') return change.set ? `link ${quoted} to ${change.href ?? ''}` : `remove the link from ${quoted}`;
  return change.set ? `make ${quoted} ${NAMES[change.mark]}` : `make ${quoted} no longer ${NAMES[change.mark]}`;
}
