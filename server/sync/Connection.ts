import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import type { WebSocket } from 'ws';
import type { Role, TextAccess } from '../../shared/api/index.ts';
import { writesSuggestion } from '../../shared/doc/suggestions.ts';
import { forgetTrials } from './trialDoc.ts';
import { keepOwnPendingDeletes } from './pendingDeletes.ts';
import { CloseCode, MessageType, type AwarenessUser } from '../../shared/protocol.ts';
import type { AppliedUpdate, SyncPerson, UpdateToJudge, UpdateVerdict } from './hooks.ts';
import type { Room } from './Room.ts';
import type { RoomMember } from './RoomMember.ts';
import { SyncBudget } from './rateLimit.ts';
import { writeFrame } from './framing.ts';
import {
  type AwarenessEntry,
  decodeAwarenessUpdate,
  encodeAwareness,
  encodeAwarenessUpdate,
  encodeSyncStep2,
  stampIdentity,
} from './messages.ts';

const MAX_PRESENCES_PER_CONNECTION = 4;
const MAX_AWARENESS_STATE_BYTES = 16 * 1024;
/**
 * After closing a connection that stopped reading, how long its close frame may wait behind the
 * unsent data before the socket is cut: a peer that never reads never completes the close.
 */
const SLOW_CLOSE_GRACE_MS = 1000;

/**
 * Decodes a whole update and refuses what no Yjs encoder writes, before it reaches the document:
 * Yjs keeps the part of a delete set it cannot apply yet and retries it with every later update,
 * so one delete set with unsorted, overlapping, empty or out-of-range ranges would make every
 * later update to the document throw (and close every editor's connection).
 */
export function validateUpdate(update: Uint8Array): { writers: Set<number>; marksSuggestions: boolean; decoded: ReturnType<typeof Y.decodeUpdate> } {
  const decoded = Y.decodeUpdate(update);
  const { structs, ds } = decoded;
  const writers = new Set<number>();
  let marksSuggestions = false;
  for (const ranges of ds.clients.values()) {
    let end = 0;
    for (const { clock, len } of ranges) {
      if (!(len >= 1) || clock < end || clock + len > Number.MAX_SAFE_INTEGER) throw new ProtocolError('malformed delete set');
      end = clock + len;
    }
  }
  for (const s of structs) {
    if (!(s.length >= 1) || s.id.clock + s.length > Number.MAX_SAFE_INTEGER) throw new ProtocolError('malformed struct');
    // Skips are gaps in a merged update, not writes.
    if (!(s instanceof Y.Skip)) writers.add(s.id.client);
    if (!marksSuggestions && writesSuggestion(s)) marksSuggestions = true;
  }
  return { writers, marksSuggestions, decoded };
}

/**
 * The update without the structs written under these client ids; its delete set is kept whole.
 * Yjs's diff drops structs below a state vector's clock, so a state vector giving each of these
 * clients the largest clock an update may reach (validateUpdate) drops all of theirs.
 */
export function withoutClients(update: Uint8Array, clients: Iterable<number>): Uint8Array {
  const encoder = encoding.createEncoder();
  const list = [...clients];
  encoding.writeVarUint(encoder, list.length);
  for (const client of list) {
    encoding.writeVarUint(encoder, client);
    encoding.writeVarUint(encoder, Number.MAX_SAFE_INTEGER);
  }
  return Y.diffUpdate(update, encoding.toUint8Array(encoder));
}

/** Thrown for a message that breaks the protocol; the connection is closed with BadMessage. */
export class ProtocolError extends Error {}

export interface ConnectionHost {
  maxMessageBytes: number;
  /** Unsent bytes past which the connection is closed as one that stopped reading. */
  sendBufferBytes?: number;
  /** The person's rate budgets, shared by all their connections; without it, one per connection. */
  budget?: SyncBudget;
  /**
   * Stores the room's queued updates now (before answering a state request with them): true once
   * nothing the room holds is unstored, false while storing fails. Never rejects.
   */
  storeQueued(): Promise<boolean>;
  /**
   * Whether the person's organisation is verified for the plan now. Asked on each presence
   * update (a cursor move, or a client's renewal every 15 s), so a verification or its withdrawal
   * reaches everyone's carets without reconnecting.
   */
  organisationVerified?(): boolean;
  /** The domain's judgement of a writer's update (SyncHooks.judgeUpdate). */
  judgeUpdate(update: UpdateToJudge): UpdateVerdict;
  /** Told of each update applied (SyncHooks.afterApply). */
  afterApply(applied: AppliedUpdate): void;
}

