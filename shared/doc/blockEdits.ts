import * as Y from 'yjs';
import { BLOCK_PROPOSAL_ATTR, TEXT_BLOCKS, type BlockChange } from './blockProposal.ts';

/**
 * What accepting a proposed change of structure does to the Yjs text (run on the server, inside
 * the decision's transaction). A Yjs element cannot change its name, so a paragraph made a heading
 * or a list made numbered is a new element holding copies of the old one's content, as the editor
 * binding does when someone with edit access makes the same change in the editor.
 */

type Delta = Array<{ insert: unknown; attributes?: Record<string, unknown> }>;

function indexIn(parent: Y.XmlElement | Y.XmlFragment, node: Y.XmlElement | Y.XmlText): number {
  return parent.toArray().indexOf(node);
}

function parentOf(node: Y.XmlElement | Y.XmlText): Y.XmlElement | Y.XmlFragment | null {
  const parent = node.parent;
  return parent instanceof Y.XmlElement || parent instanceof Y.XmlFragment ? parent : null;
}

/** A new element of this name with the old one's attributes, less the proposal (and `drop`). */
function sibling(of: Y.XmlElement, name: string, drop: string[] = []): Y.XmlElement {
  const el = new Y.XmlElement(name);
  for (const [key, value] of Object.entries(of.getAttributes() as Record<string, unknown>)) {
    if (key === BLOCK_PROPOSAL_ATTR || drop.includes(key) || value === undefined) continue;
    el.setAttribute(key, value as string);
  }
  return el;
}

/** Takes out the children of `parent` from `from` on, returning copies of them. */
function takeFrom(parent: Y.XmlElement, from: number): Array<Y.XmlElement | Y.XmlText> {
  const children = parent.toArray().slice(from);
  const copies = children.filter((c): c is Y.XmlElement | Y.XmlText => c instanceof Y.XmlElement || c instanceof Y.XmlText).map((c) => c.clone());
  if (children.length > 0) parent.delete(from, children.length);
  return copies;
}

/** The text's content from `index` on, as a delta. */
function deltaFrom(text: Y.XmlText, index: number): Delta {
  const out: Delta = [];
  let at = 0;
  for (const op of text.toDelta() as Delta) {
    const length = typeof op.insert === 'string' ? op.insert.length : 1;
    if (at + length > index) {
      const insert = typeof op.insert === 'string' ? op.insert.slice(Math.max(0, index - at)) : op.insert;
      out.push(op.attributes ? { insert, attributes: op.attributes } : { insert });
    }
    at += length;
  }
  return out;
}

/**
 * Splits the paragraph (or heading) holding `text` before character `index`: what follows goes
 * into a new block of the same kind after it. In a list item the new block starts a new item.
 */
export function splitBlockAt(text: Y.XmlText, index: number): void {
  const block = text.parent;
  if (!(block instanceof Y.XmlElement) || !TEXT_BLOCKS.includes(block.nodeName)) return;
  const container = parentOf(block);
  if (!container) return;
  const tail = deltaFrom(text, index);
  const after = takeFrom(block, indexIn(block, text) + 1);
  if (index < text.length) text.delete(index, text.length - index);
  const moved = new Y.XmlText();
  moved.applyDelta(tail);
  const next = sibling(block, block.nodeName);
  next.insert(0, [moved, ...after]);
  if (container instanceof Y.XmlElement && container.nodeName === 'listItem') {
    // Like Enter in a list: the words after the split, and what followed them in the item, make the next item.
    const holder = parentOf(container);
    if (!holder) return;
    const item = sibling(container, 'listItem');
    item.insert(0, [next, ...takeFrom(container, indexIn(container, block) + 1)]);
    holder.insert(indexIn(holder, container) + 1, [item]);
    return;
  }
  container.insert(indexIn(container, block) + 1, [next]);
}

/** Joins the block to the paragraph or heading before it; false (nothing changed) if there is none. */
export function joinToPrevious(block: Y.XmlElement): boolean {
  const container = parentOf(block);
  if (!container || !TEXT_BLOCKS.includes(block.nodeName)) return false;
  const index = indexIn(container, block);
  const previous = index > 0 ? container.get(index - 1) : null;
  if (!(previous instanceof Y.XmlElement) || !TEXT_BLOCKS.includes(previous.nodeName)) return false;
  const last = previous.length > 0 ? previous.get(previous.length - 1) : null;
  const first = block.length > 0 ? block.get(0) : null;
  // Words continue the previous block's last text, so the joined paragraph is one text as the editor writes it.
  const continues = last instanceof Y.XmlText && first instanceof Y.XmlText;
  if (continues) {
    for (const op of first.toDelta() as Delta) {
      if (typeof op.insert === 'string') last.insert(last.length, op.insert, op.attributes ?? {});
    }
  }
  const copies = takeFrom(block, continues ? 1 : 0);
  if (copies.length > 0) previous.insert(previous.length, copies);
  container.delete(indexIn(container, block), 1);
  return true;
}

/** Makes a heading of another level, a paragraph a heading (or back), a list bulleted or numbered. */
export function restructure(block: Y.XmlElement, change: Exclude<BlockChange, { kind: 'join' }>): void {
  if (change.kind === 'heading' && change.level > 0 && block.nodeName === 'heading') {
    block.setAttribute('level', change.level as unknown as string);
    block.removeAttribute(BLOCK_PROPOSAL_ATTR);
    return;
  }
  const container = parentOf(block);
  if (!container) return;
  const name = change.kind === 'list' ? change.list : change.level === 0 ? 'paragraph' : 'heading';
  // A list's own settings (where numbering starts) belong to its type; a paragraph has no level.
  const next = sibling(block, name, change.kind === 'list' ? ['start', 'type'] : ['level']);
  if (name === 'heading') next.setAttribute('level', (change as { level: number }).level as unknown as string);
  next.insert(0, takeFrom(block, 0));
  const index = indexIn(container, block);
  container.insert(index + 1, [next]);
  container.delete(index, 1);
}
