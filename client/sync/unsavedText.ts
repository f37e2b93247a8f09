import * as Y from 'yjs';

/** How much of refused typing a notice quotes. */
const MAX_QUOTED = 280;

/**
 * The words this page typed (under `clientId`) from `fromClock` on that are still in the text:
 * what a refusal of its unsaved edits takes away, quoted so the person can type it again.
 */
export function unsavedText(doc: Y.Doc, clientId: number, fromClock: number): string {
  const structs = doc.store.clients.get(clientId) ?? [];
  let text = '';
  for (const struct of structs) {
    if (struct.id.clock + struct.length <= fromClock) continue;
    if (!(struct instanceof Y.Item) || struct.deleted || !(struct.content instanceof Y.ContentString)) continue;
    text += struct.content.str.slice(Math.max(0, fromClock - struct.id.clock));
    if (text.length > MAX_QUOTED) return `${text.slice(0, MAX_QUOTED).trimEnd()}…`;
  }
  return text.trim();
}
