import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { loadMigrations, migrate } from '../../server/db/database.ts';
import {
  describeRuleForRecord,
  missingWords,
  normaliseRule,
  ruleIsMet,
  ruleNeeds,
  ruleProblem,
  type CountedSignature,
  type RuleContext,
} from '../../server/services/signoffRules.ts';
import { SignoffRuleSchema, type SignoffRule } from '../../shared/api/index.ts';

/** Sign-off rules without a server: what counts, what is missing, what may be set. */

const organisations = new Map([
  ['orgMinistry1', 'Ministry of Justice'],
  ['orgHelsinki1', 'Belarusian Helsinki Committee'],
  ['orgViasna01', 'Viasna'],
  ['orgLawTrust', 'Legal Initiative'],
  ['orgSelfMade', 'Self-named NGO'],
]);
const context: RuleContext = { verified: { government: 1, civil_society: 3 }, coordinatorSides: ['government'], organisations };

const sig = (organisationId: string, side: CountedSignature['side'], extra: Partial<CountedSignature> = {}): CountedSignature => ({
  organisationId,
  side,
  role: 'drafter',
  verified: true,
  ...extra,
});
const QUORUM: SignoffRule = { kind: 'quorum', minimum: { government: 1, civil_society: 2 } };

describe('a quorum of verified organisations per side', () => {
  it('one civil-society organisation is not enough when two are asked for; two are', () => {
    const gov = sig('orgMinistry1', 'government');
    const one = [gov, sig('orgHelsinki1', 'civil_society')];
    expect(ruleNeeds(QUORUM, one, context)).toEqual([{ kind: 'quorum', side: 'civil_society', have: 1, need: 2, available: 3 }]);
    expect(ruleIsMet(QUORUM, one, context)).toBe(false);
    expect(ruleIsMet(QUORUM, [...one, sig('orgViasna01', 'civil_society')], context)).toBe(true);
  });

  it('counts organisations, not people: two signers of one organisation are one', () => {
    const twoOfOne = [sig('orgMinistry1', 'government'), sig('orgHelsinki1', 'civil_society'), sig('orgHelsinki1', 'civil_society')];
    expect(ruleNeeds(QUORUM, twoOfOne, context)).toEqual([{ kind: 'quorum', side: 'civil_society', have: 1, need: 2, available: 3 }]);
  });

  it('never counts an unverified organisation', () => {
    const withUnverified = [sig('orgMinistry1', 'government'), sig('orgHelsinki1', 'civil_society'), sig('orgSelfMade', 'civil_society', { verified: false })];
    expect(ruleIsMet(QUORUM, withUnverified, context)).toBe(false);
    // Nor for any other kind of rule.
    expect(ruleIsMet({ kind: 'sides', sides: ['civil_society'] }, [sig('orgSelfMade', 'civil_society', { verified: false })], context)).toBe(false);
    expect(ruleIsMet({ kind: 'organisations', organisationIds: ['orgSelfMade'] }, [sig('orgSelfMade', 'civil_society', { verified: false })], context)).toBe(false);
    expect(
      ruleIsMet({ kind: 'coordinators', sides: ['civil_society'] }, [sig('orgSelfMade', 'civil_society', { verified: false, role: 'coordinator' })], context),
    ).toBe(false);
  });

  it('says what is missing in words, and how many are verified', () => {
    const needs = ruleNeeds({ kind: 'quorum', minimum: { government: 1, civil_society: 3 } }, [], context);
    expect(needs).toEqual([
      { kind: 'quorum', side: 'government', have: 0, need: 1, available: 1 },
      { kind: 'quorum', side: 'civil_society', have: 0, need: 3, available: 3 },
    ]);
    expect(missingWords(needs)).toEqual(['1 more verified government organisation', '3 more verified civil society organisations']);
  });
});

