import * as decoding from 'lib0/decoding';
import type * as encoding from 'lib0/encoding';
import { IndexeddbPersistence } from 'y-indexeddb';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { DOC_SCHEMA_VERSION, sectionDocName } from '../../shared/doc/schema.ts';
import {
  CloseCode,
  MessageType,
  SCHEMA_VERSION_PARAM,
  SYNC_PATH,
  SaveState,
  closeReasonKey,
  shouldReconnectAfter,
  type AwarenessUser,
} from '../../shared/protocol.ts';
import { reportConnectionOffline } from './connectivity.ts';
import { unsavedText } from './unsavedText.ts';

/** What the status line shows; also the `data-state` of `connection-status`. */
export type ConnectionState = 'connecting' | 'offline' | 'saving' | 'saved' | 'failing' | 'closed';

export interface ConnectionStatus {
  state: ConnectionState;
  /** The local (IndexedDB) copy has been read into the document. */
  localSynced: boolean;
  /** The server's state has been received on the current connection. */
  remoteSynced: boolean;
  /**
   * The editor may be shown: local copy loaded and either the server synced, or the server is
   * unreachable (then the person works on the local copy, which is kept on this device).
   */
  ready: boolean;
  /** Terminal close: the code and the i18n key explaining it. */
  closed: { code: number; reasonKey: string } | null;
}

export interface SectionConnectionOptions {
  sectionId: string;
  /** Separates local copies per person on a shared computer. */
  userId: string;
  /** What our own caret shows; the server overwrites it with what it knows. */
  user: AwarenessUser;
  /** ws(s)://host; defaults to the page's own origin. */
  wsBase?: string;
}

type Listener = () => void;

/** How long the connection waits for the local copy to load before it connects without it. */
const LOCAL_COPY_WAIT_MS = 3000;
/**
 * How long "Saving…" may last, connected and with no acknowledgement from the server, before the
 * connection is made again. A new connection compares the two copies whole (the sync handshake)
 * and sends what the server lacks: the self-repair a reload gave, without the person having to
 * guess it. The server acknowledges a stored edit within milliseconds when all is well.
 */
export const SAVE_STALL_MS = 20_000;

/**
 * One section's live document: Y.Doc + IndexedDB copy + WebSocket provider, created and destroyed
 * outside React render (StrictMode mounts effects twice; two providers on one document fight).
 */
export class SectionConnection {
  readonly doc: Y.Doc;
  readonly provider: WebsocketProvider;
  readonly persistence: IndexeddbPersistence;
  readonly docName: string;

  private statusValue: ConnectionStatus;
  private readonly listeners = new Set<Listener>();
  private readonly permissionListeners = new Set<Listener>();
  private readonly refusedListeners = new Set<(notKept: string) => void>();
  /** How much of this page's own typing the server acknowledged as stored (across connections). */
  private ownStoredClock = 0;
  /** This page's typing the server refused, quoted in the notice (see unsavedText). */
  private refusedText = '';
  private storedVector: Map<number, number> | null = null;
  private storageFailing = false;
  private hadFailedAttempt = false;
  private destroyed = false;
  private mayConnect = false;
  /** When the server last acknowledged anything (a save status); for the stall watchdog. */
  private lastAckAt = Date.now();
  private stallTimer: ReturnType<typeof setTimeout> | null = null;
  /** Reconnections for a stall since the last acknowledgement: each waits twice as long. */
  private stallRetries = 0;

