import * as Y from 'yjs';

/**
 * When each suggestion was made, by the server's clock. A suggestion's mark carries the author's
 * own time (`at`), which a wrong or deliberately set clock makes say anything; so the server, when
 * it first stores an update that makes a suggestion, records its own time here, in the section
 * document beside the text, and everyone is shown that. Only the server writes this map: the sync
 * server refuses any person's update that touches it (touchesSuggestionTimes).
 */
export const SUGGESTION_TIMES_KEY = 'suggestionTimes';

/** One suggestion's key: its author and id (an id in another person's name is another suggestion). */
export function suggestionTimeKey(author: string, id: string): string {
  return `${author}\u0000${id}`;
}

/** The map, when the document has one; never creates it (a new root type would count as a write). */
function timesOf(doc: Y.Doc): Y.Map<unknown> | null {
  return doc.share.has(SUGGESTION_TIMES_KEY) ? doc.getMap<unknown>(SUGGESTION_TIMES_KEY) : null;
}

/** The server's time for a suggestion (ms since epoch), or null while the server has not seen it. */
export function suggestionTimeIn(doc: Y.Doc, author: string, id: string): number | null {
  const value = timesOf(doc)?.get(suggestionTimeKey(author, id));
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/**
 * Server only: records `now` for every suggestion (author and id) that has no time yet, in one
 * transaction. Returns how many were stamped.
 */
export function stampSuggestionTimes(doc: Y.Doc, suggestions: Array<{ author: string; id: string }>, now: number): number {
  const missing = suggestions.filter((s) => suggestionTimeIn(doc, s.author, s.id) === null);
  if (missing.length === 0) return 0;
  doc.transact(() => {
    const times = doc.getMap<unknown>(SUGGESTION_TIMES_KEY);
    for (const s of missing) times.set(suggestionTimeKey(s.author, s.id), now);
  });
  return missing.length;
}

/** An update as Y.decodeUpdate reads it (passed on where the caller has decoded it already). */
export type DecodedUpdate = ReturnType<typeof Y.decodeUpdate>;

/**
 * Whether an update would write to the server's map of suggestion times: an item placed in it (a
 * new key names the map as its parent; a replaced value points at the value it replaces), or a
 * deletion of one of its values.
 */
export function touchesSuggestionTimes(doc: Y.Doc, update: Uint8Array, decoded: DecodedUpdate = Y.decodeUpdate(update)): boolean {
  const { structs, ds } = decoded;
  const times = timesOf(doc);
  const structAt = (id: Y.ID | null) =>
    id !== null && doc.store.clients.has(id.client) && Y.getState(doc.store, id.client) > id.clock ? Y.getItem(doc.store, id) : null;
  const inTimes = (id: Y.ID | null): boolean => times !== null && (structAt(id) as Y.Item | null)?.parent === times;
  for (const s of structs) {
    if (!(s instanceof Y.Item)) continue;
    // Decoded, an item placed at the top of a root type names the root by its key.
    if ((s.parent as unknown) === SUGGESTION_TIMES_KEY) return true;
    if (inTimes(s.origin) || inTimes(s.rightOrigin)) return true;
  }
  if (!times) return false;
  for (const [client, ranges] of ds.clients) {
    if (!doc.store.clients.has(client)) continue;
    const known = Y.getState(doc.store, client);
    for (const { clock, len } of ranges) {
      // Struct by struct (one struct holds many characters), not clock by clock.
      for (let c = clock; c < Math.min(clock + len, known); ) {
        const struct = structAt(Y.createID(client, c))!;
        if ((struct as Y.Item).parent === times) return true;
        c = struct.id.clock + struct.length;
      }
    }
  }
  return false;
}
