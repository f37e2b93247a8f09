import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { encodeAwareness, encodeSaveStatus, encodeUpdate } from './messages.ts';
import { frameBinary } from './framing.ts';
import { SaveState } from '../../shared/protocol.ts';
import type { RoomMember } from './RoomMember.ts';

/**
 * One loaded document and the connections editing it. Loaded once however many people open it;
 * dropped by the registry when the last connection leaves and everything is stored.
 *
 * Updates are not broadcast when they arrive: they are queued, stored in one transaction per
 * event-loop turn (see UpdateWriter.flush), and only then sent to the other connections and
 * acknowledged to their authors. So nobody ever receives or is told "saved" about an update a
 * crash could lose.
 */
export class Room<M extends RoomMember = RoomMember> {
  readonly doc: Y.Doc;
  readonly awareness: awarenessProtocol.Awareness;
  readonly connections = new Set<M>();
  /** Who writes under each Yjs client id (stored ones plus those claimed since). */
  readonly clientOwners: Map<number, string>;
  /** Who published presence under a client id while in this room (see isClaimedByOther). */
  private readonly presenceOwners = new Map<number, string>();
  /** Client ids claimed since the last write, stored with the next batch of updates. */
  pendingOwners: Array<[number, string]> = [];
  /** Updates applied in memory, not yet stored; with the connection that sent each. */
  pending: Array<{ update: Uint8Array; origin: M | null }> = [];
  /** Stored update rows since the last compaction. */
  storedRows: number;
  storageFailing = false;
  /** The document held back parts of updates when they were last stored (see afterStored). */
  private heldBack = false;
  /** State vector of stored state, computed lazily (see storedVector). */
  private knownStoredVector: Uint8Array;
  private storedVectorStale = false;
  private lastAckAt = 0;
  private readonly ackDue = new Set<M>();
  private ackTimer: NodeJS.Timeout | null = null;
  /** Set once the section was moved to the bin: nothing more is stored or sent. */
  deleted = false;
  /** The section is agreed: every connection is read-only (asked of the domain when loaded, set by SyncServer). */
  locked = false;
  /** Connections admitted whose WebSocket is not open yet: the room stays loaded for them. */
  admitting = 0;

