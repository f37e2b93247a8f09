import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import Database from 'better-sqlite3';
import type { Logger } from 'pino';
import * as awarenessProtocol from 'y-protocols/awareness';
import { WebSocketServer, type WebSocket } from 'ws';
import * as Y from 'yjs';
import type { Db } from '../db/database.ts';
import { DocumentStore } from '../storage/DocumentStore.ts';
import type { Role, TextAccess } from '../../shared/api/index.ts';
import { DOC_SCHEMA_VERSION, parseDocName, sectionDocName } from '../../shared/doc/schema.ts';
import { CloseCode, MessageType, SaveState, SCHEMA_VERSION_PARAM, SYNC_PATH } from '../../shared/protocol.ts';
import { Compaction } from './compaction.ts';
import { Connection } from './Connection.ts';
import type { DocumentAccess } from './DocumentAccess.ts';
import type { SyncFanout } from './fanout.ts';
import { startHeartbeat } from './heartbeat.ts';
import type { ConnectionFacts, SyncHooks, SyncPerson } from './hooks.ts';
import { SyncBudget } from './rateLimit.ts';
import { DocumentLockedError, StorageFailedError, UnsavedEditsError } from './errors.ts';
import { encodeAwareness, encodeSaveStatus, encodeSyncStep1 } from './messages.ts';
import { type PendingBatch, Room } from './Room.ts';
import { UpdateWriter } from './UpdateWriter.ts';

/** The sync server's limits and settings (Accord's Config has them all). */
export interface SyncOptions {
  /** Read on each upgrade: it may be set once the server listens. */
  publicUrl?: string;
  maxMessageBytes: number;
  sendBufferBytes: number;
  connectionsPerPerson: number;
  compactAfterUpdates: number;
  sectionIdleGraceMs: number;
}

export interface SyncDeps {
  db: Db;
  logger: Logger;
  options: SyncOptions;
  hooks: SyncHooks;
  /** Set when several processes serve the same documents (server/cluster/); absent with one. */
  fanout?: SyncFanout;
}

type Admission =
  | { ok: true; person: SyncPerson; role: Role; access: TextAccess; planId: string; docName: string; sectionId: string; sessionKey: string }
  | { ok: false; code: number; reason: string };

/** Origin of edits the server makes itself (decisions, restores): no connection wrote them. */
const SERVER_ORIGIN = null;

/**
 * The Yjs sync endpoint (y-websocket protocol) on the HTTP server's port. It decides who may
 * connect at the HTTP upgrade, keeps one Room per open document, and stores every accepted update
 * in SQLite before anyone else receives it or its author is told it is saved.
 */
export class SyncServer implements DocumentAccess {
  private readonly wss: WebSocketServer;
  private readonly store: DocumentStore;
  private readonly rooms = new Map<string, Room<Connection>>();
  /** Rooms nobody has open, with the timer that unloads each after the grace period. */
  private readonly idle = new Map<Room<Connection>, NodeJS.Timeout>();
  /** Open connections per person, for the per-person cap. */
  private readonly connectionsPerPerson = new Map<string, number>();
  /** Rate budgets per person, kept across reconnects (see SyncRates). */
  private readonly budgets = new Map<string, SyncBudget>();
  private loads = 0;
  private readonly writer: UpdateWriter<Connection>;
  private readonly compaction: Compaction;
  private readonly stopHeartbeat: () => void;
  private closing = false;
  private readonly logger: Logger;
  private readonly options: SyncOptions;
  private readonly hooks: SyncHooks;

