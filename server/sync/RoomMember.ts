/**
 * What a room needs of a connection to it: whose it is, which presence client ids it publishes,
 * and a way to send it a message. A room knows nothing more of connections, so it can be read
 * (and tested) without a socket.
 */
export interface RoomMember {
  readonly principal: { readonly userId: string };
  /** Awareness client ids the member publishes (the room adds and removes them as presence changes). */
  readonly controlledClients: Set<number>;
  /** Sends a message; `frame`, when given, is the same message already framed (framing.ts) for every member of a broadcast. */
  send(message: Uint8Array, frame?: Buffer): void;
}
