import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { frameBinary, writeFrame } from '../../server/sync/framing.ts';

const open: Array<{ close(): void }> = [];
afterEach(() => {
  for (const o of open.splice(0)) o.close();
});

/** A server-side socket and a client reading what it is sent, over loopback. */
async function pair(perMessageDeflate = false): Promise<{ server: WebSocket; received: Buffer[]; client: WebSocket }> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate });
  open.push(wss);
  await once(wss, 'listening');
  const client = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`, { perMessageDeflate });
  open.push(client);
  const received: Buffer[] = [];
  client.on('message', (data: Buffer, isBinary: boolean) => {
    expect(isBinary).toBe(true);
    received.push(data);
  });
  const [server] = (await once(wss, 'connection')) as [WebSocket];
  await once(client, 'open');
  return { server, received, client };
}

const bytes = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) % 256);

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
}

describe('pre-framed broadcast messages', () => {
  it('arrive whole and in order at every length class of the frame header, between messages ws frames itself', async () => {
    const { server, received } = await pair();
    // 0, 125 (7-bit length), 126 and 65535 (16-bit), 65536 and more (64-bit).
    const messages = [0, 1, 125, 126, 65535, 65536, 200_000].map((n, i) => bytes(n, i));
    for (const [i, m] of messages.entries()) {
      if (i % 2) server.send(m);
      else writeFrame(server, frameBinary(m), m);
    }
    await until(() => received.length === messages.length);
    expect(received.map((b) => b.length)).toEqual(messages.map((m) => m.length));
    received.forEach((b, i) => expect(Buffer.compare(b, Buffer.from(messages[i]!))).toBe(0));
  });

  it('go through ws when it compresses, so they never overtake a message being compressed', async () => {
    const { server, received } = await pair(true);
    // Compressed off the main thread: ws holds later messages back until it is written.
    const big = new Uint8Array(100_000).fill(7);
    server.send(big);
    const small = bytes(10, 4);
    writeFrame(server, frameBinary(small), small);
    await until(() => received.length === 2);
    expect(received.map((b) => b.length)).toEqual([100_000, 10]);
    expect(Buffer.compare(received[1]!, Buffer.from(small))).toBe(0);
  });

  it('count in bufferedAmount while unsent, so a reader that stops is still noticed', async () => {
    const { server, client } = await pair();
    client.pause();
    const m = bytes(1 << 20, 5);
    const frame = frameBinary(m);
    for (let i = 0; i < 64; i++) writeFrame(server, frame, m);
    expect(server.bufferedAmount).toBeGreaterThan(0);
  });
});
