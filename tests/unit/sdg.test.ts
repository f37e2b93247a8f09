/**
 * SDG targets (issue #19): which codes exist, how written targets are read, how they are checked
 * at the API boundary, grouped for reading, printed by the exports, and indexed by migration 033
 * (including values imported before codes were checked).
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { loadMigrations, migrate } from '../../server/db/database.ts';
import { exportWords } from '../../server/export/i18n/index.ts';
import { sdgLine } from '../../server/export/recommendationMeta.ts';
import { CreateRecommendationSchema, RecommendationQuerySchema, SdgTargetListSchema } from '../../shared/api/recommendations.ts';
import { compareSdg, groupSdgs, parseSdg, SDG_GOALS, SDG_TARGETS, sdgGoalName } from '../../shared/sdg.ts';

describe('the SDG targets', () => {
  it('are the 169 of the 2030 Agenda, numbered then lettered per goal', () => {
    expect(SDG_GOALS).toHaveLength(17);
    expect(SDG_TARGETS).toHaveLength(169);
    expect(new Set(SDG_TARGETS).size).toBe(169);
    expect(SDG_TARGETS.filter((t) => t.startsWith('16.'))).toEqual(['16.1', '16.2', '16.3', '16.4', '16.5', '16.6', '16.7', '16.8', '16.9', '16.10', '16.a', '16.b']);
    expect(SDG_TARGETS.filter((t) => t.startsWith('17.'))).toHaveLength(19);
    expect(SDG_TARGETS.slice(0, 7)).toEqual(['1.1', '1.2', '1.3', '1.4', '1.5', '1.a', '1.b']);
  });

  it('have a short name for each goal in English, Russian and Belarusian, each different', () => {
    for (const language of ['en', 'ru', 'be']) {
      const names = SDG_GOALS.map((g) => sdgGoalName(g, language));
      expect(new Set(names).size, language).toBe(17);
    }
    expect(sdgGoalName(16)).toBe('Peace, justice and strong institutions');
    expect(sdgGoalName(5, 'ru')).toBe('Гендерное равенство');
    expect(sdgGoalName(1, 'be')).toBe('Ліквідацыя беднасці');
    expect(sdgGoalName(4, 'fr')).toBe('Quality education');
    expect(() => sdgGoalName(18)).toThrow(RangeError);
  });
});

describe('reading a written target', () => {
  it.each([
    ['16.3', '16.3'],
    ['5.a', '5.a'],
    ['5.A', '5.a'],
    ['16', '16'],
    ['SDG 16.3', '16.3'],
    ['sdg16', '16'],
    ['Target 5.c', '5.c'],
    ['Goal 16', '16'],
    ['  8.10 ', '8.10'],
    ['16.1 Significantly reduce all forms of violence and related death rates everywhere', '16.1'],
    ['16: Peace, justice and strong institutions', '16'],
    ['16.3.1', '16.3'],
    ['16.03', '16.3'],
  ])('%j is %j', (input, code) => {
    expect(parseSdg(input)).toBe(code);
  });

  it.each(['16.11', '18', '0', '17.a', '1.6', '5.ab', '16-3', 'peace', '', '.3', 'A/HRC/15/16', '163'])('%j names no goal or target', (input) => {
    expect(parseSdg(input)).toBeNull();
  });

  it('sorts codes as the Agenda lists them and groups them by goal, keeping words that name none', () => {
    expect(['16.a', '5.1', '16', '16.10', '16.2'].sort(compareSdg)).toEqual(['5.1', '16', '16.2', '16.10', '16.a']);
    expect(groupSdgs(['16.10', '5.1', '16.3 Promote the rule of law', 'peace', '16'])).toEqual({
      goals: [
        { goal: 5, targets: ['5.1'] },
        { goal: 16, targets: ['16.3', '16.10'] },
      ],
      other: ['peace'],
    });
  });
});

describe('the API boundary', () => {
  it('stores codes, each once, in order, and names the entry it refuses', () => {
    expect(SdgTargetListSchema.parse(['SDG 16.3', '5.A', '16.3', '5.1 End all forms of discrimination'])).toEqual(['5.1', '5.a', '16.3']);
    const refused = SdgTargetListSchema.safeParse(['5.1', '16.11']);
    expect(refused.success).toBe(false);
    expect(refused.error!.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['1', 'invalid_sdg_target']]);
    const created = CreateRecommendationSchema.parse({ mechanism: 'CAT', stateUnderReview: 'Belarus', text: 'Investigate.', language: 'en' });
    expect(created.sdgTargets).toEqual([]);
  });

  it('filters by a goal or a target written as a code only', () => {
    expect(RecommendationQuerySchema.parse({ sdg: '16' }).sdg).toBe('16');
    expect(RecommendationQuerySchema.parse({ sdg: '5.a' }).sdg).toBe('5.a');
    for (const sdg of ['16.11', 'SDG 16', '5.A', '19']) expect(RecommendationQuerySchema.safeParse({ sdg }).success, sdg).toBe(false);
  });
});

describe('the exports', () => {
  it('print a recommendation’s targets by goal, with the goal’s name in the export language', () => {
    expect(sdgLine(['16.10', '5.1', '16.3'], exportWords('en'))).toBe('SDG targets: Goal 5 (Gender equality): 5.1; Goal 16 (Peace, justice and strong institutions): 16.3, 16.10');
    expect(sdgLine(['16'], exportWords('ru'))).toBe('Задачи ЦУР: Цель 16 (Мир, правосудие и эффективные институты)');
    expect(sdgLine(['4.1'], exportWords('be'))).toBe('Задачы ЦУР: Мэта 4 (Якасная адукацыя): 4.1');
    expect(sdgLine([], exportWords('en'))).toBeNull();
  });
});

describe('migration 033', () => {
  it('indexes targets already stored, including ones imported with their words, and follows later changes', () => {
    const db = new Database(':memory:');
    try {
      const all = loadMigrations();
      migrate(db, all.filter((m) => m.version < 33));
      db.pragma('foreign_keys = ON'); // as the server runs, so a deletion cascades
      db.exec(`INSERT INTO organisations (id, name, side, color, created_at) VALUES ('o', 'Org', 'government', '#000000', '2026-01-01');
        INSERT INTO users (id, email, name, password_hash, organisation_id, created_at) VALUES ('u', 'u@example.org', 'U', 'x', 'o', '2026-01-01');
        INSERT INTO plans (id, title, country, period_start, period_end, created_by, created_at) VALUES ('p', 'Plan', 'Belarus', 2026, 2030, 'u', '2026-01-01');`);
      const insert = db.prepare(
        `INSERT INTO recommendations (id, plan_id, source_key, reference, sort_key, mechanism, state_under_review, text, position, sdg_targets, created_at, updated_at)
         VALUES (?, 'p', ?, ?, ?, 'UPR', 'Belarus', 'Text', 'supported', ?, '2026-01-01', '2026-01-01')`,
      );
      insert.run('r1', 'k1', 'R1', 'r1', JSON.stringify(['16.1 Significantly reduce all forms of violence and related death rates everywhere', 'peace']));
      insert.run('r2', 'k2', 'R2', 'r2', JSON.stringify(['5.a']));
      // Up to 036: from 037 on, a new row is indexed by the service that inserts it, not by a
      // trigger (see 'a recommendation entered by hand' below).
      migrate(db, all.filter((m) => m.version <= 36));

      const rows = () => db.prepare('SELECT recommendation_id AS id, target, goal FROM recommendation_sdgs ORDER BY id, target').all();
      expect(rows()).toEqual([
        { id: 'r1', target: '16.1', goal: 16 },
        { id: 'r2', target: '5.a', goal: 5 },
      ]);
      insert.run('r3', 'k3', 'R3', 'r3', JSON.stringify(['10', '10.2']));
      db.prepare("UPDATE recommendations SET sdg_targets = '[\"4.1\"]' WHERE id = 'r2'").run();
      db.prepare("DELETE FROM recommendations WHERE id = 'r1'").run();
      expect(rows()).toEqual([
        { id: 'r2', target: '4.1', goal: 4 },
        { id: 'r3', target: '10', goal: 10 },
        { id: 'r3', target: '10.2', goal: 10 },
      ]);
    } finally {
      db.close();
    }
  });
});
