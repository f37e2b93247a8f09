import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import { MessageType, SCHEMA_VERSION_PARAM, SYNC_PATH } from '../../shared/protocol.ts';
import { DOC_SCHEMA_VERSION } from '../../shared/doc/schema.ts';

/**
 * A member flooding a section with presence changes (10,000 a second), from a process of its own:
 * the flood then does not slow down the test's own clients, whose round trips measure the server.
 * The flooding socket reconnects whenever the server closes it.
 */
export async function startPresenceFlood(target: { url: string; docName: string; cookie: string | undefined }) {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
    env: { ...process.env, FLOOD_URL: target.url, FLOOD_DOC: target.docName, FLOOD_COOKIE: target.cookie ?? '' },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  // Started once the first socket is open.
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', () => output.includes('flooding') && resolve());
    child.once('exit', (code) => reject(new Error(`flood process exited with ${code}`)));
  });
  return {
    /** Stops the flood; how many messages it sent and the codes its sockets were closed with. */
    async stop(): Promise<{ sent: number; closes: number[] }> {
      const exited = once(child, 'exit');
      child.stdin!.end();
      await exited;
      const last = output.trim().split('\n').at(-1)!;
      return JSON.parse(last) as { sent: number; closes: number[] };
    },
  };
}

function presenceMessage(clientId: number, clock: number): Uint8Array {
  const inner = encoding.createEncoder();
  encoding.writeVarUint(inner, 1);
  encoding.writeVarUint(inner, clientId);
  encoding.writeVarUint(inner, clock);
  encoding.writeVarString(inner, JSON.stringify({ cursor: { anchor: clock }, pad: 'x'.repeat(1000) }));
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MessageType.Awareness);
  encoding.writeVarUint8Array(e, encoding.toUint8Array(inner));
  return encoding.toUint8Array(e);
}

async function floodUntilStdinEnds(): Promise<void> {
  const url = `${process.env.FLOOD_URL!.replace(/^http/, 'ws')}${SYNC_PATH}/${encodeURIComponent(process.env.FLOOD_DOC!)}?${SCHEMA_VERSION_PARAM}=${DOC_SCHEMA_VERSION}`;
  const headers = { cookie: process.env.FLOOD_COOKIE!, origin: process.env.FLOOD_URL! };
  let running = true;
  process.stdin.on('end', () => (running = false));
  process.stdin.resume();
  let sent = 0;
  let clock = 0;
  const closes: number[] = [];
  let announced = false;
  while (running) {
    const ws = new WebSocket(url, { headers });
    const closed = new Promise<void>((resolve) =>
      ws.on('close', (code) => {
        closes.push(code);
        resolve();
      }),
    );
    ws.on('error', () => undefined);
    await new Promise((resolve) => ws.once('open', resolve).once('close', resolve));
    if (!announced) {
      process.stdout.write('flooding\n');
      announced = true;
    }
    while (running && ws.readyState === WebSocket.OPEN) {
      if (ws.bufferedAmount < 1024 * 1024) {
        for (let k = 0; k < 50; k++) {
          ws.send(presenceMessage(66_666, ++clock));
          sent++;
        }
      }
      // 10,000 a second at most (500 times what the server lets through): more would only measure
      // this process taking the CPU from the server on a small machine.
      await new Promise((r) => setTimeout(r, 5));
    }
    ws.terminate();
    await closed;
  }
  process.stdout.write(JSON.stringify({ sent, closes }) + '\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) void floodUntilStdinEnds();
