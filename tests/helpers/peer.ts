import * as decoding from 'lib0/decoding';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { DOC_SCHEMA_VERSION, getSectionBody, sectionDocName, sectionPlainText } from '../../shared/doc/schema.ts';
import { MessageType, SaveState, SCHEMA_VERSION_PARAM, SYNC_PATH } from '../../shared/protocol.ts';
import type { ApiClient } from './api.ts';
import { eventually } from './server.ts';

export interface Peer {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** Terminal close events (44xx) the provider reported. */
  closes: Array<{ code: number; reason: string }>;
  /** Every update this peer received from the server, in order. */
  received: Uint8Array[];
  /** The last stored state vector the server acknowledged, decoded. */
  stored: Map<number, number>;
  storageFailing: boolean;
  text(): string;
  /** Appends a paragraph with the given text, as typing a new line would. */
  typeParagraph(text: string): void;
  /** Appends characters to this peer's last typed paragraph (or the last one), as typing would. */
  typeChars(chars: string): void;
  /** True when everything in the local document is stored on the server. */
  isSaved(): boolean;
  synced(): Promise<void>;
  destroy(): void;
}

/** A WebSocket class for y-websocket that presents the person's cookie and the app's Origin. */
export function authenticatedSocket(cookie: string | undefined, origin: string) {
  return class extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { headers: { ...(cookie ? { cookie } : {}), origin } });
    }
  };
}

/** A real y-websocket client in Node, signed in as the ApiClient's person. */
export function connectPeer(
  serverUrl: string,
  client: ApiClient | { cookie: string | undefined },
  sectionId: string,
  options: { doc?: Y.Doc; schemaVersion?: number; origin?: string } = {},
): Peer {
  const doc = options.doc ?? new Y.Doc();
  const provider = new WebsocketProvider(serverUrl.replace(/^http/, 'ws') + SYNC_PATH, sectionDocName(sectionId), doc, {
    WebSocketPolyfill: authenticatedSocket(client.cookie, options.origin ?? serverUrl) as unknown as typeof globalThis.WebSocket,
    params: { [SCHEMA_VERSION_PARAM]: String(options.schemaVersion ?? DOC_SCHEMA_VERSION) },
    disableBc: true,
    maxBackoffTime: 300,
  });
  let ownParagraph: Y.XmlElement | null = null;
  const peer: Peer = {
    doc,
    provider,
    closes: [],
    received: [],
    stored: new Map(),
    storageFailing: false,
    text: () => sectionPlainText(doc),
    typeParagraph(text) {
      const body = getSectionBody(doc);
      const p = new Y.XmlElement('paragraph');
      p.insert(0, [new Y.XmlText(text)]);
      body.insert(body.length, [p]);
      ownParagraph = p;
    },
    typeChars(chars) {
      const body = getSectionBody(doc);
      let last = ownParagraph ?? body.get(body.length - 1);
      if (!(last instanceof Y.XmlElement)) {
        peer.typeParagraph('');
        last = ownParagraph!;
      }
      const el = last as Y.XmlElement;
      let t = el.get(0);
      if (!(t instanceof Y.XmlText)) {
        t = new Y.XmlText('');
        el.insert(0, [t]);
      }
      (t as Y.XmlText).insert((t as Y.XmlText).length, chars);
    },
    isSaved() {
      for (const [client, clock] of Y.decodeStateVector(Y.encodeStateVector(doc))) {
        if ((peer.stored.get(client) ?? 0) < clock) return false;
      }
      return true;
    },
    synced: () => eventually(() => {
      if (!provider.synced) throw new Error('not synced yet');
    }),
    destroy() {
      provider.destroy();
    },
  };
  provider.on('closed', (event) => peer.closes.push(event));
  doc.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin === provider) {
      peer.received.push(update);
      // Whatever the server sends is stored already (it stores before it broadcasts). Not
      // encodeStateVectorFromUpdate: it ignores clients whose structs do not start at clock 0.
      for (const [client, clock] of Y.parseUpdateMeta(update).to) {
        if ((peer.stored.get(client) ?? 0) < clock) peer.stored.set(client, clock);
      }
    }
  });
  provider.messageHandlers[MessageType.SaveStatus] = (_encoder, decoder) => {
    const state = decoding.readVarUint(decoder);
    const sv = decoding.readVarUint8Array(decoder);
    peer.storageFailing = state === SaveState.StorageFailing;
    if (state === SaveState.Stored) {
      for (const [client, clock] of Y.decodeStateVector(sv)) {
        if ((peer.stored.get(client) ?? 0) < clock) peer.stored.set(client, clock);
      }
    }
  };
  return peer;
}

/** A bare WebSocket on the sync endpoint, for sending hand-made (and malformed) messages. */
export function rawSocket(
  serverUrl: string,
  docName: string,
  options: { cookie?: string; origin?: string; schemaVersion?: number | null } = {},
): Promise<{ ws: WebSocket; messages: Buffer[]; closed: Promise<{ code: number; reason: string }> }> {
  const query = options.schemaVersion === null ? '' : `?${SCHEMA_VERSION_PARAM}=${options.schemaVersion ?? DOC_SCHEMA_VERSION}`;
  const ws = new WebSocket(serverUrl.replace(/^http/, 'ws') + SYNC_PATH + '/' + encodeURIComponent(docName) + query, {
    headers: { ...(options.cookie ? { cookie: options.cookie } : {}), origin: options.origin ?? serverUrl },
  });
  const messages: Buffer[] = [];
  ws.on('message', (data: Buffer) => messages.push(data));
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ws, messages, closed }));
    ws.once('error', reject);
  });
}
