import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { forgetDevices, rememberDevice, trustedDevice } from '../../server/auth/trustedDevices.ts';
import { col, rowShape } from '../../server/db/rows.ts';
import type { Sql } from '../../server/db/sql/Sql.ts';
import { hashToken } from '../../server/ids.ts';
import {
  countUsers,
  createOrganisation,
  createUser,
  findOrganisation,
  findUserByEmail,
  meForUser,
  organisationNamed,
  rememberBrowserLanguage,
  setUserLanguage,
  accountLanguage,
  userEmail,
} from '../../server/services/accounts.ts';
import { changePassword, endOtherSessions, endSession, forgetTrustedBrowser, listSessions, listTrustedBrowsers } from '../../server/services/accountSecurity.ts';
import { acceptInvite, createInvite, inviteInfo, listPendingInvites, revokeInvite } from '../../server/services/invites.ts';
import { addMember, changeMemberRole, listMembers, removeMember, restoreMember } from '../../server/services/members.ts';
import { createPasswordReset, passwordResetInfo, usePasswordReset } from '../../server/services/passwordResets.ts';
import { addPlanOrganisation, planOrganisations, requirePlanOrganisations } from '../../server/services/planOrganisations.ts';
import { partyOf, sideHasOwnCoordinator } from '../../server/services/sides.ts';
import { unverifyOrganisation, verifiedOrganisations, verifyOrganisation } from '../../server/services/verification.ts';
import { actingAs, auditLog, fakeDateForTheFile, namedIds, outcome, sameRowsOnBothEngines, scenarioClock, testPerson } from '../helpers/postgres.ts';

/**
 * Accounts, members, invitations, password resets, account security and verification, done the
 * same way on SQLite and PostgreSQL: the same people on the same plan sign up, invite, join,
 * change roles, leave and come back, verify organisations, make and use reset links, end sessions
 * and forget browsers. Each engine's answers, refusals and the rows it wrote (people,
 * organisations, memberships, invites, reset links, sessions, trusted browsers, verifications,
 * notices, audit entries) must be the same. Where the engines could part: camelCase aliases, the
 * 0/1 of "verified" and "this browser", `lower()` for names, DELETE … RETURNING, ON CONFLICT,
 * a JSON parameter of a notice read to settle it, ties without SQLite's rowid.
 */

const AT = '2026-05-04T10:00:00.000Z';
const LATER = '2026-12-31T00:00:00.000Z';
const h = (token: string) => hashToken(token);

