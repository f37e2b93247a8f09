import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { migratePostgres } from '../../server/db/postgres/migrate.ts';
import { beforeAllOrFail, freshSchema, PLAN_ROWS, recommendationRow, type TestSchema } from '../helpers/postgres.ts';

/**
 * Full-text search on PostgreSQL (server/db/migrations/postgres/040_baseline.sql): each
 * recommendation is read in its own language, and the index follows every INSERT, UPDATE and
 * DELETE of the row, whatever code writes it, as FTS5 and its triggers do on SQLite.
 */
let schema: TestSchema;
let pool: ReturnType<TestSchema['pool']>;

beforeAllOrFail(async () => {
  schema = await freshSchema();
  pool = schema.pool();
  await migratePostgres(pool);
  await pool.query(PLAN_ROWS);
  await pool.query(
    [
      recommendationRow('ru1', '97.12', 'Обеспечить защиту журналистов и правозащитников от преследований', 'ru'),
      recommendationRow('be1', '97.13', 'Забяспечыць незалежны нагляд за месцамі пазбаўлення волі і расследаваць катаванні', 'be'),
      recommendationRow('en1', '97.14', 'Ratify the Optional Protocol to the Convention against Torture', 'en', {
        themes: '["Torture and other cruel, inhuman or degrading treatment"]',
      }),
    ].join('\n'),
  );
});

afterAll(async () => {
  await schema?.drop();
});

const Ids = z.array(z.object({ id: z.string() }));
async function search(typed: string): Promise<string[]> {
  const found = await pool.query('SELECT id FROM recommendations WHERE search_vector @@ accord_search_query($1) ORDER BY id', [typed]);
  return Ids.parse(found.rows).map((r) => r.id);
}

describe('full-text search on PostgreSQL', () => {
  it('finds a Russian recommendation by other forms of its words', async () => {
    // "защиту журналистов" is stored; a person types the dictionary forms.
    expect(await search('защита журналисты')).toEqual(['ru1']);
    expect(await search('преследование')).toEqual(['ru1']);
  });

  it('finds a Belarusian recommendation by its word, whatever the letter case', async () => {
    expect(await search('катаванні')).toEqual(['be1']);
    expect(await search('НАГЛЯД')).toEqual(['be1']);
  });

  it('finds an English recommendation by another form, in its text and its themes', async () => {
    expect(await search('tortured')).toEqual(['en1']);
    expect(await search('degrading')).toEqual(['en1']);
  });

  it('finds nothing for words no recommendation holds, and takes any input without error', async () => {
    expect(await search('жанчыны')).toEqual([]);
    expect(await search('"unbalanced quote -( OR & |')).toEqual([]);
  });

  it('follows an UPDATE of the text and a DELETE of the row', async () => {
    await pool.query(`UPDATE recommendations SET text = 'Отменить смертную казнь', updated_at = '2026-05-05T10:00:00.000Z' WHERE id = 'ru1'`);
    expect(await search('журналисты')).toEqual([]);
    expect(await search('казни')).toEqual(['ru1']);

    await pool.query(`UPDATE recommendations SET language = 'be', text = 'Адмяніць смяротнае пакаранне' WHERE id = 'ru1'`);
    expect(await search('пакаранне')).toEqual(['ru1']);
    expect(await search('казни')).toEqual([]);

    await pool.query(`DELETE FROM recommendations WHERE id = 'be1'`);
    expect(await search('катаванні')).toEqual([]);
  });
});
