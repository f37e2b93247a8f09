import type { SuggestionDecision } from '../../shared/api/index.ts';
import { isFormatChange, type FormatChange } from '../../shared/doc/formatProposal.ts';
import type { SuggestionSummary } from '../../shared/doc/suggestions.ts';

/**
 * How a decided suggestion is kept in suggestion_decisions (migrations 010, 022): word suggestions
 * by the words inserted and deleted; formatting proposals with kind 'format', the words they
 * covered in `formatted` and the proposed change as JSON in `format`.
 */
export type DecisionRow = Omit<SuggestionDecision, 'format'> & { format: string | null };

export function rowColumns(s: SuggestionSummary): { kind: SuggestionDecision['kind']; inserted: string; deleted: string; formatted: string; format: string | null } {
  if (s.kind === 'format' && s.format) return { kind: 'format', inserted: '', deleted: '', formatted: s.formatted ?? '', format: JSON.stringify(s.format) };
  return { kind: s.kind === 'format' ? 'insert' : s.kind, inserted: s.inserted, deleted: s.deleted, formatted: '', format: null };
}

export function decisionFromRow(row: DecisionRow): SuggestionDecision {
  let change: unknown = null;
  try {
    change = row.format ? JSON.parse(row.format) : null;
  } catch {
    change = null;
  }
  return {
    ...row,
    formatted: row.kind === 'format' ? row.formatted : '',
    format: row.kind === 'format' && isFormatChange(change) ? { mark: change.mark, set: change.set, href: change.href ?? null } : null,
  };
}

const NAMES: Record<FormatChange['mark'], string> = { bold: 'bold', italic: 'italic', link: 'a link' };

/** For the audit log and notices (English, like the rest of them): "make “words” bold". */
export function describeFormat(change: FormatChange, quoted: string): string {
  if (change.mark === 'link') return change.set ? `link ${quoted} to ${change.href ?? ''}` : `remove the link from ${quoted}`;
  return change.set ? `make ${quoted} ${NAMES[change.mark]}` : `make ${quoted} no longer ${NAMES[change.mark]}`;
}
