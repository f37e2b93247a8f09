/**
 * Migration 041: sessions and trusted browsers from before it get an id to be named by on the
 * Account page (the token hash stays private to the server) and no browser, which the page reads
 * as "Unknown device"; they keep working.
 */
import Database from 'better-sqlite3';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { loadMigrations, migrate, type Db } from '../../server/db/database.ts';
import { listSessions, listTrustedBrowsers } from '../../server/services/accountSecurity.ts';
import { principalForToken } from '../../server/auth/sessions.ts';
import { hashToken } from '../../server/ids.ts';
import { sqliteSql } from '../../server/db/sql/sqliteSql.ts';

let db: Db;
beforeEach(() => {
  db = new Database(':memory:');
});
afterEach(() => {
  db.close();
});

it('names every earlier session and trusted browser, each with its own id and no browser', async () => {
  migrate(db, loadMigrations().filter((m) => m.version < 41));
  const now = new Date().toISOString();
  const later = new Date(Date.now() + 86_400_000).toISOString();
  db.prepare("INSERT INTO organisations (id, name, side, color, created_at) VALUES ('org', 'Lawtrend', 'civil_society', '#c2410c', ?)").run(now);
  db.prepare("INSERT INTO users (id, name, email, password_hash, organisation_id, created_at) VALUES ('nina', 'Nina', 'nina@ngo.example', 'x', 'org', ?)").run(now);
  for (const token of ['first-token', 'second-token']) {
    db.prepare("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, 'nina', ?, ?)").run(hashToken(token), now, later);
    db.prepare("INSERT INTO trusted_devices (token_hash, user_id, created_at, last_used_at) VALUES (?, 'nina', ?, ?)").run(hashToken(token), now, now);
  }

  migrate(db);

  const sessions = await listSessions(sqliteSql(db), 'nina', hashToken('first-token'));
  expect(sessions).toHaveLength(2);
  expect(new Set(sessions.map((s) => s.id)).size).toBe(2);
  expect(sessions.map((s) => s.userAgent)).toEqual([null, null]);
  expect(sessions.filter((s) => s.current)).toHaveLength(1);
  const browsers = await listTrustedBrowsers(sqliteSql(db), 'nina', hashToken('first-token'));
  // Which browser an earlier session came from is not known.
  expect(browsers.filter((b) => b.current)).toHaveLength(0);
  expect(new Set(browsers.map((b) => b.id)).size).toBe(2);
  expect(browsers.map((b) => b.userAgent)).toEqual([null, null]);
  // An earlier session still signs its person in, and from then on says when it was last used.
  expect((await principalForToken(sqliteSql(db), 'first-token'))?.userId).toBe('nina');
  expect((await listSessions(sqliteSql(db), 'nina', null)).find((s) => s.lastUsedAt !== null)).toBeDefined();
});