describe('coordinators of each side', () => {
  const RULE: SignoffRule = { kind: 'coordinators', sides: ['government', 'civil_society'] };
  it("a drafter's signature does not count; a coordinator's does; an unknown role does not", () => {
    const govCoordinator = sig('orgMinistry1', 'government', { role: 'coordinator' });
    expect(ruleNeeds(RULE, [govCoordinator, sig('orgHelsinki1', 'civil_society', { role: 'drafter' })], context)).toEqual([
      { kind: 'coordinator', side: 'civil_society' },
    ]);
    expect(ruleIsMet(RULE, [govCoordinator, sig('orgHelsinki1', 'civil_society', { role: null })], context)).toBe(false);
    expect(ruleIsMet(RULE, [govCoordinator, sig('orgHelsinki1', 'civil_society', { role: 'coordinator' })], context)).toBe(true);
    expect(missingWords([{ kind: 'coordinator', side: 'civil_society' }])).toEqual(['a civil society coordinator']);
  });
});

describe('the rules that existed before', () => {
  it('sides and named organisations keep their needs and their words', () => {
    const sides: SignoffRule = { kind: 'sides', sides: ['government', 'civil_society'] };
    const needs = ruleNeeds(sides, [sig('orgHelsinki1', 'civil_society')], context);
    expect(needs).toEqual([{ kind: 'side', side: 'government' }]);
    expect(missingWords(needs)).toEqual(['government']);
    const named: SignoffRule = { kind: 'organisations', organisationIds: ['orgMinistry1', 'orgHelsinki1'] };
    expect(missingWords(ruleNeeds(named, [sig('orgHelsinki1', 'civil_society')], context))).toEqual(['Ministry of Justice']);
  });

  it('their stored JSON still reads, and the new kinds are checked', () => {
    expect(SignoffRuleSchema.parse(JSON.parse('{"kind":"sides","sides":["government","civil_society"]}'))).toEqual({
      kind: 'sides',
      sides: ['government', 'civil_society'],
    });
    expect(SignoffRuleSchema.parse(JSON.parse('{"kind":"organisations","organisationIds":["orgMinistry1"]}')).kind).toBe('organisations');
    expect(SignoffRuleSchema.safeParse({ kind: 'quorum', minimum: { civil_society: 0 } }).success).toBe(false);
    expect(SignoffRuleSchema.safeParse({ kind: 'quorum', minimum: {} }).success).toBe(false);
    expect(SignoffRuleSchema.safeParse({ kind: 'quorum', minimum: { ngo: 2 } }).success).toBe(false);
    expect(SignoffRuleSchema.safeParse({ kind: 'quorum', minimum: { civil_society: 1.5 } }).success).toBe(false);
    expect(SignoffRuleSchema.safeParse({ kind: 'coordinators', sides: [] }).success).toBe(false);
    expect(SignoffRuleSchema.parse({ kind: 'quorum', minimum: { civil_society: 2 } })).toEqual({ kind: 'quorum', minimum: { civil_society: 2 } });
  });
});

describe('setting a rule', () => {
  it('refuses a quorum larger than the verified organisations of a side, naming the side and the most it may ask', () => {
    const problem = ruleProblem({ kind: 'quorum', minimum: { government: 1, civil_society: 4 } }, context);
    expect(problem).toEqual({
      field: 'minimum.civil_society',
      message:
        'The civil society side has only 3 verified organisations in this plan, so 4 of them can never sign. ' +
        'Verify more civil society organisations on the Members page first, or ask for at most 3.',
      issue: { code: 'quorum_unreachable', params: { available: 3 } },
    });
    expect(ruleProblem({ kind: 'quorum', minimum: { international: 1 } }, context)?.message).toContain('has no verified organisations');
    expect(ruleProblem({ kind: 'quorum', minimum: { government: 1, civil_society: 3 } }, context)).toBeNull();
  });

  it('refuses a coordinators rule for a side no coordinator can sign for', () => {
    expect(ruleProblem({ kind: 'coordinators', sides: ['government'] }, context)).toBeNull();
    expect(ruleProblem({ kind: 'coordinators', sides: ['government', 'civil_society'] }, context)?.message).toBe(
      'No coordinator of this plan belongs to a verified civil society organisation, so nobody could sign for that side. ' +
        'Make a member of a verified civil society organisation a coordinator first.',
    );
  });

  it('refuses organisations that are not the plan’s', () => {
    expect(ruleProblem({ kind: 'organisations', organisationIds: ['orgNowhere1'] }, context)?.field).toBe('organisationIds');
  });

  it('stores sides in the usual order, without duplicates', () => {
    expect(normaliseRule({ kind: 'sides', sides: ['civil_society', 'government', 'civil_society'] })).toEqual({ kind: 'sides', sides: ['government', 'civil_society'] });
    expect(JSON.stringify(normaliseRule({ kind: 'quorum', minimum: { civil_society: 2, government: 1 } }))).toBe(
      '{"kind":"quorum","minimum":{"government":1,"civil_society":2}}',
    );
    expect(normaliseRule({ kind: 'coordinators', sides: ['civil_society', 'government'] })).toEqual({ kind: 'coordinators', sides: ['government', 'civil_society'] });
  });

  it('describes each rule for the record', () => {
    expect(describeRuleForRecord(QUORUM, organisations)).toBe('at least 1 verified government organisation, 2 verified civil society organisations');
    expect(describeRuleForRecord({ kind: 'coordinators', sides: ['government', 'civil_society'] }, organisations)).toBe(
      'a coordinator of the plan for each side: government, civil society',
    );
    expect(describeRuleForRecord({ kind: 'organisations', organisationIds: ['orgViasna01'] }, organisations)).toBe('one signer from each organisation: Viasna');
  });
});

