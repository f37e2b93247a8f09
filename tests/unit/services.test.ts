import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate, type Db } from '../../server/db/database.ts';
import { ORGANISATION_PALETTE, createOrganisation, createUser, organisationColor } from '../../server/services/accounts.ts';
import { addChapter, addSection, createPlan, planOutline, updateChapter, updateSection } from '../../server/services/plans.ts';
import { changeMemberRole } from '../../server/services/members.ts';
import { sqliteSql } from '../../server/db/sql/sqliteSql.ts';
import { assignRecommendations, loadSampleRecommendations } from '../../server/services/samplePlan.ts';
import { accountKey, ACCOUNT_POLICY, addressGroup, delayAfter, SignInThrottle } from '../../server/auth/signInLimiter.ts';
import { hashPassword, verifyPassword } from '../../server/auth/passwords.ts';
import { DocumentStore } from '../../server/storage/DocumentStore.ts';
import { sectionDocName } from '../../shared/doc/schema.ts';
import { HttpError } from '../../server/errors.ts';
import { principalOfNow } from '../../server/services/audit.ts';

let db: Db;
let userId: string;
beforeEach(async () => {
  db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db);
  const org = await createOrganisation(sqliteSql(db), { name: 'MFA', side: 'government' });
  userId = (await createUser(sqliteSql(db), { name: 'Olga', email: 'olga@mfa.example', passwordHash: 'x', organisationId: org.id })).id;
});
afterEach(() => db.close());
/** Olga as she acts in a plan, for services that put what they change on the record. */
const olga = () => ({ principal: principalOfNow(db, userId)!, role: 'coordinator' as const });

describe('organisation colours', () => {
  it('are stable, from the side palette, and never shared between government and civil society', () => {
    expect(organisationColor('Lawtrend', 'civil_society')).toBe(organisationColor(' lawtrend ', 'civil_society'));
    expect(ORGANISATION_PALETTE.civil_society).toContain(organisationColor('Viasna', 'civil_society'));
    const gov = new Set(ORGANISATION_PALETTE.government);
    expect(ORGANISATION_PALETTE.civil_society.some((c) => gov.has(c))).toBe(false);
  });

  it('refuses a second organisation with the same name in another case', async () => {
    await expect(createOrganisation(sqliteSql(db), { name: 'mfa', side: 'government' })).rejects.toThrow(HttpError);
  });
});

describe('outline service', () => {
  it('keeps positions dense and creates a document with each section', async () => {
    const q = sqliteSql(db);
    const planId = await createPlan(q, userId, { title: 'P', country: 'Belarus', periodStart: 2026, periodEnd: 2030 }, 'empty');
    const a = await addChapter(q, planId, 'A');
    const b = await addChapter(q, planId, 'B');
    const s1 = await addSection(q, planId, a, 'one');
    const s2 = await addSection(q, planId, a, 'two');
    expect(new DocumentStore(db).exists(sectionDocName(s1))).toBe(true);
    await updateChapter(q, planId, b, { position: 0 }, olga());
    await updateSection(q, planId, s1, { chapterId: b, position: 5 }, olga());
    const outline = await planOutline(q, planId, userId);
    expect(outline.chapters.map((c) => [c.title, c.position, c.sections.map((s) => [s.id, s.position])])).toEqual([
      ['B', 0, [[s1, 0]]],
      ['A', 1, [[s2, 0]]],
    ]);
  });

  it('rolls back a section whose document cannot be created', async () => {
    const q = sqliteSql(db);
    const planId = await createPlan(q, userId, { title: 'P', country: 'Belarus', periodStart: 2026, periodEnd: 2030 });
    const chapterId = (await planOutline(q, planId, userId)).chapters[0]!.id;
    await expect(
      addSection(q, planId, chapterId, 'Broken', () => {
        throw new Error('seed failed');
      }),
    ).rejects.toThrow('seed failed');
    expect((await planOutline(q, planId, userId)).chapters[0]!.sections.map((s) => s.title)).toEqual(['Purpose and scope']);
  });

  it('protects the last coordinator', async () => {
    const planId = await createPlan(sqliteSql(db), userId, { title: 'P', country: 'Belarus', periodStart: 2026, periodEnd: 2030 });
    await expect(changeMemberRole(sqliteSql(db), planId, userId, 'drafter', olga())).rejects.toThrow(expect.objectContaining({ code: 'last_coordinator' }));
    expect(await changeMemberRole(sqliteSql(db), planId, userId, 'coordinator', olga())).toBe(false);
  });
});

describe('sample plan data', () => {
  it('places each of the 167 recommendations in exactly one section, specific themes first', () => {
    const recs = loadSampleRecommendations();
    expect(recs).toHaveLength(167);
    const groups = assignRecommendations(recs);
    expect([...groups.values()].reduce((n, g) => n + g.length, 0)).toBe(167);
    const disability = recs.find((r) => r.themes.includes('Disabilities') && r.themes.includes('International instruments'))!;
    expect(groups.get('disabilities')).toContain(disability);
  });
});

describe('sign-in throttling', () => {
  it('waits 1 s, 2 s, 4 s… after the free failures, up to the cap', () => {
    const waits = Array.from({ length: 20 }, (_, n) => delayAfter(n, ACCOUNT_POLICY));
    expect(waits.slice(0, ACCOUNT_POLICY.freeFailures).every((w) => w === 0)).toBe(true);
    expect(waits.slice(ACCOUNT_POLICY.freeFailures, ACCOUNT_POLICY.freeFailures + 4)).toEqual([1000, 2000, 4000, 8000]);
    expect(Math.max(...waits)).toBe(ACCOUNT_POLICY.maxDelayMs);
    expect(delayAfter(10_000, ACCOUNT_POLICY)).toBe(ACCOUNT_POLICY.maxDelayMs);
  });

  it('counts an IPv6 sender by its /64 network, an IPv4 one (also IPv4-mapped) by its address', () => {
    expect(addressGroup('203.0.113.7')).toBe('203.0.113.7');
    expect(addressGroup('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(addressGroup('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressGroup('2001:DB8:1:2:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
    expect(addressGroup('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressGroup('::1')).toBe('0:0:0:0::/64');
    expect(addressGroup('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
  });

  it('takes back only a successful attempt’s own failure, and forgets a quiet counter', () => {
    const clock = { t: 0, now: () => clock.t };
    const throttle = new SignInThrottle(clock);
    const key = [accountKey('a@b.c')];
    for (let i = 0; i < ACCOUNT_POLICY.freeFailures - 1; i++) throttle.charge(key);
    const undo = throttle.charge(key);
    expect(throttle.retryAfterMs(key)).toBe(1000);
    undo();
    expect(throttle.retryAfterMs(key)).toBe(0);
    throttle.charge(key);
    expect(throttle.retryAfterMs([accountKey('other@b.c')])).toBe(0);
    clock.t = ACCOUNT_POLICY.forgetAfterMs;
    expect(throttle.retryAfterMs(key)).toBe(0);
    throttle.charge(key);
    expect(throttle.retryAfterMs(key)).toBe(0);
  });
});

describe('passwords', () => {
  it('hashes with argon2id and verifies', async () => {
    const hash = await hashPassword('correct horse battery staple');
    expect(hash.startsWith('$argon2id$')).toBe(true);
    expect(await verifyPassword(hash, 'correct horse battery staple')).toBe(true);
    expect(await verifyPassword(hash, 'wrong')).toBe(false);
    expect(await verifyPassword(undefined, 'anything')).toBe(false);
    expect(await verifyPassword('not a hash', 'anything')).toBe(false);
  });
});
