/**
 * The wire contract between the browser and the sync server, beyond the y-websocket protocol.
 *
 * Message types 0–3 are y-websocket's own (sync, awareness, auth, query awareness). Accord adds
 * one: the server telling a client which state is durably stored, so "Saved" means stored, not
 * merely received (see docs/decisions/0001-own-sync-server.md).
 */
export const MessageType = {
  Sync: 0,
  Awareness: 1,
  Auth: 2,
  QueryAwareness: 3,
  /** server → client: varUint status (SaveState), varUint8Array stored state vector */
  SaveStatus: 100,
} as const;

export const SaveState = {
  /** Everything in the attached state vector is on disk. */
  Stored: 0,
  /** Storage is failing: the server holds the edits in memory and is retrying. */
  StorageFailing: 1,
} as const;

/**
 * WebSocket close codes. y-websocket treats 4400–4499 as final (no reconnect loop) and every
 * other code as transient, so the range a code sits in decides what the client does next.
 */
export const CloseCode = {
  /** A message that could not be decoded or applied. */
  BadMessage: 4400,
  /** No valid session cookie. */
  Unauthenticated: 4401,
  /** Signed in, but not a member of the section's plan (or removed from it). */
  Forbidden: 4403,
  /** The document name is malformed or names no section. */
  NotFound: 4404,
  /** The Origin header does not match this server. */
  BadOrigin: 4406,
  /** A message above the configured size limit. */
  MessageTooLarge: 4413,
  /**
   * The person may only suggest, and an update changed text outside their own suggestions (or a
   * writer made a suggestion in someone else's name). Nothing of it was kept; the client drops its
   * local copy so that a reload starts from the server's text.
   */
  EditRefused: 4409,
  /**
   * An update would pass one of the person's limits on suggestions (how many open ones they may
   * have in a section, how long one may be). Nothing of it was kept, and the client drops its
   * local copy as for EditRefused; the person is told which limit, and can go on after deciding
   * or withdrawing some of their suggestions.
   */
  SuggestionLimit: 4419,
  /**
   * The section was moved to the bin (while open, or before this connection): nothing more is
   * taken. The client keeps its local copy and shows who moved it; a coordinator can restore it.
   */
  SectionDeleted: 4410,
  /**
   * The person already has as many sync connections open as one person may (each tab holds one per
   * open section). Final: the page says so and offers to try again once other tabs are closed.
   */
  TooManyConnections: 4420,
  /**
   * The connection kept sending presence changes far faster than any page does (a flood). Final, so
   * a runaway page does not come back to do it again; nothing of the text is lost (the local copy stays).
   */
  TooManyMessages: 4429,
  /** The client's document schema version differs from the server's: reload the page. */
  OutdatedClient: 4426,
  /** The person's role changed: reconnect to pick up the new permissions. */
  PermissionsChanged: 4501,
  /** The document could not be loaded from storage; try again later. */
  LoadFailed: 4502,
  /** The server is shutting down. */
  ServerShutdown: 4503,
  /** Storage is failing and the document holds unstored edits; try again shortly. */
  StorageUnavailable: 4504,
  /**
   * The client stopped reading and the server's unsent data for it grew past its limit. Transient:
   * the client reconnects, keeps its local copy and catches up from the document.
   */
  SlowConnection: 4505,
  /** The person opened connections faster than any page does; the client retries with back-off. */
  TooManyAttempts: 4506,
} as const;
export type CloseCodeValue = (typeof CloseCode)[keyof typeof CloseCode];

/** The i18n key that explains each close code to a person. */
export const closeReasonKey: Record<number, string> = {
  [CloseCode.BadMessage]: 'sync.closed.badMessage',
  [CloseCode.Unauthenticated]: 'sync.closed.unauthenticated',
  [CloseCode.Forbidden]: 'sync.closed.forbidden',
  [CloseCode.NotFound]: 'sync.closed.notFound',
  [CloseCode.BadOrigin]: 'sync.closed.badOrigin',
  [CloseCode.MessageTooLarge]: 'sync.closed.tooLarge',
  [CloseCode.OutdatedClient]: 'sync.closed.outdated',
  [CloseCode.EditRefused]: 'sync.closed.editRefused',
  [CloseCode.SuggestionLimit]: 'sync.closed.suggestionLimit',
  [CloseCode.SectionDeleted]: 'sync.closed.sectionDeleted',
  [CloseCode.TooManyConnections]: 'sync.closed.tooManyConnections',
  [CloseCode.TooManyMessages]: 'sync.closed.tooManyMessages',
  [CloseCode.SlowConnection]: 'sync.closed.slowConnection',
  [CloseCode.TooManyAttempts]: 'sync.closed.tooManyAttempts',
  // Standard "message too big": sent by the WebSocket layer itself for messages far over the limit.
  1009: 'sync.closed.tooLarge',
};

/**
 * Whether the client should reconnect after the server closed the socket: not for 44xx (a
 * deliberate refusal) nor 1009 (the same oversized edit would be sent again, forever).
 */
export function shouldReconnectAfter(code: number): boolean {
  return !(code >= 4400 && code < 4500) && code !== 1009;
}

/** Path prefix of the sync endpoint: `ws(s)://host/sync/<document name>`. */
export const SYNC_PATH = '/sync';

/** Query parameter carrying the client's document schema version. */
export const SCHEMA_VERSION_PARAM = 'schema';

/**
 * What a client publishes in awareness. The server overwrites `user` with what it knows of the
 * signed-in person, so no one can appear under another name or organisation.
 */
export interface AwarenessUser {
  id: string;
  name: string;
  organisation: string;
  side: string;
  color: string;
  role: string;
  /**
   * Whether a coordinator verified the person's organisation for the plan (stamped by the server on
   * each presence update; absent from a client's own copy): carets and the presence list mark it.
   */
  verified?: boolean;
}