const ROWS = [
  `INSERT INTO organisations (id, name, side, color, created_at) VALUES ('organisation-o1', 'Ministry of Justice', 'government', '#123456', '${AT}'),
     ('organisation-o2', 'Вясна', 'civil_society', '#222222', '${AT}'), ('organisation-o3', 'Amnesty International', 'civil_society', '#333333', '${AT}');`,
  `INSERT INTO users (id, email, name, password_hash, organisation_id, created_at) VALUES
     ('person-u1', 'coordinator@example.org', 'Coordinator', 'old-hash', 'organisation-o1', '${AT}'),
     ('person-u2', 'ales@example.org', 'Алесь', 'x', 'organisation-o2', '${AT}'),
     ('person-u3', 'mary@example.org', 'Mary', 'x', 'organisation-o3', '${AT}'),
     ('person-u4', 'ivan@example.org', 'ivan', 'x', 'organisation-o1', '${AT}'),
     ('person-u5', 'second@example.org', 'Second coordinator', 'x', 'organisation-o1', '${AT}'),
     ('person-u9', 'outsider@example.org', 'Outsider', 'x', 'organisation-o3', '${AT}');`,
  `INSERT INTO plans (id, title, country, period_start, period_end, created_by, created_at) VALUES
     ('plan-one', 'National Human Rights Plan', 'BY', 2026, 2030, 'person-u1', '${AT}'),
     ('plan-two', 'Second Plan', 'BY', 2026, 2030, 'person-u1', '${AT}');`,
  `INSERT INTO plan_members (plan_id, user_id, role, joined_at) VALUES ('plan-one', 'person-u1', 'coordinator', '${AT}'),
     ('plan-one', 'person-u2', 'drafter', '${AT}'), ('plan-one', 'person-u3', 'commenter', '${AT}'), ('plan-one', 'person-u4', 'observer', '${AT}'),
     ('plan-one', 'person-u5', 'coordinator', '${AT}'), ('plan-two', 'person-u1', 'coordinator', '${AT}');`,
  // The ministry and Вясна are verified for plan one, Amnesty is not.
  `INSERT INTO organisation_verifications (plan_id, organisation_id, side, verified_by, verified_at)
     VALUES ('plan-one', 'organisation-o1', 'government', NULL, '${AT}'), ('plan-one', 'organisation-o2', 'civil_society', 'person-u1', '${AT}');`,
  // Three sessions of the coordinator (one expired), two of Ivan; browsers trusted for the coordinator.
  `INSERT INTO sessions (token_hash, id, user_id, user_agent, created_at, last_used_at, expires_at, device_hash) VALUES
     ('${h('olga-laptop')}', 'session-s1', 'person-u1', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Firefox/128.0', '${AT}', '2026-05-05T10:00:00.000Z', '${LATER}', '${h('device-laptop')}'),
     ('${h('olga-phone')}', 'session-s2', 'person-u1', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Safari/604.1', '${AT}', '2026-05-06T10:00:00.000Z', '${LATER}', NULL),
     ('${h('olga-tablet')}', 'session-s3', 'person-u1', NULL, '${AT}', NULL, '${LATER}', NULL),
     ('${h('olga-old')}', 'session-s4', 'person-u1', NULL, '${AT}', NULL, '2026-05-05T00:00:00.000Z', NULL),
     ('${h('ivan-1')}', 'session-s5', 'person-u4', NULL, '${AT}', NULL, '${LATER}', NULL),
     ('${h('ivan-2')}', 'session-s6', 'person-u4', NULL, '${AT}', NULL, '${LATER}', NULL);`,
  `INSERT INTO trusted_devices (token_hash, id, user_id, user_agent, created_at, last_used_at) VALUES
     ('${h('device-laptop')}', 'browser-b1', 'person-u1', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Firefox/128.0', '${AT}', '2026-05-31T10:00:00.000Z'),
     ('${h('device-phone')}', 'browser-b2', 'person-u1', NULL, '${AT}', '2026-05-30T10:00:00.000Z'),
     ('${h('device-ivan')}', 'browser-b3', 'person-u4', NULL, '${AT}', '2026-05-30T10:00:00.000Z');`,
].join('\n');

const both = sameRowsOnBothEngines(ROWS, { foreignKeys: true });

const person = (userId: string, name: string, organisationId: string, organisationName: string) =>
  testPerson(userId, name, organisationId, organisationName, organisationId === 'organisation-o1' ? 'government' : 'civil_society');
const as = actingAs;
const olga = as(person('person-u1', 'Coordinator', 'organisation-o1', 'Ministry of Justice'), 'coordinator');
const ales = as(person('person-u2', 'Алесь', 'organisation-o2', 'Вясна'), 'drafter');
const mary = as(person('person-u3', 'Mary', 'organisation-o3', 'Amnesty International'), 'commenter');
const links = { publicUrl: 'https://accord.example', key: Buffer.alloc(32, 7) };

const { tick, restart } = scenarioClock();
const clock = { now: () => Date.now() };
const tokenOf = (url: string) => url.slice(url.lastIndexOf('/') + 1);

