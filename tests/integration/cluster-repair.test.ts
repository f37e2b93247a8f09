/**
 * A process whose own link to Redis breaks while the others' holds cannot publish what its people
 * store meanwhile, nor the events it raises (a removal, a lock). Once its link is back it tells
 * the others to catch up: the documents from storage, and, for lost events, everyone admitted
 * afresh. Two cluster members in this test's process, on a real Redis; A's publishing connection is
 * cut by Redis itself (CLIENT KILL) and comes back after half a second.
 */
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { joinCluster, type Cluster } from '../../server/cluster/redisCluster.ts';
import { EventBus } from '../../server/events.ts';
import type { FanoutHandler } from '../../server/sync/fanout.ts';
import { sectionDocName } from '../../shared/doc/schema.ts';
import { clusterEnv } from '../helpers/cluster.ts';
import { eventually } from '../helpers/server.ts';

const members: Cluster[] = [];
afterEach(async () => {
  for (const m of members.splice(0)) await m.close();
});

/** What B hears from the others. */
function listener() {
  const heard = { stored: [] as string[], behind: [] as string[][], resumed: 0 };
  const handler: FanoutHandler = {
    stored: (docName) => heard.stored.push(docName),
    presence: () => undefined,
    resumed: () => heard.resumed++,
    behind: (docNames) => heard.behind.push(docNames),
  };
  return { heard, handler };
}

async function twoMembers() {
  const { REDIS_URL: url, REDIS_PREFIX: prefix } = await clusterEnv();
  const logger = pino({ level: 'silent' });
  // A reconnects only after 500 ms, so what it publishes meanwhile fails.
  const a = await joinCluster({ url, prefix, logger, redisOptions: { retryStrategy: () => 500 } });
  const b = await joinCluster({ url, prefix, logger });
  members.push(a, b);
  const { heard, handler } = listener();
  b.fanout.receive(handler);
  a.fanout.receive(listener().handler);
  return { a, b, heard, url, prefix };
}

/** Cuts every publishing connection of this prefix (Redis drops them). */
async function cutPublishing(url: string, prefix: string): Promise<void> {
  const admin = new Redis(url);
  try {
    const ids = ((await admin.client('LIST')) as string)
      .split('\n')
      .filter((line) => line.includes(` name=${prefix}pub:`))
      .map((line) => / ?id=(\d+)/.exec(line)?.[1]);
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) await admin.client('KILL', 'ID', id!);
  } finally {
    admin.disconnect();
  }
}

const doc = sectionDocName('00000000-0000-4000-8000-000000000001');

describe('a process that could not publish', () => {
  it('tells the others to catch up the documents it stored in meanwhile', async () => {
    const { a, heard, url, prefix } = await twoMembers();
    a.fanout.publishStored(doc, new Uint8Array([0, 0]), []);
    await eventually(() => expect(heard.stored).toEqual([doc]));

    await cutPublishing(url, prefix);
    await new Promise((r) => setTimeout(r, 100));
    a.fanout.publishStored(doc, new Uint8Array([0, 0]), []);
    a.fanout.publishStored(doc, new Uint8Array([0, 0]), []);
    // Never arrived; once A's link is back, B is told to catch up that document, once.
    await eventually(() => expect(heard.behind).toEqual([[doc]]), 5000);
    expect(heard.stored).toEqual([doc]);
    expect(heard.resumed).toBe(0);
  });

  it('has everyone admitted afresh when an event was lost', async () => {
    const { a, heard, url, prefix } = await twoMembers();
    const bus = new EventBus();
    a.relayEvents(bus);
    await cutPublishing(url, prefix);
    await new Promise((r) => setTimeout(r, 100));
    bus.emit('sessionEnded', 'a-token-hash');
    await eventually(() => expect(heard.resumed).toBe(1), 5000);
  });
});
