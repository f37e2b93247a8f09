import type { Node as PMNode } from '@tiptap/pm/model';
import { TextSelection, type EditorState, type Transaction } from '@tiptap/pm/state';
import { alreadyStructured, BLOCK_PROPOSAL_ATTR, LIST_TYPES, sameBlockChange, SUGGEST_SPLIT, TEXT_BLOCKS, type BlockChange } from '../../shared/doc/blockProposal.ts';
import { decodeBlockProposal, decodeBlockSuggestion, encodeBlockProposal, newSuggestionId, SUGGESTED_BLOCK_ATTR } from '../../shared/doc/suggestions.ts';

/**
 * Suggesting mode, structure (shared/doc/blockProposal.ts): the toolbar's heading and list buttons,
 * Enter inside a paragraph and Backspace at its start propose the change in the author's name
 * instead of making it. The block keeps its structure until someone accepts.
 *
 * - One proposal per block: a block carrying someone else's proposal is left alone.
 * - Asking again for what one has proposed withdraws it (the buttons toggle, as they do in Editing).
 * - In a paragraph the author proposed themselves, the change is made directly: it is their
 *   proposal already, and stays one.
 */

/** What a heading or list button asks: a heading of this level (pressed again: a paragraph), or this list type. */
export type StructureRequest = { kind: 'heading'; level: number } | { kind: 'list'; list: (typeof LIST_TYPES)[number] };

const isMine = (node: PMNode, author: string) => decodeBlockSuggestion(node.attrs[SUGGESTED_BLOCK_ATTR])?.author === author;

/**
 * Adds to `tr` the proposal of a heading level or list type for the selected blocks, or withdraws
 * the author's own. Returns false when nothing could be proposed (no list here, a list made plain
 * text, a block someone else has a proposal on).
 */
export function proposeStructure(tr: Transaction, author: string, request: StructureRequest, now = Date.now()): boolean {
  const { $from, from, to } = tr.selection;
  const targets: Array<{ node: PMNode; pos: number }> = [];
  if (request.kind === 'list') {
    for (let d = $from.depth; d > 0; d--) {
      if ((LIST_TYPES as readonly string[]).includes($from.node(d).type.name)) {
        targets.push({ node: $from.node(d), pos: $from.before(d) });
        break;
      }
    }
  } else {
    tr.doc.nodesBetween(from, to, (node, pos, parent) => {
      // A list item starts with a paragraph, so a heading cannot be proposed there.
      if (node.isTextblock && TEXT_BLOCKS.includes(node.type.name) && parent?.type.name !== 'listItem') targets.push({ node, pos });
      return !node.isTextblock;
    });
  }
  const first = targets[0];
  if (!first) return false;
  // As in Editing: pressing "Heading 2" on a heading of level 2 makes it a paragraph again.
  const change: BlockChange =
    request.kind === 'list' ? request : { kind: 'heading', level: first.node.type.name === 'heading' && first.node.attrs.level === request.level ? 0 : request.level };
  const attrs = { id: newSuggestionId(), author, at: now };
  let done = false;
  for (const { node, pos } of targets) {
    if (change.kind === 'heading' && isMine(node, author)) {
      const { heading, paragraph } = tr.doc.type.schema.nodes;
      const type = change.level === 0 ? paragraph! : heading!;
      tr.setNodeMarkup(pos, type, { [SUGGESTED_BLOCK_ATTR]: node.attrs[SUGGESTED_BLOCK_ATTR], ...(change.level ? { level: change.level } : {}) });
      done = true;
      continue;
    }
    const current = decodeBlockProposal(node.attrs[BLOCK_PROPOSAL_ATTR]);
    if (current && current.author !== author) continue;
    const already = alreadyStructured(node.type.name, node.attrs.level, change);
    const same = current !== null && sameBlockChange(current, change);
    if (already || same) {
      // Withdrawn; a list made plain text (the list button on its own type) is not a proposal here.
      if (current) tr.setNodeAttribute(pos, BLOCK_PROPOSAL_ATTR, null);
      done ||= current !== null;
      continue;
    }
    tr.setNodeAttribute(pos, BLOCK_PROPOSAL_ATTR, encodeBlockProposal(attrs, change));
    done = true;
  }
  return done;
}

