import { sql } from 'kysely';
import { postgresSql } from '../../server/db/sql/postgresSql.ts';
import type pg from 'pg';
import { pino } from 'pino';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createSession, SESSION_COOKIE } from '../../server/auth/sessions.ts';
import { EventBus } from '../../server/events.ts';
import { editSectionText } from '../../server/services/sectionText.ts';
import { createStoredDocument } from '../../server/storage/createDocument.ts';
import { DocumentStore } from '../../server/storage/DocumentStore.ts';
import { PgDocumentStore } from '../../server/storage/postgres/PgDocumentStore.ts';
import { SyncServer } from '../../server/sync/SyncServer.ts';
import { appendBlocks, sectionDocName, sectionPlainText } from '../../shared/doc/schema.ts';
import { connectPeer, type Peer } from '../helpers/peer.ts';
import { PLAN_ROWS, beforeAllOrFail, sameRowsOnBothEngines } from '../helpers/postgres.ts';
import { storedSectionOf } from '../helpers/storedSection.ts';
import { eventually } from '../helpers/server.ts';
import { startBareSyncServer } from '../helpers/bareSyncServer.ts';

/**
 * The sync server storing edits in PostgreSQL's document log (PgDocumentStore), the log the
 * services read and sign there: what people type is stored there before anyone else receives it,
 * a server edit is stored in the services' transaction with its records or not at all, an append
 * that waited for a sign-off is refused, and compaction keeps the log short. SQLite's connection
 * holds the same plan rows but never a document: nothing may be stored or read there.
 */
const AT = '2026-05-04T10:00:00.000Z';
const ROWS =
  PLAN_ROWS +
  `
  INSERT INTO organisations (id, name, side, color, created_at) VALUES ('o2', 'Human Rights Centre', 'civil_society', '#654321', '${AT}');
  INSERT INTO users (id, email, name, password_hash, organisation_id, created_at) VALUES ('u2', 'lawyer@example.org', 'Nina Lawyer', 'x', 'o2', '${AT}');
  INSERT INTO plan_members (plan_id, user_id, role, joined_at) VALUES ('p1', 'u1', 'coordinator', '${AT}'), ('p1', 'u2', 'drafter', '${AT}');
  INSERT INTO sections (id, plan_id, chapter_id, title, position) VALUES ('section-typed', 'p1', 'c1', 'Fair trial', 1);
  INSERT INTO sections (id, plan_id, chapter_id, title, position) VALUES ('section-edited', 'p1', 'c1', 'Prisons', 2);
  INSERT INTO sections (id, plan_id, chapter_id, title, position) VALUES ('section-agreed', 'p1', 'c1', 'Courts', 3);
  INSERT INTO sections (id, plan_id, chapter_id, title, position) VALUES ('section-long', 'p1', 'c1', 'Elections', 4);
`;
const SECTIONS = ['section-typed', 'section-edited', 'section-agreed', 'section-long'] as const;
const COMPACT_AFTER = 20;
const both = sameRowsOnBothEngines(ROWS, { foreignKeys: true });

let server: Awaited<ReturnType<typeof startBareSyncServer>>;
let sync: SyncServer;
let url: string;
let pool: pg.Pool;
const cookies = new Map<string, string>();
const peers: Peer[] = [];

beforeAllOrFail(async () => {
  const q = both.postgres;
  pool = q.source as pg.Pool;
  for (const id of SECTIONS) {
    await createStoredDocument(q, sectionDocName(id), (doc) => appendBlocks(doc, [{ type: 'paragraph', text: `The first reading of ${id}.` }]));
  }
  for (const userId of ['u1', 'u2']) cookies.set(userId, `${SESSION_COOKIE}=${(await createSession(q, userId)).token}`);
  const logger = pino({ level: 'silent' });
  const events = new EventBus();
  server = await startBareSyncServer({ db: both.db, sql: q, events, logger, log: new PgDocumentStore(pool), env: { COMPACT_AFTER_UPDATES: String(COMPACT_AFTER) } });
  sync = server.sync;
  url = server.url;
});
afterEach(() => {
  for (const p of peers.splice(0)) p.destroy();
});
afterAll(async () => {
  await server?.close();
});

const peer = (userId: string, sectionId: string) => {
  const p = connectPeer(url, { cookie: cookies.get(userId) }, sectionId);
  peers.push(p);
  return p;
};
const Count = z.object({ n: z.coerce.number() });
const logRows = async (sectionId: string) =>
  (await both.postgres.theRow(Count, sql`SELECT count(*) AS n FROM document_updates WHERE document_name = ${sectionDocName(sectionId)}`)).n;
const title = async () => (await both.postgres.theRow(z.object({ title: z.string() }), sql`SELECT title FROM sections WHERE id = 'section-edited'`)).title;
/** The text PostgreSQL's log adds up to. */
const storedText = async (sectionId: string) => sectionPlainText(await storedSectionOf({ sql: postgresSql(pool) }, sectionId));

