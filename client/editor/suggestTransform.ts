import type { Mark, MarkType, Node as PMNode, Schema, Slice } from '@tiptap/pm/model';
import { Fragment } from '@tiptap/pm/model';
import { Selection, TextSelection, type EditorState, type Transaction } from '@tiptap/pm/state';
import { AddMarkStep, RemoveMarkStep, ReplaceAroundStep, ReplaceStep } from '@tiptap/pm/transform';
import { proposeFormatting } from './suggestFormat.ts';
import {
  decodeBlockSuggestion,
  encodeBlockSuggestion,
  newSuggestionId,
  SUGGEST_DELETE,
  SUGGEST_FORMAT,
  SUGGEST_INSERT,
  SUGGESTED_BLOCK_ATTR,
  type SuggestionAttrs,
} from '../../shared/doc/suggestions.ts';
import { SUGGEST_SPLIT } from '../../shared/doc/blockProposal.ts';

/** Set on a transaction this module produced: the suggesting guard lets it through. */
export const SUGGESTION_META = 'accordSuggestion';

/** What a transaction asked for that a suggestion cannot carry, so it was left out. */
export type Unsupported = 'structure' | 'formatting' | null;

export interface SuggestResult {
  tr: Transaction;
  unsupported: Unsupported;
}

/**
 * Turns a person's edit into a suggestion in their name: text they delete is marked for deletion
 * (their own proposed text is really removed), text they type is marked as their insertion and
 * placed after any struck text, and anything a suggestion cannot carry this way (formatting other
 * than bold, italic and links, split or joined paragraphs) is left out and reported. Splits, joins,
 * heading levels and list types are proposed by their own keys and buttons (suggestBlocks.ts). A
 * deletion across paragraphs, list items or quotations strikes the words and leaves the blocks as
 * they are; it is reported only if no words were struck.
 *
 * Written for several authors at once, which is why Accord does not use a single-author
 * track-changes library: other people's suggestions are never rewritten, joined or deleted here,
 * and ids are random (never "the largest id plus one", which two people would pick together). The
 * server checks the result (server/collab/suggestionGuard.ts, shared/doc/suggestions.ts).
 */
