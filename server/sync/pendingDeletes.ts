import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';

type Ranges = Array<{ clock: number; len: number }>;

/**
 * Deletions of text the server does not have wait in the document (Yjs's pending delete set) and
 * take effect when that text arrives. Only a person's own text may be deleted in advance like that
 * (their offline deletions of what they typed and the server lost). Someone else's text the server
 * has not seen would otherwise be deleted the moment its author types it, on the server only:
 * their screen keeps the words while everyone else never sees them. So after an update is applied,
 * whatever it left waiting for other people's text is dropped; what was waiting before stays.
 */
export function keepOwnPendingDeletes(doc: Y.Doc, before: Uint8Array | null, isOwn: (client: number) => boolean): void {
  const after = doc.store.pendingDs;
  if (after === null || after === before) return;
  const previous = rangesOf(before);
  const kept = new Map<number, Ranges>();
  let dropped = false;
  for (const [client, ranges] of rangesOf(after)) {
    if (isOwn(client)) {
      kept.set(client, ranges);
      continue;
    }
    const still = intersect(ranges, previous.get(client) ?? []);
    if (lengthOf(still) !== lengthOf(ranges)) dropped = true;
    if (still.length > 0) kept.set(client, still);
  }
  if (dropped) doc.store.pendingDs = kept.size > 0 ? encodeDeleteSetV2(kept) : null;
}

function rangesOf(pendingDs: Uint8Array | null): Map<number, Ranges> {
  const out = new Map<number, Ranges>();
  if (pendingDs === null) return out;
  for (const [client, items] of Y.decodeUpdateV2(pendingDs).ds.clients) {
    out.set(client, [...items].sort((a, b) => a.clock - b.clock).map(({ clock, len }) => ({ clock, len })));
  }
  return out;
}

const lengthOf = (ranges: Ranges) => ranges.reduce((n, r) => n + r.len, 0);

/** The parts of sorted ranges `a` that sorted ranges `b` also cover. */
function intersect(a: Ranges, b: Ranges): Ranges {
  const out: Ranges = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const start = Math.max(a[i]!.clock, b[j]!.clock);
    const end = Math.min(a[i]!.clock + a[i]!.len, b[j]!.clock + b[j]!.len);
    if (start < end) out.push({ clock: start, len: end - start });
    if (a[i]!.clock + a[i]!.len < b[j]!.clock + b[j]!.len) i++;
    else j++;
  }
  return out;
}

/** A delete set alone, as a (V1) update with no structs; ranges written as given, in order. */
export function encodeDeleteSet(ranges: Map<number, Ranges>): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0); // no structs
  encoding.writeVarUint(e, ranges.size);
  for (const [client, list] of ranges) {
    encoding.writeVarUint(e, client);
    encoding.writeVarUint(e, list.length);
    for (const { clock, len } of list) {
      encoding.writeVarUint(e, clock);
      encoding.writeVarUint(e, len);
    }
  }
  return encoding.toUint8Array(e);
}

/** The same, as the V2 update Yjs keeps pending deletions in. */
const encodeDeleteSetV2 = (ranges: Map<number, Ranges>): Uint8Array => Y.convertUpdateFormatV1ToV2(encodeDeleteSet(ranges));
