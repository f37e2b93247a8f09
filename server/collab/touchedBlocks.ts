import * as Y from 'yjs';
import { getSectionBody } from '../../shared/doc/schema.ts';

/**
 * The body's blocks an update touches, before and after it: each stretch runs between two blocks
 * the update leaves alone (or an end of the body), and holds the blocks it writes in or deletes
 * from, the blocks it adds and the blocks it deletes. Everything else in the section is the same
 * before and after, so a rule about the whole section can be checked on these stretches alone.
 *
 * Found from the update itself: the items it inserts (looked up by id in the section with it), the
 * items its delete set names (looked up by id in the section before it), and, for each, the block
 * of the body it lies in. A block is the unit: a keystroke costs in proportion to the block it is
 * typed in, not to the section.
 */
export interface TouchedBlocks {
  /** The whole body on both sides: a body with one block or none reads differently (see projectWithoutAuthor). */
  whole: boolean;
  stretches: Array<{ before: unknown[]; after: unknown[] }>;
  /** The update writes entries on the body itself. */
  bodyEntries: boolean;
}

const keyOf = (id: Y.ID) => `${id.client}:${id.clock}`;

export function touchedBlocks(before: Y.Doc, after: Y.Doc, update: Uint8Array): TouchedBlocks {
  const beforeBody = getSectionBody(before);
  const afterBody = getSectionBody(after);
  const blocks = new Map<string, Y.ID>();
  let bodyEntries = false;
  const note = (item: Y.Item, body: Y.XmlFragment) => {
    for (let it = item; ; ) {
      const parent = it.parent;
      if (parent === body) {
        if (it.parentSub === null) blocks.set(keyOf(it.id), it.id);
        else bodyEntries = true;
        return;
      }
      // Another root type: not the text (judged by its own rule).
      if (!(parent instanceof Y.AbstractType) || parent._item === null) return;
      it = parent._item;
    }
  };
  const { structs, ds } = Y.decodeUpdate(update);
  for (const s of structs) {
    if (!(s instanceof Y.Item)) continue;
    const found = Y.getItem(after.store, s.id);
    if (found instanceof Y.Item) note(found, afterBody);
  }
  for (const [client, ranges] of ds.clients) {
    const list = before.store.clients.get(client);
    if (!list) continue;
    const known = Y.getState(before.store, client);
    for (const { clock, len } of ranges) {
      if (clock >= known) continue;
      for (let i = Y.findIndexSS(list, clock); i < list.length && list[i]!.id.clock < clock + len; i++) {
        const s = list[i]!;
        if (s instanceof Y.Item && !s.deleted) note(s, beforeBody);
      }
    }
  }
  if (beforeBody.length <= 1 || afterBody.length <= 1) {
    return { whole: true, stretches: [{ before: beforeBody.toArray(), after: afterBody.toArray() }], bodyEntries };
  }
  const stretches: TouchedBlocks['stretches'] = [];
  const done = new Set<string>();
  // Deleted blocks are passed over: they read as nothing on both sides.
  const inStretch = (item: Y.Item | null): item is Y.Item => item !== null && (item.deleted || blocks.has(keyOf(item.id)));
  for (const id of blocks.values()) {
    if (done.has(keyOf(id))) continue;
    const start = Y.getItem(after.store, id) as Y.Item;
    let first = start;
    while (inStretch(first.left)) first = first.left;
    let last = start;
    while (inStretch(last.right)) last = last.right;
    const afterNodes: unknown[] = [];
    for (let it: Y.Item = first; ; it = it.right!) {
      done.add(keyOf(it.id));
      if (!it.deleted && it.countable) afterNodes.push(...it.content.getContent());
      if (it === last) break;
    }
    // The same stretch before the update: between the same two untouched blocks.
    const leftAnchor = first.left as Y.Item | null;
    const rightAnchor = last.right as Y.Item | null;
    const stop = rightAnchor ? Y.getItem(before.store, rightAnchor.id) : null;
    const beforeNodes: unknown[] = [];
    for (let it = leftAnchor ? (Y.getItem(before.store, leftAnchor.id) as Y.Item).right : beforeBody._start; it !== null && it !== stop; it = it.right) {
      if (!it.deleted && it.countable) beforeNodes.push(...it.content.getContent());
    }
    stretches.push({ before: beforeNodes, after: afterNodes });
  }
  return { whole: false, stretches, bodyEntries };
}
