import type { WebSocket } from 'ws';

const HEARTBEAT_MS = 30_000;

/** What the heartbeat needs of a connection: its socket, and whether it answered the last ping. */
export interface Beating {
  readonly ws: WebSocket;
  alive: boolean;
}

/**
 * Every 30 s, ends the connections that did not answer the last ping (a peer gone without closing:
 * a laptop lid shut, a network lost) and pings the rest; their pong sets `alive` again.
 * `beforeEach` runs first on each beat. Returns the function that stops it.
 */
export function startHeartbeat(connections: () => Iterable<Beating>, beforeEach: () => void): () => void {
  const timer = setInterval(() => {
    beforeEach();
    for (const conn of connections()) {
      if (!conn.alive) {
        conn.ws.terminate();
        continue;
      }
      conn.alive = false;
      conn.ws.ping();
    }
  }, HEARTBEAT_MS);
  timer.unref();
  return () => clearInterval(timer);
}