/**
 * Enter inside a paragraph or heading: the words after the caret are proposed as a new paragraph
 * (a split mark on the first of them). In the author's own proposed paragraph or list item, the
 * block is split directly and both parts stay proposed. Null at the very start or end of a block
 * (a new paragraph is proposed there instead) or where no split fits.
 */
export function proposeSplit(state: EditorState, author: string, now = Date.now()): Transaction | null {
  const { $from, empty } = state.selection;
  const block = $from.parent;
  if (!empty || !TEXT_BLOCKS.includes(block.type.name) || $from.parentOffset === 0 || $from.parentOffset >= block.content.size) return null;
  const holder = $from.depth >= 2 ? $from.node($from.depth - 1) : null;
  const tr = state.tr;
  if (isMine(block, author)) {
    tr.split($from.pos, 1, [{ type: block.type, attrs: { ...block.attrs, [BLOCK_PROPOSAL_ATTR]: null } }]);
  } else if (holder?.type.name === 'listItem' && isMine(holder, author)) {
    tr.split($from.pos, 2, [{ type: holder.type, attrs: holder.attrs }, { type: block.type }]);
  } else {
    const next = $from.nodeAfter;
    if (!next?.isText) return null;
    const split = state.schema.marks[SUGGEST_SPLIT]!;
    // Already proposed here (by anyone): nothing more to do.
    if (!split.isInSet(next.marks)) tr.addMark($from.pos, $from.pos + 1, split.create({ id: newSuggestionId(), author, at: now }));
  }
  tr.scrollIntoView();
  return tr;
}

/** Backspace just after one's own proposed split (the caret before its first word): withdraws it. */
export function withdrawSplit(state: EditorState, author: string): Transaction | null {
  const { $from, empty } = state.selection;
  const next = $from.nodeAfter;
  const split = state.schema.marks[SUGGEST_SPLIT]!;
  const mark = empty && next?.isText ? split.isInSet(next.marks) : undefined;
  if (!mark || mark.attrs.author !== author) return null;
  // The mark is on one character; the run may be longer if two proposals met.
  const tr = state.tr.removeMark($from.pos, $from.pos + 1, mark);
  tr.setSelection(TextSelection.create(tr.doc, $from.pos));
  return tr;
}

/**
 * Backspace at the start of a paragraph or heading that follows another: proposes joining it to the
 * one before. Null where that is not the case, or where the block is a proposed paragraph (the
 * author's own is theirs to edit; someone else's is theirs) or has another proposal on it.
 * Returns a transaction without steps if the author already proposed this join.
 */
export function proposeJoin(state: EditorState, author: string, now = Date.now()): Transaction | null {
  const { $from, empty } = state.selection;
  const block = $from.parent;
  if (!empty || $from.parentOffset !== 0 || !TEXT_BLOCKS.includes(block.type.name) || $from.depth < 1) return null;
  const index = $from.index($from.depth - 1);
  const previous = index > 0 ? $from.node($from.depth - 1).child(index - 1) : null;
  if (!previous || !TEXT_BLOCKS.includes(previous.type.name)) return null;
  if (block.attrs[SUGGESTED_BLOCK_ATTR] != null) return null;
  const current = decodeBlockProposal(block.attrs[BLOCK_PROPOSAL_ATTR]);
  if (current) return current.author === author && current.kind === 'join' ? state.tr : null;
  return state.tr.setNodeAttribute($from.before(), BLOCK_PROPOSAL_ATTR, encodeBlockProposal({ id: newSuggestionId(), author, at: now }, { kind: 'join' }));
}