/** The same steps on one engine; everything they answered, in order. */
async function scenario(q: Sql) {
  restart();
  const a: Record<string, unknown> = {};

  tick();
  a.users = await countUsers(q);
  a.newOrganisation = await createOrganisation(q, { name: 'Lawtrend', side: 'civil_society' });
  a.sameNameOtherCase = await outcome(() => createOrganisation(q, { name: 'MINISTRY OF JUSTICE', side: 'government' }));
  a.found = [await findOrganisation(q, 'organisation-o2'), await findOrganisation(q, 'organisation-o9')];
  const nina = await createUser(q, { name: 'Nina', email: 'nina@example.org', passwordHash: 'nina-hash', organisationId: (a.newOrganisation as { id: string }).id });
  a.emailTaken = await outcome(() => createUser(q, { name: 'Nina again', email: 'nina@example.org', passwordHash: 'x', organisationId: 'organisation-o1' }));
  a.byEmail = [await findUserByEmail(q, 'nina@example.org'), await findUserByEmail(q, 'nobody@example.org')];
  a.email = [await userEmail(q, nina.id), await userEmail(q, 'person-x')];
  await rememberBrowserLanguage(q, nina.id, 'be-BY,be;q=0.9,ru;q=0.8');
  await rememberBrowserLanguage(q, nina.id, undefined);
  a.languageBefore = await accountLanguage(q, nina.id);
  await setUserLanguage(q, nina.id, 'ru');
  a.me = await meForUser(q, nina.id);
  a.usersAfter = await countUsers(q);

  tick();
  a.party = [await partyOf(q, 'plan-one', 'person-u2'), await partyOf(q, 'plan-one', 'person-u3')];
  a.ownCoordinator = [await sideHasOwnCoordinator(q, 'plan-one', 'government'), await sideHasOwnCoordinator(q, 'plan-one', 'civil_society')];
  a.membersAsCoordinator = await listMembers(q, 'plan-one', { userId: 'person-u1', role: 'coordinator' });
  a.membersAsDrafter = (await listMembers(q, 'plan-one', { userId: 'person-u2', role: 'drafter' })).map((m) => [m.name, m.email, m.organisationVerified]);
  a.addTwice = await outcome(() => addMember(q, 'plan-one', 'person-u2', 'drafter'));

  tick();
  a.promoted = await changeMemberRole(q, 'plan-one', 'person-u3', 'drafter', olga);
  a.sameRole = await changeMemberRole(q, 'plan-one', 'person-u3', 'drafter', olga);
  a.notMember = await outcome(() => changeMemberRole(q, 'plan-one', 'person-u9', 'drafter', olga));
  a.unverifiedActor = await outcome(() => changeMemberRole(q, 'plan-one', 'person-u2', 'observer', mary));
  tick();
  await removeMember(q, 'plan-one', 'person-u3', olga);
  a.removedTwice = await outcome(() => removeMember(q, 'plan-one', 'person-u3', olga));
  tick();
  a.restored = await restoreMember(q, 'plan-one', 'person-u3', olga, Date.now());
  a.restoredTwice = await outcome(() => restoreMember(q, 'plan-one', 'person-u3', olga, Date.now()));
  tick();
  await removeMember(q, 'plan-one', 'person-u3', as(mary.principal, 'drafter'));
  a.restoreWhoLeft = await outcome(() => restoreMember(q, 'plan-one', 'person-u3', olga, Date.now()));
  a.lastCoordinator = await outcome(() => removeMember(q, 'plan-two', 'person-u1', olga));

  tick();
  a.organisations = await planOrganisations(q, 'plan-one');
  a.addedNew = await addPlanOrganisation(q, 'plan-one', olga, { name: 'Belarusian Helsinki Committee', side: 'civil_society' });
  a.addedExisting = await addPlanOrganisation(q, 'plan-one', olga, { name: 'AMNESTY international', side: 'civil_society' });
  a.addedAgain = await addPlanOrganisation(q, 'plan-one', olga, { name: 'Amnesty International', side: 'civil_society' });
  a.notInPlan = await outcome(() => requirePlanOrganisations(q, 'plan-one', { leadId: ['organisation-o1', null, 'organisation-o9'] }));

  tick();
  a.verifyByDrafter = await outcome(() => verifyOrganisation(q, 'plan-one', ales, 'organisation-o3'));
  a.verifyOwn = await outcome(() => verifyOrganisation(q, 'plan-one', olga, 'organisation-o1'));
  a.verifyUnknown = await outcome(() => verifyOrganisation(q, 'plan-one', olga, 'organisation-o9'));
  a.verifyTwice = await outcome(() => verifyOrganisation(q, 'plan-one', olga, 'organisation-o2'));
  tick();
  a.unverified = await unverifyOrganisation(q, 'plan-one', olga, 'organisation-o2', 'Not who they said');
  a.unverifyTwice = await outcome(() => unverifyOrganisation(q, 'plan-one', olga, 'organisation-o2', 'Again'));
  a.verifiedMap = [...(await verifiedOrganisations(q, 'plan-one')).entries()];

  // An invitation naming no organisation: the newcomer names a new one; the coordinators who may
  // verify it are told, and telling them is settled once one verifies it.
  tick();
  const open = await createInvite(q, 'plan-one', 'commenter', 'person-u1', links, null, 'For the NGO coalition');
  // A second later: invites made in the same second are in id order, and ids are random.
  tick();
  const forAmnesty = await createInvite(q, 'plan-one', 'drafter', 'person-u1', links, 'organisation-o3');
  a.inviteOutsidePlan = await outcome(() => createInvite(q, 'plan-one', 'drafter', 'person-u1', links, 'organisation-o9'));
  a.invites = await listPendingInvites(q, 'plan-one', links, 'person-u5');
  a.info = await inviteInfo(q, tokenOf(open.url));
  tick();
  a.noOrganisationNamed = await outcome(() => acceptInvite(q, tokenOf(open.url), { account: { name: 'Pavel', email: 'pavel@example.org', passwordHash: 'p' } }));
  a.accepted = await acceptInvite(q, tokenOf(open.url), {
    account: { name: 'Pavel', email: 'pavel@example.org', passwordHash: 'p', organisation: { name: 'Human Constanta', side: 'civil_society' } },
  });
  a.usedTwice = await outcome(() => inviteInfo(q, tokenOf(open.url)));
  a.otherOrganisation = await outcome(() => acceptInvite(q, tokenOf(forAmnesty.url), { userId: 'person-u2' }));
  a.signedOut = await outcome(() => acceptInvite(q, tokenOf(forAmnesty.url), { userId: undefined }));
  a.joinedAsMember = await acceptInvite(q, tokenOf(forAmnesty.url), { userId: 'person-u9' });
  tick();
  const constanta = (await planOrganisations(q, 'plan-one')).find((o) => o.name === 'Human Constanta')!;
  await verifyOrganisation(q, 'plan-one', olga, constanta.id);
  const revoked = await createInvite(q, 'plan-one', 'observer', 'person-u5', links, null, 'Revoke me');
  a.revoked = await revokeInvite(q, 'plan-one', revoked.id, 'person-u1');
  a.revokedTwice = await outcome(() => revokeInvite(q, 'plan-one', revoked.id, 'person-u1'));

  // Reset links: not across sides; the person is told when one is made and when it is used.
  tick();
  a.resetOtherSide = await outcome(() => createPasswordReset(q, 'plan-one', 'person-u2', 'person-u1', 'https://accord.example'));
  a.resetOutsider = await outcome(() => createPasswordReset(q, 'plan-two', 'person-u4', 'person-u1', 'https://accord.example'));
  const first = await createPasswordReset(q, 'plan-one', 'person-u4', 'person-u1', 'https://accord.example');
  tick();
  const reset = await createPasswordReset(q, 'plan-one', 'person-u4', 'person-u1', 'https://accord.example');
  a.reset = { ...reset, url: undefined };
  a.replaced = await outcome(() => passwordResetInfo(q, tokenOf(first.url)));
  a.resetInfo = await passwordResetInfo(q, tokenOf(reset.url));
  tick();
  a.used = await usePasswordReset(q, tokenOf(reset.url), 'ivan-new-hash');
  a.usedAgain = await outcome(() => usePasswordReset(q, tokenOf(reset.url), 'x'));
  a.ivanBrowser = await trustedDevice(q, clock, 'device-ivan', 'person-u4');

  // The coordinator's own sessions and browsers.
  tick();
  a.sessions = await listSessions(q, 'person-u1', h('olga-laptop'));
  a.browsers = await listTrustedBrowsers(q, 'person-u1', h('olga-laptop'));
  a.endOthersSession = await outcome(() => endSession(q, 'person-u4', 'session-s2'));
  a.ended = await endSession(q, 'person-u1', 'session-s2');
  a.endedTwice = await outcome(() => endSession(q, 'person-u1', 'session-s2'));
  tick();
  a.endedOthers = await endOtherSessions(q, 'person-u1', h('olga-laptop'));
  a.endedNone = await endOtherSessions(q, 'person-u1', h('olga-laptop'));
  tick();
  a.forgetOthers = await outcome(() => forgetTrustedBrowser(q, 'person-u4', 'browser-b2'));
  await forgetTrustedBrowser(q, 'person-u1', 'browser-b2');
  a.trusted = [await trustedDevice(q, clock, 'device-laptop', 'person-u1'), await trustedDevice(q, clock, 'device-phone', 'person-u1'), await trustedDevice(q, clock, undefined, 'person-u1')];
  tick();
  a.kept = await rememberDevice(q, clock, 'person-u1', 'device-laptop', 'Mozilla/5.0 (X11; Linux x86_64) Firefox/129.0');
  const fresh = await rememberDevice(q, clock, 'person-u1', 'device-unknown', null);
  a.freshTrusted = (await trustedDevice(q, clock, fresh, 'person-u1')) === hashToken(fresh);
  tick();
  a.passwordChanged = await changePassword(q, 'person-u1', 'new-hash', h('olga-laptop'));
  await forgetDevices(q, 'person-u9');
  a.browsersAfter = await listTrustedBrowsers(q, 'person-u1', null);
  a.membersAfter = await listMembers(q, 'plan-one', { userId: 'person-u1', role: 'coordinator' });
  return a;
}