describe('migration 017', () => {
  it("gives sign-offs made before it their signer's role from the audit entry written with them", () => {
    const db = new Database(':memory:');
    try {
      migrate(db, loadMigrations().filter((m) => m.version < 17));
      const at = '2025-03-01T10:00:00.000Z';
      db.exec(`
        INSERT INTO organisations (id, name, side, color, created_at) VALUES ('orgMinistry1', 'Ministry', 'government', '#000', '${at}');
        INSERT INTO users (id, email, name, password_hash, organisation_id, created_at) VALUES
          ('userOlga0001', 'olga@x.example', 'Olga', 'x', 'orgMinistry1', '${at}'),
          ('userIhar0001', 'ihar@x.example', 'Ihar', 'x', 'orgMinistry1', '${at}'),
          ('userNoAudit1', 'anon@x.example', 'Anon', 'x', 'orgMinistry1', '${at}');
        INSERT INTO plans (id, title, country, period_start, period_end, created_by, created_at) VALUES ('planNhrp0001', 'Plan', 'Belarus', 2026, 2030, 'userOlga0001', '${at}');
        INSERT INTO chapters (id, plan_id, title, position) VALUES ('chapter00001', 'planNhrp0001', 'Intro', 0);
        INSERT INTO sections (id, plan_id, chapter_id, title, position) VALUES ('section00001', 'planNhrp0001', 'chapter00001', 'Scope', 0);
        INSERT INTO section_signoffs (id, section_id, user_id, organisation_id, side, content_hash, signed_at) VALUES
          ('signoff00001', 'section00001', 'userOlga0001', 'orgMinistry1', 'government', 'h', '2025-03-02T10:00:00.000Z'),
          ('signoff00002', 'section00001', 'userIhar0001', 'orgMinistry1', 'government', 'h', '2025-03-02T11:00:00.000Z'),
          ('signoff00003', 'section00001', 'userNoAudit1', 'orgMinistry1', 'government', 'h', '2025-03-02T12:00:00.000Z');
        INSERT INTO audit_log (plan_id, at, actor_id, actor_name, actor_organisation, actor_role, action, target_type, target_id, summary) VALUES
          ('planNhrp0001', '2025-03-02T10:00:00.001Z', 'userOlga0001', 'Olga', 'Ministry', 'coordinator', 'section.signed', 'section', 'section00001', 's'),
          ('planNhrp0001', '2025-03-01T09:00:00.000Z', 'userIhar0001', 'Ihar', 'Ministry', 'coordinator', 'section.signed', 'section', 'section00001', 'an older signature, when Ihar was a coordinator'),
          ('planNhrp0001', '2025-03-02T11:00:00.000Z', 'userIhar0001', 'Ihar', 'Ministry', 'drafter', 'section.signed', 'section', 'section00001', 's');
      `);
      migrate(db);
      const roles = db.prepare('SELECT id, signer_role AS role FROM section_signoffs ORDER BY id').all();
      expect(roles).toEqual([
        { id: 'signoff00001', role: 'coordinator' },
        { id: 'signoff00002', role: 'drafter' },
        { id: 'signoff00003', role: null },
      ]);
    } finally {
      db.close();
    }
  });
});