  constructor(private readonly deps: SyncDeps) {
    this.logger = deps.logger;
    this.options = deps.options;
    this.hooks = deps.hooks;
    this.store = new DocumentStore(deps.db);
    // With other processes appending to the same logs, only what is stored may replace a log: a
    // room's memory can lack what another process stored a moment ago.
    this.compaction = new Compaction(this.store, deps.options.compactAfterUpdates, deps.logger, { fromStorage: deps.fanout !== undefined });
    this.writer = new UpdateWriter(
      this.store,
      deps.logger,
      (room, batch) => {
        deps.fanout?.publishStored(room.name, batch.merged, batch.owners);
        this.announceStored(room, batch);
        this.compaction.ifLong(room);
        if (room.connections.size === 0) this.unloadLater(room);
      },
      // With one process, a section is locked in the same turn as it is agreed, before any further
      // edit is read. With several, another process may have agreed it a moment ago: storage says.
      deps.fanout
        ? {
            transact: (work) => deps.db.transaction(work).immediate(),
            mayStore: (room) => !this.isLockedInStorage(room.name),
            refused: (room) => this.dropUnstorable(room),
          }
        : undefined,
    );
    // ws enforces a hard cap; messages between the configured limit and twice it are refused by
    // Connection with a named close code the client understands.
    this.wss = new WebSocketServer({ noServer: true, maxPayload: deps.options.maxMessageBytes * 2 + 1024 });
    if (deps.fanout) this.receiveFromOthers(deps.fanout);
    this.stopHeartbeat = startHeartbeat(
      () => [...this.rooms.values()].flatMap((room) => [...room.connections]),
      // Budgets of people with no connection are full again by now (each refills within seconds).
      () => {
        for (const userId of this.budgets.keys()) if (!this.connectionsPerPerson.has(userId)) this.budgets.delete(userId);
      },
    );
  }

  /** What other processes stored or published reaches the rooms loaded here. */
  private receiveFromOthers(fanout: SyncFanout): void {
    fanout.receive({
      stored: (docName, update, owners) => {
        const room = this.rooms.get(docName);
        if (!room || room.deleted) return;
        try {
          room.applyRemote(update, owners);
        } catch (err) {
          // Never a reason to lose the room: catching up from storage puts right what is missing.
          this.logger.warn({ err, doc: docName }, 'an update from another process could not be applied: catching up from storage');
          this.catchUp(room);
        }
      },
      presence: (docName, awarenessUpdate) => {
        const room = this.rooms.get(docName);
        if (!room || room.deleted) return;
        try {
          room.applyRemotePresence(awarenessUpdate);
        } catch (err) {
          this.logger.warn({ err, doc: docName }, 'presence from another process could not be applied');
        }
      },
      resumed: () => {
        for (const room of [...this.rooms.values()]) {
          if (room.deleted) continue;
          this.catchUp(room);
          // What was decided elsewhere meanwhile (a removal, a sign-out, an agreement) never
          // arrived either: everyone here reconnects, and is admitted afresh by what storage says.
          const sectionId = parseDocName(room.name)?.sectionId;
          room.locked = sectionId !== undefined && this.hooks.isLocked(sectionId);
          for (const conn of [...room.connections]) conn.close(CloseCode.PermissionsChanged, 'reconnected to the other processes');
        }
      },
      behind: (docNames) => {
        for (const docName of docNames) {
          const room = this.rooms.get(docName);
          if (room && !room.deleted) this.catchUp(room);
        }
      },
    });
  }



  /** Applies to a loaded room whatever storage holds that the room lacks (stored by another process). */
  private catchUp(room: Room<Connection>): void {
    try {
      const stored = this.store.load(room.name);
      if (!stored || stored.updates.length === 0) return;
      const missing = Y.diffUpdate(Y.mergeUpdates(stored.updates), Y.encodeStateVector(room.doc));
      room.applyRemote(missing, [...this.store.clientOwners(room.name)]);
    } catch (err) {
      this.logger.error({ err, doc: room.name }, 'catching up a document from storage failed');
    }
  }

  /** Number of documents held in memory. */
  get loadedDocuments(): number {
    return this.rooms.size;
  }

  /** How many times a document was loaded from storage since start (each load replays its log). */
  get documentLoads(): number {
    return this.loads;
  }

  get connectionCount(): number {
    let n = 0;
    for (const room of this.rooms.values()) n += room.connections.size;
    return n;
  }

  /** The in-memory document, when loaded (for tests). It may hold edits that are not stored yet. */
  loadedDocument(name: string): Y.Doc | undefined {
    return this.rooms.get(name)?.doc;
  }

