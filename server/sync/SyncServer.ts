import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import * as awarenessProtocol from 'y-protocols/awareness';
import { WebSocketServer, type WebSocket } from 'ws';
import * as Y from 'yjs';
import type { Db } from '../db/database.ts';
import type { Sql } from '../db/sql/Sql.ts';
import { appendDocumentUpdate, lockDocumentFor } from '../storage/appendDocument.ts';
import { sqliteDocumentLog } from '../storage/DocumentStore.ts';
import type { DocumentLog } from '../storage/documentLog.ts';
import { readStoredDocument } from '../storage/readDocument.ts';
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
import { DocumentLockedError, UnsavedEditsError } from './errors.ts';
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
  /**
   * Where edits are stored: the document log of the database the services use (PostgreSQL's,
   * with DATABASE_URL); absent, SQLite's on `db`.
   */
  log?: DocumentLog;
  logger: Logger;
  options: SyncOptions;
  hooks: SyncHooks;
  /** Set when several processes serve the same documents (server/cluster/); absent with one. */
  fanout?: SyncFanout;
}

type Admission =
  | { ok: true; person: SyncPerson; role: Role; access: TextAccess; planId: string; docName: string; sectionId: string; sessionKey: string; room: Room<Connection> }
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
  private readonly log: DocumentLog;
  /**
   * Storage, not this process's memory, says what is stored and whether a section takes edits:
   * other processes append to the same logs (REDIS_URL), or the log is a server away (PostgreSQL),
   * where an append may wait for a sign-off that locked the document and must then be refused.
   */
  private readonly storageDecides: boolean;
  private readonly rooms = new Map<string, Room<Connection>>();
  /** Documents being loaded, so two people opening one at once share one load. */
  private readonly loading = new Map<string, Promise<Room<Connection>>>();
  /** What arrived for a document while it was loading (lock changes, other processes' updates). */
  private readonly newsWhileLoading = new Map<string, { locked?: boolean; stored: Array<[Uint8Array, Array<[number, string]>]> }>();
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
    this.log = deps.log ?? sqliteDocumentLog(deps.db);
    this.storageDecides = deps.fanout !== undefined || this.log.engine !== 'sqlite';
    // With other writers of the same logs, only what is stored may replace a log: a room's memory
    // can lack what another process stored a moment ago, or an append committed meanwhile.
    this.compaction = new Compaction(this.log, deps.options.compactAfterUpdates, deps.logger, { fromStorage: this.storageDecides });
    this.writer = new UpdateWriter(
      this.log,
      deps.logger,
      (room, batch) => {
        deps.fanout?.publishStored(room.name, batch.merged, batch.owners);
        this.announceStored(room, batch);
        void this.compaction.ifLong(room);
        if (room.connections.size === 0) this.unloadLater(room);
      },
      // With one process on SQLite, a section is locked in the same turn as it is agreed, before
      // any further edit is read. Otherwise a sign-off may have committed while an append waited
      // for the document: storage says, inside the append's transaction.
      this.storageDecides
        ? {
            mayStore: async (name, tx) => !(await this.isLockedInStorage(name, tx)),
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
        const news = this.newsWhileLoading.get(docName);
        if (news) news.stored.push([update, owners]);
        const room = this.rooms.get(docName);
        if (!room || room.deleted) return;
        try {
          room.applyRemote(update, owners);
        } catch (err) {
          // Never a reason to lose the room: catching up from storage puts right what is missing.
          this.logger.warn({ err, doc: docName }, 'an update from another process could not be applied: catching up from storage');
          void this.catchUp(room);
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
          void this.catchUp(room);
          // What was decided elsewhere meanwhile (a removal, a sign-out, an agreement) never
          // arrived either: everyone here reconnects, and is admitted afresh by what storage says.
          for (const conn of [...room.connections]) conn.close(CloseCode.PermissionsChanged, 'reconnected to the other processes');
          void this.isLockedInStorage(room.name).then(
            (locked) => (room.locked = locked),
            (err: unknown) => this.logger.error({ err, doc: room.name }, 'reading whether a section is agreed failed'),
          );
        }
      },
      behind: (docNames) => {
        for (const docName of docNames) {
          const room = this.rooms.get(docName);
          if (room && !room.deleted) void this.catchUp(room);
        }
      },
    });
  }



  /** Applies to a loaded room whatever storage holds that the room lacks (stored by another process). */
  private async catchUp(room: Room<Connection>): Promise<void> {
    try {
      const [stored, owners] = await Promise.all([this.log.load(room.name), this.log.clientOwners(room.name)]);
      if (!stored || stored.updates.length === 0 || room.deleted) return;
      const missing = Y.diffUpdate(Y.mergeUpdates(stored.updates), Y.encodeStateVector(room.doc));
      room.applyRemote(missing, [...owners]);
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
   * the text in memory could then be taken back by a crash. Resolves to null when it does not exist.
   */
  async readDocument(name: string): Promise<Y.Doc | null> {
    const room = this.rooms.get(name);
    if (room) await this.requireStored(room);
    // When storage decides, the room may lack what another writer stored a moment ago: storage has it.
    if (room && !this.storageDecides) {
      // Nothing is queued: the document in memory is exactly what is stored.
      const copy = new Y.Doc();
      Y.applyUpdate(copy, Y.encodeStateAsUpdate(room.doc));
      return copy;
    }
    const stored = await this.log.load(name);
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
  async readLiveDocument(name: string): Promise<Y.Doc | null> {
    const room = this.rooms.get(name);
    if (!room) return this.readDocument(name);
    if (room.pending.length > 0) await this.flush();
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(room.doc));
    return copy;
  }

  /**
   * The stored state of each of these documents that is open (as an update), for a reader of the
   * rest of them from storage (exports). Throws UnsavedEditsError when one has edits not stored.
   */
  async openStoredStates(names: Iterable<string>): Promise<Map<string, Uint8Array>> {
    const states = new Map<string, Uint8Array>();
    for (const name of names) {
      const room = this.rooms.get(name);
      if (!room) continue;
      await this.requireStored(room);
      // When storage decides, the caller reads these from storage too (see readDocument).
      if (this.storageDecides || room.deleted) continue;
      states.set(name, Y.encodeStateAsUpdate(room.doc));
    }
    return states;
  }

  /** Stores what is queued for the document, if it is open; UnsavedEditsError when it cannot be stored now. */
  async storeQueued(name: string): Promise<void> {
    const room = this.rooms.get(name);
    if (room) await this.requireStored(room);
  }

  /**
   * Stores what is queued; throws UnsavedEditsError when it cannot be stored now. When storage
   * decides, edits typed while the flush was stored may be queued again: they are new, not failing.
   */
  private async requireStored(room: Room<Connection>): Promise<void> {
    if (room.pending.length > 0) await this.flush();
    if (room.storageFailing || (!this.storageDecides && room.pending.length > 0)) throw new UnsavedEditsError(room.name);
  }

  /**
   * Changes a document on the server as one new edit (accepting suggestions, restores), inside the
   * caller's transaction `tx`, which writes the records that go with it: the edit is made on a
   * copy of the stored state read in `tx`, its update is stored in `tx`, and only once `tx` commits
   * is it applied to the live document and sent to everyone like any stored edit. If `tx` rolls
   * back, nothing was stored nor applied. Nothing in history is rewritten.
   *
   * On PostgreSQL the document is locked first (as every append and a sign-off lock it), so the
   * state read is the last stored, and edits typed meanwhile are stored after this one. On SQLite,
   * whose transactions run in one turn, the caller reads the document first (readDocument), which
   * stores what is queued.
   *
   * Throws DocumentLockedError while the section is agreed, and UnsavedEditsError while some edits
   * to the document are not stored (the copy would not be what people see).
   */
  async editDocument<T>(tx: Sql, name: string, planId: string, edit: (doc: Y.Doc) => T): Promise<T> {
    await lockDocumentFor(tx, name);
    if (await this.isLockedInStorage(name, tx)) throw new DocumentLockedError(name);
    const room = this.rooms.get(name);
    if (room && (room.storageFailing || (!this.storageDecides && room.pending.length > 0))) throw new UnsavedEditsError(name);
    const stored = await readStoredDocument(tx, name);
    if (!stored) throw new Error(`document ${name} has no stored record`);
    // The copy writes under a new client id of its own (Yjs picks one at random): nobody can have
    // written under it before, so no one's earlier edit can shadow this one.
    const copy = new Y.Doc();
    let result: T;
    let update: Uint8Array | null;
    try {
      Y.transact(copy, () => {
        for (const u of stored.updates) Y.applyUpdate(copy, u);
      });
      const updates: Uint8Array[] = [];
      copy.on('update', (u: Uint8Array) => updates.push(u));
      result = copy.transact(() => edit(copy), SERVER_ORIGIN);
      update = updates.length === 0 ? null : updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates);
    } finally {
      copy.destroy();
    }
    if (update) {
      await appendDocumentUpdate(tx, name, update);
      const stored = update;
      tx.afterCommit(() => this.afterServerEdit(name, planId, stored));
    }
    return result;
  }

  /** A server edit was committed: everyone receives it now, as any stored edit. */
  private afterServerEdit(name: string, planId: string, update: Uint8Array): void {
    try {
      this.deps.fanout?.publishStored(name, update, []);
      const room = this.rooms.get(name);
      if (room && !room.deleted) {
        // Edits queued meanwhile (storage decides) stay queued and are stored after it.
        if (room.pending.length === 0) room.applyStored(update);
        else room.applyRemote(update, []);
        void this.compaction.ifLong(room);
      }
      const parsed = parseDocName(name);
      if (parsed) this.hooks.afterStore({ docName: name, sectionId: parsed.sectionId, planId, editorIds: [] });
    } catch (err) {
      // Stored: a reload shows it; the room would only miss it until then.
      this.logger.error({ err, doc: name }, 'applying a stored server edit to the open document failed');
    }
  }

  /** Whether storage says the document's section takes no edits (`tx`: inside a storing transaction). */
  private async isLockedInStorage(docName: string, tx?: Sql): Promise<boolean> {
    const sectionId = parseDocName(docName)?.sectionId;
    return sectionId !== undefined && (await this.hooks.isLocked(sectionId, tx));
  }

  /**
   * Edits this room took were refused at storing (its section was agreed meanwhile, here or through
   * another process): its memory now holds text that is not stored, so it is dropped, and its
   * people reconnect to what is stored, read-only while the section stays agreed.
   */
  private dropUnstorable(room: Room<Connection>): void {
    this.logger.info({ doc: room.name }, 'edits refused: the section was agreed meanwhile');
    this.discardRoom(room, CloseCode.PermissionsChanged, 'section agreed');
  }

  /** Drops a room with what it queued, closing its connections with `code`. The document stays. */
  private discardRoom(room: Room<Connection>, code: number, reason: string): void {
    if (room.deleted) return;
    this.keepLoaded(room);
    room.deleted = true;
    room.pending = [];
    this.writer.forget(room);
    for (const conn of [...room.connections]) conn.close(code, reason);
    if (this.rooms.get(room.name) === room) this.rooms.delete(room.name);
    room.destroy();
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
    // The room loaded for an admitted connection is held until the connection is in it (or not).
    const room = admission.ok ? admission.room : null;
    const release = () => {
      if (!room) return;
      room.admitting -= 1;
      if (room.connections.size === 0) this.unloadLater(room);
    };
    if (socket.destroyed) {
      release();
      return;
    }
    if (this.closing) {
      release();
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
      try {
        this.accept(ws, admission);
      } finally {
        release();
      }
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
    let room: Room<Connection>;
    try {
      room = await this.roomFor(docName, planId);
    } catch (err) {
      // A failed load never becomes an empty document: refuse, and keep nothing in memory.
      this.logger.error({ err, doc: docName }, 'document could not be loaded');
      return { ok: false, code: CloseCode.LoadFailed, reason: 'document could not be loaded' };
    }
    room.admitting += 1;
    try {
      // Loading may have taken a while: a section moved to the bin meanwhile is not opened.
      if (room.deleted || !(await this.hooks.isSectionOpen(parsed.sectionId))) {
        room.admitting -= 1;
        if (room.connections.size === 0) this.unloadLater(room);
        return { ok: false, code: CloseCode.SectionDeleted, reason: 'section is in the bin' };
      }
    } catch (err) {
      room.admitting -= 1;
      if (room.connections.size === 0) this.unloadLater(room);
      throw err;
    }
    return { ok: true, person, role, access, planId, docName, sectionId: parsed.sectionId, sessionKey, room };
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
    const room = admission.room;
    // The section may have been moved to the bin during the handshake (its room was dropped).
    if (room.deleted) {
      ws.close(CloseCode.SectionDeleted, 'section is in the bin');
      return;
    }
    // Other connections of the same person may have been accepted during the handshake.
    const userId = admission.person.userId;
    if (this.atConnectionCap(userId)) {
      ws.close(CloseCode.TooManyConnections, 'too many open connections');
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
      storeQueued: () => this.storeQueuedIn(room),
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

  /** The document's room, loaded from storage when nobody here has it open (once for everyone opening it at once). */
  private roomFor(docName: string, planId: string): Promise<Room<Connection>> {
    const existing = this.rooms.get(docName);
    if (existing) {
      this.keepLoaded(existing);
      return Promise.resolve(existing);
    }
    let loading = this.loading.get(docName);
    if (!loading) {
      loading = this.load(docName, planId).finally(() => {
        this.loading.delete(docName);
        this.newsWhileLoading.delete(docName);
      });
      this.loading.set(docName, loading);
    }
    return loading;
  }

  private async load(docName: string, planId: string): Promise<Room<Connection>> {
    this.loads++;
    const news: { locked?: boolean; stored: Array<[Uint8Array, Array<[number, string]>]> } = { stored: [] };
    this.newsWhileLoading.set(docName, news);
    const sectionId = parseDocName(docName)?.sectionId;
    const [stored, owners, locked] = await Promise.all([
      this.log.load(docName),
      this.log.clientOwners(docName),
      sectionId === undefined ? false : this.hooks.isLocked(sectionId),
    ]);
    if (!stored) throw new Error(`document ${docName} has no stored record`);
    if (this.closing) throw new Error('the server is closing');
    const fanout = this.deps.fanout;
    const room = new Room<Connection>(
      docName,
      planId,
      stored.updates,
      owners,
      (r) => this.writer.markDirty(r),
      fanout ? (r, awarenessUpdate) => fanout.publishPresence(r.name, awarenessUpdate) : undefined,
    );
    // An agreement or a reopening announced while the log was read is newer than what was read.
    room.locked = news.locked ?? locked;
    this.rooms.set(docName, room);
    // What other processes stored while the log was read (a repeat changes nothing).
    for (const [update, updateOwners] of news.stored) room.applyRemote(update, updateOwners);
    return room;
  }

  /**
   * Locks (agreed) or unlocks (reopened) a section's document. While locked, no connection's
   * update is applied, stored or broadcast. Open editors are closed with PermissionsChanged: they
   * reconnect, read-only while locked, editors again once unlocked.
   */
  setSectionLocked(sectionId: string, locked: boolean): void {
    const news = this.newsWhileLoading.get(sectionDocName(sectionId));
    if (news) news.locked = locked;
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
      void this.unloadIfIdle(room);
      return;
    }
    if (this.idle.has(room) || this.rooms.get(room.name) !== room) return;
    const timer = setTimeout(() => {
      this.idle.delete(room);
      void this.unloadIfIdle(room);
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
  private async unloadIfIdle(room: Room<Connection>): Promise<void> {
    const idle = () => room.connections.size === 0 && room.admitting === 0 && this.rooms.get(room.name) === room;
    if (!idle()) return;
    this.keepLoaded(room);
    if (room.pending.length > 0) await this.flush();
    // Someone came back while it was stored; or storage is failing, and the retry unloads it later.
    if (!idle() || room.pending.length > 0) return;
    this.rooms.delete(room.name);
    this.writer.forget(room);
    // The state is taken at the call, before the room goes (see Compaction.now).
    if (!room.deleted && room.storedRows > 1) await this.compaction.now(room);
    room.destroy();
  }

  /** Stores every queued update now, then broadcasts and acknowledges it (see UpdateWriter). */
  flush(): Promise<void> {
    return this.writer.flush();
  }

  /**
   * Stores what the room has queued; true once nothing it holds is unstored (to answer a state
   * request with it), false while storing it fails. Edits typed while a flush is stored queue
   * again when storage decides; a few more flushes catch up with them.
   */
  private async storeQueuedIn(room: Room<Connection>): Promise<boolean> {
    for (let tries = 0; tries < 10 && room.pending.length > 0 && !room.deleted; tries++) {
      await this.flush();
      if (room.storageFailing) return false;
    }
    return room.pending.length === 0;
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
    const drop = () => this.discardRoom(room, CloseCode.SectionDeleted, 'section moved to the bin');
    if (room.pending.length > 0) void this.flush().then(drop);
    else drop();
  }

  /** Stores what is pending, closes every connection (clients reconnect later) and stops timers. */
  async close(): Promise<void> {
    this.closing = true;
    this.stopHeartbeat();
    this.writer.stop();
    await this.flush();
    for (const timer of this.idle.values()) clearTimeout(timer);
    this.idle.clear();
    const compactions: Array<Promise<void>> = [];
    for (const room of [...this.rooms.values()]) {
      for (const conn of [...room.connections]) conn.close(CloseCode.ServerShutdown, 'server shutting down');
      // Rooms kept loaded in their grace period, and open ones, leave a compact log behind.
      if (!room.deleted && room.pending.length === 0 && room.storedRows > 1) compactions.push(this.compaction.now(room));
    }
    await Promise.all(compactions);
    for (const room of this.rooms.values()) room.destroy();
    this.rooms.clear();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}
