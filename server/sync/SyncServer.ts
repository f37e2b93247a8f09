import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import Database from 'better-sqlite3';
import type { Logger } from 'pino';
import * as awarenessProtocol from 'y-protocols/awareness';
import { WebSocketServer, type WebSocket } from 'ws';
import * as Y from 'yjs';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import type { EventBus } from '../events.ts';
import { type Principal, principalForToken, sessionTokenFromCookieHeader } from '../auth/sessions.ts';
import { planOfSection, roleInPlan } from '../services/access.ts';
import { isSectionAgreed } from '../services/sectionAgreed.ts';
import { isOrganisationVerified } from '../services/verification.ts';
import { DocumentStore } from '../storage/DocumentStore.ts';
import { hashToken } from '../ids.ts';
import type { Role, TextAccess } from '../../shared/api/index.ts';
import { isDecidedSuggestion, textAccessInPlan } from '../services/suggestions.ts';
import { DOC_SCHEMA_VERSION, parseDocName, sectionDocName } from '../../shared/doc/schema.ts';
import { CloseCode, MessageType, SaveState, SCHEMA_VERSION_PARAM, SYNC_PATH } from '../../shared/protocol.ts';
import { Connection } from './Connection.ts';
import type { DocumentAccess } from './DocumentAccess.ts';
import { SyncBudget } from './rateLimit.ts';
import { DocumentLockedError, StorageFailedError, UnsavedEditsError } from './errors.ts';
import { encodeAwareness, encodeSaveStatus, encodeSyncStep1 } from './messages.ts';
import { type PendingBatch, Room } from './Room.ts';

export interface SyncDeps {
  db: Db;
  events: EventBus;
  logger: Logger;
  config: Config;
}

type Admission =
  | { ok: true; principal: Principal; role: Role; access: TextAccess; planId: string; docName: string; sessionHash: string }
  | { ok: false; code: number; reason: string };

const HEARTBEAT_MS = 30_000;
/** Origin of edits the server makes itself (decisions, restores): no connection wrote them. */
const SERVER_ORIGIN = null;
const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 10_000;

/**
 * The Yjs sync endpoint (y-websocket protocol) on the HTTP server's port. It decides who may
 * connect at the HTTP upgrade, keeps one Room per open document, and stores every accepted update
 * in SQLite before anyone else receives it or its author is told it is saved.
 */
export class SyncServer implements DocumentAccess {
  private readonly wss: WebSocketServer;
  private readonly store: DocumentStore;
  private readonly rooms = new Map<string, Room>();
  /** Rooms nobody has open, with the timer that unloads each after the grace period. */
  private readonly idle = new Map<Room, NodeJS.Timeout>();
  /** Open connections per person, for the per-person cap. */
  private readonly connectionsPerPerson = new Map<string, number>();
  /** Rate budgets per person, kept across reconnects (see SyncRates). */
  private readonly budgets = new Map<string, SyncBudget>();
  private loads = 0;
  /** The flush running now was started by the retry timer (see flush's logging). */
  private retrying = false;
  private readonly dirty = new Set<Room>();
  private flushScheduled = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private retryDelay = RETRY_MIN_MS;
  private readonly heartbeat: NodeJS.Timeout;
  private closing = false;
  private readonly logger: Logger;

  constructor(private readonly deps: SyncDeps) {
    this.logger = deps.logger;
    this.store = new DocumentStore(deps.db);
    // ws enforces a hard cap; messages between the configured limit and twice it are refused by
    // Connection with a named close code the client understands.
    this.wss = new WebSocketServer({ noServer: true, maxPayload: deps.config.maxMessageBytes * 2 + 1024 });
    this.heartbeat = setInterval(() => this.checkAlive(), HEARTBEAT_MS);
    this.heartbeat.unref();
    deps.events.on('access', this.onAccessChanged);
    deps.events.on('sectionDeleted', this.onSectionDeleted);
    deps.events.on('sessionEnded', this.onSessionEnded);
    deps.events.on('sectionAgreed', this.onSectionAgreed);
    deps.events.on('sectionReopened', this.onSectionReopened);
    deps.events.on('suggestionRuleChanged', this.onSuggestionRuleChanged);
  }

