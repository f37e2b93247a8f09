import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { z } from 'zod';
import type pg from 'pg';
import { openDatabase } from '../../server/db/database.ts';
import { migratePostgres } from '../../server/db/postgres/migrate.ts';
import { DocumentStore } from '../../server/storage/DocumentStore.ts';
import { lockDocuments, PgDocumentStore } from '../../server/storage/postgres/PgDocumentStore.ts';
import type { MayStore } from '../../server/storage/documentLog.ts';
import { appendBlocks, parseDocName, sectionDocName, sectionPlainText } from '../../shared/doc/schema.ts';
import { beforeAllOrFail, freshSchema, PLAN_ROWS, type TestSchema } from '../helpers/postgres.ts';

/**
 * The document update log on PostgreSQL (server/storage/postgres/PgDocumentStore.ts): the same
 * documents as SQLite's DocumentStore, and the guarantees the sync server stands on when several
 * processes ("pools" here, each with connections of its own) write the same logs at once.
 */
let schema: TestSchema;
/** Two processes' pools. */
let one: pg.Pool;
let other: pg.Pool;
/** A third, for reading while the others write. */
let third: pg.Pool;

beforeAllOrFail(async () => {
  schema = await freshSchema();
  one = schema.pool({ max: 4 });
  other = schema.pool({ max: 4 });
  third = schema.pool({ max: 1 });
  await migratePostgres(one);
  await one.query(PLAN_ROWS);
});

afterAll(async () => {
  await schema?.drop();
});

let counter = 0;
/** A fresh document name for each test, so tests sharing the schema never meet. */
const freshName = () => sectionDocName(`doc${String(++counter).padStart(5, '0')}`);

function docFrom(updates: Uint8Array[]): Y.Doc {
  const doc = new Y.Doc();
  for (const u of updates) Y.applyUpdate(doc, u);
  return doc;
}

const textOf = (updates: Uint8Array[]) => sectionPlainText(docFrom(updates));

/** A replica of a stored document that records each edit's update, as a person's editor would send it. */
function typist(stored: Uint8Array[], clientID: number) {
  const doc = docFrom(stored);
  doc.clientID = clientID;
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  return {
    type(text: string): Uint8Array {
      appendBlocks(doc, [{ type: 'paragraph', text }]);
      return updates.at(-1)!;
    },
  };
}

const Seqs = z.array(z.object({ seq: z.number().int() }));
async function seqsOf(name: string): Promise<number[]> {
  return Seqs.parse((await one.query('SELECT seq FROM document_updates WHERE document_name = $1 ORDER BY seq', [name])).rows).map((r) => r.seq);
}

