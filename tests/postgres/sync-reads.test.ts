import { sql } from 'kysely';
import { pino } from 'pino';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createSession, SESSION_COOKIE } from '../../server/auth/sessions.ts';
import { EventBus } from '../../server/events.ts';
import { createStoredDocument } from '../../server/storage/createDocument.ts';
import { encodeSyncStep1 } from '../../server/sync/messages.ts';
import { SyncServer } from '../../server/sync/SyncServer.ts';
import { getSectionBody, sectionDocName } from '../../shared/doc/schema.ts';
import { listSuggestions, SUGGEST_INSERT } from '../../shared/doc/suggestions.ts';
import { CloseCode } from '../../shared/protocol.ts';
import { connectPeer, rawSocket, type Peer } from '../helpers/peer.ts';
import { PLAN_ROWS, beforeAllOrFail, sameRowsOnBothEngines } from '../helpers/postgres.ts';
import { eventually } from '../helpers/server.ts';
import { startBareSyncServer } from '../helpers/bareSyncServer.ts';

/**
 * The sync server's questions that open editors ask after admission (whose access changed with a
 * role or the suggestion rule, whether a caret's organisation is verified, whether typing carries a
 * decided suggestion's id) are answered from the services' database, not SQLite's connection the
 * documents are stored on. Here the two disagree: PostgreSQL holds the plan as it is (a rule that
 * makes the NGO drafter suggest, the NGO verified, one of her suggestions decided), SQLite an older
 * copy without those rows; a real sync server whose hooks are given PostgreSQL must act on
 * PostgreSQL's answers.
 */
const AT = '2026-05-04T10:00:00.000Z';
const ROWS =
  PLAN_ROWS +
  `
  INSERT INTO organisations (id, name, side, color, created_at) VALUES ('o2', 'Human Rights Centre', 'civil_society', '#654321', '${AT}');
  INSERT INTO users (id, email, name, password_hash, organisation_id, created_at) VALUES ('u2', 'lawyer@example.org', 'Nina Lawyer', 'x', 'o2', '${AT}');
  INSERT INTO plan_members (plan_id, user_id, role, joined_at) VALUES ('p1', 'u1', 'coordinator', '${AT}'), ('p1', 'u2', 'drafter', '${AT}');
  INSERT INTO organisation_verifications (plan_id, organisation_id, side, verified_by, verified_at) VALUES ('p1', 'o1', 'government', NULL, '${AT}');
  INSERT INTO sections (id, plan_id, chapter_id, title, position) VALUES ('section-one', 'p1', 'c1', 'Fair trial', 1);
`;
/** The section opened (a document name needs an id of eight characters or more). */
const SECTION = 'section-one';
const both = sameRowsOnBothEngines(ROWS, { foreignKeys: true });
const DECIDED = 'decided-in-postgres';

let server: Awaited<ReturnType<typeof startBareSyncServer>>;
let sync: SyncServer;
let events: EventBus;
let url: string;
const cookies = new Map<string, string>();
const logged: Array<{ msg: string }> = [];
const peers: Peer[] = [];

beforeAllOrFail(async () => {
  const pg = both.postgres;
  await pg.run(
    sql`INSERT INTO plan_suggestion_rules (plan_id, rule, updated_by, updated_at) VALUES ('p1', '{"commentersSuggest":true,"suggestOnlySides":["civil_society"]}', 'u1', ${AT})`,
  );
  await pg.run(sql`INSERT INTO organisation_verifications (plan_id, organisation_id, side, verified_by, verified_at) VALUES ('p1', 'o2', 'civil_society', 'u1', ${AT})`);
  await pg.run(
    sql`INSERT INTO suggestion_decisions (plan_id, section_id, suggestion_id, decision, kind, inserted, deleted, author_id, author_name, author_organisation,
          decided_by, decided_by_name, decided_by_organisation, decided_at)
        VALUES ('p1', ${SECTION}, ${DECIDED}, 'accept', 'insert', ' soon', '', 'u2', 'Nina Lawyer', 'Human Rights Centre', 'u1', 'Coordinator', 'Ministry of Justice', ${AT})`,
  );
  // The document is stored where the sync server stores documents: SQLite.
  await createStoredDocument(both.sqlite, sectionDocName(SECTION));
  for (const userId of ['u1', 'u2']) cookies.set(userId, `${SESSION_COOKIE}=${(await createSession(pg, userId)).token}`);

  // Warnings and errors are kept: a read that fails must be told, never left unhandled.
  const logger = pino({ level: 'warn' }, { write: (line: string) => void logged.push(JSON.parse(line) as { msg: string }) });
  events = new EventBus();
  server = await startBareSyncServer({ db: both.db, sql: pg, events, logger });
  sync = server.sync;
  url = server.url;
});
afterEach(() => {
  for (const p of peers.splice(0)) p.destroy();
});
afterAll(async () => {
  await server?.close();
});

