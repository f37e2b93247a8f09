import Database from 'better-sqlite3';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { allRows, col, oneRow, RowShapeError, rowShape, scalar, theRow } from '../../server/db/rows.ts';

function db() {
  const d = new Database(':memory:');
  d.exec(`CREATE TABLE t (id TEXT PRIMARY KEY, n INTEGER, done INTEGER NOT NULL DEFAULT 0, note TEXT);
          INSERT INTO t VALUES ('a', 1, 1, NULL), ('b', 2, 0, 'x');`);
  return d;
}
const Row = rowShape({ id: col.text, n: col.int, done: col.bool, note: col.nullableText });

describe('checked rows', () => {
  it('reads rows of the expected shape, turning 0/1 into booleans', () => {
    const d = db();
    expect(oneRow(d.prepare('SELECT * FROM t WHERE id = ?'), Row, 'a')).toEqual({ id: 'a', n: 1, done: true, note: null });
    expect(oneRow(d.prepare('SELECT * FROM t WHERE id = ?'), Row, 'zz')).toBeUndefined();
    expect(allRows(d.prepare('SELECT * FROM t ORDER BY id'), Row).map((r) => r.done)).toEqual([true, false]);
    expect(scalar(d.prepare('SELECT count(*) FROM t'), col.int)).toBe(2);
  });

  it('refuses a row of another shape, naming the query', () => {
    const d = db();
    d.exec(`UPDATE t SET n = NULL WHERE id = 'b'`);
    expect(() => allRows(d.prepare('SELECT * FROM t'), Row)).toThrow(RowShapeError);
    expect(() => allRows(d.prepare('SELECT * FROM t'), Row)).toThrow(/SELECT \* FROM t/);
    expect(() => theRow(d.prepare(`SELECT * FROM t WHERE id = 'none'`), Row)).toThrow(/no row/);
    expect(() => oneRow(d.prepare('SELECT id FROM t'), z.object({ id: z.number() }))).toThrow(RowShapeError);
  });

  it('leaves the statement returning objects after a scalar read', () => {
    const d = db();
    const stmt = d.prepare('SELECT id FROM t ORDER BY id');
    expect(scalar(stmt, col.text)).toBe('a');
    expect(stmt.get()).toEqual({ id: 'a' });
  });
});
