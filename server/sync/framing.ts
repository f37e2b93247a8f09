import type { WebSocket } from 'ws';

/**
 * A broadcast goes to every connection of a room. `ws.send` frames the message anew for each
 * socket (a header buffer, an options object, two writes under a cork); framing it once and
 * writing the same bytes to every socket spares that per recipient. The frame is what ws would
 * write: final, binary, unmasked (server to client), no extension bits.
 */
export function frameBinary(message: Uint8Array): Buffer {
  const length = message.byteLength;
  const head = length < 126 ? 2 : length < 65536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(head + length);
  frame[0] = 0x82; // FIN, opcode 2 (binary)
  if (head === 2) frame[1] = length;
  else if (head === 4) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
    frame.writeUInt32BE(length >>> 0, 6);
  }
  frame.set(message, head);
  return frame;
}

/** The parts of a ws WebSocket (8.x) that decide whether a frame may go straight to its socket. */
interface WsInternals {
  _socket?: { write(chunk: Buffer): boolean };
  _extensions?: Record<string, unknown>;
  _sender?: { _state?: number; _queue?: unknown[]; _firstFragment?: boolean };
}

/**
 * Writes a frame made by frameBinary to an open socket. Straight to the TCP socket only while ws
 * has nothing of its own in flight (no compression negotiated, nothing queued, not between the
 * fragments of a message), so frames stay in order; otherwise, or should ws's internals ever
 * differ, through `ws.send`. Unsent bytes still count in `ws.bufferedAmount` either way.
 */
export function writeFrame(ws: WebSocket, frame: Buffer, message: Uint8Array): void {
  const inner = ws as unknown as WsInternals;
  const sender = inner._sender;
  if (
    inner._socket &&
    inner._extensions &&
    Object.keys(inner._extensions).length === 0 &&
    sender?._state === 0 &&
    sender._queue?.length === 0 &&
    sender._firstFragment === true
  ) {
    inner._socket.write(frame);
    return;
  }
  ws.send(message);
}
