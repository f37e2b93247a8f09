import Database from 'better-sqlite3';
import * as Y from 'yjs';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate, type Db } from '../../server/db/database.ts';
import { migratePostgres } from '../../server/db/postgres/migrate.ts';
import { postgresSql } from '../../server/db/sql/postgresSql.ts';
import { sqliteSql } from '../../server/db/sql/sqliteSql.ts';
import type { Engine, Sql } from '../../server/db/sql/Sql.ts';
import { comparePlan, compareSection, type CompareDeps } from '../../server/services/versionCompare.ts';
import type { DocumentAccess } from '../../server/sync/DocumentAccess.ts';
import { appendBlocks, sectionDocName } from '../../shared/doc/schema.ts';
import type { ActionSnapshot } from '../../shared/api/index.ts';
import { beforeAllOrFail, freshSchema, type TestSchema } from '../helpers/postgres.ts';

/**
 * Comparing versions (a section's, the whole plan's) gives the same answers on SQLite and
 * PostgreSQL, and the right ones: the same plan, sections, people, document clients and versions
 * are written on both, then compared every way the version pages compare. Where the engines could
 * part: a version's snapshot read back as bytes, Yjs client ids (BIGINT), the order of a whole-plan
 * version's sections (no rowid on PostgreSQL), a section since removed.
 */
let schema: TestSchema;
let db: Db;
let engines: Record<Engine, Sql>;

// ---- The section's text, written by three people and by Accord itself -------------------------

/** Adds a paragraph to `doc` as Yjs client `client`, returning the new state. */
function writeAs(state: Uint8Array | null, client: number, text: string): Uint8Array {
  const doc = new Y.Doc();
  if (state) Y.applyUpdate(doc, state);
  // Set after reading the state: Yjs gives a document a new client id when a remote update advances its own.
  doc.clientID = client;
  appendBlocks(doc, [{ type: 'paragraph', text }]);
  const next = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return next;
}

// Clients 101, 202, 303 are Алесь's, Olga's and Ivan's browsers; 909 is nobody's (a restore by Accord).
const FIRST = writeAs(null, 101, 'Everyone has the right to a fair trial.');
const SECOND = writeAs(writeAs(writeAs(FIRST, 202, 'Courts publish their decisions.'), 909, 'Restored by Accord.'), 303, 'Appeals within 30 days.');
const NOW = writeAs(SECOND, 101, 'Hearings are public.');
const PRISONS = writeAs(null, 101, 'Prison visits by monitors.');
const PRISONS_NOW = writeAs(PRISONS, 202, 'Visits are unannounced.');
const COURTS = writeAs(null, 202, 'Judges are independent.');
const GONE = writeAs(null, 202, 'A section removed for good.');

// ---- Actions as versions keep them --------------------------------------------------------------

const action = (id: string, title: string, status: ActionSnapshot['status']): ActionSnapshot => ({
  id,
  title,
  description: '',
  leadAgencyId: 'org-justice1',
  coImplementerIds: [],
  civilSocietyPartnerIds: [],
  start: null,
  end: null,
  status,
  budgetAmount: null,
  currency: null,
  fundingSource: null,
  recommendations: [{ id: 'recommend-1', reference: '139.1' }],
  indicators: [],
  proposedByOrganisationId: null,
  createdBy: 'person-u1',
  createdAt: '2026-04-01T00:00:00.000Z',
});
const actions = (...list: ActionSnapshot[]) => JSON.stringify({ format: 1, actions: list, organisations: { 'org-justice1': 'Ministry of Justice' } });
const NO_ACTIONS = actions();
const INSPECTIONS_PLANNED = actions(action('action-a1', 'Inspections', 'planned'));
const INSPECTIONS_STARTED = actions(action('action-a1', 'Inspections', 'in_progress'), action('action-a2', 'Training for judges', 'planned'));

// ---- The rows, written alike on both engines ----------------------------------------------------

type VersionFixture = [id: string, planId: string, sectionId: string, title: string, groupId: string | null, name: string, createdAt: string, snapshot: Uint8Array, actions: string | null];

