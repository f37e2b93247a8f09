import { describe, expect, it } from 'vitest';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { decodeAwarenessUpdate, encodeAwarenessUpdate, stampIdentity } from '../../server/sync/messages.ts';

const server = { id: 'u1', name: 'Nina Lawyer', organisation: 'Human Rights Centre', side: 'civil_society', color: '#0b6e4f', role: 'drafter' };

describe('awareness identity stamping', () => {
  it('round-trips y-protocols awareness updates', () => {
    const doc = new Y.Doc();
    const awareness = new awarenessProtocol.Awareness(doc);
    awareness.setLocalState({ user: { name: 'Olga' }, cursor: { anchor: 1 } });
    const update = awarenessProtocol.encodeAwarenessUpdate(awareness, [doc.clientID]);
    const entries = decodeAwarenessUpdate(update);
    expect(entries).toEqual([{ clientId: doc.clientID, clock: 1, state: { user: { name: 'Olga' }, cursor: { anchor: 1 } } }]);
    expect(encodeAwarenessUpdate(entries)).toEqual(update);
  });

  it('replaces the claimed user, keeps the cursor, and leaves removals alone', () => {
    const stamped = stampIdentity(
      [
        { clientId: 1, clock: 2, state: { user: { name: 'Olga Coordinator', organisation: 'Ministry' }, cursor: 5 } },
        { clientId: 2, clock: 3, state: null },
      ],
      server,
    );
    expect(stamped[0]!.state).toEqual({ user: server, cursor: 5 });
    expect(stamped[1]!.state).toBeNull();
  });

  it('rejects malformed updates', () => {
    expect(() => decodeAwarenessUpdate(new Uint8Array([1, 1]))).toThrow();
    const bad = encodeAwarenessUpdate([{ clientId: 1, clock: 1, state: null }]);
    expect(() => decodeAwarenessUpdate(new Uint8Array([...bad, 7]))).toThrow();
  });
});