export function suggestTransaction(tr: Transaction, state: EditorState, author: string, now = Date.now()): SuggestResult {
  const schema = state.schema;
  const ins = schema.marks[SUGGEST_INSERT]!;
  const del = schema.marks[SUGGEST_DELETE]!;
  const fmt = schema.marks[SUGGEST_FORMAT]!;
  const out = state.tr;
  let unsupported: Unsupported = null;
  let cursor: number | null = null;
  const fresh: SuggestionAttrs = { id: newSuggestionId(), author, at: now };

  /** Marks the text in [from, to) for deletion: one's own proposed words really go, other people's suggestions stay as they are. */
  const strike = (from: number, to: number, attrs: SuggestionAttrs): boolean => {
    if (to <= from) return false;
    const marked: Array<[number, number]> = [];
    const removed: Array<[number, number]> = [];
    out.doc.nodesBetween(from, to, (node, pos) => {
      if (!node.isText) return true;
      const a = Math.max(pos, from);
      const b = Math.min(pos + node.nodeSize, to);
      if (a >= b) return false;
      const insMark = ins.isInSet(node.marks);
      if (insMark) {
        // One's own proposed words simply go; other people's proposals are theirs to withdraw.
        if (insMark.attrs.author === author) removed.push([a, b]);
      } else if (!del.isInSet(node.marks)) {
        marked.push([a, b]);
      }
      return false;
    });
    for (const [a, b] of marked) out.addMark(a, b, del.create(attrs));
    for (const [a, b] of removed.reverse()) out.delete(a, b);
    return marked.length > 0 || removed.length > 0;
  };

  const uiEvent = tr.getMeta('uiEvent') as string | undefined;
  const pasted = tr.getMeta('paste') === true || uiEvent === 'paste' || uiEvent === 'drop';

  /** Puts words (inline content) in as the author's insertion at `at`, after any struck words there; returns the end. */
  const propose = (content: Fragment, at: number, attrs: SuggestionAttrs): number => {
    // Words go into a paragraph: after a whole-document selection the end of the range is
    // between blocks, where text would need a new paragraph (a structural change).
    if (!out.doc.resolve(at).parent.isTextblock) at = Selection.near(out.doc.resolve(at), -1).from;
    // New words go after struck words, never inside them.
    for (let after = out.doc.resolve(at).nodeAfter; after?.isText && del.isInSet(after.marks); after = out.doc.resolve(at).nodeAfter) {
      at += after.nodeSize;
    }
    const insMark = ins.create(attrs);
    const marked: PMNode[] = [];
    content.forEach((node) => {
      // Typed words keep the formatting around them; pasted or dropped words come in plain, since
      // formatting (a link, bold) is not something a suggestion proposes, and a card would not show it.
      const kept = pasted ? [] : node.marks.filter((m: Mark) => m.type !== ins && m.type !== del && m.type !== fmt && m.type.name !== SUGGEST_SPLIT);
      marked.push(node.mark(insMark.addToSet(kept)));
    });
    out.insert(at, Fragment.fromArray(marked));
    return at + content.size;
  };

  const formatAttrs = { id: newSuggestionId(), author, at: now };
  tr.steps.forEach((step, i) => {
    // The step's positions are in the document before it; take them back to the original
    // document, then forward through what this function has done so far.
    const back = (pos: number, assoc: number) => {
      for (let j = i - 1; j >= 0; j--) pos = tr.steps[j]!.getMap().invert().map(pos, assoc);
      return pos;
    };
    const here = (pos: number, assoc: number) => out.mapping.map(back(pos, assoc), assoc);
    if (step instanceof AddMarkStep || step instanceof RemoveMarkStep) {
      // Bold, italic or a link added or taken off: proposed, not applied (suggestFormat.ts).
      const from = here(step.from, 1);
      const to = Math.max(from, here(step.to, -1));
      if (!proposeFormatting(out, from, to, step.mark, step instanceof AddMarkStep, formatAttrs)) unsupported ??= 'formatting';
      return;
    }
    if (!(step instanceof ReplaceStep) && !(step instanceof ReplaceAroundStep)) {
      unsupported ??= 'formatting';
      return;
    }
    const before = out.steps.length;
    const sel = state.selection;
    // Backspace moves left past what it struck; Delete and a deleted selection leave the caret after it.
    const backspace = sel.empty && sel.from === step.to && i === 0;

    if (step instanceof ReplaceAroundStep) {
      // A deletion (or typing) across a paragraph, list item or quotation boundary: the text in
      // [from, gapFrom) and [gapTo, to) goes, the text in the gap is kept and moved into another
      // block. The words are struck; the move (a structural change) is left out.
      const from = here(step.from, -1);
      const gapFrom = Math.max(from, here(step.gapFrom, 1));
      const gapTo = Math.max(gapFrom, here(step.gapTo, -1));
      const to = Math.max(gapTo, here(step.to, 1));
      const attrs = ownSuggestionAround(out.doc, from, gapFrom, [ins, del], author) ?? fresh;
      // The later range first: what it really removes does not move the earlier one.
      const struckAfter = strike(gapTo, to, attrs);
      const struckBefore = strike(from, gapFrom, attrs);
      if (!struckAfter && !struckBefore) unsupported ??= 'structure';
      const { content } = inlineContent(step.slice, schema);
      if (content.size > 0) {
        cursor = propose(content, out.mapping.slice(before).map(gapFrom, 1), attrs);
      } else if (cursor === null && (struckAfter || struckBefore)) {
        const map = out.mapping.slice(before);
        cursor = backspace ? map.map(from, -1) : map.map(gapFrom, 1);
      }
      return;
    }

    const from = here(step.from, -1);
    const to = Math.max(from, here(step.to, 1));
    const attrs = ownSuggestionAround(out.doc, from, to, [ins, del], author) ?? fresh;

    if (to > from) {
      const struck = strike(from, to, attrs);
      if (!sameTextblock(out.doc, from, to) && !struck) unsupported ??= 'structure';
    }

    if (step.slice.size > 0) {
      const { content, hadBlocks } = inlineContent(step.slice, schema);
      if (hadBlocks) unsupported ??= 'structure';
      if (content.size > 0) cursor = propose(content, out.mapping.slice(before).map(to, 1), attrs);
    }

    if (cursor === null && to > from) {
      const map = out.mapping.slice(before);
      cursor = backspace ? map.map(from, -1) : map.map(to, 1);
    }
  });

  if (cursor !== null) {
    out.setSelection(TextSelection.near(out.doc.resolve(Math.min(cursor, out.doc.content.size))));
  }
  if (tr.scrolledIntoView) out.scrollIntoView();
  out.setMeta(SUGGESTION_META, true);
  return { tr: out, unsupported };
}

