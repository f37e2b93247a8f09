import type { z } from 'zod';
import { col } from '../db/rows.ts';
import type { SuggestionDecision } from '../../shared/api/index.ts';
import { StructureChangeSchema, SuggestionDecisionSchema } from '../../shared/api/index.ts';
import { isFormatChange, type FormatChange } from '../../shared/doc/formatProposal.ts';
import type { SuggestionSummary } from '../../shared/doc/suggestions.ts';

/**
 * How a decided suggestion is kept in suggestion_decisions (migrations 010, 022, 026): word
 * suggestions by the words inserted and deleted; formatting proposals with kind 'format', the words
 * they covered in `formatted` and the proposed change as JSON in `format`; proposed changes of
 * structure with kind 'block', the words of the block in `formatted` and the change as JSON in `block`.
 */
export const DecisionRow = SuggestionDecisionSchema.extend({ format: col.nullableText, block: col.nullableText });
export type DecisionRow = z.output<typeof DecisionRow>;

export function rowColumns(s: SuggestionSummary): {
  kind: SuggestionDecision['kind'];
  inserted: string;
  deleted: string;
  formatted: string;
  format: string | null;
  block: string | null;
} {
  if (s.kind === 'format' && s.format) return { kind: 'format', inserted: '', deleted: '', formatted: s.formatted ?? '', format: JSON.stringify(s.format), block: null };
  if (s.kind === 'block' && s.block) return { kind: 'block', inserted: '', deleted: '', formatted: s.formatted ?? '', format: null, block: JSON.stringify(s.block) };
  const kind = s.kind === 'format' || s.kind === 'block' ? 'insert' : s.kind;
  return { kind, inserted: s.inserted, deleted: s.deleted, formatted: '', format: null, block: null };
}

function parsed(json: string | null): unknown {
  try {
    return json ? JSON.parse(json) : null;
  } catch {
    return null;
  }
}

export function decisionFromRow(row: DecisionRow): SuggestionDecision {
  const change = parsed(row.format);
  const block = row.kind === 'block' ? StructureChangeSchema.safeParse(parsed(row.block)) : null;
  return {
    ...row,
    formatted: row.kind === 'format' || row.kind === 'block' ? row.formatted : '',
    format: row.kind === 'format' && isFormatChange(change) ? { mark: change.mark, set: change.set, href: change.href ?? null } : null,
    block: block?.success ? block.data : null,
  };
}

const NAMES: Record<FormatChange['mark'], string> = { bold: 'bold', italic: 'italic', link: 'a link' };

/** For the audit log and notices (English, like the rest of them): "make “words” bold". */
export function describeFormat(change: FormatChange, quoted: string): string {
  if (change.mark === 'link') return change.set ? `link ${quoted} to ${change.href ?? ''}` : `remove the link from ${quoted}`;
  return change.set ? `make ${quoted} ${NAMES[change.mark]}` : `make ${quoted} no longer ${NAMES[change.mark]}`;
}