describe('the sync server storing in PostgreSQL', () => {
  it('stores what people type there before anyone else receives it, and they converge', async () => {
    const olga = peer('u1', 'section-typed');
    const nina = peer('u2', 'section-typed');
    await Promise.all([olga.synced(), nina.synced()]);
    // Every update Nina receives must already be in the log: checked as each arrives.
    const unstoredOnArrival: string[] = [];
    const before = await logRows('section-typed');
    nina.doc.on('update', (_u: Uint8Array, origin: unknown) => {
      if (origin === nina.provider) {
        const seen = sectionPlainText(nina.doc);
        void storedText('section-typed').then((stored) => {
          if (!seen.split('\n').every((line) => stored.includes(line))) unstoredOnArrival.push(seen);
        });
      }
    });
    for (const word of ['Detention ', 'is ', 'reviewed ', 'by ', 'a ', 'judge.']) olga.typeChars(word);
    nina.typeParagraph('Within 48 hours.');
    await eventually(() => expect(olga.text()).toContain('Within 48 hours.'));
    await eventually(() => expect(nina.text()).toContain('judge.'));
    await eventually(() => expect(olga.isSaved() && nina.isSaved()).toBe(true));
    expect(olga.text()).toBe(nina.text());
    const stored = await storedText('section-typed');
    expect(stored).toContain('Detention is reviewed by a judge.');
    expect(stored).toContain('Within 48 hours.');
    expect(await logRows('section-typed')).toBeGreaterThan(before);
    await eventually(() => expect(unstoredOnArrival).toEqual([]));
    // Nothing went to SQLite's connection: it has no such document.
    expect(new DocumentStore(both.db).load(sectionDocName('section-typed'))).toBeNull();
  });

  it('stores a server edit in the services’ transaction with its records, and people receive it only after the commit; a rollback leaves nothing', async () => {
    const olga = peer('u1', 'section-edited');
    await olga.synced();
    const rows = await logRows('section-edited');
    const failing = editSectionText(both.postgres, sync, 'p1', 'section-edited', 'changed', (doc) => appendBlocks(doc, [{ type: 'paragraph', text: 'Never stored.' }]), async (tx) => {
      await tx.run(sql`UPDATE sections SET title = 'Never renamed' WHERE id = 'section-edited'`);
      throw new Error('the records could not be written');
    });
    await expect(failing).rejects.toThrow('the records could not be written');
    expect(await logRows('section-edited')).toBe(rows);
    expect(await title()).toBe('Prisons');
    expect(olga.text()).not.toContain('Never stored.');

    let seenBeforeCommit: boolean | null = null;
    await editSectionText(both.postgres, sync, 'p1', 'section-edited', 'changed', (doc) => appendBlocks(doc, [{ type: 'paragraph', text: 'Stored with its record.' }]), async (tx) => {
      await tx.run(sql`UPDATE sections SET title = 'Prisons and detention' WHERE id = 'section-edited'`);
      // Inside the transaction, before COMMIT: the open document has not changed yet.
      seenBeforeCommit = sync.loadedDocument(sectionDocName('section-edited'))!.getXmlFragment('default').toString().includes('Stored with its record.');
    });
    expect(seenBeforeCommit).toBe(false);
    expect(await storedText('section-edited')).toContain('Stored with its record.');
    await eventually(() => expect(olga.text()).toContain('Stored with its record.'));
    expect(await title()).toBe('Prisons and detention');
  });

  it('refuses edits of a section agreed meanwhile through another server: nothing is stored, and its people reconnect', async () => {
    const olga = peer('u1', 'section-agreed');
    await olga.synced();
    const rows = await logRows('section-agreed');
    // Agreed elsewhere: no news reached this server, only the database knows.
    await both.postgres.run(sql`UPDATE sections SET status = 'agreed' WHERE id = 'section-agreed'`);
    olga.typeParagraph('Typed after the agreement.');
    await eventually(() => expect(sync.loadedDocument(sectionDocName('section-agreed'))).toBeUndefined());
    expect(await logRows('section-agreed')).toBe(rows);
    expect(await storedText('section-agreed')).not.toContain('Typed after the agreement.');
  });

  it('keeps the log short: past the threshold it is replaced by the state it adds up to', async () => {
    const olga = peer('u1', 'section-long');
    await olga.synced();
    // One flush each: a pause between keystrokes longer than a turn of the event loop.
    for (let i = 0; i < COMPACT_AFTER + 5; i++) {
      olga.typeChars(`${i} `);
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    await eventually(() => expect(olga.isSaved()).toBe(true));
    await eventually(async () => expect(await logRows('section-long')).toBeLessThan(COMPACT_AFTER));
    const stored = await storedText('section-long');
    expect(stored).toContain('The first reading of section-long.');
    expect(stored).toContain(`${COMPACT_AFTER + 4} `.trim());
  });
});