/**
 * The author's own suggestion touching the edited range, so that typing on (or deleting on) from
 * where one left off extends one suggestion rather than making one per keystroke.
 */
function ownSuggestionAround(doc: PMNode, from: number, to: number, types: MarkType[], author: string): SuggestionAttrs | null {
  // Words typed into one's own proposed paragraph (or list item) belong to that proposal.
  const $pos = doc.resolve(from);
  for (let d = $pos.depth; d >= Math.max(0, $pos.depth - 1); d--) {
    const block = decodeBlockSuggestion($pos.node(d).attrs[SUGGESTED_BLOCK_ATTR]);
    if (block && block.author === author) return block;
  }
  const candidates = [doc.resolve(from).nodeBefore, doc.resolve(to).nodeAfter, doc.resolve(from).nodeAfter];
  for (const node of candidates) {
    for (const mark of node?.marks ?? []) {
      if (types.includes(mark.type) && mark.attrs.author === author && typeof mark.attrs.id === 'string') {
        return { id: mark.attrs.id, author, at: Number(mark.attrs.at) || Date.now() };
      }
    }
  }
  return null;
}

function sameTextblock(doc: PMNode, from: number, to: number): boolean {
  const $from = doc.resolve(from);
  const $to = doc.resolve(to);
  return $from.parent === $to.parent && $from.parent.isTextblock;
}

/**
 * The inline content of a slice: a paste of several paragraphs becomes their text joined by
 * spaces (a suggestion lives inside one paragraph's text); an Enter yields nothing.
 */
function inlineContent(slice: Slice, schema: Schema): { content: Fragment; hadBlocks: boolean } {
  const nodes: PMNode[] = [];
  let hadBlocks = false;
  let blocks = 0;
  let spaceDue = false;
  const visit = (fragment: Fragment) => {
    fragment.forEach((node) => {
      if (node.isInline) {
        if (!node.isText) hadBlocks = true; // images, hard breaks: not suggestible
        else {
          if (spaceDue) nodes.push(schema.text(' '));
          spaceDue = false;
          nodes.push(node);
        }
        return;
      }
      hadBlocks = true;
      if (node.isTextblock && blocks++ > 0 && nodes.length > 0) spaceDue = true;
      visit(node.content);
    });
  };
  visit(slice.content);
  // An open slice of one textblock (the usual paste within a paragraph) is inline content.
  if (blocks <= 1 && slice.openStart > 0 && slice.openEnd > 0 && slice.content.childCount === 1) hadBlocks = false;
  return { content: Fragment.fromArray(nodes), hadBlocks };
}

/**
 * Enter in suggesting mode at the start or end of a paragraph: a new, proposed paragraph after the
 * current one (inside a paragraph, Enter proposes a split instead: suggestBlocks.ts).
 * Consecutive new paragraphs from one person are one suggestion. Null where no paragraph fits.
 */