/** One person's WebSocket on one section document. */
export class Connection implements RoomMember {
  /** Awareness client ids this connection publishes; removed when it closes. */
  readonly controlledClients = new Set<number>();
  /** Whether this connection has published any presence yet (see handleAwareness). */
  private publishedPresence = false;
  alive = true;
  /** Updates a read-only connection tried to write (and that were dropped). */
  refusedUpdates = 0;
  /** An update that depends on something this connection has not sent yet (see SyncHooks.judgeUpdate). */
  private held: { update: Uint8Array; marksSuggestions: boolean; writers: Set<number> } | null = null;
  private closed = false;
  /** What the person may still send (see SyncRates); SyncServer pauses reading when messages run out. */
  readonly budget: SyncBudget;
  /** Presence changes above the rate, latest per client id, applied together once the budget allows. */
  private readonly presenceBacklog = new Map<number, AwarenessEntry>();
  private presenceTimer: NodeJS.Timeout | null = null;

  constructor(
    readonly ws: WebSocket,
    readonly room: Room<Connection>,
    readonly principal: SyncPerson,
    public role: Role,
    /** What this person's updates may do to the text (role and the plan's suggestion rule). */
    readonly access: TextAccess,
    /** Hash of the session this socket was opened with: signing out closes it. */
    readonly sessionHash: string,
    private readonly host: ConnectionHost,
  ) {
    this.budget = host.budget ?? new SyncBudget();
  }

  /** Read-only for those without text access, and for everyone while the section is agreed. */
  get readOnly(): boolean {
    return this.access === 'read' || this.room.locked;
  }

  get identity(): AwarenessUser {
    const p = this.principal;
    const identity: AwarenessUser = { id: p.userId, name: p.name, organisation: p.organisationName, side: p.side, color: p.color, role: this.role };
    const verified = this.host.organisationVerified?.();
    return verified === undefined ? identity : { ...identity, verified };
  }

  /** Sends a message; `frame`, when given, is the same message framed once for a whole room (see framing.ts). */
  send(message: Uint8Array, frame?: Buffer): void {
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return;
    // What is still unsent from earlier messages, not this one: a large section's state reaches even
    // a slow reader whole. A connection that stops reading would otherwise hold every message sent
    // to it in the server's memory (broadcasts share one buffer between readers, but each reader
    // keeps it alive for as long as it has not read it).
    const limit = this.host.sendBufferBytes;
    if (limit !== undefined && this.ws.bufferedAmount > limit) {
      this.close(CloseCode.SlowConnection, 'connection stopped reading');
      // The close frame waits behind the unsent data; a peer that never reads never answers it.
      const ws = this.ws;
      setTimeout(() => ws.terminate(), SLOW_CLOSE_GRACE_MS).unref();
      return;
    }
    // No per-send callback: a failed write surfaces as the socket's 'error' and 'close' events,
    // which end the connection; a closure per message per recipient is measurable under load.
    if (frame) writeFrame(this.ws, frame, message);
    else this.ws.send(message);
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.dropPresenceBacklog();
    this.ws.close(code, reason);
  }