const G1_AT = '2026-05-03T10:00:00.000Z';
const G2_AT = '2026-05-04T10:00:00.000Z';
const VERSIONS: VersionFixture[] = [
  ['version-a1', 'plan-p1', 'section-s1', 'Fair trial', null, 'Draft', '2026-05-01T09:00:00.000Z', FIRST, INSPECTIONS_PLANNED],
  ['version-b1', 'plan-p1', 'section-s1', 'Fair trial', null, 'Reviewed', '2026-05-02T09:00:00.000Z', SECOND, INSPECTIONS_STARTED],
  // Kept before versions held actions: compares as text only.
  ['version-c1', 'plan-p1', 'section-s1', 'Fair trial', null, 'Old', '2026-04-01T09:00:00.000Z', FIRST, null],
  ['version-p2', 'plan-p2', 'section-x1', 'Elsewhere', null, 'Other plan', '2026-05-01T09:00:00.000Z', FIRST, NO_ACTIONS],
  // A whole-plan version kept in one millisecond, written in another order than the plan's: the
  // section removed for good first, then the sections from last to first.
  ['version-g1gone', 'plan-p1', 'section-gone', 'Removed for good', 'group-g1', 'First draft', G1_AT, GONE, NO_ACTIONS],
  ['version-g1s3', 'plan-p1', 'section-s3', 'Courts', 'group-g1', 'First draft', G1_AT, COURTS, NO_ACTIONS],
  ['version-g1s2', 'plan-p1', 'section-s2', 'Prisons', 'group-g1', 'First draft', G1_AT, PRISONS, NO_ACTIONS],
  ['version-g1s1', 'plan-p1', 'section-s1', 'Fair trial', 'group-g1', 'First draft', G1_AT, FIRST, INSPECTIONS_PLANNED],
  // The next one: Prisons left out, Fair trial changed in text and actions, Courts the same.
  ['version-g2s3', 'plan-p1', 'section-s3', 'Courts', 'group-g2', 'Second draft', G2_AT, COURTS, NO_ACTIONS],
  ['version-g2s1', 'plan-p1', 'section-s1', 'Fair trial', 'group-g2', 'Second draft', G2_AT, SECOND, INSPECTIONS_STARTED],
  ['version-gp2', 'plan-p2', 'section-x1', 'Elsewhere', 'group-gp2', 'Other plan', G2_AT, FIRST, NO_ACTIONS],
];

const quote = (s: string | null) => (s === null ? 'NULL' : `'${s.replace(/'/g, "''")}'`);
const bytes = (engine: Engine, b: Uint8Array) => (engine === 'postgres' ? `decode('${Buffer.from(b).toString('hex')}', 'hex')` : `X'${Buffer.from(b).toString('hex')}'`);

function rows(engine: Engine): string {
  return [
    `INSERT INTO organisations (id, name, side, color, created_at) VALUES
       ('org-justice1', 'Ministry of Justice', 'government', '#123456', '2026-01-01T00:00:00.000Z'),
       ('org-viasna01', 'Праваабарончы цэнтр «Вясна»', 'civil_society', '#654321', '2026-01-01T00:00:00.000Z');`,
    `INSERT INTO users (id, email, name, password_hash, organisation_id, created_at) VALUES
       ('person-u1', 'olga@example.org', 'Olga', 'x', 'org-justice1', '2026-01-01T00:00:00.000Z'),
       ('person-u2', 'ales@example.org', 'Алесь', 'x', 'org-viasna01', '2026-01-01T00:00:00.000Z'),
       ('person-u3', 'ivan@example.org', 'Ivan', 'x', 'org-justice1', '2026-01-01T00:00:00.000Z');`,
    `INSERT INTO plans (id, title, country, period_start, period_end, created_by, created_at) VALUES
       ('plan-p1', 'National Human Rights Plan', 'BY', 2026, 2030, 'person-u1', '2026-01-01T00:00:00.000Z'),
       ('plan-p2', 'Another plan', 'BY', 2026, 2030, 'person-u1', '2026-01-01T00:00:00.000Z');`,
    `INSERT INTO chapters (id, plan_id, title, position) VALUES
       ('chapter-c1', 'plan-p1', 'Justice', 0), ('chapter-c2', 'plan-p1', 'Institutions', 1), ('chapter-x1', 'plan-p2', 'Other', 0);`,
    `INSERT INTO sections (id, plan_id, chapter_id, title, position, deleted_at) VALUES
       ('section-s3', 'plan-p1', 'chapter-c2', 'Courts', 0, NULL),
       ('section-s2', 'plan-p1', 'chapter-c1', 'Prisons', 1, NULL),
       ('section-s1', 'plan-p1', 'chapter-c1', 'Fair trial', 0, NULL),
       ('section-s4', 'plan-p1', 'chapter-c2', 'In the bin', 1, '2026-05-01T00:00:00.000Z'),
       ('section-x1', 'plan-p2', 'chapter-x1', 'Elsewhere', 0, NULL);`,
    `INSERT INTO documents (name, schema_version, created_at) VALUES ('${sectionDocName('section-s1')}', 2, '2026-01-01T00:00:00.000Z');`,
    `INSERT INTO document_clients (document_name, client_id, user_id) VALUES
       ('${sectionDocName('section-s1')}', 101, 'person-u2'),
       ('${sectionDocName('section-s1')}', 202, 'person-u1'),
       ('${sectionDocName('section-s1')}', 303, 'person-u3');`,
    ...VERSIONS.map(
      ([id, planId, sectionId, title, groupId, name, createdAt, snapshot, json]) =>
        `INSERT INTO versions (id, plan_id, section_id, section_title, group_id, name, kind, created_by, created_by_name, created_at, content_hash, snapshot, text, actions)
           VALUES ('${id}', '${planId}', '${sectionId}', ${quote(title)}, ${quote(groupId)}, ${quote(name)}, 'manual', 'person-u1', 'Olga', '${createdAt}', 'hash', ${bytes(engine, snapshot)}, '', ${quote(json)});`,
    ),
  ].join('\n');
}

