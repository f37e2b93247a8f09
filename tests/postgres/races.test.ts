import { sql } from 'kysely';
import type pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Principal } from '../../server/auth/sessions.ts';
import { migratePostgres } from '../../server/db/postgres/migrate.ts';
import { HttpError } from '../../server/errors.ts';
import { createOrganisation } from '../../server/services/accounts.ts';
import { linkRecommendation, linkRecommendationGroup, updateAction } from '../../server/services/actions.ts';
import { deleteRecommendation } from '../../server/services/recommendations.ts';
import { sectionAgreement } from '../../server/services/agreement.ts';
import { createStoredDocument } from '../../server/storage/createDocument.ts';
import type { DocumentAccess } from '../../server/sync/DocumentAccess.ts';
import { sectionDocName } from '../../shared/doc/schema.ts';
import { updateSection } from '../../server/services/plans.ts';
import { proposeGroups } from '../../server/services/recommendationGroups/store.ts';
import { binSection } from '../../server/services/bin.ts';
import { lockRowsForChange } from '../../server/db/sql/locks.ts';
import { changeMemberRole } from '../../server/services/members.ts';
import { checkReportsDue } from '../../server/services/monitoring/notices.ts';
import { actingAs, beforeAllOrFail, freshSchema, heldOpen, lockedOrSettled, serverOf, type TestSchema } from '../helpers/postgres.ts';

/**
 * Rules that hold on SQLite because its write transactions run one at a time, played on PostgreSQL
 * by two transactions at once, each on a connection of its own (as two servers would). The first
 * is held open at the moment that matters, the second is let run into it, then the first commits:
 * the second must then see what the first did, not the state both started from.
 */

const AT = '2026-05-04T10:00:00.000Z';
const ROWS = `
  INSERT INTO organisations (id, name, side, color, created_at) VALUES ('organisation-o1', 'Ministry of Justice', 'government', '#123456', '${AT}');
  INSERT INTO users (id, email, name, password_hash, organisation_id, created_at) VALUES
    ('person-u1', 'olga@example.org', 'Olga', 'x', 'organisation-o1', '${AT}'), ('person-u2', 'pavel@example.org', 'Pavel', 'x', 'organisation-o1', '${AT}');
  INSERT INTO plans (id, title, country, period_start, period_end, created_by, created_at, stage)
    VALUES ('plan-one', 'National Human Rights Plan', 'BY', 2026, 2030, 'person-u1', '${AT}', 'in_implementation');
  INSERT INTO plan_members (plan_id, user_id, role, joined_at) VALUES ('plan-one', 'person-u1', 'coordinator', '${AT}'), ('plan-one', 'person-u2', 'coordinator', '${AT}');
  INSERT INTO chapters (id, plan_id, title, position) VALUES ('chapter-c1', 'plan-one', 'Justice', 0);
  INSERT INTO sections (id, plan_id, chapter_id, title, position) VALUES ('section-s1', 'plan-one', 'chapter-c1', 'Fair trial', 0), ('section-s2', 'plan-one', 'chapter-c1', 'Detention', 1);
  INSERT INTO actions (id, plan_id, section_id, position, title, status, lead_agency_id, created_by, created_at, updated_at) VALUES
    ('action-a1', 'plan-one', 'section-s1', 0, 'Open court hearings', 'planned', 'organisation-o1', 'person-u1', '${AT}', '${AT}'),
    ('action-a2', 'plan-one', 'section-s2', 0, 'Independent inspections', 'planned', 'organisation-o1', 'person-u1', '${AT}', '${AT}');
  INSERT INTO reporting_rounds (id, plan_id, name, due_date, state, created_by, created_at)
    VALUES ('round-r1', 'plan-one', 'First year', '2026-05-10', 'open', 'person-u1', '${AT}');
  INSERT INTO recommendations (id, plan_id, source_key, reference, sort_key, mechanism, state_under_review, text, language,
      position, themes, sdg_targets, created_at, updated_at) VALUES
    ('recommendation-r1', 'plan-one', 'upr:1', '1', '1', 'UPR', 'Belarus', 'Abolish the death penalty', 'en', 'supported', '[]', '[]', '${AT}', '${AT}'),
    ('recommendation-r2', 'plan-one', 'upr:2', '2', '2', 'UPR', 'Belarus', 'Ensure fair trials', 'en', 'supported', '[]', '[]', '${AT}', '${AT}'),
    ('recommendation-r3', 'plan-one', 'upr:3', '3', '3', 'UPR', 'Belarus', 'Guarantee fair trials', 'en', 'supported', '[]', '[]', '${AT}', '${AT}'),
    ('recommendation-r4', 'plan-one', 'upr:4', '4', '4', 'UPR', 'Belarus', 'Secure fair trials', 'en', 'supported', '[]', '[]', '${AT}', '${AT}');
  INSERT INTO recommendation_groups (id, plan_id, status, score, proposed_by, proposed_at, confirmed_by, confirmed_at)
    VALUES ('group-g1', 'plan-one', 'confirmed', 0.9, 'person-u1', '${AT}', 'person-u1', '${AT}');
  INSERT INTO recommendation_group_members (group_id, recommendation_id)
    VALUES ('group-g1', 'recommendation-r2'), ('group-g1', 'recommendation-r3'), ('group-g1', 'recommendation-r4');
`;