  /**
   * A copy of a document's stored state, for what is hashed, signed, exported or kept as a
   * version. When the document is open, what is queued is stored first, so the copy is what people
   * see. Throws UnsavedEditsError when some of its edits cannot be stored now (storage failing):
   * the text in memory could then be taken back by a crash. Returns null when it does not exist.
   */
  readDocument(name: string): Y.Doc | null {
    const room = this.rooms.get(name);
    if (room) this.requireStored(room);
    // With other processes, the room may not yet have what they stored a moment ago: storage has.
    if (room && !this.deps.fanout) {
      // Nothing is queued: the document in memory is exactly what is stored.
      const copy = new Y.Doc();
      Y.applyUpdate(copy, Y.encodeStateAsUpdate(room.doc));
      return copy;
    }
    const stored = this.store.load(name);
    if (!stored) return null;
    const copy = new Y.Doc();
    Y.transact(copy, () => {
      for (const update of stored.updates) Y.applyUpdate(copy, update);
    });
    return copy;
  }

  /**
   * A copy of what people see in a document now, stored or not (to place comments on the words a
   * person selected). Never for what is signed, exported or kept: use readDocument.
   */
  readLiveDocument(name: string): Y.Doc | null {
    const room = this.rooms.get(name);
    if (room && room.pending.length > 0) this.flush();
    if (!room) return this.readDocument(name);
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(room.doc));
    return copy;
  }

  /**
   * The stored state of each of these documents that is open (as an update), for a reader of the
   * rest of them from storage (exports). Throws UnsavedEditsError when one has edits not stored.
   */
  openStoredStates(names: Iterable<string>): Map<string, Uint8Array> {
    const states = new Map<string, Uint8Array>();
    for (const name of names) {
      const room = this.rooms.get(name);
      if (!room) continue;
      this.requireStored(room);
      // With other processes, the caller reads these from storage too (see readDocument).
      if (this.deps.fanout) continue;
      states.set(name, Y.encodeStateAsUpdate(room.doc));
    }
    return states;
  }

  /** Stores what is queued; throws UnsavedEditsError when it cannot be stored now. */
  private requireStored(room: Room<Connection>): void {
    if (room.pending.length > 0) this.flush();
    if (room.pending.length > 0) throw new UnsavedEditsError(room.name);
  }

  /**
   * Changes a document on the server as one new edit (accepting suggestions, restores), stored
   * together with the records that go with it, or not at all. The edit is made on a copy of the
   * stored state; its update and whatever `edit` and `record` write to the database are committed
   * in one SQLite transaction; only then is the edit applied to the live document and sent to
   * everyone like any stored edit. Nothing in history is rewritten.
   *
   * Throws DocumentLockedError while the section is agreed, UnsavedEditsError while some edits
   * to the document are not stored (the copy would not be what people see), and
   * StorageFailedError when the transaction fails: then nothing was stored nor applied.
   */
  editDocument<T>(name: string, planId: string, edit: (doc: Y.Doc) => T, record?: (result: T, edited: Y.Doc) => void): T {
    const room = this.roomFor(name, planId);
    const copy = new Y.Doc();
    try {
      if (room.locked) throw new DocumentLockedError(name);
      this.requireStored(room);
      const updates: Uint8Array[] = [];
      const { result, update } = this.inTransaction(name, () => {
        // Another process may have agreed the section a moment ago (see isLockedInStorage).
        if (this.deps.fanout && this.isLockedInStorage(name)) throw new DocumentLockedError(name);
        // The copy writes under a new client id of its own (Yjs picks one at random): nobody can
        // have written under it before, so no one's earlier edit can shadow this one. With other
        // processes, it starts from storage, read under the write lock: it may hold more than the room.
        Y.applyUpdate(copy, this.deps.fanout ? this.storedState(name) : Y.encodeStateAsUpdate(room.doc));
        copy.on('update', (update: Uint8Array) => updates.push(update));
        const result = copy.transact(() => edit(copy), SERVER_ORIGIN);
        const update = updates.length === 0 ? null : updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates);
        if (update) this.store.appendMany([{ name, update }]);
        record?.(result, copy);
        return { result, update };
      });
      // Committed: everyone receives it now, as any stored edit.
      if (update) {
        this.deps.fanout?.publishStored(name, update, []);
        room.applyStored(update);
        this.compaction.ifLong(room);
        const parsed = parseDocName(name);
        if (parsed) this.hooks.afterStore({ docName: name, sectionId: parsed.sectionId, planId, editorIds: [] });
      }
      return result;
    } finally {
      copy.destroy();
      if (room.connections.size === 0) this.unloadLater(room);
    }
  }

  /** Whether storage says the document's section takes no edits (asked inside a write transaction). */
  private isLockedInStorage(docName: string): boolean {
    const sectionId = parseDocName(docName)?.sectionId;
    return sectionId !== undefined && this.hooks.isLocked(sectionId);
  }

  /**
   * Edits this room took were refused at storing (its section was agreed through another process
   * meanwhile): its memory now holds text that is not stored, so it is dropped, and its people
   * reconnect to what is stored, read-only while the section stays agreed.
   */
  private dropUnstorable(room: Room<Connection>): void {
    this.logger.info({ doc: room.name }, 'edits refused: the section was agreed through another process');
    this.discardRoom(room, CloseCode.PermissionsChanged, 'section agreed');
  }

  /** Drops a room with what it queued, closing its connections with `code`. The document stays. */
  private discardRoom(room: Room<Connection>, code: number, reason: string): void {
    this.keepLoaded(room);
    room.deleted = true;
    room.pending = [];
    this.writer.forget(room);
    for (const conn of [...room.connections]) conn.close(code, reason);
    this.rooms.delete(room.name);
    room.destroy();
  }

  /** A document's stored log merged into one update. */
  private storedState(name: string): Uint8Array {
    const stored = this.store.load(name);
    if (!stored) throw new Error(`document ${name} has no stored record`);
    return Y.mergeUpdates(stored.updates);
  }

  /** Runs `work` in one SQLite transaction; a storage error becomes StorageFailedError. */
  private inTransaction<T>(name: string, work: () => T): T {
    try {
      const transaction = this.deps.db.transaction(work);
      // With other processes writing, the write lock is taken before anything is read.
      return this.deps.fanout ? transaction.immediate() : transaction();
    } catch (err) {
      if (err instanceof Database.SqliteError) {
        this.logger.error({ err, doc: name }, 'storing a server-side edit failed: nothing was applied');
        throw new StorageFailedError(name, err);
      }
      throw err;
    }
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!url.pathname.startsWith(SYNC_PATH + '/') || this.closing) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    // Until the WebSocket library takes the socket over, a reset from the browser is ours to handle.
    const dropped = () => socket.destroy();
    socket.on('error', dropped);
    // Decided before the WebSocket exists: no message of a refused client is ever read.
    this.admit(req, url).finally(() => socket.off('error', dropped)).then(
      (admission) => this.upgrade(req, socket, head, url, admission),
      (err: unknown) => {
        this.logger.error({ err, path: url.pathname }, 'admitting a sync connection failed');
        socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\n');
      },
    );
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, url: URL, admission: Admission): void {
    // The browser may have given up while its admission was being decided, or the server begun to close.
    if (socket.destroyed) return;
    if (this.closing) {
      socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      if (!admission.ok) {
        // Refusals for too many attempts are not logged: that would hand the log to whoever retries fastest.
        if (admission.code !== CloseCode.TooManyAttempts) {
          this.logger.info({ code: admission.code, reason: admission.reason, path: url.pathname }, 'sync connection refused');
        }
        ws.close(admission.code, admission.reason);
        return;
      }
      this.accept(ws, admission);
    });
  }

  private async admit(req: IncomingMessage, url: URL): Promise<Admission> {
    const origin = req.headers.origin;
    if (origin && !this.isAllowedOrigin(origin, req.headers.host)) {
      return { ok: false, code: CloseCode.BadOrigin, reason: 'origin not allowed' };
    }
    const signedIn = await this.hooks.authenticate(req.headers.cookie);
    if (!signedIn) return { ok: false, code: CloseCode.Unauthenticated, reason: 'not signed in' };
    const { person, sessionKey } = signedIn;
    let docName: string;
    try {
      docName = decodeURIComponent(url.pathname.slice(SYNC_PATH.length + 1));
    } catch {
      return { ok: false, code: CloseCode.NotFound, reason: 'malformed document name' };
    }
    const parsed = parseDocName(docName);
    if (!parsed) return { ok: false, code: CloseCode.NotFound, reason: 'malformed document name' };
    if (url.searchParams.get(SCHEMA_VERSION_PARAM) !== String(DOC_SCHEMA_VERSION)) {
      return { ok: false, code: CloseCode.OutdatedClient, reason: 'outdated client: reload the page' };
    }
    const authorized = await this.hooks.authorize(person, parsed.sectionId);
    if (!authorized.ok) return authorized;
    if (this.atConnectionCap(person.userId)) {
      return { ok: false, code: CloseCode.TooManyConnections, reason: 'too many open connections' };
    }
    if (!this.budgetOf(person.userId).connects.take()) {
      return { ok: false, code: CloseCode.TooManyAttempts, reason: 'too many connection attempts: try again shortly' };
    }
    const { planId, role, access } = authorized;
    return { ok: true, person, role, access, planId, docName, sectionId: parsed.sectionId, sessionKey };
  }

  private budgetOf(userId: string): SyncBudget {
    let budget = this.budgets.get(userId);
    if (!budget) {
      budget = new SyncBudget();
      this.budgets.set(userId, budget);
    }
    return budget;
  }

  private atConnectionCap(userId: string): boolean {
    return (this.connectionsPerPerson.get(userId) ?? 0) >= this.options.connectionsPerPerson;
  }

  private isAllowedOrigin(origin: string, host: string | undefined): boolean {
    try {
      const o = new URL(origin);
      if (host && o.host === host) return true;
      const publicUrl = this.options.publicUrl;
      return publicUrl !== undefined && o.origin === new URL(publicUrl).origin;
    } catch {
      return false;
    }
  }

  private accept(ws: WebSocket, admission: Extract<Admission, { ok: true }>): void {
    // The handshake may have taken a while: a section moved to the bin meanwhile is not opened.
    if (!this.hooks.isSectionOpen(admission.sectionId)) {
      ws.close(CloseCode.SectionDeleted, 'section is in the bin');
      return;
    }
    // Other connections of the same person may have been accepted during the handshake.
    const userId = admission.person.userId;
    if (this.atConnectionCap(userId)) {
      ws.close(CloseCode.TooManyConnections, 'too many open connections');
      return;
    }
    let room: Room<Connection>;
    try {
      room = this.roomFor(admission.docName, admission.planId);
    } catch (err) {
      // A failed load never becomes an empty document: refuse, and keep nothing in memory.
      this.logger.error({ err, doc: admission.docName }, 'document could not be loaded');
      ws.close(CloseCode.LoadFailed, 'document could not be loaded');
      return;
    }
    const facts: ConnectionFacts = {
      docName: admission.docName,
      sectionId: admission.sectionId,
      planId: admission.planId,
      person: admission.person,
      access: admission.access,
    };
    const conn = new Connection(ws, room, admission.person, admission.role, admission.access, admission.sessionKey, {
      maxMessageBytes: this.options.maxMessageBytes,
      sendBufferBytes: this.options.sendBufferBytes,
      budget: this.budgetOf(userId),
      flushNow: () => this.flush(),
      organisationVerified: () => this.hooks.organisationVerified(facts),
      judgeUpdate: (update) => this.hooks.judgeUpdate(facts, update),
      afterApply: (applied) => this.hooks.afterApply(facts, applied),
    });
    room.connections.add(conn);
    this.connectionsPerPerson.set(userId, (this.connectionsPerPerson.get(userId) ?? 0) + 1);

    ws.on('message', (data: Buffer, isBinary: boolean) => this.onMessage(conn, data, isBinary));
    ws.on('pong', () => {
      conn.alive = true;
    });
    ws.on('close', () => this.disconnect(conn));
    ws.on('error', (err) => {
      this.logger.warn({ err, doc: room.name, user: conn.principal.userId }, 'sync socket error');
      conn.close(CloseCode.BadMessage, 'socket error');
    });

    conn.send(encodeSyncStep1(room.doc));
    const states = room.awareness.getStates();
    if (states.size > 0) {
      conn.send(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(room.awareness, [...states.keys()])));
    }
    // Tells the client what is already stored, so "Saved" shows at once when it has nothing new.
    if (!room.storageFailing) conn.send(encodeSaveStatus(SaveState.Stored, room.storedVector));
    else conn.send(encodeSaveStatus(SaveState.StorageFailing, new Uint8Array([0])));
  }

  private onMessage(conn: Connection, data: Buffer, isBinary: boolean): void {
    if (conn.isClosed) return;
    if (data.byteLength > this.options.maxMessageBytes) {
      this.logger.warn({ doc: conn.room.name, user: conn.principal.userId, bytes: data.byteLength }, 'sync message too large');
      conn.close(CloseCode.MessageTooLarge, 'message too large');
      return;
    }
    // Presence has a budget of its own (Connection.handleAwareness); everything else is paced
    // here: past the rate, the server stops reading this connection until the budget refills.
    if (data[0] !== MessageType.Awareness) {
      conn.budget.messages.spend();
      const wait = conn.budget.messages.msUntilToken();
      if (wait > 0 && !conn.ws.isPaused) {
        conn.ws.pause();
        // Resumed even when closed meanwhile: its close handshake needs reading too.
        setTimeout(() => conn.ws.resume(), wait).unref();
      }
    }
    try {
      if (!isBinary) throw new Error('text frame');
      conn.handle(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    } catch (err) {
      this.logger.warn(
        { doc: conn.room.name, user: conn.principal.userId, error: (err as Error).message },
        'malformed sync message: connection closed',
      );
      conn.close(CloseCode.BadMessage, 'malformed message');
    }
  }

  private roomFor(docName: string, planId: string): Room<Connection> {
    const existing = this.rooms.get(docName);
    if (existing) {
      this.keepLoaded(existing);
      return existing;
    }
    this.loads++;
    const stored = this.store.load(docName);
    if (!stored) throw new Error(`document ${docName} has no stored record`);
    const fanout = this.deps.fanout;
    const room = new Room<Connection>(
      docName,
      planId,
      stored.updates,
      this.store.clientOwners(docName),
      (r) => this.writer.markDirty(r),
      fanout ? (r, awarenessUpdate) => fanout.publishPresence(r.name, awarenessUpdate) : undefined,
    );
    const sectionId = parseDocName(docName)?.sectionId;
    room.locked = sectionId !== undefined && this.hooks.isLocked(sectionId);
    this.rooms.set(docName, room);
    return room;
  }

  /**
   * Locks (agreed) or unlocks (reopened) a section's document. While locked, no connection's
   * update is applied, stored or broadcast. Open editors are closed with PermissionsChanged: they
   * reconnect, read-only while locked, editors again once unlocked.
   */
  setSectionLocked(sectionId: string, locked: boolean): void {
    const room = this.rooms.get(sectionDocName(sectionId));
    if (!room || room.locked === locked) return;
    room.locked = locked;
    for (const conn of [...room.connections]) {
      if (conn.access !== 'read') conn.close(CloseCode.PermissionsChanged, locked ? 'section agreed' : 'section reopened');
    }
  }

  private disconnect(conn: Connection): void {
    const room = conn.room;
    if (!room.connections.delete(conn)) return;
    const userId = conn.principal.userId;
    const open = (this.connectionsPerPerson.get(userId) ?? 1) - 1;
    if (open > 0) this.connectionsPerPerson.set(userId, open);
    else this.connectionsPerPerson.delete(userId);
    conn.dropPresenceBacklog();
    if (conn.controlledClients.size > 0) {
      awarenessProtocol.removeAwarenessStates(room.awareness, [...conn.controlledClients], null);
    }
    if (room.connections.size === 0) this.unloadLater(room);
  }

  /**
   * A room nobody has open stays loaded for the grace period: someone reopening it (a reload, a
   * flaky network, moving between sections) then finds it in memory instead of the server replaying
   * and compacting its whole log each time.
   */
  private unloadLater(room: Room<Connection>): void {
    const grace = this.options.sectionIdleGraceMs;
    if (grace === 0 || this.closing) {
      this.unloadIfIdle(room);
      return;
    }
    if (this.idle.has(room) || this.rooms.get(room.name) !== room) return;
    const timer = setTimeout(() => {
      this.idle.delete(room);
      this.unloadIfIdle(room);
    }, grace);
    timer.unref();
    this.idle.set(room, timer);
  }

  /** Someone uses the room again: it is not unloaded when its grace period ends. */
  private keepLoaded(room: Room<Connection>): void {
    const timer = this.idle.get(room);
    if (timer === undefined) return;
    clearTimeout(timer);
    this.idle.delete(room);
  }

  /** Drops a room with no connections once everything it holds is stored. */
  private unloadIfIdle(room: Room<Connection>): void {
    if (room.connections.size > 0 || this.rooms.get(room.name) !== room) return;
    this.keepLoaded(room);
    if (room.pending.length > 0) this.flush();
    if (room.pending.length > 0) return; // storage failing: the retry unloads it later
    if (!room.deleted && room.storedRows > 1) this.compaction.now(room);
    this.rooms.delete(room.name);
    this.writer.forget(room);
    room.destroy();
  }

  /** Stores every queued update now, then broadcasts and acknowledges it (see UpdateWriter). */
  flush(): void {
    this.writer.flush();
  }

  /** Tells the domain that a section's stored content changed, and whose edits changed it. */
  private announceStored(room: Room<Connection>, batch: PendingBatch<Connection>): void {
    const parsed = parseDocName(room.name);
    if (!parsed) return;
    const editorIds = [...new Set([...batch.origins].map((conn) => conn.principal.userId))];
    this.hooks.afterStore({ docName: room.name, sectionId: parsed.sectionId, planId: room.planId, editorIds });
  }

  /** Closes a person's connections to a plan's sections (they were removed from it). */
  closePersonInPlan(planId: string, userId: string, code: number, reason: string): void {
    for (const conn of this.connectionsTo(planId)) if (conn.principal.userId === userId) conn.close(code, reason);
  }

  /** Closes every connection opened with this session (it was signed out). */
  closeSession(sessionKey: string, code: number, reason: string): void {
    for (const room of this.rooms.values()) {
      for (const conn of [...room.connections]) if (conn.sessionHash === sessionKey) conn.close(code, reason);
    }
  }

  /** Who has a connection open to a plan's sections, each once: whose access a review reads. */
  peopleConnectedTo(planId: string): string[] {
    return [...new Set(this.connectionsTo(planId).map((conn) => conn.principal.userId))];
  }

  /**
   * Something that decides text access in a plan changed: whoever's access is no longer what their
   * connection was opened with reconnects (PermissionsChanged) to pick up what they may now do.
   * With `person`, only their connections are reviewed, and those kept show their new role.
   * `accessOf` answers at once: the caller reads access beforehand, for peopleConnectedTo (the
   * database may be a server away).
   */
  reviewAccess(planId: string, accessOf: (userId: string) => TextAccess | null, reason: string, person?: { userId: string; role: Role }): void {
    for (const conn of this.connectionsTo(planId)) {
      if (person && conn.principal.userId !== person.userId) continue;
      if (accessOf(conn.principal.userId) !== conn.access) conn.close(CloseCode.PermissionsChanged, reason);
      else if (person) conn.role = person.role;
    }
  }

  /** The open connections to a plan's sections (a copy: closing them changes the rooms). */
  private connectionsTo(planId: string): Connection[] {
    return [...this.rooms.values()].filter((room) => room.planId === planId).flatMap((room) => [...room.connections]);
  }

  /**
   * A section was moved to the bin: what its room had already taken is stored first (it stays
   * with the section, to come back on restore), then its connections are closed with
   * SectionDeleted, which clients do not retry, and the room is dropped. The document stays.
   */
  dropSection(sectionId: string): void {
    const room = this.rooms.get(sectionDocName(sectionId));
    if (!room) return;
    this.keepLoaded(room);
    if (room.pending.length > 0) this.flush();
    this.discardRoom(room, CloseCode.SectionDeleted, 'section moved to the bin');
  }

  /** Stores what is pending, closes every connection (clients reconnect later) and stops timers. */
  async close(): Promise<void> {
    this.closing = true;
    this.stopHeartbeat();
    this.writer.stop();
    this.flush();
    for (const timer of this.idle.values()) clearTimeout(timer);
    this.idle.clear();
    for (const room of [...this.rooms.values()]) {
      for (const conn of [...room.connections]) conn.close(CloseCode.ServerShutdown, 'server shutting down');
      // Rooms kept loaded in their grace period, and open ones, leave a compact log behind.
      if (!room.deleted && room.pending.length === 0 && room.storedRows > 1) this.compaction.now(room);
      room.destroy();
    }
    this.rooms.clear();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}