describe('the same operations on SQLite and PostgreSQL', () => {
  it('give the same documents, owners and counts, and the same bytes back', async () => {
    const sqlite = new DocumentStore(openDatabase(':memory:'));
    const pgStore = new PgDocumentStore(one);
    const [a, b] = [freshName(), freshName()];
    const seed = (d: Y.Doc) => appendBlocks(d, [{ type: 'heading', level: 2, text: 'Prevention of torture' }, { type: 'paragraph', text: 'Seed text' }]);
    sqlite.create(a, seed);
    sqlite.create(b);
    await pgStore.create(a, seed);
    await pgStore.create(b);
    expect(await pgStore.exists(a)).toBe(true);
    expect(await pgStore.exists(freshName())).toBe(false);
    expect(await pgStore.load(freshName())).toBeNull();
    expect(await pgStore.load(b)).toEqual(sqlite.load(b));
    expect(textOf((await pgStore.load(a))!.updates)).toBe(textOf(sqlite.load(a)!.updates));

    // Each seed has a random Yjs client id; from here on both logs start from the same state.
    const seeded = (await pgStore.load(a))!.updates;
    expect(seeded.length).toBe(1);
    sqlite.replaceAll(a, seeded[0]!);
    await pgStore.replaceAll(a, seeded[0]!);

    // One person types in a; another in b; each turn's updates stored in one batch, as the sync server does.
    const inA = typist(seeded, 1001);
    const inB = typist([], 4_294_967_295);
    const turns = [
      [{ name: a, update: inA.type('Independent inspections'), owners: [[1001, 'u1']] as Array<[number, string]> }],
      [
        { name: a, update: inA.type('of places of detention') },
        { name: b, update: inB.type('Monitoring by civil society'), owners: [[4_294_967_295, 'u1']] as Array<[number, string]> },
      ],
      [{ name: b, update: inB.type('Реабілітацыя ахвяр катаванняў') }],
    ];
    for (const batch of turns) {
      sqlite.appendMany(batch);
      expect(await pgStore.appendMany(batch)).toEqual({ refused: [] });
    }
    for (const name of [a, b]) {
      const fromPg = (await pgStore.load(name))!.updates;
      const fromSqlite = sqlite.load(name)!.updates;
      expect(fromPg.length).toBe(fromSqlite.length);
      // Byte for byte, in the order appended.
      expect(fromPg.map((u) => Buffer.from(u))).toEqual(fromSqlite.map((u) => Buffer.from(u)));
      expect(textOf(fromPg)).toBe(textOf(fromSqlite));
      expect(await pgStore.updateCount(name)).toBe(sqlite.updateCount(name));
      expect(await pgStore.clientOwners(name)).toEqual(sqlite.clientOwners(name));
    }
    expect(textOf((await pgStore.load(a))!.updates)).toBe('Prevention of torture\nSeed text\nIndependent inspections\nof places of detention');

    // Compaction: one row holding the same document on both.
    sqlite.compactLog(a);
    await pgStore.compactLog(a);
    expect(await pgStore.updateCount(a)).toBe(1);
    expect(sqlite.updateCount(a)).toBe(1);
    expect(textOf((await pgStore.load(a))!.updates)).toBe(textOf(sqlite.load(a)!.updates));
    expect(await seqsOf(a)).toEqual([1]);

    // replaceAll: the given state, byte for byte.
    const state = Y.encodeStateAsUpdate(docFrom(sqlite.load(b)!.updates));
    sqlite.replaceAll(b, state);
    await pgStore.replaceAll(b, state);
    expect((await pgStore.load(b))!.updates.map((u) => Buffer.from(u))).toEqual(sqlite.load(b)!.updates.map((u) => Buffer.from(u)));

    sqlite.delete(a);
    await pgStore.delete(a);
    expect(await pgStore.load(a)).toBeNull();
    expect(sqlite.load(a)).toBeNull();
    expect(await pgStore.clientOwners(a)).toEqual(new Map());
    expect(await pgStore.updateCount(a)).toBe(0);
  });

  it('store any bytes exactly (every byte value, an empty update, a large one)', async () => {
    const store = new PgDocumentStore(one);
    const name = freshName();
    await store.create(name);
    const every = Uint8Array.from({ length: 512 }, (_, i) => i % 256);
    const large = new Uint8Array(1 << 20).map((_, i) => (i * 7919) % 256);
    // A view into a larger buffer (as Yjs hands out): only its own bytes are stored.
    const offset = Buffer.from([9, 9, 1, 2, 3, 9]);
    await store.appendMany([
      { name, update: every },
      { name, update: new Uint8Array(0) },
      { name, update: large },
      { name, update: offset.subarray(2, 5) },
    ]);
    const back = (await store.load(name))!.updates;
    const expected = [every, new Uint8Array(0), large, Uint8Array.from([1, 2, 3])];
    expect(back.length).toBe(expected.length);
    // Buffer.equals: a deep comparison byte by byte would take seconds on the large one.
    expect(back.map((u, i) => Buffer.from(u).equals(expected[i]!))).toEqual([true, true, true, true]);
  });

  it('create within the caller’s transaction commits and rolls back with it', async () => {
    const store = new PgDocumentStore(one);
    const [kept, undone] = [freshName(), freshName()];
    for (const [name, end] of [
      [kept, 'COMMIT'],
      [undone, 'ROLLBACK'],
    ] as const) {
      const client = await one.connect();
      try {
        await client.query('BEGIN');
        await store.create(name, (d) => appendBlocks(d, [{ type: 'paragraph', text: 'Seed' }]), client);
        // Not visible to anyone else before the caller's transaction commits.
        expect(await store.exists(name)).toBe(false);
        await client.query(end);
      } finally {
        client.release();
      }
    }
    expect(textOf((await store.load(kept))!.updates)).toBe('Seed');
    expect(await store.load(undone)).toBeNull();
    // Creating it twice is refused, as on SQLite.
    await expect(store.create(kept)).rejects.toThrow(/duplicate key/);
  });
});

