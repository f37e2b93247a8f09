import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { col, rowShape } from '../../server/db/rows.ts';
import type { Sql } from '../../server/db/sql/Sql.ts';
import { createSession, deleteSession, principalForToken } from '../../server/auth/sessions.ts';
import { planOfSection, roleInPlan } from '../../server/services/access.ts';
import { getSuggestionRule, textAccessInPlan } from '../../server/services/suggestions.ts';
import { PLAN_ROWS, sameRowsOnBothEngines } from '../helpers/postgres.ts';

/**
 * What every request and every sync connection asks first gives the same answers on SQLite and
 * PostgreSQL: whose session a cookie is, a person's role in a plan, a section's plan and whether it
 * is in the bin, and what the person may do to section text under the plan's suggestion rule.
 */
const AT = '2026-05-04T10:00:00.000Z';
const ROWS =
  PLAN_ROWS +
  `
  INSERT INTO organisations (id, name, side, color, created_at) VALUES ('o2', 'Human Rights Centre', 'civil_society', '#654321', '${AT}');
  INSERT INTO users (id, email, name, password_hash, organisation_id, created_at) VALUES
    ('u2', 'lawyer@example.org', 'Nina Lawyer', 'x', 'o2', '${AT}'),
    ('u3', 'outsider@example.org', 'Outsider', 'x', 'o2', '${AT}');
  INSERT INTO plan_members (plan_id, user_id, role, joined_at) VALUES ('p1', 'u1', 'coordinator', '${AT}'), ('p1', 'u2', 'drafter', '${AT}');
  INSERT INTO sections (id, plan_id, chapter_id, title, position, deleted_at) VALUES ('s2', 'p1', 'c1', 'Old section', 1, '${AT}');
  INSERT INTO plan_suggestion_rules (plan_id, rule, updated_by, updated_at)
    VALUES ('p1', '{"commentersSuggest":true,"suggestOnlySides":["civil_society"]}', 'u1', '${AT}');
`;
const both = sameRowsOnBothEngines(ROWS, { foreignKeys: true });
const engines = (): Array<[string, Sql]> => [
  ['sqlite', both.sqlite],
  ['postgres', both.postgres],
];

describe('sessions and admission on both engines', () => {
  it('signs a person in, reads their session back, writes when it was last used, and signs them out', async () => {
    for (const [engine, q] of engines()) {
      const { token, expiresAt } = await createSession(q, 'u2', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Firefox/133.0');
      expect(expiresAt.getTime(), engine).toBeGreaterThan(Date.now());
      const principal = await principalForToken(q, token);
      expect(principal, engine).toEqual({
        userId: 'u2',
        name: 'Nina Lawyer',
        email: 'lawyer@example.org',
        language: null,
        organisationId: 'o2',
        organisationName: 'Human Rights Centre',
        side: 'civil_society',
        color: '#654321',
      });
      const Used = rowShape({ lastUsedAt: col.nullableText, userAgent: col.nullableText });
      const used = sql`SELECT last_used_at AS "lastUsedAt", user_agent AS "userAgent" FROM sessions WHERE user_id = 'u2'`;
      // A session last used long ago is written as used now.
      await q.run(sql`UPDATE sessions SET last_used_at = ${'2026-01-01T00:00:00.000Z'} WHERE user_id = 'u2'`);
      await principalForToken(q, token);
      const after = await q.theRow(Used, used);
      expect(after.lastUsedAt! > '2026-01-01T00:00:00.000Z', engine).toBe(true);
      expect(after.userAgent, engine).toContain('Firefox');
      expect(await principalForToken(q, 'not a token'), engine).toBeNull();
      expect(await principalForToken(q, undefined), engine).toBeNull();
      await deleteSession(q, token);
      expect(await principalForToken(q, token), engine).toBeNull();
    }
  });

  it('refuses an expired session', async () => {
    for (const [engine, q] of engines()) {
      const { token } = await createSession(q, 'u1');
      await q.run(sql`UPDATE sessions SET expires_at = ${'2026-01-01T00:00:00.000Z'} WHERE user_id = 'u1'`);
      expect(await principalForToken(q, token), engine).toBeNull();
    }
  });

  it("answers who may open a section, and as what, alike", async () => {
    await both.onBoth(async (q) => ({
      roles: [await roleInPlan(q, 'p1', 'u1'), await roleInPlan(q, 'p1', 'u2'), await roleInPlan(q, 'p1', 'u3'), await roleInPlan(q, 'nope', 'u1')],
      sections: [await planOfSection(q, 's1'), await planOfSection(q, 's2'), await planOfSection(q, 'nope')],
      rule: await getSuggestionRule(q, 'p1'),
      defaultRule: await getSuggestionRule(q, 'nope'),
      access: [await textAccessInPlan(q, 'p1', 'u1'), await textAccessInPlan(q, 'p1', 'u2'), await textAccessInPlan(q, 'p1', 'u3')],
    }));
    const answer = await (async (q: Sql) => ({
      roles: [await roleInPlan(q, 'p1', 'u1'), await roleInPlan(q, 'p1', 'u2'), await roleInPlan(q, 'p1', 'u3')],
      sections: [await planOfSection(q, 's1'), await planOfSection(q, 's2')],
      access: [await textAccessInPlan(q, 'p1', 'u1'), await textAccessInPlan(q, 'p1', 'u2'), await textAccessInPlan(q, 'p1', 'u3')],
    }))(both.postgres);
    // The right answers, not only equal ones: a civil-society drafter must suggest under this rule.
    expect(answer).toEqual({
      roles: ['coordinator', 'drafter', null],
      sections: [
        { planId: 'p1', inBin: false },
        { planId: 'p1', inBin: true },
      ],
      access: ['edit', 'suggest', null],
    });
  });
});
