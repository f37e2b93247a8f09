/**
 * How several Accord processes serve the same document: each stores the edits its own connections
 * send, then hands them to the others, which apply them to their copy of the room and send them to
 * their connections, without storing them again. Presence travels the same way. The sync server
 * only knows this interface; server/cluster/ implements it over Redis. With one process there is
 * no fan-out at all.
 */
export interface SyncFanout {
  /** An update this process stored, with the client ids first written in it and their person. */
  publishStored(docName: string, update: Uint8Array, owners: Array<[clientId: number, userId: string]>): void;
  /** A presence change made by this process's connections (an awareness update). */
  publishPresence(docName: string, awarenessUpdate: Uint8Array): void;
  /** Where what the other processes publish is handed (set once, by the sync server). */
  receive(handler: FanoutHandler): void;
}

export interface FanoutHandler {
  stored(docName: string, update: Uint8Array, owners: Array<[number, string]>): void;
  presence(docName: string, awarenessUpdate: Uint8Array): void;
  /**
   * The link to the others was broken and is back: what they published meanwhile never arrived,
   * so every open document catches up from storage.
   */
  resumed(): void;
  /**
   * Another process could not publish what it stored in these documents (its own link to Redis
   * broke while the others' held): they catch up from storage.
   */
  behind(docNames: string[]): void;
}
