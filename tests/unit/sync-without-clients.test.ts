import { describe, expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { validateUpdate, withoutClients } from '../../server/sync/Connection.ts';

/** Two writers on one text: `theirs` writes first, `mine` types after their words and deletes some. */
function twoWriters() {
  const theirs = new Y.Doc();
  const mine = new Y.Doc();
  theirs.getText('t').insert(0, 'their words ');
  Y.applyUpdate(mine, Y.encodeStateAsUpdate(theirs));
  mine.getText('t').insert(12, 'my words');
  mine.getText('t').delete(0, 6);
  return { theirs, mine };
}

describe('withoutClients', () => {
  it("drops every struct under the given client ids and keeps the rest and the whole delete set", () => {
    const { theirs, mine } = twoWriters();
    const stripped = withoutClients(Y.encodeStateAsUpdate(mine), [theirs.clientID]);
    expect(validateUpdate(stripped).writers).toEqual(new Set([mine.clientID]));
    const { ds } = Y.decodeUpdate(stripped);
    expect(ds.clients.get(theirs.clientID)).toEqual([expect.objectContaining({ clock: 0, len: 6 })]);

    // Where their words exist, the stripped update gives the same text as the whole one.
    const server = new Y.Doc();
    Y.applyUpdate(server, Y.encodeStateAsUpdate(theirs));
    Y.applyUpdate(server, stripped);
    expect(server.getText('t').toString()).toBe('words my words');
  });

  it('holds own structs that build on dropped ones until their author sends them, then integrates them', () => {
    const { theirs, mine } = twoWriters();
    const server = new Y.Doc();
    const events: Uint8Array[] = [];
    server.on('update', (u: Uint8Array) => events.push(u));
    Y.applyUpdate(server, withoutClients(Y.encodeStateAsUpdate(mine), [theirs.clientID]));
    expect(server.getText('t').toString()).toBe('');
    expect(server.store.pendingStructs).not.toBeNull();
    Y.applyUpdate(server, Y.encodeStateAsUpdate(theirs));
    expect(server.store.pendingStructs).toBeNull();
    // What the document reports as updated (what the server stores) carries the held part too.
    const replayed = new Y.Doc();
    for (const u of events) Y.applyUpdate(replayed, u);
    expect(replayed.getText('t').toString()).toBe('words my words');
  });

  it('strips structs at the largest clock and client id an update may carry (lib0 varuint limits)', () => {
    const client = 2 ** 32 - 1;
    const update = textInsertAt(client, Number.MAX_SAFE_INTEGER - 1, 'x');
    expect(validateUpdate(update).writers).toEqual(new Set([client]));
    expect(validateUpdate(withoutClients(update, [client])).writers.size).toBe(0);
    expect(validateUpdate(withoutClients(update, [client - 1])).writers).toEqual(new Set([client]));
  });
});

/** A V1 update of one string inserted into the root text 't' by `client` at `clock`, built by hand. */
function textInsertAt(client: number, clock: number, text: string): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 1); // clients
  encoding.writeVarUint(e, 1); // structs of this client
  encoding.writeVarUint(e, client);
  encoding.writeVarUint(e, clock);
  encoding.writeUint8(e, 4); // ContentString, no origins: the parent follows
  encoding.writeVarUint(e, 1); // parent is a root type, by name
  encoding.writeVarString(e, 't');
  encoding.writeVarString(e, text);
  encoding.writeVarUint(e, 0); // empty delete set
  return encoding.toUint8Array(e);
}
