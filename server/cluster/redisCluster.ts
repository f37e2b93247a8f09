import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { Logger } from 'pino';
import type { EventBus, EventName } from '../events.ts';
import { RELAYED_EVENTS } from '../events.ts';
import type { FanoutHandler, SyncFanout } from '../sync/fanout.ts';
import type { SignInCounters } from '../auth/signInLimiter.ts';
import type { Clock } from '../services/autoVersions.ts';
import { redisSignInCounters } from './redisSignInCounters.ts';
import { parseDocName } from '../../shared/doc/schema.ts';

/**
 * Several Accord processes behind one address, over Redis pub/sub (as Hocuspocus's Redis
 * extension does): what one process stores in a document and the presence its people publish
 * reach the rooms of the others, and the events that act on each process's memory (a removal, a
 * sign-out, a section agreed) reach every process. Redis carries news only: every edit is stored
 * before it is published, so a process that misses messages catches up from storage.
 */
export interface Cluster {
  fanout: SyncFanout;
  /** No other Accord process was listening when this one joined (it may finish what a stop left half done). */
  alone: boolean;
  relayEvents(events: EventBus): void;
  /** Failed sign-ins counted where every process sees them. */
  signInCounters(clock: Clock): SignInCounters;
  close(): Promise<void>;
}

const enum Kind {
  Stored = 0,
  Presence = 1,
}

/** Connects to Redis and joins the other processes; fails at once when Redis does not answer. */
export async function joinCluster(options: { url: string; prefix: string; logger: Logger }): Promise<Cluster> {
  const { url, prefix, logger } = options;
  const me = randomUUID();
  const syncChannel = `${prefix}sync`;
  const eventsChannel = `${prefix}events`;
  // A subscribed connection can only listen: publishing takes a second one.
  // Named so an operator (or a test) can tell them apart in CLIENT LIST.
  const pub = new Redis(url, { lazyConnect: true, connectionName: `${prefix}pub:${me}` });
  const sub = new Redis(url, { lazyConnect: true, connectionName: `${prefix}sub:${me}` });
  const down = new Set<Redis>();
  for (const [client, role] of [[pub, 'publishing'], [sub, 'listening']] as const) {
    // Logged once per outage, not on every retry.
    client.on('error', (err) => {
      if (down.has(client)) return;
      down.add(client);
      logger.error({ err: err.message }, `Redis connection for ${role} lost: retrying`);
    });
    client.on('ready', () => {
      if (down.delete(client)) logger.info(`Redis connection for ${role} is back`);
    });
  }
  try {
    await Promise.all([pub.connect(), sub.connect()]);
  } catch (err) {
    pub.disconnect();
    sub.disconnect();
    throw new Error(`Accord cannot start: REDIS_URL is set, but Redis at ${redactedUrl(url)} does not answer (${(err as Error).message}).`);
  }
  const [, listening] = (await pub.pubsub('NUMSUB', syncChannel)) as [string, number];
  await sub.subscribe(syncChannel, eventsChannel);

  let handler: FanoutHandler | null = null;
  let events: EventBus | null = null;
  let joined = true;
  // After a reconnection ioredis subscribes again; what was published meanwhile never arrives, so
  // the rooms catch up from storage once listening again.
  sub.on('ready', () => {
    if (!joined) return;
    void sub
      .subscribe(syncChannel, eventsChannel)
      .then(() => handler?.resumed())
      .catch((err: Error) => logger.warn({ err: err.message }, 'subscribing again to the other processes failed'));
  });

  sub.on('messageBuffer', (channel: Buffer, message: Buffer) => {
    try {
      if (channel.toString() === syncChannel) receiveSync(message);
      else receiveEvent(message);
    } catch (err) {
      logger.warn({ err: (err as Error).message }, 'a message from another process was not understood: ignored');
    }
  });

  function receiveSync(message: Buffer): void {
    const decoder = decoding.createDecoder(new Uint8Array(message.buffer, message.byteOffset, message.byteLength));
    if (decoding.readVarString(decoder) === me || !handler) return;
    const kind = decoding.readVarUint(decoder);
    const docName = decoding.readVarString(decoder);
    if (!parseDocName(docName)) throw new Error('not a document name');
    const payload = decoding.readVarUint8Array(decoder);
    if (kind === Kind.Presence) {
      handler.presence(docName, payload);
      return;
    }
    if (kind !== Kind.Stored) throw new Error(`unknown kind ${kind}`);
    const owners: Array<[number, string]> = [];
    for (let n = decoding.readVarUint(decoder); n > 0; n--) owners.push([decoding.readVarUint(decoder), decoding.readVarString(decoder)]);
    handler.stored(docName, payload, owners);
  }

  function receiveEvent(message: Buffer): void {
    const parsed: unknown = JSON.parse(message.toString());
    if (typeof parsed !== 'object' || parsed === null) throw new Error('not an object');
    const { from, name, args } = parsed as { from?: unknown; name?: unknown; args?: unknown };
    if (from === me || !events) return;
    if (typeof name !== 'string' || !RELAYED_EVENTS.has(name as EventName) || !Array.isArray(args)) throw new Error('not a relayed event');
    try {
      events.receiveFromElsewhere(name as EventName, args);
    } catch (err) {
      logger.error({ err, event: name }, 'acting on an event from another process failed');
    }
  }

  function publish(channel: string, message: Buffer | string): void {
    // Failing to publish loses no edit (it is stored); the others' rooms catch up when they next
    // load or reconnect. So it is logged, never thrown into the sync server.
    pub.publish(channel, message).catch((err: Error) => logger.warn({ err: err.message }, 'publishing to the other processes failed'));
  }

  function syncMessage(kind: Kind, docName: string, payload: Uint8Array, owners?: Array<[number, string]>): Buffer {
    const encoder = encoding.createEncoder();
    encoding.writeVarString(encoder, me);
    encoding.writeVarUint(encoder, kind);
    encoding.writeVarString(encoder, docName);
    encoding.writeVarUint8Array(encoder, payload);
    if (owners) {
      encoding.writeVarUint(encoder, owners.length);
      for (const [client, userId] of owners) {
        encoding.writeVarUint(encoder, client);
        encoding.writeVarString(encoder, userId);
      }
    }
    const bytes = encoding.toUint8Array(encoder);
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  return {
    alone: listening === 0,
    fanout: {
      publishStored: (docName, update, owners) => publish(syncChannel, syncMessage(Kind.Stored, docName, update, owners)),
      publishPresence: (docName, awarenessUpdate) => publish(syncChannel, syncMessage(Kind.Presence, docName, awarenessUpdate)),
      receive(h) {
        handler = h;
      },
    },
    relayEvents(bus) {
      events = bus;
      bus.relayTo((name, args) => publish(eventsChannel, JSON.stringify({ from: me, name, args })));
    },
    signInCounters: (clock) => redisSignInCounters(pub, prefix, clock),
    async close() {
      joined = false;
      await Promise.allSettled([sub.quit(), pub.quit()]);
    },
  };
}

/** The address without its password, for messages a person reads. */
function redactedUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'REDIS_URL';
  }
}