const person = (userId: string, name: string): Principal => ({
  userId,
  name,
  email: `${userId}@example.org`,
  language: null,
  organisationId: 'organisation-o1',
  organisationName: 'Ministry of Justice',
  side: 'government',
  color: '#000000',
});
const as = actingAs;
const olga = as(person('person-u1', 'Olga'), 'coordinator');
const pavel = as(person('person-u2', 'Pavel'), 'coordinator');

let schema: TestSchema | undefined;
let admin: pg.Pool;

beforeAllOrFail(async () => {
  schema = await freshSchema();
  admin = schema.pool({ max: 1 });
  await migratePostgres(admin);
  await admin.query(ROWS);
});
afterAll(async () => {
  await schema?.drop();
});

const server = () => serverOf(schema!);
const blockedOrSettled = (pid: number, settled: Promise<unknown>) => lockedOrSettled(admin, pid, settled);

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => 'done',
    (err: unknown) => (err instanceof HttpError ? err.code : String(err)),
  );
/** A refusal with what it names: `not_found recommendation` rather than `not_found`. */
const refusalNaming = (promise: Promise<unknown>) =>
  promise.then(
    () => 'done',
    (err: unknown) => (err instanceof HttpError ? [err.code, ...Object.values(err.params ?? {})].join(' ') : String(err)),
  );