  constructor(
    readonly name: string,
    readonly planId: string,
    stored: Uint8Array[],
    clientOwners: Map<number, string>,
    private readonly onDirty: (room: Room<M>) => void,
    /** Presence changed by this process's connections (for the other processes: see SyncFanout). */
    private readonly onLocalPresence?: (room: Room<M>, awarenessUpdate: Uint8Array) => void,
  ) {
    this.clientOwners = clientOwners;
    this.doc = new Y.Doc({ gc: true });
    // Loading applies stored updates without an origin marker that would queue them again.
    Y.transact(this.doc, () => {
      for (const update of stored) Y.applyUpdate(this.doc, update, LOAD_ORIGIN);
    }, LOAD_ORIGIN);
    this.storedRows = stored.length;
    this.knownStoredVector = Y.encodeStateVector(this.doc);
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === LOAD_ORIGIN || origin === STORED_ORIGIN || this.deleted) return;
      this.pending.push({ update, origin: (origin as M | null) ?? null });
      this.onDirty(this);
    });
    // An update whose parts all wait for what they build on changes nothing yet (no 'update').
    this.doc.on('afterTransaction', () => {
      if (this.doc.store.pendingStructs !== null || this.doc.store.pendingDs !== null) this.heldBack = true;
    });
    this.awareness = new awarenessProtocol.Awareness(this.doc);
    // The server itself has no presence.
    this.awareness.setLocalState(null);
    this.awareness.on('update', ({ added, updated, removed }: AwarenessChange, origin: unknown) => {
      const changed = [...added, ...updated, ...removed];
      // Presence a member publishes is applied with the member as origin.
      if (this.connections.has(origin as M)) {
        const member = origin as M;
        for (const id of added) {
          member.controlledClients.add(id);
          // Bounded: a flood of made-up presences must not grow the room's memory.
          if (this.presenceOwners.size < MAX_PRESENCE_OWNERS && !this.presenceOwners.has(id)) {
            this.presenceOwners.set(id, member.principal.userId);
          }
        }
        // Gone for everyone: no connection keeps controlling a presence that is no longer there.
        for (const id of removed) for (const conn of this.connections) conn.controlledClients.delete(id);
      }
      const awarenessUpdate = awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed);
      const message = encodeAwareness(awarenessUpdate);
      const frame = frameBinary(message);
      for (const conn of this.connections) conn.send(message, frame);
      // A member's presence, or its removal when they leave (origin null), is news for the other
      // processes; what came from them, and presences this process merely timed out, are not.
      if (origin !== REMOTE_ORIGIN && (origin === null || this.connections.has(origin as M))) {
        this.onLocalPresence?.(this, awarenessUpdate);
      }
    });
  }

  /**
   * Who owns a Yjs client id. A client id is a person's once an update of theirs written under it
   * is applied (claimClients, stored with that update); an update held back or refused claims
   * nothing. While another connection publishes presence under an id, or once another person has
   * published under it in this room, nobody else may claim it: a fresh id is visible in presence
   * before its first edit, and whoever wrote under it first would make Yjs drop its real author's
   * edits at those clocks as duplicates. Structs under ids owned by others are taken out of an
   * update (see withoutClients), never a reason to refuse the rest of it.
   *
   * Another connection of the same person is not another: it is the same document reconnecting
   * before the server noticed its old connection die (a network switch; the heartbeat takes up to
   * a minute). Treating it as someone else's took the person's offline words out of their update
   * and kept its deletions, so a move of text lost the text for everyone. So withoutClients keeps
   * different people apart, not one person's connections: a broken or hostile page can then spoil
   * only its own person's edits (different tabs have different random client ids).
   */
  isClaimedByOther(clientId: number, conn: M): boolean {
    const userId = conn.principal.userId;
    const owner = this.clientOwners.get(clientId) ?? this.presenceOwners.get(clientId);
    if (owner !== undefined && owner !== userId) return true;
    for (const other of this.connections) {
      if (other !== conn && other.principal.userId !== userId && other.controlledClients.has(clientId)) return true;
    }
    return false;
  }

  /**
   * A presence the person publishes again from a new connection (the same document reconnecting:
   * see isClaimedByOther) is that connection's from now on, even when it changes nothing (a
   * browser sends its last presence as it was): the old connection, once found dead, must not
   * take it away with it.
   */
  takeOverPresence(clientId: number, conn: M): void {
    for (const other of this.connections) {
      if (other !== conn && other.principal.userId === conn.principal.userId && other.controlledClients.delete(clientId)) {
        conn.controlledClients.add(clientId);
      }
    }
  }

  /** Claims for the connection's person the client ids of an update just applied (none of them another's). */
  claimClients(clients: Iterable<number>, conn: M): void {
    const userId = conn.principal.userId;
    for (const client of clients) {
      if (!this.clientOwners.has(client)) {
        this.clientOwners.set(client, userId);
        this.pendingOwners.push([client, userId]);
      }
    }
  }

  /** Takes the queued updates as one merged update (or null when nothing is queued). */
  takePendingMerged(): PendingBatch<M> | null {
    if (this.pending.length === 0) return null;
    const owners = [...this.pendingOwners];
    const updates = this.pending.map((p) => p.update);
    const origins = new Set(this.pending.map((p) => p.origin).filter((c): c is M => c !== null));
    const first = this.pending[0]!.origin;
    const soleOrigin = first !== null && this.pending.every((p) => p.origin === first) ? first : null;
    return { merged: updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates), origins, soleOrigin, owners, count: updates.length };
  }

  /** After the pending updates are stored: send them to everyone else and tell authors they are saved. */
  afterStored({ merged, origins, soleOrigin, owners, count }: PendingBatch<M>): void {
    // Only what the batch took: edits queued while it was being stored wait for the next batch.
    this.pending = this.pending.slice(count);
    this.pendingOwners = this.pendingOwners.filter((o) => !owners.includes(o));
    this.storedRows += 1;
    const wasFailing = this.storageFailing;
    this.storageFailing = false;
    this.storedVectorStale = true;
    // Parts held back in the document (they build on edits the server lost) are stored and sent
    // with the batch that completes them, whoever sent it: while there are such, everyone gets
    // each batch and is told what is stored.
    const heldBack = this.doc.store.pendingStructs !== null || this.doc.store.pendingDs !== null;
    const completesHeldBack = heldBack || this.heldBack;
    this.heldBack = heldBack;
    const message = encodeUpdate(merged);
    const frame = frameBinary(message);
    for (const conn of this.connections) {
      // A connection that wrote everything in this batch already has it.
      if (conn !== soleOrigin || completesHeldBack) conn.send(message, frame);
      if (origins.has(conn) || wasFailing || completesHeldBack) this.ackDue.add(conn);
    }
    // While someone types, one acknowledgement per interval is enough for the "Saved" indicator,
    // and it spares a message (and a state vector) per keystroke: the first edit after a pause is
    // acknowledged at once, later ones together at the end of the interval.
    if (this.ackDue.size > 0 && !this.ackTimer) {
      const wait = this.lastAckAt + ACK_INTERVAL_MS - Date.now();
      if (wait <= 0) this.sendAcks();
      else this.ackTimer = setTimeout(() => this.sendAcks(), wait);
    }
  }

  /**
   * Applies an update that is stored already (a server-side edit, committed with its records) and
   * sends it to everyone. Only while nothing is queued, so the stored log stays in the same order.
   */
  applyStored(update: Uint8Array): void {
    Y.applyUpdate(this.doc, update, STORED_ORIGIN);
    this.afterStored({ merged: update, origins: new Set(), soleOrigin: null, owners: [], count: 0 });
  }

  /**
   * Applies an update another process stored (see SyncFanout) and sends it to everyone here. Unlike
   * applyStored, it may arrive while this room has edits queued: those stay queued, and are stored
   * after it, as they would be had it been stored here first.
   */
  applyRemote(update: Uint8Array, owners: Array<[number, string]>): void {
    // The process that stored these first is right about whose they are: this room may have taken
    // one as someone else's, when a page reconnecting here sent another person's words before
    // their news arrived (what storage holds agrees: it keeps the first claim).
    for (const [client, userId] of owners) this.clientOwners.set(client, userId);
    // Parts of this room's edits held back, waiting for what they build on, are completed by this
    // update and added to the document with it: they were never stored. So the update is queued
    // like an edit of this room's and stored again with them (a repeat in the log changes nothing),
    // then sent to everyone with what it completes (see afterStored).
    if (this.doc.store.pendingStructs !== null || this.doc.store.pendingDs !== null) {
      Y.applyUpdate(this.doc, update, null);
      return;
    }
    Y.applyUpdate(this.doc, update, STORED_ORIGIN);
    this.storedRows += 1;
    this.storedVectorStale = true;
    const message = encodeUpdate(update);
    const frame = frameBinary(message);
    for (const conn of this.connections) conn.send(message, frame);
  }

  /** Presence published by another process's connections. */
  applyRemotePresence(awarenessUpdate: Uint8Array): void {
    awarenessProtocol.applyAwarenessUpdate(this.awareness, awarenessUpdate, REMOTE_ORIGIN);
  }

  /**
   * The state vector of what is stored. Computed from the document only while nothing is queued
   * (then the document and storage agree); otherwise the last one computed, which may claim less
   * than is stored but never more.
   */
  get storedVector(): Uint8Array {
    if (this.storedVectorStale && this.pending.length === 0) {
      this.knownStoredVector = Y.encodeStateVector(this.doc);
      this.storedVectorStale = false;
    }
    return this.knownStoredVector;
  }

  /** Tells the connections whose edits were stored which state is on disk. */
  sendAcks(): void {
    this.ackTimer = null;
    // Edits queued since the last write: the next write acknowledges them all together.
    if (this.ackDue.size === 0 || this.pending.length > 0) return;
    this.lastAckAt = Date.now();
    const saved = encodeSaveStatus(SaveState.Stored, this.storedVector);
    for (const conn of this.ackDue) if (this.connections.has(conn)) conn.send(saved);
    this.ackDue.clear();
  }


  /**
   * Storage refused the write: keep the edits in memory and tell the authors they are not saved.
   * (UpdateWriter logs it, once per document and retry.)
   */
  storageFailed(origins: Set<M>): void {
    const notify = !this.storageFailing;
    this.storageFailing = true;
    const status = encodeSaveStatus(SaveState.StorageFailing, new Uint8Array([0]));
    for (const conn of this.connections) if (notify || origins.has(conn)) conn.send(status);
  }

  destroy(): void {
    if (this.ackTimer) clearTimeout(this.ackTimer);
    this.ackDue.clear();
    this.awareness.destroy();
    this.doc.destroy();
  }
}

export interface PendingBatch<M extends RoomMember = RoomMember> {
  merged: Uint8Array;
  origins: Set<M>;
  /** The one connection every queued update came from, if there is one. */
  soleOrigin: M | null;
  /** Client ids first written in this batch, with their person. */
  owners: Array<[number, string]>;
  /** How many of the queued updates (the first ones) the batch holds. */
  count: number;
}

/** How many presence client ids a room remembers the person of (far more than people in a section). */
const MAX_PRESENCE_OWNERS = 10_000;

/** How often, at most, a typing person is told their edits are stored. */
const ACK_INTERVAL_MS = 500;

/** Marks the transaction that replays stored updates at load. */
const LOAD_ORIGIN = Symbol('load');
/** Marks a server-side edit applied after it was stored (nothing to queue). */
const STORED_ORIGIN = Symbol('stored');
/** Marks presence another process published (not published again). */
const REMOTE_ORIGIN = Symbol('remote');

interface AwarenessChange {
  added: number[];
  updated: number[];
  removed: number[];
}