  /** Forgets presence changes not applied yet (the connection is gone or going). */
  dropPresenceBacklog(): void {
    if (this.presenceTimer) clearTimeout(this.presenceTimer);
    this.presenceTimer = null;
    this.presenceBacklog.clear();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /**
   * Handles one message. Throws ProtocolError (or whatever decoding throws) for a bad message;
   * the caller closes this connection only.
   */
  handle(data: Uint8Array): void {
    if (this.closed) return;
    const decoder = decoding.createDecoder(data);
    const type = decoding.readVarUint(decoder);
    switch (type) {
      case MessageType.Sync:
        this.handleSync(decoder);
        break;
      case MessageType.Awareness:
        this.handleAwareness(decoding.readVarUint8Array(decoder));
        break;
      case MessageType.QueryAwareness:
        this.send(
          encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.room.awareness, [...this.room.awareness.getStates().keys()])),
        );
        break;
      case MessageType.Auth:
        // Authentication happens at the HTTP upgrade; auth messages from clients carry nothing.
        break;
      default:
        throw new ProtocolError(`unknown message type ${type}`);
    }
  }

  private handleSync(decoder: decoding.Decoder): void {
    const subtype = decoding.readVarUint(decoder);
    switch (subtype) {
      case syncProtocol.messageYjsSyncStep1: {
        const stateVector = decoding.readVarUint8Array(decoder);
        // Validates the state vector before anything is computed from it.
        Y.decodeStateVector(stateVector);
        // Never hand out state that is not stored yet: a crash could then lose what a client saw.
        if (this.room.pending.length === 0) {
          this.send(encodeSyncStep2(this.room.doc, stateVector));
          break;
        }
        void this.host.storeQueued().then((stored) => {
          if (this.isClosed) return;
          // Storage is failing: the in-memory document holds unstored edits. Ask the client to
          // come back later rather than give it state a crash could take back.
          if (!stored) this.close(CloseCode.StorageUnavailable, 'storage unavailable: try again shortly');
          else this.send(encodeSyncStep2(this.room.doc, stateVector));
        });
        break;
      }
      case syncProtocol.messageYjsSyncStep2:
      case syncProtocol.messageYjsUpdate: {
        const update = decoding.readVarUint8Array(decoder);
        if (this.readOnly) {
          // A read-only client may ask for state; what it sends is never applied, stored or
          // broadcast. The y-websocket client answers every step 1 with a step 2, so this is normal.
          if (update.length > 2) this.refusedUpdates++;
          return;
        }
        // One full decode serves both the validity check and who the update writes as.
        const { writers, marksSuggestions, decoded } = validateUpdate(update);
        // An update held back earlier (it depended on something not yet sent) is judged again
        // together with this one.
        let pending = update;
        let marks = marksSuggestions;
        let writing = writers;
        if (this.held) {
          pending = Y.mergeUpdates([this.held.update, update]);
          marks ||= this.held.marksSuggestions;
          writing = new Set([...this.held.writers, ...writers]);
          this.held = null;
        }
        // What was written under other people's client ids is not this person's to send (a client
        // that received their edits before the server lost them sends them back): it is left out,
        // and this person's own work is judged without it (see Room.isClaimedByOther).
        const foreign = [...writing].filter((client) => this.room.isClaimedByOther(client, this));
        if (foreign.length > 0) {
          pending = withoutClients(pending, foreign);
          for (const client of foreign) writing.delete(client);
        }
        const me = this.principal.userId;
        const verdict = this.host.judgeUpdate({
          doc: this.room.doc,
          update: pending,
          marksSuggestions: marks,
          decoded: pending === update ? decoded : undefined,
          // (Its own new client ids become theirs if it is applied.)
          ownsClient: (client) => this.room.clientOwners.get(client) === me || writing.has(client),
        });
        if (verdict.kind === 'wait' && pending.length <= this.host.maxMessageBytes) {
          this.held = { update: pending, marksSuggestions: marks, writers: writing };
          return;
        }
        if (verdict.kind !== 'apply') {
          forgetTrials(this.room.doc);
          // Not applied, stored or sent. The client has it locally, so its copy no longer matches
          // the server's: closing tells it to drop that copy and start again from the server's text.
          this.refusedUpdates++;
          if (verdict.kind === 'refuse') this.close(verdict.code, verdict.reason);
          else this.close(CloseCode.EditRefused, 'depends on changes never sent');
          return;
        }
        const pendingDeletes = this.room.doc.store.pendingDs;
        Y.applyUpdate(this.room.doc, pending, this);
        keepOwnPendingDeletes(this.room.doc, pendingDeletes, (client) => this.room.clientOwners.get(client) === me || writing.has(client));
        // Only now, applied, are its client ids this person's (and stored with it).
        this.room.claimClients(writing, this);
        // Without this connection as its origin, so the batch goes back to its author as well.
        if (verdict.also) Y.applyUpdate(this.room.doc, verdict.also, null);
        this.host.afterApply({ doc: this.room.doc, update: pending, also: verdict.also, marksSuggestions: marks });
        break;
      }
      default:
        throw new ProtocolError(`unknown sync message ${subtype}`);
    }
  }

  private handleAwareness(update: Uint8Array): void {
    const entries = decodeAwarenessUpdate(
      update,
      MAX_AWARENESS_STATE_BYTES,
      (id) => !this.room.isClaimedByOther(id, this),
      (id) => this.controlledClients.has(id),
    );
    // A browser tab publishes one presence; a few allows for reconnects. More is a flood. Presences
    // waiting in the backlog count as published.
    const fresh = new Set(entries.filter((e) => e.state !== null && !this.controlledClients.has(e.clientId)).map((e) => e.clientId));
    for (const [id, e] of this.presenceBacklog) if (e.state !== null && !this.controlledClients.has(id)) fresh.add(id);
    if (this.controlledClients.size + fresh.size > MAX_PRESENCES_PER_CONNECTION) {
      throw new ProtocolError('too many presences on one connection');
    }
    // The first presence a connection publishes is its page's own (y-websocket sends it on open,
    // before it echoes anyone else's): when another of this person's connections holds it, this is
    // the same page come back, and it takes the presence over. Never later: a page echoes every
    // presence it receives, the person's other tabs' among them, and must not take those.
    if (!this.publishedPresence) {
      this.publishedPresence = true;
      for (const e of entries) if (e.state !== null) this.room.takeOverPresence(e.clientId, this);
    }
    // Only changes cost: a page echoes back every presence it is sent, which changes nothing.
    const changes = entries.filter((e) => this.changesPresence(e));
    if (changes.length === 0) return;
    if (this.presenceBacklog.size === 0 && this.budget.presence.take()) {
      this.applyPresence(changes);
      return;
    }
    if (!this.budget.presenceExcess.take()) {
      this.close(CloseCode.TooManyMessages, 'too many presence updates');
      return;
    }
    for (const e of changes) {
      const queued = this.presenceBacklog.get(e.clientId);
      if (!queued || queued.clock <= e.clock) this.presenceBacklog.set(e.clientId, e);
    }
    this.schedulePresenceBacklog();
  }

  /** Whether applying this entry would change the room's presence (as applyAwarenessUpdate decides). */
  private changesPresence(e: AwarenessEntry): boolean {
    const meta = this.room.awareness.meta.get(e.clientId);
    if (!meta || meta.clock < e.clock) return true;
    return meta.clock === e.clock && e.state === null && this.room.awareness.states.has(e.clientId);
  }

  private applyPresence(entries: AwarenessEntry[]): void {
    if (entries.length === 0) return;
    awarenessProtocol.applyAwarenessUpdate(this.room.awareness, encodeAwarenessUpdate(stampIdentity(entries, this.identity)), this);
  }

  private schedulePresenceBacklog(): void {
    if (this.presenceTimer || this.closed) return;
    this.presenceTimer = setTimeout(() => {
      this.presenceTimer = null;
      if (this.closed || this.presenceBacklog.size === 0) return;
      if (!this.budget.presence.take()) {
        this.schedulePresenceBacklog();
        return;
      }
      const entries = [...this.presenceBacklog.values()];
      this.presenceBacklog.clear();
      // Someone else may have taken one of these ids meanwhile; and some may be stale by now.
      this.applyPresence(entries.filter((e) => !this.room.isClaimedByOther(e.clientId, this) && this.changesPresence(e)));
    }, Math.max(1, this.budget.presence.msUntilToken()));
    this.presenceTimer.unref();
  }
}