describe('two servers acting at the same moment on PostgreSQL', () => {
  it('two people naming the same new organisation at once: the later is told it exists, not a 500', async () => {
    const [a, b] = [await server(), await server()];
    const first = heldOpen(a.sql, (tx) => createOrganisation(tx, { name: 'Правовая инициатива', side: 'civil_society' }));
    await first.ready;
    const second = refusal(createOrganisation(b.sql, { name: 'Правовая инициатива', side: 'civil_society' }));
    await blockedOrSettled(b.pid, second);
    first.commit();
    await first.done;
    expect(await second).toBe('organisation_exists');
    const { rows } = await admin.query(`SELECT name FROM organisations WHERE name = 'Правовая инициатива'`);
    expect(rows).toEqual([{ name: 'Правовая инициатива' }]);
  });

  it('two coordinators stepping down at once: the plan keeps one', async () => {
    const [a, b] = [await server(), await server()];
    const first = heldOpen(a.sql, (tx) => changeMemberRole(tx, 'plan-one', 'person-u1', 'drafter', olga));
    await first.ready;
    const second = refusal(changeMemberRole(b.sql, 'plan-one', 'person-u2', 'drafter', pavel));
    await blockedOrSettled(b.pid, second);
    first.commit();
    expect(await first.done).toBe(true);
    expect(await second).toBe('last_coordinator');
    const { rows } = await admin.query(`SELECT user_id FROM plan_members WHERE plan_id = 'plan-one' AND role = 'coordinator'`);
    expect(rows).toEqual([{ user_id: 'person-u2' }]);
    await admin.query(`UPDATE plan_members SET role = 'coordinator' WHERE plan_id = 'plan-one'`);
  });

  it('two actions moved the opposite ways between two sections at once: both moves land', async () => {
    const [a, b, blocker] = [await server(), await server(), await server()];
    // Both moves are held at their action's row until both have begun, so each has taken what it
    // takes before it: without one order of sections, each would hold the section the other needs.
    const hold = heldOpen(blocker.sql, (tx) => tx.run(sql`SELECT id FROM actions WHERE id IN ('action-a1', 'action-a2') FOR UPDATE`));
    await hold.ready;
    const toS2 = refusal(updateAction(a.sql, 'plan-one', 'action-a1', olga, { sectionId: 'section-s2' }));
    const toS1 = refusal(updateAction(b.sql, 'plan-one', 'action-a2', olga, { sectionId: 'section-s1' }));
    await blockedOrSettled(a.pid, toS2);
    await blockedOrSettled(b.pid, toS1);
    hold.commit();
    await hold.done;
    expect([await toS2, await toS1]).toEqual(['done', 'done']);
    const { rows } = await admin.query(`SELECT id, section_id, position FROM actions ORDER BY id`);
    expect(rows.map((r: { id: string; section_id: string }) => [r.id, r.section_id])).toEqual([
      ['action-a1', 'section-s2'],
      ['action-a2', 'section-s1'],
    ]);
  });

  it('a section binned while an action moves between two others of its chapter: both land', async () => {
    await admin.query(`
      INSERT INTO plans (id, title, country, period_start, period_end, created_by, created_at)
        VALUES ('plan-two', 'Second plan', 'BY', 2026, 2030, 'person-u1', '${AT}');
      INSERT INTO chapters (id, plan_id, title, position) VALUES ('chapter-c2', 'plan-two', 'Education', 0);
      INSERT INTO sections (id, plan_id, chapter_id, title, position) VALUES ('section-s6', 'plan-two', 'chapter-c2', 'Schools', 0),
        ('section-s5', 'plan-two', 'chapter-c2', 'Universities', 1), ('section-s7', 'plan-two', 'chapter-c2', 'Adult learning', 2);
      INSERT INTO actions (id, plan_id, section_id, position, title, status, created_by, created_at, updated_at)
        VALUES ('action-a5', 'plan-two', 'section-s5', 0, 'Human rights courses', 'planned', 'person-u1', '${AT}', '${AT}');`);
    const [a, b, blocker] = [await server(), await server(), await server()];
    // The bin renumbers section-s6 (place 0) before section-s5 (place 1); the move locks them in id
    // order, s5 first. Held at s6, the bin queues first: in place order it would then hold s6 and
    // wait for the s5 the move holds, while the move waits for s6.
    const hold = heldOpen(blocker.sql, (tx) => lockRowsForChange(tx, 'sections', ['section-s6']));
    await hold.ready;
    const binned = refusal(binSection(a.sql, 'plan-two', 'section-s7', olga));
    await blockedOrSettled(a.pid, binned);
    const moved = refusal(updateAction(b.sql, 'plan-two', 'action-a5', olga, { sectionId: 'section-s6' }));
    await blockedOrSettled(b.pid, moved);
    hold.commit();
    await hold.done;
    expect([await binned, await moved]).toEqual(['done', 'done']);
    const { rows } = await admin.query(`SELECT id, position, deleted_at IS NOT NULL AS binned FROM sections WHERE chapter_id = 'chapter-c2' ORDER BY id`);
    expect(rows).toEqual([
      { id: 'section-s5', position: 1, binned: false },
      { id: 'section-s6', position: 0, binned: false },
      { id: 'section-s7', position: 2, binned: true },
    ]);
    expect((await admin.query(`SELECT section_id FROM actions WHERE id = 'action-a5'`)).rows).toEqual([{ section_id: 'section-s6' }]);
  });

  it('two servers checking for reports due at once send each reminder once', async () => {
    const [a, b] = [await server(), await server()];
    const first = heldOpen(a.sql, (tx) => checkReportsDue(tx, '2026-05-04'));
    await first.ready;
    const second = checkReportsDue(b.sql, '2026-05-04');
    await blockedOrSettled(b.pid, second);
    first.commit();
    expect([...(await first.done).entries()]).toEqual([['plan-one', 4]]);
    expect([...(await second).entries()]).toEqual([]);
    const { rows } = await admin.query(`SELECT user_id, link, count(*)::int AS n FROM notifications GROUP BY user_id, link HAVING count(*) > 1`);
    expect(rows).toEqual([]);
  });

  it('an action linked to a recommendation as it is deleted: told it is not found, as on SQLite, and nothing written', async () => {
    const [a, b] = [await server(), await server()];
    const deletion = heldOpen(a.sql, (tx) => deleteRecommendation(tx, 'plan-one', 'recommendation-r1', olga));
    await deletion.ready;
    const link = refusalNaming(linkRecommendation(b.sql, 'plan-one', 'action-a1', pavel, 'recommendation-r1'));
    await blockedOrSettled(b.pid, link);
    deletion.commit();
    await deletion.done;
    // SQLite, where the deletion's transaction came first, answers the link with this 404.
    expect(await link).toBe('not_found recommendation');
    expect((await admin.query(`SELECT action_id FROM action_recommendations WHERE recommendation_id = 'recommendation-r1'`)).rows).toEqual([]);
    const { rows } = await admin.query(`SELECT action FROM audit_log WHERE action LIKE 'link.%' AND details LIKE '%recommendation-r1%'`);
    expect(rows).toEqual([]);
    expect((await admin.query(`SELECT action FROM audit_log WHERE target_id = 'recommendation-r1'`)).rows).toEqual([{ action: 'recommendation.deleted' }]);
  });

  it('an action linked to a group as one of its members is deleted: linked to the members left', async () => {
    const [a, b] = [await server(), await server()];
    const deletion = heldOpen(a.sql, (tx) => deleteRecommendation(tx, 'plan-one', 'recommendation-r3', olga));
    await deletion.ready;
    const link = refusalNaming(linkRecommendationGroup(b.sql, 'plan-one', 'action-a2', pavel, 'group-g1'));
    await blockedOrSettled(b.pid, link);
    deletion.commit();
    await deletion.done;
    expect(await link).toBe('done');
    const { rows } = await admin.query(`SELECT recommendation_id FROM action_recommendations WHERE action_id = 'action-a2' ORDER BY recommendation_id`);
    expect(rows).toEqual([{ recommendation_id: 'recommendation-r2' }, { recommendation_id: 'recommendation-r4' }]);
  });

  it('two servers asked for groups of one plan at once: one proposal, and both told what it found', async () => {
    await admin.query(`
      INSERT INTO recommendations (id, plan_id, source_key, reference, sort_key, mechanism, state_under_review, text, language,
          position, themes, sdg_targets, recommending_states, created_at, updated_at) VALUES
        ('recommendation-m1', 'plan-one', 'upr:m1', '5', '5', 'UPR', 'Belarus', 'Declare a moratorium on executions with a view to abolishing the death penalty (Brazil)',
          'en', 'supported', '[]', '[]', '["Brazil"]', '${AT}', '${AT}'),
        ('recommendation-m2', 'plan-one', 'upr:m2', '6', '6', 'UPR', 'Belarus', 'Establish a moratorium on executions with a view to abolishing the death penalty',
          'en', 'supported', '[]', '[]', '["Netherlands"]', '${AT}', '${AT}'),
        ('recommendation-m3', 'plan-one', 'upr:m3', '7', '7', 'UPR', 'Belarus', 'Ratify the Convention on the Rights of Persons with Disabilities',
          'en', 'supported', '[]', '[]', '["Brazil"]', '${AT}', '${AT}');`);
    const [a, b] = [await server(), await server()];
    // The second reads the texts and compares them while the first's proposals are written but not
    // yet committed: as within one server, it is the same request made twice, not a second proposal.
    const first = heldOpen(a.sql, (tx) => proposeGroups(tx, 'plan-one', olga));
    await first.ready;
    const second = proposeGroups(b.sql, 'plan-one', pavel);
    await blockedOrSettled(b.pid, second);
    first.commit();
    const found = await first.done;
    expect(found).toEqual({ proposed: 1, compared: 3 });
    expect(await second).toEqual(found);
    const { rows } = await admin.query(`SELECT g.proposed_by, m.recommendation_id FROM recommendation_groups g JOIN recommendation_group_members m ON m.group_id = g.id
      WHERE g.plan_id = 'plan-one' AND g.status = 'proposed' ORDER BY m.recommendation_id`);
    expect(rows).toEqual([
      { proposed_by: 'person-u1', recommendation_id: 'recommendation-m1' },
      { proposed_by: 'person-u1', recommendation_id: 'recommendation-m2' },
    ]);
    expect((await admin.query(`SELECT actor_id FROM audit_log WHERE action = 'recommendation_group.proposed'`)).rows).toEqual([{ actor_id: 'person-u1' }]);
  });

  it('a section moved in the outline while an action moves between two others of its chapter: both land', async () => {
    await admin.query(`
      INSERT INTO plans (id, title, country, period_start, period_end, created_by, created_at)
        VALUES ('plan-three', 'Third plan', 'BY', 2026, 2030, 'person-u1', '${AT}');
      INSERT INTO plan_members (plan_id, user_id, role, joined_at) VALUES ('plan-three', 'person-u1', 'coordinator', '${AT}');
      INSERT INTO chapters (id, plan_id, title, position) VALUES ('chapter-c3', 'plan-three', 'Health', 0);
      INSERT INTO sections (id, plan_id, chapter_id, title, position) VALUES ('section-sb', 'plan-three', 'chapter-c3', 'Hospitals', 0),
        ('section-sa', 'plan-three', 'chapter-c3', 'Clinics', 1), ('section-sc', 'plan-three', 'chapter-c3', 'Pharmacies', 2);
      INSERT INTO actions (id, plan_id, section_id, position, title, status, created_by, created_at, updated_at)
        VALUES ('action-a9', 'plan-three', 'section-sa', 0, 'Free clinics', 'planned', 'person-u1', '${AT}', '${AT}');`);
    const [a, b, blocker] = [await server(), await server(), await server()];
    // Moving section-sc first renumbers sc, sb, sa in their new places; the action's move locks sa,
    // then sb (id order). Held at sb, the outline change queues first: in place order it would then
    // hold sb and wait for the sa the action's move holds, while the move waits for sb.
    const hold = heldOpen(blocker.sql, (tx) => lockRowsForChange(tx, 'sections', ['section-sb']));
    await hold.ready;
    const outline = refusal(updateSection(a.sql, 'plan-three', 'section-sc', { position: 0 }, olga));
    await blockedOrSettled(a.pid, outline);
    const moved = refusal(updateAction(b.sql, 'plan-three', 'action-a9', olga, { sectionId: 'section-sb' }));
    await blockedOrSettled(b.pid, moved);
    hold.commit();
    await hold.done;
    expect([await outline, await moved]).toEqual(['done', 'done']);
    const { rows } = await admin.query(`SELECT id, position FROM sections WHERE chapter_id = 'chapter-c3' ORDER BY position`);
    expect(rows).toEqual([
      { id: 'section-sc', position: 0 },
      { id: 'section-sb', position: 1 },
      { id: 'section-sa', position: 2 },
    ]);
    expect((await admin.query(`SELECT section_id FROM actions WHERE id = 'action-a9'`)).rows).toEqual([{ section_id: 'section-sb' }]);
  });

  it("reading a section's agreement while a sign-off holds the section: the read does not wait for it", async () => {
    const [a, b] = [await server(), await server()];
    await createStoredDocument(a.sql, sectionDocName('section-s1'), (doc) => doc.getText('body').insert(0, 'Hearings are public.'));
    // The sync server's copy, as the services read it (on PostgreSQL the stored log is what counts).
    const texts: DocumentAccess = {
      readDocument: async () => new Y.Doc(),
      readLiveDocument: async () => new Y.Doc(),
      storeQueued: async () => {},
      openStoredStates: async () => new Map(),
      editDocument: () => {
        throw new Error('nothing is edited here');
      },
    };
    // What a sign-off holds until it commits: the plan's row, then the section's.
    const signing = heldOpen(a.sql, async (tx) => {
      await lockRowsForChange(tx, 'plans', ['plan-one']);
      await lockRowsForChange(tx, 'sections', ['section-s1']);
    });
    await signing.ready;
    const read = sectionAgreement({ sql: b.sql, sync: texts }, 'plan-one', 'section-s1');
    let answered = false;
    void read.then(
      () => (answered = true),
      () => (answered = true),
    );
    await blockedOrSettled(b.pid, read);
    const answeredWhileHeld = answered;
    signing.commit();
    await signing.done;
    expect(answeredWhileHeld).toBe(true);
    expect(await read).toMatchObject({ sectionId: 'section-s1', status: 'drafting', signoffs: [] });
  });
});