/** The sections' documents as stored now (the plan's current text). */
const STORED: Record<string, Uint8Array> = {
  [sectionDocName('section-s1')]: NOW,
  [sectionDocName('section-s2')]: PRISONS_NOW,
  [sectionDocName('section-s3')]: COURTS,
};
const sync: DocumentAccess = {
  async readDocument(name) {
    const state = STORED[name];
    if (!state) return null;
    const doc = new Y.Doc();
    Y.applyUpdate(doc, state);
    return doc;
  },
  readLiveDocument: async () => null,
  storeQueued: async () => {},
  openStoredStates: async () => new Map(),
  editDocument: () => {
    throw new Error('comparing never edits');
  },
};

beforeAllOrFail(async () => {
  db = new Database(':memory:');
  migrate(db);
  db.exec(rows('sqlite'));
  schema = await freshSchema();
  const pool = schema.pool({ max: 4 });
  await migratePostgres(pool);
  await pool.query(rows('postgres'));
  engines = { sqlite: sqliteSql(db), postgres: postgresSql(pool) };
});

afterAll(async () => {
  db?.close();
  await schema?.drop();
});

/** Both engines' answers to one comparison, after checking that they are equal. */
async function onBoth<T>(read: (deps: CompareDeps) => Promise<T>): Promise<T> {
  const sqlite = await read({ sql: engines.sqlite, sync });
  const postgres = await read({ sql: engines.postgres, sync });
  expect(postgres).toEqual(sqlite);
  return sqlite;
}

/** What either engine refused with (its error code and subject), after checking they refused alike. */
async function refusedOnBoth(read: (deps: CompareDeps) => Promise<unknown>): Promise<unknown> {
  const refusal = async (sql: Sql) => read({ sql, sync }).then(
    () => 'answered',
    (err: unknown) => ({ status: (err as { status?: number }).status, message: (err as Error).message }),
  );
  const sqlite = await refusal(engines.sqlite);
  expect(await refusal(engines.postgres)).toEqual(sqlite);
  return sqlite;
}

const OLGA = { name: 'Olga', organisation: 'Ministry of Justice' };
const ALES = { name: 'Алесь', organisation: 'Праваабарончы цэнтр «Вясна»' };
const IVAN = { name: 'Ivan', organisation: 'Ministry of Justice' };
const WHOLE = ['title', 'status', 'leadAgency', 'recommendations'];
const changesOf = (c: { actions: { changes: Array<{ actionId: string; change: string; fields: Array<{ field: string }> }> } }) =>
  c.actions.changes.map((a) => ({ actionId: a.actionId, change: a.change, fields: a.fields.map((f) => f.field) }));