const OrganisationTable = rowShape({ name: col.text, side: col.text, color: col.text, created_at: col.text });
const UserTable = rowShape({ email: col.text, name: col.text, password_hash: col.text, organisation: col.text, language: col.nullableText, browser_language: col.nullableText, created_at: col.text });
const MemberTable = rowShape({ plan_id: col.text, email: col.text, role: col.text, joined_at: col.text });
const InviteTable = rowShape({ note: col.text, role: col.text, created_by: col.text, created_at: col.text, expires_at: col.text, organisation: col.nullableText, used_by: col.nullableText, used_at: col.nullableText });
const ResetTable = rowShape({ user_id: col.text, plan_id: col.text, created_by: col.text, created_at: col.text, expires_at: col.text, used_at: col.nullableText });
const SessionTable = rowShape({ id: col.text, user_id: col.text, user_agent: col.nullableText, last_used_at: col.nullableText });
const DeviceTable = rowShape({ user_id: col.text, user_agent: col.nullableText, created_at: col.text, last_used_at: col.text });
const VerificationTable = rowShape({ plan_id: col.text, organisation: col.text, side: col.text, verified_by: col.nullableText, verified_at: col.text });
const PlanOrganisationTable = rowShape({ plan_id: col.text, organisation: col.text, added_by: col.text, added_at: col.text });
const NoticeTable = rowShape({ email: col.text, kind: col.text, summary: col.text, text: col.nullableText, link: col.nullableText, created_at: col.text, read_at: col.nullableText });