  constructor(readonly options: SectionConnectionOptions) {
    this.docName = sectionDocName(options.sectionId);
    this.doc = new Y.Doc();
    this.statusValue = { state: 'connecting', localSynced: false, remoteSynced: false, ready: false, closed: null };

    this.persistence = new IndexeddbPersistence(`accord:${options.userId}:${this.docName}`, this.doc);
    this.persistence.on('synced', () => this.update());
    this.persistence.whenSynced.then(() => this.update()).catch(() => undefined);

    const wsBase = options.wsBase ?? `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}`;
    this.provider = new WebsocketProvider(wsBase + SYNC_PATH, this.docName, this.doc, {
      params: { [SCHEMA_VERSION_PARAM]: String(DOC_SCHEMA_VERSION) },
      connect: false,
      maxBackoffTime: 5000,
      shouldReconnect: (event) => shouldReconnectAfter(event.code),
    });
    this.provider.messageHandlers[MessageType.SaveStatus] = (
      _encoder: encoding.Encoder,
      decoder: decoding.Decoder,
    ) => {
      this.onSaveStatus(decoder);
    };
    this.provider.awareness.setLocalStateField('user', options.user);

    this.provider.on('status', ({ status }) => {
      if (status === 'disconnected') this.forgetRemoteAwarenessClocks();
      this.update();
    });
    this.provider.on('sync', () => this.update());
    this.provider.on('connection-close', (event) => {
      if (event && event.code === CloseCode.EditRefused) {
        this.refusedText = unsavedText(this.doc, this.doc.clientID, this.ownStoredClock);
      }
      this.hadFailedAttempt = true;
      this.storedVector = null;
      if (event && event.code === CloseCode.PermissionsChanged) {
        for (const l of this.permissionListeners) l();
      }
      this.update();
    });
    this.provider.on('connection-error', () => {
      this.hadFailedAttempt = true;
      this.update();
    });
    this.provider.on('closed', ({ code }) => {
      // The server refused an edit this copy holds: keeping the copy would send it again on every
      // visit. Drop it, so the next load starts from the server's text.
      if (code === CloseCode.EditRefused || code === CloseCode.SuggestionLimit) {
        void this.persistence
          .clearData()
          .catch(() => undefined)
          .then(() => {
            if (this.destroyed) return;
            for (const l of this.refusedListeners) l(this.refusedText);
          });
      }
      this.statusValue = {
        ...this.statusValue,
        closed: { code, reasonKey: closeReasonKey[code] ?? 'sync.closed.unknown' },
      };
      this.update();
    });
    this.doc.on('update', this.onDocUpdate);
    window.addEventListener('online', this.onOnline);
    window.addEventListener('offline', this.onOffline);
    // Connect once the local copy is in the document. Read in while connected, the copy would go
    // to the server as one new update with everyone's text in it, whose parts under other
    // people's client ids the server leaves out (see Room.isClaimedByOther): sent once, not twice.
    const connect = () => {
      if (this.mayConnect || this.destroyed) return;
      this.mayConnect = true;
      this.provider.connect();
    };
    this.persistence.whenSynced.then(connect, connect);
    // Should IndexedDB never answer, work without the local copy rather than not at all.
    setTimeout(connect, LOCAL_COPY_WAIT_MS);
  }

  get status(): ConnectionStatus {
    return this.statusValue;
  }

  /** useSyncExternalStore-compatible subscription. */
  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getStatus = (): ConnectionStatus => this.statusValue;

  /** Called when the server closed with PermissionsChanged: the role may be different now. */
  onPermissionsChanged(listener: Listener): () => void {
    this.permissionListeners.add(listener);
    return () => this.permissionListeners.delete(listener);
  }

  /**
   * Called when the server refused an edit (EditRefused), once the local copy has been dropped:
   * a new connection for the section then starts from the server's text. `notKept` quotes the
   * words this page typed that went with it (empty when none are known).
   */
  onEditRefused(listener: (notKept: string) => void): () => void {
    this.refusedListeners.add(listener);
    return () => this.refusedListeners.delete(listener);
  }

  /** After a terminal close (e.g. signed out, then signed in again in another tab): try again. */
  retry(): void {
    if (this.destroyed) return;
    this.statusValue = { ...this.statusValue, closed: null };
    this.hadFailedAttempt = false;
    this.provider.connect();
    this.update();
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    reportConnectionOffline(this, false);
    if (this.stallTimer) clearTimeout(this.stallTimer);
    window.removeEventListener('online', this.onOnline);
    window.removeEventListener('offline', this.onOffline);
    this.doc.off('update', this.onDocUpdate);
    this.listeners.clear();
    this.permissionListeners.clear();
    this.refusedListeners.clear();
    this.provider.destroy();
    this.provider.awareness.destroy();
    void this.persistence.destroy();
    this.doc.destroy();
  }

  /**
   * y-websocket drops other people's awareness states on disconnect but keeps their clocks, so
   * the same states resent by the server after a reconnect are ignored as old until each client
   * renews (up to 15 s of an empty presence list). Forgetting the clocks lets them apply at once.
   */
  private forgetRemoteAwarenessClocks() {
    const awareness = this.provider.awareness;
    for (const clientId of [...awareness.meta.keys()]) {
      if (clientId !== this.doc.clientID && !awareness.states.has(clientId)) awareness.meta.delete(clientId);
    }
  }

