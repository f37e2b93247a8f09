import { randomUUID } from 'node:crypto';
import { Redis, type RedisOptions } from 'ioredis';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { Logger } from 'pino';
import type { EventBus, EventName } from '../events.ts';
import type { WorkOwners } from '../ownership/owners.ts';
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
  /** This process as the owner of long work, and which other owners are alive (their heartbeats). */
  owners: WorkOwners;
  close(): Promise<void>;
}

/**
 * A process's heartbeat lasts `heartbeatMs` (PROCESS_HEARTBEAT_MS) and is renewed three times as
 * often, so a process is taken for stopped only after missing three renewals (a stop, a crash, or
 * that long without Redis). Work it owned is then finished or reversed by another process; should it
 * be alive after all, it finds its work taken over at its next step and stops (services/imports.ts).
 */

const enum Kind {
  Stored = 0,
  Presence = 1,
  /** What this process could not publish, owed to the others: see `repair`. */
  Resync = 2,
}

/** How soon a process whose publishing failed tries again to tell the others to catch up. */
const REPAIR_RETRY_MS = 1000;

/** Connects to Redis and joins the other processes; fails at once when Redis does not answer. */
export async function joinCluster(options: {
  url: string;
  prefix: string;
  logger: Logger;
  /** ioredis settings for both connections (tests slow reconnecting down, to see what happens meanwhile). */
  redisOptions?: Partial<RedisOptions>;
  /** How long this process's heartbeat lasts unrenewed (see Cluster.owners). */
  heartbeatMs?: number;
}): Promise<Cluster> {
  const { url, prefix, logger, redisOptions = {}, heartbeatMs = 30_000 } = options;
  const me = randomUUID();
  const syncChannel = `${prefix}sync`;
  const eventsChannel = `${prefix}events`;
  // A subscribed connection can only listen: publishing takes a second one.
  // Named so an operator (or a test) can tell them apart in CLIENT LIST.
  // Publishing fails at once while the link is down, rather than queueing every keystroke of an
  // outage in memory: what failed is owed to the others as one "catch up" message (`repair`).
  const pub = new Redis(url, { ...redisOptions, lazyConnect: true, enableOfflineQueue: false, connectionName: `${prefix}pub:${me}` });
  const sub = new Redis(url, { ...redisOptions, lazyConnect: true, connectionName: `${prefix}sub:${me}` });
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
  const heartbeatKey = (id: string) => `${prefix}process:${id}`;
  const beat = () =>
    pub.set(heartbeatKey(me), '1', 'PX', heartbeatMs).catch((err: Error) => logger.warn({ err: err.message }, 'renewing this process\'s heartbeat failed'));
  await beat();
  const heartbeat = setInterval(() => void beat(), heartbeatMs / 3);
  heartbeat.unref();
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
    const payload = decoding.readVarUint8Array(decoder);
    if (kind === Kind.Resync) {
      const { events, docNames } = decodeResync(payload);
      if (events) handler.resumed();
      else handler.behind(docNames);
      return;
    }
    if (!parseDocName(docName)) throw new Error('not a document name');
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

  // What could not be published. Edits are stored, but the others' rooms would lack them until
  // they next load the document, and a removal or a lock would not reach them at all: once the
  // link is back, they are told to catch up those documents, or, for events, to admit everyone
  // afresh as after their own reconnection.
  const owedDocs = new Set<string>();
  let owedEvents = false;
  let repairTimer: NodeJS.Timeout | null = null;

  function publish(channel: string, message: Buffer | string, owed: () => void): void {
    // Never thrown into the sync server: the edit is stored, the repair follows.
    pub.publish(channel, message).catch((err: Error) => {
      // Logged once per outage: while the link is down every keystroke fails the same way.
      if (owedDocs.size === 0 && !owedEvents) logger.warn({ err: err.message }, 'publishing to the other processes failed: they will be told to catch up');
      owed();
      scheduleRepair();
    });
  }

  function scheduleRepair(): void {
    if (repairTimer || !joined) return;
    repairTimer = setTimeout(() => {
      repairTimer = null;
      repair();
    }, REPAIR_RETRY_MS);
    repairTimer.unref();
  }

  function repair(): void {
    if (!joined || (owedDocs.size === 0 && !owedEvents) || pub.status !== 'ready') {
      if (owedDocs.size > 0 || owedEvents) scheduleRepair();
      return;
    }
    const docNames = [...owedDocs];
    const events = owedEvents;
    owedDocs.clear();
    owedEvents = false;
    pub.publish(syncChannel, syncMessage(Kind.Resync, '', encodeResync(events, docNames))).catch(() => {
      for (const d of docNames) owedDocs.add(d);
      owedEvents ||= events;
      scheduleRepair();
    });
  }
  pub.on('ready', repair);

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
      publishStored: (docName, update, owners) => publish(syncChannel, syncMessage(Kind.Stored, docName, update, owners), () => owedDocs.add(docName)),
      // Presence is sent again with the next change or heartbeat: nothing is owed.
      publishPresence: (docName, awarenessUpdate) => publish(syncChannel, syncMessage(Kind.Presence, docName, awarenessUpdate), () => undefined),
      receive(h) {
        handler = h;
      },
    },
    relayEvents(bus) {
      events = bus;
      bus.relayTo((name, args) =>
        publish(eventsChannel, JSON.stringify({ from: me, name, args }), () => {
          owedEvents = true;
        }),
      );
    },
    signInCounters: (clock) => redisSignInCounters(pub, prefix, clock),
    owners: {
      id: me,
      async living(owners) {
        const others = [...new Set(owners)].filter((o) => o !== me);
        const alive = new Set<string>(owners.includes(me) ? [me] : []);
        if (others.length === 0) return alive;
        // Unknown when Redis does not answer: then nobody else is taken for stopped (it throws).
        const beats = await pub.mget(others.map(heartbeatKey));
        others.forEach((o, i) => {
          if (beats[i] !== null) alive.add(o);
        });
        return alive;
      },
    },
    async close() {
      joined = false;
      clearInterval(heartbeat);
      // Gone at once rather than when the heartbeat runs out: what this process left is for others now.
      await pub.del(heartbeatKey(me)).catch(() => undefined);
      if (repairTimer) clearTimeout(repairTimer);
      await Promise.allSettled([sub.quit(), pub.quit()]);
    },
  };
}

/** A Resync message's payload: whether events were lost, and the documents whose edits were. */
function encodeResync(events: boolean, docNames: string[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, events ? 1 : 0);
  encoding.writeVarUint(encoder, docNames.length);
  for (const d of docNames) encoding.writeVarString(encoder, d);
  return encoding.toUint8Array(encoder);
}

function decodeResync(payload: Uint8Array): { events: boolean; docNames: string[] } {
  const decoder = decoding.createDecoder(payload);
  const events = decoding.readVarUint(decoder) === 1;
  const docNames: string[] = [];
  for (let n = decoding.readVarUint(decoder); n > 0; n--) {
    const docName = decoding.readVarString(decoder);
    if (!parseDocName(docName)) throw new Error('not a document name');
    docNames.push(docName);
  }
  return { events, docNames };
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