const peer = (userId: string) => {
  const p = connectPeer(url, { cookie: cookies.get(userId) }, SECTION);
  peers.push(p);
  return p;
};
const socket = (userId: string) => rawSocket(url, sectionDocName(SECTION), { cookie: cookies.get(userId) });

describe('open editors are answered from the services’ database', () => {
  it('a change of the rule closes whose access differs there, and keeps the others', async () => {
    const nina = await socket('u2');
    const olga = await socket('u1');
    try {
      // Olga was made a commenter there (SQLite still has her coordinator): under the rule she now
      // suggests. Nina's access there stays what she was admitted with (suggest; SQLite: edit).
      await both.postgres.run(sql`UPDATE plan_members SET role = 'commenter' WHERE plan_id = 'p1' AND user_id = 'u1'`);
      events.emit('suggestionRuleChanged', 'p1');
      const first = await Promise.race([olga.closed.then((c) => ['Olga', c]), nina.closed.then((c) => ['Nina', c])]);
      expect(first).toEqual(['Olga', { code: CloseCode.PermissionsChanged, reason: 'suggestion rule changed' }]);
      // One review closes both or neither, before Olga heard: Nina's connection still answers.
      const heard = nina.messages.length;
      nina.ws.send(encodeSyncStep1(new Y.Doc()));
      await eventually(() => expect(nina.messages.length).toBeGreaterThan(heard));
      expect(nina.ws.readyState).toBe(nina.ws.OPEN);
      // The rule changes there so that civil-society drafters edit: Nina reconnects to edit.
      await both.postgres.run(sql`UPDATE plan_suggestion_rules SET rule = '{"commentersSuggest":true,"suggestOnlySides":[]}' WHERE plan_id = 'p1'`);
      events.emit('suggestionRuleChanged', 'p1');
      expect(await nina.closed).toEqual({ code: CloseCode.PermissionsChanged, reason: 'suggestion rule changed' });
    } finally {
      nina.ws.close();
      olga.ws.close();
      await both.postgres.run(sql`UPDATE plan_members SET role = 'coordinator' WHERE plan_id = 'p1' AND user_id = 'u1'`);
      await both.postgres.run(sql`UPDATE plan_suggestion_rules SET rule = '{"commentersSuggest":true,"suggestOnlySides":["civil_society"]}' WHERE plan_id = 'p1'`);
    }
  });

  it('a change of role reads the person’s access there', async () => {
    const olga = await socket('u1');
    try {
      // Made a drafter there: a government drafter still edits, so she stays.
      await both.postgres.run(sql`UPDATE plan_members SET role = 'drafter' WHERE plan_id = 'p1' AND user_id = 'u1'`);
      events.emit('access', 'p1', 'u1', 'drafter');
      // Then a commenter: under the rule she must suggest, so she reconnects.
      await both.postgres.run(sql`UPDATE plan_members SET role = 'commenter' WHERE plan_id = 'p1' AND user_id = 'u1'`);
      events.emit('access', 'p1', 'u1', 'commenter');
      expect(await olga.closed).toEqual({ code: CloseCode.PermissionsChanged, reason: 'role changed' });
    } finally {
      olga.ws.close();
      await both.postgres.run(sql`UPDATE plan_members SET role = 'coordinator' WHERE plan_id = 'p1' AND user_id = 'u1'`);
    }
  });

  it('carets show the verification as it is there, and follow its change without reconnecting', async () => {
    const olga = peer('u1');
    const nina = peer('u2');
    await Promise.all([olga.synced(), nina.synced()]);
    const ninaSeen = () => (olga.provider.awareness.getStates().get(nina.doc.clientID) as { user?: Record<string, unknown> } | undefined)?.user;
    nina.provider.awareness.setLocalStateField('cursor', 1);
    await eventually(() => expect(ninaSeen()).toMatchObject({ organisation: 'Human Rights Centre', verified: true }));

    await both.postgres.run(sql`DELETE FROM organisation_verifications WHERE plan_id = 'p1' AND organisation_id = 'o2'`);
    events.emit('organisationVerificationChanged', 'p1', 'o2');
    await eventually(() => {
      nina.provider.awareness.setLocalStateField('cursor', Math.random());
      expect(ninaSeen()).toMatchObject({ verified: false });
    });
    await both.postgres.run(sql`INSERT INTO organisation_verifications (plan_id, organisation_id, side, verified_by, verified_at) VALUES ('p1', 'o2', 'civil_society', 'u1', ${AT})`);
    events.emit('organisationVerificationChanged', 'p1', 'o2');
    await eventually(() => {
      nina.provider.awareness.setLocalStateField('cursor', Math.random());
      expect(ninaSeen()).toMatchObject({ verified: true });
    });
  });

  it('typing under the id of a suggestion decided there is kept as a new suggestion, never the decided one', async () => {
    const olga = peer('u1');
    await olga.synced();
    olga.typeParagraph('The Ministry will publish the report');
    await eventually(() => expect(olga.isSaved()).toBe(true));
    const nina = peer('u2');
    await nina.synced();
    await eventually(() => expect(nina.text()).toContain('publish the report'));
    // Her page still marks her words with the suggestion accepted meanwhile, as after a race.
    const text = (getSectionBody(nina.doc).get(0) as Y.XmlElement).get(0) as Y.XmlText;
    text.insert(text.length, ' soon', { [SUGGEST_INSERT]: { id: DECIDED, author: 'u2', at: Date.now() } });
    await eventually(async () => {
      const live = await sync.readLiveDocument(sectionDocName(SECTION));
      try {
        const open = listSuggestions(live!).filter((s) => s.author === 'u2');
        expect(open.map((s) => s.inserted)).toEqual([' soon']);
        expect(open[0]!.id).not.toBe(DECIDED);
      } finally {
        live?.destroy();
      }
    });
    expect(nina.closes).toEqual([]);
  });

  it('a read that fails is logged: connections whose access cannot be read reconnect, a verification not read shows unverified', async () => {
    const nina = peer('u2');
    const watcher = peer('u1');
    const olga = await socket('u1');
    await Promise.all([nina.synced(), watcher.synced()]);
    const seen = () => (watcher.provider.awareness.getStates().get(nina.doc.clientID) as { user?: Record<string, unknown> } | undefined)?.user;
    nina.provider.awareness.setLocalStateField('cursor', 1);
    await eventually(() => expect(seen()).toMatchObject({ verified: true }));
    // The services' database stops answering (as a lost connection would), one question at a time.
    await both.postgres.run(sql`ALTER TABLE organisation_verifications RENAME TO organisation_verifications_away`);
    try {
      events.emit('organisationVerificationChanged', 'p1', 'o2');
      await eventually(() => {
        nina.provider.awareness.setLocalStateField('cursor', Math.random());
        expect(seen()).toMatchObject({ verified: false });
      });
    } finally {
      await both.postgres.run(sql`ALTER TABLE organisation_verifications_away RENAME TO organisation_verifications`);
    }
    await both.postgres.run(sql`ALTER TABLE plan_members RENAME TO plan_members_away`);
    try {
      events.emit('suggestionRuleChanged', 'p1');
      expect(await olga.closed).toEqual({ code: CloseCode.PermissionsChanged, reason: 'suggestion rule changed' });
    } finally {
      olga.ws.close();
      await both.postgres.run(sql`ALTER TABLE plan_members_away RENAME TO plan_members`);
    }
    // (Nina's page, closed too, may meanwhile have been refused admission: logged as well.)
    expect(logged.map((l) => l.msg)).toEqual(
      expect.arrayContaining([
        'reading a verification again failed: its people are shown unverified until one of them is admitted again',
        'reading access after a change failed: closing the connections it concerns',
      ]),
    );
  });
});