/** The rows the steps left, in an order that does not depend on random ids. */
async function written(q: Sql) {
  return {
    organisations: await q.rows(OrganisationTable, sql`SELECT name, side, color, created_at FROM organisations ORDER BY name`),
    users: await q.rows(
      UserTable,
      sql`SELECT u.email, u.name, u.password_hash, o.name AS organisation, u.language, u.browser_language, u.created_at
        FROM users u JOIN organisations o ON o.id = u.organisation_id ORDER BY u.email`,
    ),
    members: await q.rows(MemberTable, sql`SELECT m.plan_id, u.email, m.role, m.joined_at FROM plan_members m JOIN users u ON u.id = m.user_id ORDER BY m.plan_id, u.email`),
    invites: await q.rows(
      InviteTable,
      sql`SELECT i.note, i.role, i.created_by, i.created_at, i.expires_at, o.name AS organisation, i.used_by, i.used_at
        FROM invites i LEFT JOIN organisations o ON o.id = i.organisation_id ORDER BY i.created_at, i.note, i.role`,
    ),
    resets: await q.rows(ResetTable, sql`SELECT user_id, plan_id, created_by, created_at, expires_at, used_at FROM password_resets ORDER BY created_at`),
    sessions: await q.rows(SessionTable, sql`SELECT id, user_id, user_agent, last_used_at FROM sessions ORDER BY id`),
    devices: await q.rows(DeviceTable, sql`SELECT user_id, user_agent, created_at, last_used_at FROM trusted_devices ORDER BY user_id, created_at, last_used_at`),
    verifications: await q.rows(
      VerificationTable,
      sql`SELECT v.plan_id, o.name AS organisation, v.side, v.verified_by, v.verified_at FROM organisation_verifications v
        JOIN organisations o ON o.id = v.organisation_id ORDER BY v.plan_id, o.name`,
    ),
    planOrganisations: await q.rows(
      PlanOrganisationTable,
      sql`SELECT p.plan_id, o.name AS organisation, p.added_by, p.added_at FROM plan_organisations p JOIN organisations o ON o.id = p.organisation_id ORDER BY o.name`,
    ),
    notices: await q.rows(
      NoticeTable,
      sql`SELECT u.email, n.kind, n.summary, n.text, n.link, n.created_at, n.read_at FROM notifications n JOIN users u ON u.id = n.user_id
        ORDER BY n.created_at, u.email, n.kind`,
    ),
    audit: await auditLog(q),
  };
}