  private readonly onSectionAgreed = (_planId: string, sectionId: string): void => this.setSectionLocked(sectionId, true);
  private readonly onSectionReopened = (_planId: string, sectionId: string): void => this.setSectionLocked(sectionId, false);
  private readonly onSuggestionRuleChanged = (planId: string): void => this.suggestionRuleChanged(planId);

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
    if (room) {
      this.requireStored(room);
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
      states.set(name, Y.encodeStateAsUpdate(room.doc));
    }
    return states;
  }

  /** Stores what is queued; throws UnsavedEditsError when it cannot be stored now. */
  private requireStored(room: Room): void {
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
      // The copy writes under a new client id of its own (Yjs picks one at random): nobody can have
      // written under it before, so no one's earlier edit can shadow this one.
      Y.applyUpdate(copy, Y.encodeStateAsUpdate(room.doc));
      const updates: Uint8Array[] = [];
      copy.on('update', (update: Uint8Array) => updates.push(update));
      const { result, update } = this.inTransaction(name, () => {
        const result = copy.transact(() => edit(copy), SERVER_ORIGIN);
        const update = updates.length === 0 ? null : updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates);
        if (update) this.store.appendMany([{ name, update }]);
        record?.(result, copy);
        return { result, update };
      });
      // Committed: everyone receives it now, as any stored edit.
      if (update) {
        room.applyStored(update);
        this.compactIfLong(room);
        const parsed = parseDocName(name);
        if (parsed) this.deps.events.emit('contentChanged', planId, parsed.sectionId, []);
      }
      return result;
    } finally {
      copy.destroy();
      if (room.connections.size === 0) this.unloadLater(room);
    }
  }

  /** Runs `work` in one SQLite transaction; a storage error becomes StorageFailedError. */
  private inTransaction<T>(name: string, work: () => T): T {
    try {
      return this.deps.db.transaction(work)();
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
    // Decided before the WebSocket exists: no message of a refused client is ever read.
    const admission = this.admit(req, url);
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

  private admit(req: IncomingMessage, url: URL): Admission {
    const origin = req.headers.origin;
    if (origin && !this.isAllowedOrigin(origin, req.headers.host)) {
      return { ok: false, code: CloseCode.BadOrigin, reason: 'origin not allowed' };
    }
    const token = sessionTokenFromCookieHeader(req.headers.cookie);
    const principal = principalForToken(this.deps.db, token);
    if (!principal || !token) return { ok: false, code: CloseCode.Unauthenticated, reason: 'not signed in' };
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
    const section = planOfSection(this.deps.db, parsed.sectionId);
    if (!section) return { ok: false, code: CloseCode.NotFound, reason: 'no such section' };
    const { planId } = section;
    const role = roleInPlan(this.deps.db, planId, principal.userId);
    const access = textAccessInPlan(this.deps.db, planId, principal.userId);
    if (!role || !access) return { ok: false, code: CloseCode.Forbidden, reason: 'not a member of this plan' };
    // Told to members only: outsiders learn nothing about the plan's sections.
    if (section.inBin) return { ok: false, code: CloseCode.SectionDeleted, reason: 'section is in the bin' };
    if (this.atConnectionCap(principal.userId)) {
      return { ok: false, code: CloseCode.TooManyConnections, reason: 'too many open connections' };
    }
    if (!this.budgetOf(principal.userId).connects.take()) {
      return { ok: false, code: CloseCode.TooManyAttempts, reason: 'too many connection attempts: try again shortly' };
    }
    return { ok: true, principal, role, access, planId, docName, sessionHash: hashToken(token) };
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
    return (this.connectionsPerPerson.get(userId) ?? 0) >= this.deps.config.connectionsPerPerson;
  }

  private isAllowedOrigin(origin: string, host: string | undefined): boolean {
    try {
      const o = new URL(origin);
      if (host && o.host === host) return true;
      return this.deps.config.publicUrl !== undefined && o.origin === new URL(this.deps.config.publicUrl).origin;
    } catch {
      return false;
    }
  }

  private accept(ws: WebSocket, admission: Extract<Admission, { ok: true }>): void {
    // The handshake may have taken a while: a section moved to the bin meanwhile is not opened.
    const sectionId = parseDocName(admission.docName)?.sectionId;
    if (sectionId && planOfSection(this.deps.db, sectionId)?.inBin !== false) {
      ws.close(CloseCode.SectionDeleted, 'section is in the bin');
      return;
    }
    // Other connections of the same person may have been accepted during the handshake.
    const userId = admission.principal.userId;
    if (this.atConnectionCap(userId)) {
      ws.close(CloseCode.TooManyConnections, 'too many open connections');
      return;
    }
    let room: Room;
    try {
      room = this.roomFor(admission.docName, admission.planId);
    } catch (err) {
      // A failed load never becomes an empty document: refuse, and keep nothing in memory.
      this.logger.error({ err, doc: admission.docName }, 'document could not be loaded');
      ws.close(CloseCode.LoadFailed, 'document could not be loaded');
      return;
    }
    const conn = new Connection(ws, room, admission.principal, admission.role, admission.access, admission.sessionHash, {
      maxMessageBytes: this.deps.config.maxMessageBytes,
      sendBufferBytes: this.deps.config.sendBufferBytes,
      budget: this.budgetOf(userId),
      suggestionLimits: { openPerPerson: this.deps.config.suggestionsPerPerson, charsPerSuggestion: this.deps.config.suggestionMaxChars },
      flushNow: () => this.flush(),
      organisationVerified: () => isOrganisationVerified(this.deps.db, admission.planId, admission.principal.organisationId),
      suggestionDecided: (id) => {
        const sectionId = parseDocName(admission.docName)?.sectionId;
        return sectionId !== undefined && isDecidedSuggestion(this.deps.db, sectionId, id);
      },
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
    if (data.byteLength > this.deps.config.maxMessageBytes) {
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

  private roomFor(docName: string, planId: string): Room {
    const existing = this.rooms.get(docName);
    if (existing) {
      this.keepLoaded(existing);
      return existing;
    }
    this.loads++;
    const stored = this.store.load(docName);
    if (!stored) throw new Error(`document ${docName} has no stored record`);
    const room = new Room(docName, planId, stored.updates, this.store.clientOwners(docName), (r) => this.markDirty(r));
    const sectionId = parseDocName(docName)?.sectionId;
    room.locked = sectionId !== undefined && isSectionAgreed(this.deps.db, sectionId);
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
  private unloadLater(room: Room): void {
    const grace = this.deps.config.sectionIdleGraceMs;
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
  private keepLoaded(room: Room): void {
    const timer = this.idle.get(room);
    if (timer === undefined) return;
    clearTimeout(timer);
    this.idle.delete(room);
  }

  /** Drops a room with no connections once everything it holds is stored. */
  private unloadIfIdle(room: Room): void {
    if (room.connections.size > 0 || this.rooms.get(room.name) !== room) return;
    this.keepLoaded(room);
    if (room.pending.length > 0) this.flush();
    if (room.pending.length > 0) return; // storage failing: the retry unloads it later
    if (!room.deleted && room.storedRows > 1) this.compact(room);
    this.rooms.delete(room.name);
    this.dirty.delete(room);
    room.destroy();
  }

  private markDirty(room: Room): void {
    this.dirty.add(room);
    // While storing this document fails, the retry timer stores what is queued: every keystroke
    // trying (and failing) again would only load a disk that is full already.
    if (room.storageFailing && this.retryTimer) return;
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      // One transaction for everything typed in this turn of the event loop.
      setImmediate(() => this.flush());
    }
  }

  /**
   * Stores every queued update, then broadcasts and acknowledges it. If storage fails, the edits
   * stay in memory (not broadcast, not acknowledged) and are retried with back-off.
   */
  flush(): void {
    this.flushScheduled = false;
    if (this.dirty.size === 0) return;
    const batches: Array<[Room, PendingBatch]> = [];
    for (const room of this.dirty) {
      const batch = room.deleted ? null : room.takePendingMerged();
      if (batch) batches.push([room, batch]);
    }
    this.dirty.clear();
    if (batches.length === 0) return;

    let failed: Array<[Room, PendingBatch]> = [];
    try {
      this.store.appendMany(batches.map(([room, b]) => ({ name: room.name, update: b.merged, owners: b.owners })));
    } catch {
      // Store rooms one by one, so one document's problem does not hold back the others.
      failed = batches.filter(([room, b]) => {
        try {
          this.store.appendMany([{ name: room.name, update: b.merged, owners: b.owners }]);
          return false;
        } catch (err) {
          // Once when a document starts failing (with the error) and once per retry after that;
          // a flush asked for by someone in between (a newcomer, a reader) adds no line.
          if (!room.storageFailing) this.logger.error({ err, doc: room.name }, 'storing updates failed: edits kept in memory, retrying');
          else if (this.retrying) this.logger.warn({ doc: room.name, pending: room.pending.length, error: (err as Error).message }, 'storing updates still fails');
          return true;
        }
      });
    }
    const failedRooms = new Set(failed.map(([room]) => room));
    for (const [room, batch] of batches) {
      if (failedRooms.has(room)) {
        room.storageFailed(batch.origins);
        this.dirty.add(room);
        continue;
      }
      if (room.storageFailing) this.logger.info({ doc: room.name }, 'storing updates works again');
      room.afterStored(batch);
      this.announceStored(room, batch);
      this.compactIfLong(room);
      if (room.connections.size === 0) this.unloadLater(room);
    }
    if (failedRooms.size > 0) this.scheduleRetry();
    else this.retryDelay = RETRY_MIN_MS;
  }

  /** Tells the domain that a section's stored content changed, and whose edits changed it. */
  private announceStored(room: Room, batch: PendingBatch): void {
    const parsed = parseDocName(room.name);
    if (!parsed) return;
    const editors = [...new Set([...batch.origins].map((conn) => conn.principal.userId))];
    this.deps.events.emit('contentChanged', room.planId, parsed.sectionId, editors);
  }

  private compactIfLong(room: Room): void {
    if (room.storedRows < this.deps.config.compactAfterUpdates || room.pending.length > 0) return;
    this.compact(room);
  }

  /** Replaces a document's stored log by its state (only while nothing is queued). */
  private compact(room: Room): void {
    try {
      this.store.replaceAll(room.name, Y.encodeStateAsUpdate(room.doc));
      room.storedRows = 1;
    } catch (err) {
      // The log stays as it is: nothing is lost, it is only longer.
      this.logger.warn({ err, doc: room.name }, 'compaction failed');
    }
  }

  private scheduleRetry(): void {
    if (this.retryTimer || this.closing) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.retrying = true;
      try {
        this.flush();
      } finally {
        this.retrying = false;
      }
    }, this.retryDelay);
    this.retryDelay = Math.min(this.retryDelay * 2, RETRY_MAX_MS);
  }

  private checkAlive(): void {
    // Budgets of people with no connection are full again by now (each refills within seconds).
    for (const userId of this.budgets.keys()) if (!this.connectionsPerPerson.has(userId)) this.budgets.delete(userId);
    for (const room of this.rooms.values()) {
      for (const conn of room.connections) {
        if (!conn.alive) {
          conn.ws.terminate();
          continue;
        }
        conn.alive = false;
        conn.ws.ping();
      }
    }
  }

  private readonly onAccessChanged = (planId: string, userId: string, role: Role | null): void => {
    for (const room of this.rooms.values()) {
      if (room.planId !== planId) continue;
      for (const conn of [...room.connections]) {
        if (conn.principal.userId !== userId) continue;
        if (role === null) conn.close(CloseCode.Forbidden, 'removed from this plan');
        else if (textAccessInPlan(this.deps.db, planId, userId) !== conn.access) conn.close(CloseCode.PermissionsChanged, 'role changed');
        else conn.role = role;
      }
    }
  };

  /**
   * The plan's suggestion rule changed: whoever's text access changed with it reconnects (with
   * PermissionsChanged) to pick up what they may now do.
   */
  suggestionRuleChanged(planId: string): void {
    for (const room of this.rooms.values()) {
      if (room.planId !== planId) continue;
      for (const conn of [...room.connections]) {
        if (textAccessInPlan(this.deps.db, planId, conn.principal.userId) !== conn.access) {
          conn.close(CloseCode.PermissionsChanged, 'suggestion rule changed');
        }
      }
    }
  }

  /**
   * A section was moved to the bin: what its room had already taken is stored first (it stays
   * with the section, to come back on restore), then its connections are closed with
   * SectionDeleted, which clients do not retry, and the room is dropped. The document stays.
   */
  private readonly onSectionDeleted = (_planId: string, sectionId: string): void => {
    const room = this.rooms.get(sectionDocName(sectionId));
    if (!room) return;
    this.keepLoaded(room);
    if (room.pending.length > 0) this.flush();
    room.deleted = true;
    room.pending = [];
    this.dirty.delete(room);
    for (const conn of [...room.connections]) conn.close(CloseCode.SectionDeleted, 'section moved to the bin');
    this.rooms.delete(room.name);
    room.destroy();
  };

  private readonly onSessionEnded = (sessionHash: string): void => {
    for (const room of this.rooms.values()) {
      for (const conn of [...room.connections]) {
        if (conn.sessionHash === sessionHash) conn.close(CloseCode.Unauthenticated, 'signed out');
      }
    }
  };

  /** Stores what is pending, closes every connection (clients reconnect later) and stops timers. */
  async close(): Promise<void> {
    this.closing = true;
    clearInterval(this.heartbeat);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.deps.events.off('access', this.onAccessChanged);
    this.deps.events.off('sectionDeleted', this.onSectionDeleted);
    this.deps.events.off('sessionEnded', this.onSessionEnded);
    this.deps.events.off('sectionAgreed', this.onSectionAgreed);
    this.deps.events.off('sectionReopened', this.onSectionReopened);
    this.deps.events.off('suggestionRuleChanged', this.onSuggestionRuleChanged);
    this.flush();
    for (const timer of this.idle.values()) clearTimeout(timer);
    this.idle.clear();
    for (const room of [...this.rooms.values()]) {
      for (const conn of [...room.connections]) conn.close(CloseCode.ServerShutdown, 'server shutting down');
      // Rooms kept loaded in their grace period, and open ones, leave a compact log behind.
      if (!room.deleted && room.pending.length === 0 && room.storedRows > 1) this.compact(room);
      room.destroy();
    }
    this.rooms.clear();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}