describe('two processes writing the same logs at once', () => {
  it('store every one of 200 updates each, with unique sequence numbers, and the log gives every edit', async () => {
    const name = freshName();
    await new PgDocumentStore(one).create(name);
    const writers = [
      { store: new PgDocumentStore(one), typing: typist([], 1), prefix: 'one' },
      { store: new PgDocumentStore(other), typing: typist([], 2), prefix: 'other' },
    ];
    // Each process has up to four appends in flight (its pool's connections), all at once.
    await Promise.all(
      writers.flatMap(({ store, typing, prefix }) =>
        Array.from({ length: 200 }, (_, i) => typing.type(`${prefix} ${i}`)).map((update) => store.appendMany([{ name, update }])),
      ),
    );
    expect(await seqsOf(name)).toEqual(Array.from({ length: 400 }, (_, i) => i + 1));
    const lines = textOf((await writers[0]!.store.load(name))!.updates).split('\n');
    expect(lines.length).toBe(400);
    for (const prefix of ['one', 'other']) for (let i = 0; i < 200; i++) expect(lines).toContain(`${prefix} ${i}`);
  }, 60_000);

  it('store batches naming the same documents in opposite orders without waiting for each other for ever', async () => {
    const [x, y] = [freshName(), freshName()];
    await new PgDocumentStore(one).create(x);
    await new PgDocumentStore(one).create(y);
    // One process's turn touched x then y, the other's y then x: locked in one order, neither
    // holds what the other waits for (PostgreSQL would end one of them as a deadlock).
    const writers = [
      { store: new PgDocumentStore(one), order: [x, y], typing: [typist([], 41), typist([], 42)] },
      { store: new PgDocumentStore(other), order: [y, x], typing: [typist([], 43), typist([], 44)] },
    ];
    await Promise.all(
      writers.flatMap(({ store, order, typing }) =>
        Array.from({ length: 50 }, (_, i) => store.appendMany(order.map((name, k) => ({ name, update: typing[k]!.type(`${name} ${i}`) })))),
      ),
    );
    expect(await seqsOf(x)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(await seqsOf(y)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
  }, 60_000);

  it('lose nothing when one compacts while the other appends, and a reader never sees a log half replaced', async () => {
    const name = freshName();
    const appender = new PgDocumentStore(one);
    const compactor = new PgDocumentStore(other);
    await appender.create(name, (d) => appendBlocks(d, [{ type: 'paragraph', text: 'seed' }]));
    const typing = typist((await appender.load(name))!.updates, 7);
    const updates = Array.from({ length: 200 }, (_, i) => typing.type(`edit ${i}`));
    let appending = true;
    let compactions = 0;
    const compacting = (async () => {
      while (appending) {
        await compactor.compactLog(name);
        compactions++;
      }
    })();
    // A third process opens the document meanwhile, as a room does: whatever it loads holds every
    // edit whose append had been committed before (never a log half replaced). Only edits all of
    // whose predecessors were committed too: each paragraph is typed after the one before, and Yjs
    // holds back an edit whose predecessor it has not received (the two lanes commit in any order).
    const committed = new Set<number>();
    const committedInOrder = () => {
      let n = 0;
      while (committed.has(n)) n++;
      return Array.from({ length: n }, (_, i) => i);
    };
    const missedByReader: string[] = [];
    let loads = 0;
    const reader = new PgDocumentStore(third);
    const reading = (async () => {
      while (appending) {
        const before = committedInOrder();
        const lines = new Set(textOf((await reader.load(name))!.updates).split('\n'));
        loads++;
        for (const i of before) if (!lines.has(`edit ${i}`)) missedByReader.push(`edit ${i} (load ${loads})`);
      }
    })();
    // Two appends in flight at a time, as two rooms' flushes might be.
    const appends = [0, 1].map(async (lane) => {
      for (let i = lane; i < updates.length; i += 2) {
        await appender.appendMany([{ name, update: updates[i]! }]);
        committed.add(i);
      }
    });
    await Promise.all(appends);
    appending = false;
    await Promise.all([compacting, reading]);
    expect(compactions).toBeGreaterThan(1);
    expect(loads).toBeGreaterThan(1);
    expect(missedByReader).toEqual([]);
    // Compaction did replace rows meanwhile (the log is shorter than what was appended) …
    expect(await appender.updateCount(name)).toBeLessThan(201);
    // … and the document still holds every edit.
    const lines = textOf((await appender.load(name))!.updates).split('\n');
    expect(lines.length).toBe(201);
    for (let i = 0; i < 200; i++) expect(lines).toContain(`edit ${i}`);
  }, 60_000);
});

/** The sync server's question: has this section been agreed (by anyone, in any process)? */
const notAgreed: MayStore = async (name, tx) => {
  const sectionId = parseDocName(name)?.sectionId;
  const row = await tx.row(z.object({ status: z.string() }), sql`SELECT status FROM sections WHERE id = ${sectionId}`);
  return row?.status !== 'agreed';
};

describe('the guard and atomic batches', () => {
  it('a refused document has nothing of its batch stored, the others in the batch are', async () => {
    const store = new PgDocumentStore(one);
    const [refused, kept] = [freshName(), freshName()];
    await store.create(refused);
    await store.create(kept);
    const result = await store.appendMany(
      [
        { name: refused, update: typist([], 11).type('too late'), owners: [[11, 'u1']] },
        { name: kept, update: typist([], 12).type('in time'), owners: [[12, 'u1']] },
        { name: refused, update: typist([], 13).type('also too late') },
      ],
      async (name) => name !== refused,
    );
    expect(result).toEqual({ refused: [refused] });
    expect(await store.updateCount(refused)).toBe(0);
    expect(await store.clientOwners(refused)).toEqual(new Map());
    expect(textOf((await store.load(kept))!.updates)).toBe('in time');
    expect(await store.clientOwners(kept)).toEqual(new Map([[12, 'u1']]));
  });

  it('sees a sign-off another process committed while this one waited for the document', async () => {
    const sectionId = 'agreed01';
    const name = sectionDocName(sectionId);
    await one.query(`INSERT INTO sections (id, plan_id, chapter_id, title, position) VALUES ($1, 'p1', 'c1', 'Detention', 1)`, [sectionId]);
    const store = new PgDocumentStore(one);
    await store.create(name);

    // The other process agrees the section: under the document's lock, as a sign-off takes it.
    const signing = await other.connect();
    try {
      await signing.query('BEGIN');
      await lockDocuments(signing, [name]);
      await signing.query(`UPDATE sections SET status = 'agreed' WHERE id = $1`, [sectionId]);
      const pid = z.array(z.object({ pid: z.number() })).parse((await signing.query('SELECT pg_backend_pid() AS pid')).rows)[0]!.pid;

      // Meanwhile this process stores an edit typed before the news arrived.
      let settled = false;
      const storing = store.appendMany([{ name, update: typist([], 21).type('edit after agreement') }], notAgreed);
      void storing.finally(() => (settled = true)).catch(() => undefined);
      // Wait until the append is blocked by the sign-off's transaction (not a timed wait: asks
      // PostgreSQL); an append that does not wait for the lock settles first, and fails below.
      while (!settled) {
        const { rows } = await one.query('SELECT count(*) AS n FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))', [pid]);
        if (z.array(z.object({ n: z.number() })).parse(rows)[0]!.n > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await signing.query('COMMIT');
      expect(await storing).toEqual({ refused: [name] });
    } finally {
      signing.release();
    }
    expect(await store.updateCount(name)).toBe(0);
  });

  it('a failure part way through a batch stores nothing of it', async () => {
    const store = new PgDocumentStore(one);
    const [first, second] = [freshName(), freshName()];
    await store.create(first);
    await store.create(second);
    await expect(
      store.appendMany([
        { name: first, update: typist([], 31).type('stored first'), owners: [[31, 'u1']] },
        // Its update is inserted, then its owners fail: a client id is a whole number.
        { name: second, update: typist([], 32).type('stored second'), owners: [[32.5, 'u1']] },
      ]),
    ).rejects.toThrow(/bigint/);
    expect(await store.updateCount(first)).toBe(0);
    expect(await store.updateCount(second)).toBe(0);
    expect(await store.clientOwners(first)).toEqual(new Map());
    // A batch naming a document that does not exist is refused whole, too.
    await expect(store.appendMany([{ name: first, update: typist([], 33).type('x') }, { name: freshName(), update: new Uint8Array([0]) }])).rejects.toThrow(
      /No such document/,
    );
    expect(await store.updateCount(first)).toBe(0);
  });
});
