import type * as Y from 'yjs';
import type { Sql } from '../db/sql/Sql.ts';
import type { Role, Side, TextAccess } from '../../shared/api/index.ts';

/**
 * Where the domain plugs into the sync server, in the manner of Hocuspocus's extension hooks
 * (onAuthenticate, onChange, onStoreDocument …). The sync server keeps the protocol, the rooms,
 * storing and the limits any open endpoint needs (origins, document names, connection caps and
 * budgets); who may open a document, what they may write and what follows a stored edit are
 * Accord's rules, and are asked through these questions. So the sync server imports nothing of
 * the domain, and the domain's rules can be read and tested without a socket.
 */
export interface SyncHooks {
  /**
   * Who the upgrade request's session cookie belongs to, or null when nobody is signed in.
   * Asynchronous, as the two admission questions are: they read the database, which may be a
   * server away (PostgreSQL); nothing of the connection exists until both are answered.
   */
  authenticate(cookieHeader: string | undefined): Promise<{ person: SyncPerson; sessionKey: string } | null>;
  /** Whether this person may open this section's document, and as what. */
  authorize(person: SyncPerson, sectionId: string): Promise<Authorization>;
  /** Whether the section can still be opened (asked again once its document is loaded). */
  isSectionOpen(sectionId: string): Promise<boolean>;
  /**
   * Whether the section's document takes no edits from anyone: read when it is loaded, and, with
   * `within`, inside the transaction that stores edits (another process may have agreed it).
   */
  isLocked(sectionId: string, within?: Sql): Promise<boolean>;
  /** What to do with an update of a writer (read-only connections never reach this). */
  judgeUpdate(connection: ConnectionFacts, update: UpdateToJudge): UpdateVerdict;
  /** After an update was applied to the live document (before it is stored): the domain may add to it. */
  afterApply(connection: ConnectionFacts, applied: AppliedUpdate): void;
  /**
   * Whether the person's organisation is verified for the plan now, shown with their caret; asked
   * on each presence update, so a verification reaches everyone's carets without reconnecting.
   */
  organisationVerified(connection: ConnectionFacts): boolean;
  /** A section's edits were stored (editorIds: whose they were; none for the server's own edits). */
  afterStore(change: { docName: string; sectionId: string; planId: string; editorIds: string[] }): void;
}

/** A connected person, as their caret and presence show them. */
export interface SyncPerson {
  userId: string;
  name: string;
  organisationId: string;
  organisationName: string;
  side: Side;
  color: string;
}

export type Authorization =
  | { ok: true; planId: string; role: Role; access: TextAccess }
  | { ok: false; code: number; reason: string };

/** One connection, as the hooks are told about it. */
export interface ConnectionFacts {
  docName: string;
  sectionId: string;
  planId: string;
  person: SyncPerson;
  access: TextAccess;
}

export interface UpdateToJudge {
  /** The live document, before the update (not to be changed). */
  doc: Y.Doc;
  /** What would be applied: the connection's update, without what others wrote. */
  update: Uint8Array;
  /** Whether the update writes suggestion attributes (seen while validating it). */
  marksSuggestions: boolean;
  /** The update decoded, when validating it decoded exactly this update (one decode per message). */
  decoded?: ReturnType<typeof Y.decodeUpdate>;
  /** Whether a client id is this person's (owned already, or written by this update). */
  ownsClient(client: number): boolean;
}

/**
 * - `apply` it, and `also` this update of the server's (applied after it, sent back to its author too);
 * - `wait`: it depends on something the connection has not sent yet; it is held and judged again
 *   together with the connection's next update;
 * - `refuse` it: the connection is closed with `code`, and nothing of the update is kept.
 */
export type UpdateVerdict = { kind: 'apply'; also?: Uint8Array } | { kind: 'wait' } | { kind: 'refuse'; code: number; reason: string };

export interface AppliedUpdate {
  doc: Y.Doc;
  update: Uint8Array;
  also?: Uint8Array;
  marksSuggestions: boolean;
}