export function proposeParagraph(state: EditorState, author: string, now = Date.now()): Transaction | null {
  const { $from } = state.selection;
  const block = $from.parent;
  const { paragraph, listItem } = state.schema.nodes;
  if (!block.isTextblock || !paragraph || $from.depth < 1) return null;
  const holder = $from.node($from.depth - 1);
  // In a list, Enter proposes the next item; elsewhere, the next paragraph.
  const inItem = listItem !== undefined && holder.type === listItem && $from.depth >= 2;
  const depth = inItem ? $from.depth - 1 : $from.depth;
  const container = $from.node(depth - 1);
  const index = $from.index(depth - 1);
  const type = inItem ? listItem : paragraph;
  if (!container.canReplaceWith(index + 1, index + 1, type)) return null;
  const current = decodeBlockSuggestion((inItem ? holder : block).attrs[SUGGESTED_BLOCK_ATTR]);
  const attrs = current && current.author === author ? current : { id: newSuggestionId(), author, at: now };
  const marked = { [SUGGESTED_BLOCK_ATTR]: encodeBlockSuggestion(attrs) };
  const node = inItem ? listItem.create(marked, paragraph.create()) : paragraph.create(marked);
  const at = $from.after(depth);
  const tr = state.tr.insert(at, node);
  tr.setSelection(TextSelection.create(tr.doc, at + (inItem ? 2 : 1)));
  tr.scrollIntoView();
  tr.setMeta(SUGGESTION_META, true);
  return tr;
}

/** Backspace in one's own empty proposed paragraph (or list item) removes it. Null when that is not the case. */
export function withdrawEmptyParagraph(state: EditorState, author: string): Transaction | null {
  const { $from, empty } = state.selection;
  if (!empty || $from.parent.content.size > 0) return null;
  // The proposal is the paragraph itself, or the list item it is the only paragraph of.
  for (const depth of [$from.depth, $from.depth - 1]) {
    if (depth < 1) continue;
    const node = $from.node(depth);
    const mine = decodeBlockSuggestion(node.attrs[SUGGESTED_BLOCK_ATTR]);
    if (!mine || mine.author !== author || node.textContent.length > 0) continue;
    const before = $from.before(depth);
    const tr = state.tr.delete(before, $from.after(depth));
    tr.setSelection(TextSelection.near(tr.doc.resolve(Math.max(0, before - 1)), -1));
    tr.setMeta(SUGGESTION_META, true);
    return tr;
  }
  return null;
}

/**
 * Editing mode: what a person puts in is plain text. ProseMirror gives typed words the marks
 * around the caret (inside a range, whether or not the mark is inclusive), so words typed inside
 * someone's proposed insertion would join it, in that person's name, which the server refuses;
 * a paste of suggested words would carry their marks too. Adds steps to `tr` that take both
 * suggestion marks off everything its replace steps put in (each step's new content, followed
 * through the later steps), and returns it. For the person's own transactions only: a remote
 * change or an undo is shown as it is.
 */
export function plainInsertions(tr: Transaction, state: EditorState): Transaction {
  const types = [SUGGEST_INSERT, SUGGEST_DELETE, SUGGEST_FORMAT, SUGGEST_SPLIT].map((name) => state.schema.marks[name]!);
  const ranges: Array<[number, number]> = [];
  const count = tr.steps.length;
  tr.steps.forEach((step, i) => {
    let added: Array<[number, number]> = [];
    if (step instanceof ReplaceStep) {
      added = [[step.from, step.from + step.slice.size]];
    } else if (step instanceof ReplaceAroundStep) {
      // The slice goes around the kept gap: its part before `insert` in front, the rest after.
      const gap = step.gapTo - step.gapFrom;
      added = [
        [step.from, step.from + step.insert],
        [step.from + step.insert + gap, step.from + step.slice.size + gap],
      ];
    }
    const later = tr.mapping.slice(i + 1, count);
    for (const [a, b] of added) {
      if (b <= a) continue;
      const from = later.map(a, 1);
      const to = later.map(b, -1);
      if (to > from) ranges.push([from, to]);
    }
  });
  for (const [from, to] of ranges) {
    // (Proposed formatting and splits too: typed inside someone's proposal, words are not part of it.)
    for (const type of types) if (tr.doc.rangeHasMark(from, to, type)) tr.removeMark(from, to, type);
  }
  return tr;
}
