import Database from 'better-sqlite3';
import pg from 'pg';

/**
 * Whether the database itself refused or failed a statement (a full disk, a read-only file, a
 * lost connection, a constraint), as opposed to a rule of Accord's refusing it: what people are
 * told is then "could not be saved, try again", never the rule's words.
 */
export function isDatabaseError(err: unknown): boolean {
  return err instanceof Database.SqliteError || err instanceof pg.DatabaseError;
}
