import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import type * as Y from 'yjs';
import { MessageType, type SaveState } from '../../shared/protocol.ts';
import type { AwarenessUser } from '../../shared/protocol.ts';

export function encodeSyncStep1(doc: Y.Doc): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MessageType.Sync);
  syncProtocol.writeSyncStep1(e, doc);
  return encoding.toUint8Array(e);
}

/**
 * The state a client lacks, without the parts the document holds back (they wait for edits the
 * server lost; Yjs would add them): those are stored, and sent, only once they are complete.
 */
export function encodeSyncStep2(doc: Y.Doc, stateVector: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MessageType.Sync);
  const { pendingStructs, pendingDs } = doc.store;
  doc.store.pendingStructs = null;
  doc.store.pendingDs = null;
  try {
    syncProtocol.writeSyncStep2(e, doc, stateVector);
  } finally {
    doc.store.pendingStructs = pendingStructs;
    doc.store.pendingDs = pendingDs;
  }
  return encoding.toUint8Array(e);
}

export function encodeUpdate(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MessageType.Sync);
  syncProtocol.writeUpdate(e, update);
  return encoding.toUint8Array(e);
}

export function encodeAwareness(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MessageType.Awareness);
  encoding.writeVarUint8Array(e, update);
  return encoding.toUint8Array(e);
}

export function encodeSaveStatus(state: (typeof SaveState)[keyof typeof SaveState], storedStateVector: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MessageType.SaveStatus);
  encoding.writeVarUint(e, state);
  encoding.writeVarUint8Array(e, storedStateVector);
  return encoding.toUint8Array(e);
}

export interface AwarenessEntry {
  clientId: number;
  clock: number;
  /** Parsed JSON state; null means the client left. */
  state: Record<string, unknown> | null;
}

/**
 * Decodes an awareness update (y-protocols format: count, then clientID, clock, JSON per entry).
 * Throws on anything malformed, including JSON that is not an object or null. Entries `accept`
 * turns down are skipped unread: a browser echoes back the presences of everyone else it was sent,
 * and someone else's oversized or odd state must not get the echoing person disconnected. An
 * oversized state is an error only for the clients `strictAbout` names (the connection's own);
 * otherwise it is skipped: it may be the echo of someone who has just left.
 */
export function decodeAwarenessUpdate(
  update: Uint8Array,
  maxStateBytes = Infinity,
  accept: (clientId: number) => boolean = () => true,
  /** Oversized states of these clients are an error; others are skipped (a stale echo). */
  strictAbout: (clientId: number) => boolean = () => true,
): AwarenessEntry[] {
  const d = decoding.createDecoder(update);
  const count = decoding.readVarUint(d);
  if (count > 1000) throw new Error('too many awareness entries');
  const entries: AwarenessEntry[] = [];
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(d);
    const clock = decoding.readVarUint(d);
    const json = decoding.readVarString(d);
    if (!accept(clientId)) continue;
    if (json.length > maxStateBytes) {
      if (strictAbout(clientId)) throw new Error('awareness state too large');
      continue;
    }
    const state: unknown = JSON.parse(json);
    if (state !== null && (typeof state !== 'object' || Array.isArray(state))) throw new Error('awareness state is not an object');
    entries.push({ clientId, clock, state: state as Record<string, unknown> | null });
  }
  if (decoding.hasContent(d)) throw new Error('trailing bytes in awareness update');
  return entries;
}

export function encodeAwarenessUpdate(entries: AwarenessEntry[]): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, entries.length);
  for (const entry of entries) {
    encoding.writeVarUint(e, entry.clientId);
    encoding.writeVarUint(e, entry.clock);
    encoding.writeVarString(e, JSON.stringify(entry.state));
  }
  return encoding.toUint8Array(e);
}

/**
 * Replaces the identity a client claims in its awareness state with the server's knowledge of the
 * signed-in person: no one can show up under another name, organisation or role.
 */
export function stampIdentity(entries: AwarenessEntry[], user: AwarenessUser): AwarenessEntry[] {
  return entries.map((entry) => (entry.state === null ? entry : { ...entry, state: { ...entry.state, user } }));
}