describe('comparing versions on SQLite and PostgreSQL', () => {
  it('compares two versions of a section: text, actions, and who wrote in between', async () => {
    const c = await onBoth((deps) => compareSection(deps, 'plan-p1', 'section-s1', 'version-a1', 'version-b1'));
    expect(c.sectionId).toBe('section-s1');
    expect(c.title).toBe('Fair trial');
    expect(c.summary).toEqual({ insertedChars: 'Courts publish their decisions.Restored by Accord.Appeals within 30 days.'.length, deletedChars: 0, changedBlocks: 3 });
    expect(c.actions.comparable).toBe(true);
    expect(changesOf(c)).toEqual([
      { actionId: 'action-a1', change: 'changed', fields: ['status'] },
      // A whole action added or removed lists every field it has a value in.
      { actionId: 'action-a2', change: 'added', fields: WHOLE },
    ]);
    // Olga's and Ivan's clients advanced; Accord's own client (909) names nobody, Алесь wrote nothing since.
    expect(c.writtenBy).toEqual([IVAN, OLGA]);
  });

  it('compares a version with the section as it is now', async () => {
    const c = await onBoth((deps) => compareSection(deps, 'plan-p1', 'section-s1', 'version-b1', 'current'));
    expect(c.summary).toEqual({ insertedChars: 'Hearings are public.'.length, deletedChars: 0, changedBlocks: 1 });
    // Nothing of the section's actions is left now.
    expect(changesOf(c)).toEqual([
      { actionId: 'action-a1', change: 'removed', fields: WHOLE },
      { actionId: 'action-a2', change: 'removed', fields: WHOLE },
    ]);
    expect(c.writtenBy).toEqual([ALES]);
  });

  it('compares a version kept before versions held actions as text only', async () => {
    const c = await onBoth((deps) => compareSection(deps, 'plan-p1', 'section-s1', 'version-c1', 'version-a1'));
    expect(c.summary).toEqual({ insertedChars: 0, deletedChars: 0, changedBlocks: 0 });
    expect(c.actions).toMatchObject({ from: 'text_only', to: 'actions', comparable: false, changes: [] });
    expect(c.writtenBy).toEqual([]);
  });

  it('refuses versions of another section or plan, and sections in the bin', async () => {
    expect(await refusedOnBoth((deps) => compareSection(deps, 'plan-p1', 'section-s2', 'version-a1', 'current'))).toMatchObject({ status: 404 });
    expect(await refusedOnBoth((deps) => compareSection(deps, 'plan-p1', 'section-s1', 'version-a1', 'version-g1s2'))).toMatchObject({ status: 404 });
    expect(await refusedOnBoth((deps) => compareSection(deps, 'plan-p1', 'section-x1', 'version-p2', 'current'))).toMatchObject({ status: 404 });
    expect(await refusedOnBoth((deps) => compareSection(deps, 'plan-p1', 'section-s4', 'version-a1', 'current'))).toMatchObject({ status: 404 });
    expect(await refusedOnBoth((deps) => compareSection(deps, 'plan-p1', 'section-s1', 'no-such-version', 'current'))).toMatchObject({ status: 404 });
  });

  it('compares two whole-plan versions section by section, in the plan’s order', async () => {
    const c = await onBoth((deps) => comparePlan(deps, 'plan-p1', 'group-g1', 'group-g2'));
    expect(c.from).toEqual({ groupId: 'group-g1', name: 'First draft', createdAt: G1_AT });
    expect(c.to).toEqual({ groupId: 'group-g2', name: 'Second draft', createdAt: G2_AT });
    expect(c.sections.map((s) => [s.sectionId, s.title, s.change])).toEqual([
      ['section-s1', 'Fair trial', 'changed'],
      ['section-s3', 'Courts', 'unchanged'],
      ['section-s2', 'Prisons', 'removed'],
      ['section-gone', 'Removed for good', 'removed'],
    ]);
    expect(c.sections[0]!.actions).toEqual({ actionsAdded: 1, actionsRemoved: 0, actionsChanged: 1, indicatorsAdded: 0, indicatorsRemoved: 0, indicatorsChanged: 0 });
    expect(c.added).toEqual([]);
    expect(c.removed).toEqual(['section-s2', 'section-gone']);
    expect(c.totals).toMatchObject({ changedSections: 3, changedActions: 2 });
  });

  it('compares a whole-plan version with the plan as it is now', async () => {
    const c = await onBoth((deps) => comparePlan(deps, 'plan-p1', 'group-g2', 'current'));
    expect(c.to).toEqual({ groupId: null, name: 'Current text', createdAt: null });
    expect(c.sections.map((s) => [s.sectionId, s.change])).toEqual([
      ['section-s1', 'changed'],
      ['section-s2', 'added'],
      ['section-s3', 'unchanged'],
    ]);
    expect(c.added).toEqual(['section-s2']);
    expect(c.sections[0]!.insertedChars).toBe('Hearings are public.'.length);
  });

  it('refuses a whole-plan version of another plan, or none', async () => {
    expect(await refusedOnBoth((deps) => comparePlan(deps, 'plan-p1', 'group-gp2', 'current'))).toMatchObject({ status: 404 });
    expect(await refusedOnBoth((deps) => comparePlan(deps, 'plan-p1', 'group-g1', 'group-gp2'))).toMatchObject({ status: 404 });
    expect(await refusedOnBoth((deps) => comparePlan(deps, 'plan-p1', 'no-such-group', 'group-g1'))).toMatchObject({ status: 404 });
  });
});
