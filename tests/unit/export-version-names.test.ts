import * as Y from 'yjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../server/db/database.ts';
import { sqliteSql } from '../../server/db/sql/sqliteSql.ts';
import { exportWords } from '../../server/export/i18n/index.ts';
import { buildPlanModel } from '../../server/export/model.ts';
import { versionNameIn } from '../../server/export/versionName.ts';
import { planOutline } from '../../server/services/plans.ts';
import { memoryPlan } from '../helpers/memoryPlan.ts';

// The names Accord gives versions are stored in English with a label saying what they are; an
// export in Belarusian or Russian used to print the English one ("«Agreed text»").

describe('what an export calls a saved version', () => {
  it('a name Accord gave, in the export\'s language; a name a person typed, as typed', () => {
    const signoff = JSON.stringify({ key: 'signoff' });
    expect(versionNameIn(exportWords('ru'), 'Agreed text', signoff)).toBe('Согласованный текст');
    expect(versionNameIn(exportWords('be'), 'Agreed text', signoff)).toBe('Узгоднены тэкст');
    expect(versionNameIn(exportWords('en'), 'Agreed text', signoff)).toBe('Agreed text');
    const restored = JSON.stringify({ key: 'restored', from: { name: 'Agreed text', label: { key: 'signoff' } } });
    expect(versionNameIn(exportWords('ru'), 'Restored “Agreed text”', restored)).toBe('Восстановлено «Согласованный текст»');
    const automatic = JSON.stringify({ key: 'automatic', editors: ['Olga', 'Ivan'] });
    expect(versionNameIn(exportWords('en'), 'After edits by Olga and Ivan', automatic)).toBe('After edits by Olga and Ivan');
    expect(versionNameIn(exportWords('ru'), 'Second reading', null)).toBe('Second reading');
    // A label that cannot be read leaves the stored name.
    expect(versionNameIn(exportWords('ru'), 'Agreed text', '{not json')).toBe('Agreed text');
  });
});

describe('the export\'s "made from" line', () => {
  let db: Db;
  let userId: string;
  let planId: string;
  beforeEach(async () => {
    ({ db, userId, planId } = await memoryPlan());
  });
  afterEach(() => db.close());

  it('names the newest saved version in the export\'s language', async () => {
    const section = (await planOutline(sqliteSql(db), planId, userId)).chapters[0]!.sections[0]!;
    // The version an agreed section keeps (services/versions.ts, registerVersionHooks).
    db.prepare(
      `INSERT INTO versions (id, plan_id, section_id, section_title, group_id, name, label, kind, created_by, created_by_name, created_at,
         content_hash, snapshot, text, actions, edited_by)
       VALUES ('v1', ?, ?, ?, NULL, 'Agreed text', '{"key":"signoff"}', 'signoff', NULL, 'Accord', '2026-12-04T10:00:00.000Z', 'h', ?, '', '[]', NULL)`,
    ).run(planId, section.id, section.title, Buffer.from(Y.encodeStateAsUpdate(new Y.Doc())));
    const made = async (language: 'ru' | 'en') => (await buildPlanModel(sqliteSql(db), planId, { scope: 'current', language })).madeFrom;
    expect(await made('ru')).toContain('«Согласованный текст»');
    expect(await made('ru')).not.toContain('Agreed text');
    expect(await made('en')).toContain('"Agreed text"');
  });
});
