import * as Y from 'yjs';

/**
 * The update a replica of `doc` produces for `edit` (several Yjs transactions merged): what a
 * client — honest or hostile — would send the server for that edit.
 */
export function updateFor(doc: Y.Doc, edit: (replica: Y.Doc) => void): Uint8Array {
  const replica = new Y.Doc();
  Y.applyUpdate(replica, Y.encodeStateAsUpdate(doc));
  const before = Y.encodeStateVector(replica);
  edit(replica);
  return Y.encodeStateAsUpdate(replica, before);
}
