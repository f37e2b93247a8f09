import type { Mark } from '@tiptap/pm/model';
import type { Transaction } from '@tiptap/pm/state';
import { isSafeHref, PROPOSABLE_FORMATS, type FormatChange, type ProposableFormat } from '../../shared/doc/formatProposal.ts';
import { SUGGEST_FORMAT, SUGGEST_INSERT, type SuggestionAttrs } from '../../shared/doc/suggestions.ts';

/**
 * Suggesting mode, formatting: bold, italic or a link put on or taken off the words in [from, to)
 * becomes a proposal (the `suggestionFormat` mark, shared/doc/formatProposal.ts) in the author's
 * name; the words keep their formatting until someone accepts it. Adds its steps to `out`.
 *
 * - Words the author proposed themselves are simply formatted: they are their proposal already.
 * - Words someone else proposed, or that carry someone else's formatting proposal, are left alone
 *   (a proposal is its author's to change); so is any other formatting (strike, code...).
 * - Words that already have what is asked are left as they are (withdrawing is done on the card).
 *
 * Returns whether the change is proposed (now or already); false tells the person it could not be.
 */
export function proposeFormatting(out: Transaction, from: number, to: number, mark: Mark, set: boolean, attrs: SuggestionAttrs): boolean {
  const schema = out.doc.type.schema;
  const fmt = schema.marks[SUGGEST_FORMAT]!;
  const ins = schema.marks[SUGGEST_INSERT]!;
  const name = mark.type.name;
  if (!(PROPOSABLE_FORMATS as readonly string[]).includes(name) || to <= from) return false;
  const href = name === 'link' && set ? mark.attrs.href : null;
  if (name === 'link' && set && !isSafeHref(href)) return false;
  const change: FormatChange = { mark: name as ProposableFormat, set, href: typeof href === 'string' ? href : null };

  const steps: Array<() => void> = [];
  let alreadyProposed = false;
  out.doc.nodesBetween(from, to, (node, pos) => {
    if (!node.isText) return true;
    const a = Math.max(pos, from);
    const b = Math.min(pos + node.nodeSize, to);
    if (a >= b) return false;
    const proposed = ins.isInSet(node.marks);
    if (proposed) {
      if (proposed.attrs.author === attrs.author) steps.push(() => (set ? out.addMark(a, b, mark) : out.removeMark(a, b, mark.type)));
      return false;
    }
    const pending = fmt.isInSet(node.marks);
    if (pending && pending.attrs.author !== attrs.author) return false;
    if (hasAlready(node.marks, mark, change)) return false;
    if (pending && sameChange(pending, change)) {
      alreadyProposed = true;
      return false;
    }
    steps.push(() => out.addMark(a, b, fmt.create({ ...attrs, ...change })));
    return false;
  });
  for (const step of steps) step();
  return steps.length > 0 || alreadyProposed;
}

function hasAlready(marks: readonly Mark[], mark: Mark, change: FormatChange): boolean {
  const current = mark.type.isInSet(marks);
  if (!change.set) return !current;
  return change.mark === 'link' ? current?.attrs.href === change.href : current !== undefined;
}

function sameChange(pending: Mark, change: FormatChange): boolean {
  return pending.attrs.mark === change.mark && pending.attrs.set === change.set && (pending.attrs.href ?? null) === change.href;
}