let answers: { sqlite: Awaited<ReturnType<typeof scenario>>; postgres: Awaited<ReturnType<typeof scenario>> };
let rows: { sqlite: Awaited<ReturnType<typeof written>>; postgres: Awaited<ReturnType<typeof written>> };

/** Tokens and their hashes (43 characters) are random too. */
const TOKENS = { tokens: true };
fakeDateForTheFile();

describe('accounts, members, invitations, resets and verification on SQLite and PostgreSQL', () => {
  it('answer the same steps alike on both engines', async () => {
    answers = { sqlite: await scenario(both.sqlite), postgres: await scenario(both.postgres) };
    expect(namedIds(answers.postgres, TOKENS)).toEqual(namedIds(answers.sqlite, TOKENS));
  });

  it('write the same people, memberships, links, sessions, verifications, notices and audit entries', async () => {
    rows = { sqlite: await written(both.sqlite), postgres: await written(both.postgres) };
    expect(rows.postgres.audit.map((e) => e.action)).toEqual(rows.sqlite.audit.map((e) => e.action));
    expect(namedIds(rows.postgres, TOKENS)).toEqual(namedIds(rows.sqlite, TOKENS));
  });

  it('answer what the rules say', () => {
    const a = answers.postgres;
    expect([a.users, a.usersAfter]).toEqual([6, 7]);
    expect(a.sameNameOtherCase).toEqual({ refused: 409, code: 'organisation_exists' });
    expect(a.emailTaken).toEqual({ refused: 409, code: 'email_taken' });
    expect(a.languageBefore).toBeNull();
    expect(a.me).toMatchObject({ user: { name: 'Nina', language: 'ru' }, organisation: { name: 'Lawtrend', side: 'civil_society' } });
    expect(a.ownCoordinator).toEqual([true, false]);
    // Coordinators first, then by name ignoring case; only coordinators see every address.
    expect((a.membersAsCoordinator as Array<{ name: string; email: string | null }>).map((m) => [m.name, m.email])).toEqual([
      ['Coordinator', 'coordinator@example.org'],
      ['Second coordinator', 'second@example.org'],
      ['Алесь', 'ales@example.org'],
      ['Mary', 'mary@example.org'],
      ['ivan', 'ivan@example.org'],
    ]);
    expect(a.membersAsDrafter).toEqual([
      ['Coordinator', null, true],
      ['Second coordinator', null, true],
      ['Алесь', 'ales@example.org', true],
      ['Mary', null, false],
      ['ivan', null, true],
    ]);
    expect(a.addTwice).toEqual({ refused: 409, code: 'already_member' });
    expect([a.promoted, a.sameRole]).toEqual([true, false]);
    expect(a.notMember).toEqual({ refused: 404, code: 'not_found' });
    expect(a.unverifiedActor).toEqual({ refused: 403, code: 'actor_unverified' });
    expect(a.removedTwice).toEqual({ refused: 404, code: 'not_found' });
    expect(a.restored).toBe('drafter');
    expect(a.restoredTwice).toEqual({ refused: 409, code: 'restore_not_removed' });
    expect(a.restoreWhoLeft).toEqual({ refused: 409, code: 'restore_not_removed' });
    expect(a.lastCoordinator).toEqual({ refused: 409, code: 'last_coordinator' });
    expect((a.addedNew as { added: boolean }).added).toBe(true);
    expect(a.addedExisting).toMatchObject({ added: true, organisation: { name: 'Amnesty International', verified: false } });
    expect((a.addedAgain as { added: boolean }).added).toBe(false);
    expect(a.notInPlan).toEqual({ refused: 400, code: 'invalid_request' });
    expect(a.verifyByDrafter).toEqual({ refused: 403, code: 'coordinator_only' });
    expect(a.verifyOwn).toEqual({ refused: 409, code: 'already_verified' });
    expect(a.verifyUnknown).toEqual({ refused: 404, code: 'not_found' });
    expect(a.verifyTwice).toEqual({ refused: 409, code: 'already_verified' });
    expect(a.unverifyTwice).toEqual({ refused: 409, code: 'not_verified' });
    expect(a.verifiedMap).toEqual([['organisation-o1', 'government']]);
    expect(a.inviteOutsidePlan).toEqual({ refused: 400, code: 'invalid_request' });
    // Newest first.
    expect((a.invites as Array<{ note: string; url: string | null }>).map((i) => [i.note, i.url !== null])).toEqual([
      ['', true],
      ['For the NGO coalition', true],
    ]);
    expect(a.info).toMatchObject({ planTitle: 'National Human Rights Plan', invitedBy: 'Coordinator', invitedByOrganisation: 'Ministry of Justice', role: 'commenter' });
    expect(a.noOrganisationNamed).toEqual({ refused: 400, code: 'invalid_request' });
    // With Вясна no longer verified, civil society has no coordinator of its own: both of the
    // ministry's coordinators may verify the new organisation, and both are told.
    expect(a.accepted).toMatchObject({ role: 'commenter', created: true, noticesSent: 2 });
    expect(a.usedTwice).toEqual({ refused: 404, code: 'invite_invalid' });
    expect(a.otherOrganisation).toEqual({ refused: 409, code: 'invite_other_organisation' });
    expect(a.signedOut).toEqual({ refused: 401, code: 'unauthenticated' });
    expect(a.joinedAsMember).toMatchObject({ userId: 'person-u9', role: 'drafter', created: false, noticesSent: 0 });
    expect(a.revoked).toEqual({ note: 'Revoke me', role: 'observer' });
    expect(a.revokedTwice).toEqual({ refused: 404, code: 'invite_invalid' });
    expect(a.resetOtherSide).toEqual({ refused: 403, code: 'reset_other_side' });
    expect(a.resetOutsider).toEqual({ refused: 404, code: 'not_found' });
    expect(a.replaced).toEqual({ refused: 404, code: 'reset_invalid' });
    expect(a.resetInfo).toMatchObject({ name: 'ivan', email: 'ivan@example.org', planTitle: 'National Human Rights Plan' });
    expect(a.used).toEqual({ userId: 'person-u4', planId: 'plan-one', createdBy: 'person-u1', endedSessions: [h('ivan-1'), h('ivan-2')].sort() });
    expect(a.usedAgain).toEqual({ refused: 404, code: 'reset_invalid' });
    expect(a.ivanBrowser).toBeNull();
    expect((a.sessions as Array<{ id: string; current: boolean }>).map((s) => [s.id, s.current])).toEqual([
      ['session-s2', false],
      ['session-s1', true],
      ['session-s3', false],
    ]);
    expect((a.browsers as Array<{ id: string; current: boolean }>).map((b) => [b.id, b.current])).toEqual([
      ['browser-b1', true],
      ['browser-b2', false],
    ]);
    expect(a.endOthersSession).toEqual({ refused: 404, code: 'not_found' });
    expect(a.ended).toBe(h('olga-phone'));
    expect(a.endedTwice).toEqual({ refused: 404, code: 'not_found' });
    expect(a.endedOthers).toEqual([h('olga-old'), h('olga-tablet')].sort());
    expect(a.endedNone).toEqual([]);
    expect(a.forgetOthers).toEqual({ refused: 404, code: 'not_found' });
    expect(a.trusted).toEqual([h('device-laptop'), null, null]);
    expect(a.kept).toBe('device-laptop');
    expect(a.freshTrusted).toBe(true);
    expect(a.passwordChanged).toEqual([]);
  });

  it('leave on the record what the rules say', () => {
    const r = rows.postgres;
    expect(r.audit.map((e) => `${e.plan_id} ${e.action}`)).toEqual([
      'plan-one member.role_changed',
      'plan-one member.removed',
      'plan-one member.restored',
      'plan-one member.removed',
      'plan-one organisation.created',
      'plan-one organisation.added',
      'plan-one organisation.unverified',
      'plan-one organisation.created',
      'plan-one member.joined',
      'plan-one member.joined',
      'plan-one organisation.verified',
      // Account security: once in every plan the person is in, plans in id order.
      'plan-one account.session_ended',
      'plan-two account.session_ended',
      'plan-one account.other_sessions_ended',
      'plan-two account.other_sessions_ended',
      'plan-one account.trusted_browser_forgotten',
      'plan-two account.trusted_browser_forgotten',
      'plan-one account.password_changed',
      'plan-two account.password_changed',
    ]);
    expect(r.notices.map((n) => `${n.email} ${n.kind}${n.read_at ? ' (read)' : ''}`)).toEqual([
      'mary@example.org role_changed',
      'mary@example.org removed_from_plan',
      'mary@example.org restored_to_plan',
      'ales@example.org organisation_unverified',
      // Settled for both once one of them verified it.
      'coordinator@example.org organisation_to_verify (read)',
      'second@example.org organisation_to_verify (read)',
      'pavel@example.org organisation_verified',
      'ivan@example.org password_reset_made',
      'ivan@example.org password_reset_made',
      'ivan@example.org password_reset_used',
    ]);
    expect(r.users.find((u) => u.email === 'ivan@example.org')?.password_hash).toBe('ivan-new-hash');
    expect(r.users.find((u) => u.email === 'coordinator@example.org')?.password_hash).toBe('new-hash');
    expect(r.users.find((u) => u.email === 'nina@example.org')).toMatchObject({ language: 'ru', browser_language: 'be' });
    expect(r.sessions.map((s) => s.id)).toEqual(['session-s1']);
    expect(r.devices.filter((d) => d.user_id === 'person-u4')).toEqual([]);
    expect(r.resets.map((x) => x.used_at !== null)).toEqual([true]);
  });

  it('find an organisation by its name as written, Cyrillic capitals and all, and fold only Latin letters on both', async () => {
    // Stored names are compared byte by byte (COLLATE "C" on PostgreSQL, as SQLite): lower() folds
    // Latin letters alone there, so the name looked for must be lowered the same way.
    const found = await both.onBoth(async (q) => [
      await organisationNamed(q, 'Вясна'),
      await organisationNamed(q, 'AMNESTY international'),
      await organisationNamed(q, 'ВЯСНА'),
    ]);
    expect(found).toEqual(['organisation-o2', 'organisation-o3', undefined]);
  });
});