  private onDocUpdate = (update: Uint8Array, origin: unknown) => {
    // The server stores every update before it sends it, so what arrives from it is stored.
    // (parseUpdateMeta, not encodeStateVectorFromUpdate: the latter skips clients whose structs
    // do not start at clock 0, which is every incremental update.)
    if (origin === this.provider && this.storedVector) {
      for (const [client, clock] of Y.parseUpdateMeta(update).to) {
        if ((this.storedVector.get(client) ?? 0) < clock) this.storedVector.set(client, clock);
      }
    }
    this.update();
  };
  private onOnline = () => {
    if (!this.statusValue.closed && this.mayConnect) this.provider.connect();
    this.update();
  };
  private onOffline = () => {
    // The socket may take a long time to notice a dead network; stop using it at once so the
    // person sees "Offline" immediately. Edits keep going to the local copy.
    this.hadFailedAttempt = true;
    this.provider.disconnect();
    this.update();
  };

  private onSaveStatus(decoder: decoding.Decoder) {
    const state = decoding.readVarUint(decoder);
    const vector = Y.decodeStateVector(decoding.readVarUint8Array(decoder));
    this.storageFailing = state === SaveState.StorageFailing;
    // Keep the highest clock seen per client: acknowledgements may arrive out of order.
    const merged = new Map(this.storedVector ?? []);
    for (const [client, clock] of vector) merged.set(client, Math.max(clock, merged.get(client) ?? 0));
    this.storedVector = merged;
    this.ownStoredClock = Math.max(this.ownStoredClock, vector.get(this.doc.clientID) ?? 0);
    this.lastAckAt = Date.now();
    this.stallRetries = 0;
    this.update();
  }

  /** While saving: once nothing was acknowledged for SAVE_STALL_MS, connect again (see there). */
  private watchForStall(state: ConnectionState) {
    if (state !== 'saving') {
      if (this.stallTimer) clearTimeout(this.stallTimer);
      this.stallTimer = null;
      return;
    }
    if (this.stallTimer) return;
    // Each further try waits twice as long (to 16 × SAVE_STALL_MS), with up to a fifth more at
    // random: a page whose copy holds what the server will never take does not reconnect every
    // 20 s for ever, and a server that paused does not get every editor back at the same moment.
    const wait = () => SAVE_STALL_MS * 2 ** Math.min(this.stallRetries, 4) * (1 + Math.random() / 5);
    const check = () => {
      this.stallTimer = null;
      if (this.destroyed || this.statusValue.state !== 'saving') return;
      const due = wait();
      const quiet = Date.now() - this.lastAckAt;
      if (quiet < due) {
        this.stallTimer = setTimeout(check, due - quiet);
        return;
      }
      this.lastAckAt = Date.now();
      this.stallRetries++;
      this.provider.disconnect();
      this.provider.connect();
      this.update();
    };
    this.stallTimer = setTimeout(check, SAVE_STALL_MS);
  }

  /** Saved: every client's clock in the local document is covered by the server's stored state. */
  private allStored(): boolean {
    if (!this.storedVector) return false;
    const local = Y.decodeStateVector(Y.encodeStateVector(this.doc));
    for (const [client, clock] of local) {
      if ((this.storedVector.get(client) ?? 0) < clock) return false;
    }
    return true;
  }

  private compute(): ConnectionStatus {
    const localSynced = this.persistence.synced;
    const connected = this.provider.wsconnected;
    const remoteSynced = connected && this.provider.synced;
    const closed = this.statusValue.closed;
    const browserOffline = typeof navigator !== 'undefined' && navigator.onLine === false;
    let state: ConnectionState;
    if (closed) state = 'closed';
    else if (!connected) state = this.hadFailedAttempt || browserOffline ? 'offline' : 'connecting';
    else if (!remoteSynced) state = 'connecting';
    else if (this.storageFailing) state = 'failing';
    else state = this.allStored() ? 'saved' : 'saving';
    const ready = localSynced && (remoteSynced || state === 'offline' || state === 'closed');
    return { state, localSynced, remoteSynced, ready, closed };
  }

  private update() {
    if (this.destroyed) return;
    const next = this.compute();
    // What needs the server (signing, comments, decisions) waits while this connection is offline.
    reportConnectionOffline(this, next.state === 'offline');
    const prev = this.statusValue;
    if (
      next.state === prev.state &&
      next.localSynced === prev.localSynced &&
      next.remoteSynced === prev.remoteSynced &&
      next.ready === prev.ready &&
      next.closed === prev.closed
    ) {
      return;
    }
    this.statusValue = next;
    this.watchForStall(next.state);
    for (const l of this.listeners) l();
  }
}
