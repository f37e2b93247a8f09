import { sql } from 'kysely';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { z } from 'zod';
import { migrate, type Db } from '../../server/db/database.ts';
import type { Sql } from '../../server/db/sql/Sql.ts';
import { EventBus } from '../../server/events.ts';
import { createAction } from '../../server/services/actions.ts';
import { principalOf } from '../../server/services/audit.ts';
import { keepAutomaticVersion } from '../../server/services/autoVersions.ts';
import { binChapter, binnedSection, binSection, listBin, purgeBin, restoreChapter, restoreSection } from '../../server/services/bin.ts';
import type { Actor } from '../../server/services/history.ts';
import { adoptPlan } from '../../server/services/monitoring/adoption.ts';
import { createPlanVersion, createVersion, listPlanVersionGroups, listVersions, restoreVersion, versionContent } from '../../server/services/versions.ts';
import type { DocumentAccess } from '../../server/sync/DocumentAccess.ts';
import { ActionInputSchema } from '../../shared/api/index.ts';
import { sectionTextLines } from '../../shared/doc/canonical.ts';
import { appendBlocks, DOC_SCHEMA_VERSION, sectionDocName } from '../../shared/doc/schema.ts';
import { MemoryDocuments } from '../helpers/memoryDocuments.ts';
import { auditLog, fakeDateForTheFile, namedIds, outcome, recommendationRow, sameRowsOnBothEngines } from '../helpers/postgres.ts';

/**
 * The bin and versions on SQLite and PostgreSQL: sections and a chapter binned, refused, listed,
 * restored and purged past the retention period on a fake clock; versions of a section and of the
 * whole plan kept, listed, read and restored (text and actions), automatic versions, and adoption's
 * whole-plan version. Each engine's answers, refusals and every row written (sections, chapters,
 * versions, actions, links, documents, audit entries, notices, the adoption) must be the same.
 *
 * The sections' documents are in memory (MemoryDocuments) over a SQLite store, as the sync server
 * keeps them: on SQLite that store is the services' own database, so a restore's records are
 * written in the transaction storing its edit; on PostgreSQL it is another database, so they are
 * written beside it (services/versions.ts).
 */

const AT = '2026-05-04T10:00:00.000Z';

const ROWS = [
  `INSERT INTO organisations (id, name, side, color, created_at) VALUES ('org-justice', 'Ministry of Justice', 'government', '#123456', '${AT}'),
     ('org-viasna', 'Вясна', 'civil_society', '#222222', '${AT}');`,
  `INSERT INTO users (id, email, name, password_hash, organisation_id, created_at) VALUES
     ('u-olga', 'olga@example.org', 'Olga', 'x', 'org-justice', '${AT}'), ('u-ales', 'ales@example.org', 'Алесь', 'x', 'org-viasna', '${AT}');`,
  `INSERT INTO plans (id, title, country, period_start, period_end, created_by, created_at)
     VALUES ('p1', 'National Human Rights Plan', 'BY', 2026, 2030, 'u-olga', '${AT}');`,
  `INSERT INTO plan_members (plan_id, user_id, role, joined_at) VALUES ('p1', 'u-olga', 'coordinator', '${AT}'), ('p1', 'u-ales', 'drafter', '${AT}');`,
  `INSERT INTO chapters (id, plan_id, title, position) VALUES ('c1', 'p1', 'Justice', 0), ('c2', 'p1', 'Education', 1), ('c3', 'p1', 'Health', 2);`,
  `INSERT INTO sections (id, plan_id, chapter_id, title, position) VALUES ('s1', 'p1', 'c1', 'Torture prevention', 0), ('s2', 'p1', 'c1', 'Fair trial', 1),
     ('s3', 'p1', 'c2', 'Schools', 0), ('s4', 'p1', 'c2', 'Universities', 1), ('s5', 'p1', 'c3', 'Access to care', 0);`,
  `INSERT INTO sections (id, plan_id, chapter_id, title, position, status, agreed_at, agreed_hash)
     VALUES ('s-agreed', 'p1', 'c1', 'Death penalty', 2, 'agreed', '${AT}', 'hash-agreed');`,
  `INSERT INTO actions (id, plan_id, section_id, position, title, status, lead_agency_id, created_by, created_at, updated_at) VALUES
     ('a1', 'p1', 's1', 0, 'Inspections of places of detention', 'planned', 'org-justice', 'u-olga', '${AT}', '${AT}'),
     ('a3', 'p1', 's3', 0, 'Human rights in the curriculum', 'planned', 'org-justice', 'u-olga', '${AT}', '${AT}');`,
  `INSERT INTO indicators (id, action_id, position, type, description, disaggregation, created_at, updated_at)
     VALUES ('i1', 'a1', 0, 'outcome', 'Inspections carried out', '[]', '${AT}', '${AT}');`,
  recommendationRow('rec-torture', '139.1', 'Prevent torture in detention', 'en'),
  recommendationRow('rec-schools', '139.2', 'Teach human rights in schools', 'en'),
  `INSERT INTO action_recommendations (action_id, recommendation_id) VALUES ('a1', 'rec-torture'), ('a3', 'rec-schools');`,
].join('\n');

const both = sameRowsOnBothEngines(ROWS, { foreignKeys: true });

/** Each section's first stored update: the same bytes on both engines. */
const SEEDS = new Map(
  ['s1', 's2', 's3', 's4', 's5', 's-agreed'].map((id) => {
    const doc = new Y.Doc();
    appendBlocks(doc, [{ type: 'paragraph', text: `The first reading of ${id}.` }]);
    return [id, Buffer.from(Y.encodeStateAsUpdate(doc))];
  }),
);

async function storeDocuments(q: Sql): Promise<void> {
  for (const [id, update] of SEEDS) {
    await q.run(sql`INSERT INTO documents (name, schema_version, created_at) VALUES (${sectionDocName(id)}, ${DOC_SCHEMA_VERSION}, ${AT})`);
    await q.run(sql`INSERT INTO document_updates (document_name, seq, data, created_at) VALUES (${sectionDocName(id)}, 1, ${update}, ${AT})`);
  }
}

/** The sync server's store when the services are on PostgreSQL: SQLite, holding the same documents. */
const stores: Db[] = [];
afterAll(() => stores.forEach((db) => db.close()));
function separateStore(): Db {
  const db = new Database(':memory:');
  migrate(db);
  const insertDocument = db.prepare('INSERT INTO documents (name, schema_version, created_at) VALUES (?, ?, ?)');
  const insertUpdate = db.prepare('INSERT INTO document_updates (document_name, seq, data, created_at) VALUES (?, 1, ?, ?)');
  for (const [id, update] of SEEDS) {
    insertDocument.run(sectionDocName(id), DOC_SCHEMA_VERSION, AT);
    insertUpdate.run(sectionDocName(id), update, AT);
  }
  stores.push(db);
  return db;
}

// Every step happens at its own second, the same on both engines, so the rows' times can be compared too.
let second = 0;
const tick = () => vi.setSystemTime(new Date(Date.UTC(2026, 5, 1, 9, 0, second++)));
const DAY_MS = 24 * 60 * 60 * 1000;

const paragraph = (text: string) => (body: Y.XmlFragment) => {
  const p = new Y.XmlElement('paragraph');
  p.insert(0, [new Y.XmlText(text)]);
  body.insert(body.length, [p]);
};

/** Where the section documents are, the database the sync server stores them in, and the services' Sql. */
function world(q: Sql) {
  const store = q.engine === 'sqlite' ? both.db : separateStore();
  const events = new EventBus();
  const documents = new MemoryDocuments(store, events);
  return { deps: { db: store, sql: q, sync: documents, events }, documents };
}

async function scenario(q: Sql) {
  second = 0;
  tick();
  const { deps, documents } = world(q);
  const as = async (userId: string, role: Actor['role']): Promise<Actor> => ({ principal: (await principalOf(q, userId))!, role });
  const olga = await as('u-olga', 'coordinator');
  const ales = await as('u-ales', 'drafter');
  const text = async (sectionId: string) => sectionTextLines((await documents.readDocument(sectionDocName(sectionId)))!);
  const a: Record<string, unknown> = {};

  // Versions: a section's, by hand; the text and actions change; the whole plan's; refusals.
  tick();
  const first = await createVersion(q, documents, { planId: 'p1', sectionId: 's1', name: 'First reading', kind: 'manual', by: olga.principal }, olga);
  a.first = first;
  tick();
  documents.type('s1', paragraph('Added in the second reading.'));
  await createAction(q, 'p1', 's1', ales, ActionInputSchema.parse({ title: 'Lawyers from the first hour', leadAgencyId: 'org-justice', recommendationIds: ['rec-torture'] }));
  tick();
  a.group = await createPlanVersion(q, documents, { planId: 'p1', name: 'Second reading', by: ales.principal }, ales);
  a.ofAgreed = await createVersion(q, documents, { planId: 'p1', sectionId: 's-agreed', name: 'Agreed text', label: { key: 'signoff' }, kind: 'signoff', by: null });
  a.notInPlan = await outcome(() => createVersion(q, documents, { planId: 'p1', sectionId: 'nothing', name: 'Nothing', kind: 'manual', by: olga.principal }, olga));
  a.listed = await listVersions(q, 'p1', 's1');
  a.groups = await listPlanVersionGroups(q, 'p1');
  a.content = await versionContent(q, 'p1', first.id);
  a.contentUnknown = await outcome(() => versionContent(q, 'p1', 'nothing'));

  // Restoring the first reading: its text and actions back, both versions kept, one audit entry.
  tick();
  a.restored = await restoreVersion(deps, { planId: 'p1', versionId: first.id, actor: olga });
  a.textAfterRestore = await text('s1');
  a.serverEdits = documents.serverEditsOf('s1');
  a.restoreAgreed = await outcome(() => restoreVersion(deps, { planId: 'p1', versionId: (a.ofAgreed as { id: string }).id, actor: olga }));
  a.restoreUnknown = await outcome(() => restoreVersion(deps, { planId: 'p1', versionId: 'nothing', actor: olga }));
  a.listedAfterRestore = await listVersions(q, 'p1', 's1');

  // Automatic versions: nothing when the text is the latest version's; else one, naming the editors.
  tick();
  a.automaticSame = await keepAutomaticVersion(deps, 'p1', 's1', ['u-ales']);
  documents.type('s1', paragraph('Typed after the restore.'));
  tick();
  a.automatic = await keepAutomaticVersion(deps, 'p1', 's1', ['u-ales', 'u-gone', 'u-olga']);

  // The bin: a section, refusals, a chapter; listed; restored; binned again and purged.
  tick();
  a.binned = await binSection(q, 'p1', 's2', olga);
  a.binnedAgain = await outcome(() => binSection(q, 'p1', 's2', olga));
  a.binAgreed = await outcome(() => binSection(q, 'p1', 's-agreed', olga));
  a.binChapterWithAgreed = await outcome(() => binChapter(q, 'p1', 'c1', olga));
  a.binOtherPlan = await outcome(() => binSection(q, 'p2', 's1', olga));
  tick();
  a.chapterBinned = await binChapter(q, 'p1', 'c2', olga);
  a.sectionOfBinnedChapter = await outcome(() => restoreSection(q, 'p1', 's3', olga));
  a.versionOfBinned = await outcome(() => listVersions(q, 'p1', 's3'));
  a.bin = await listBin(q, 'p1', Date.now() + 3 * DAY_MS);
  a.binnedSection = await binnedSection(q, 'p1', 's2');
  a.liveNotBinned = await outcome(() => binnedSection(q, 'p1', 's1'));
  tick();
  a.sectionRestored = await restoreSection(q, 'p1', 's2', olga);
  a.restoredTwice = await outcome(() => restoreSection(q, 'p1', 's2', olga));
  a.chapterRestored = await restoreChapter(q, 'p1', 'c2', olga);
  a.chapterRestoredTwice = await outcome(() => restoreChapter(q, 'p1', 'c2', olga));
  tick();
  await binSection(q, 'p1', 's4', olga);
  await binChapter(q, 'p1', 'c3', olga);
  a.purgedTooSoon = await purgeBin(q, Date.now() + 29 * DAY_MS);
  a.purged = await purgeBin(q, Date.now() + 31 * DAY_MS);
  a.binAfterPurge = await listBin(q, 'p1', Date.now() + 31 * DAY_MS);

  // Adoption keeps its whole-plan version in its own transaction.
  tick();
  const leftOut = ['s1', 's2', 's3'].map((sectionId) => ({ sectionId, reason: 'Still drafted' }));
  a.adopted = await adoptPlan(deps, 'p1', olga, { act: { title: 'Decree 12', number: '12', date: '2026-06-01', url: null }, leftOut, monitoringBodyId: null });
  a.groupsAfterAdoption = await listPlanVersionGroups(q, 'p1');
  return a;
}

const AnyRow = z.record(z.string(), z.unknown());

/** The rows the steps wrote, in an order that does not depend on random ids. */
async function written(q: Sql) {
  const all = (query: ReturnType<typeof sql>) => q.rows(AnyRow, query);
  return {
    chapters: await all(sql`SELECT id, title, position, deleted_at, deleted_by FROM chapters ORDER BY id`),
    sections: await all(sql`SELECT id, chapter_id, title, position, status, deleted_at, deleted_by, deleted_with_chapter FROM sections ORDER BY id`),
    // The snapshot's bytes hold a server edit's random client id; its text is compared instead.
    versions: await all(sql`SELECT id, plan_id, section_id, section_title, group_id, name, label, kind, created_by, created_by_name, created_at,
      content_hash, text, actions, edited_by FROM versions ORDER BY created_at, section_id, kind, name`),
    actions: await all(sql`SELECT id, section_id, position, title, status, created_by, created_at, updated_at FROM actions ORDER BY created_at, title`),
    indicators: await all(sql`SELECT id, action_id, position, description FROM indicators ORDER BY id`),
    links: await all(sql`SELECT l.action_id, l.recommendation_id FROM action_recommendations l JOIN actions a ON a.id = l.action_id ORDER BY a.created_at, l.recommendation_id`),
    actionCounts: await all(sql`SELECT id, action_count FROM recommendations ORDER BY id`),
    documents: await all(sql`SELECT name, schema_version FROM documents ORDER BY name`),
    updates: await all(sql`SELECT document_name, seq FROM document_updates ORDER BY document_name, seq`),
    adoptions: await all(sql`SELECT * FROM plan_adoptions`),
    notices: await all(sql`SELECT user_id, kind, summary, link, created_at FROM notifications ORDER BY created_at, user_id, kind, summary`),
    audit: await auditLog(q),
  };
}

let answers: { sqlite: Record<string, unknown>; postgres: Record<string, unknown> };
let rows: { sqlite: Awaited<ReturnType<typeof written>>; postgres: Awaited<ReturnType<typeof written>> };

fakeDateForTheFile();

describe('the bin and versions on SQLite and PostgreSQL', () => {
  it('answer the same steps alike on both engines', async () => {
    await storeDocuments(both.sqlite);
    await storeDocuments(both.postgres);
    answers = { sqlite: await scenario(both.sqlite), postgres: await scenario(both.postgres) };
    expect(namedIds(answers.postgres)).toEqual(namedIds(answers.sqlite));
  });

  it('write the same sections, chapters, versions, actions, documents and audit entries on both engines', async () => {
    rows = { sqlite: await written(both.sqlite), postgres: await written(both.postgres) };
    expect(rows.postgres.versions.length).toBeGreaterThan(8);
    expect(namedIds(rows.postgres)).toEqual(namedIds(rows.sqlite));
  });

  it('answer what the rules say', () => {
    const a = answers.postgres;
    const refused = (status: number, code: string) => ({ refused: status, code });
    expect(a.listed).toMatchObject([
      { kind: 'manual', groupId: expect.any(String), name: 'Second reading' },
      { kind: 'manual', groupId: null, name: 'First reading', holdsActions: true },
    ]);
    expect(a.groups).toMatchObject([{ name: 'Second reading', createdBy: 'Алесь', sectionCount: 6 }]);
    expect(a.content).toMatchObject({ text: ['The first reading of s1.'], blocks: [{ type: 'paragraph', text: 'The first reading of s1.' }] });
    expect(a.notInPlan).toEqual(refused(404, 'not_found'));
    expect(a.contentUnknown).toEqual(refused(404, 'not_found'));
    expect(a.restored).toMatchObject({ kind: 'restore', actionsRestore: { restored: true, summary: { actionsRemoved: 1 } } });
    expect(a.textAfterRestore).toEqual(['The first reading of s1.']);
    expect(a.serverEdits).toBe(1);
    expect(a.restoreAgreed).toEqual(refused(409, 'section_agreed'));
    expect(a.restoreUnknown).toEqual(refused(404, 'not_found'));
    expect((a.listedAfterRestore as Array<{ kind: string }>).map((v) => v.kind)).toEqual(['restore', 'before_restore', 'manual', 'manual']);
    expect(a.automaticSame).toBeNull();
    expect(a.automatic).toEqual(expect.any(String));
    expect(a.binned).toEqual({ title: 'Fair trial' });
    expect(a.binnedAgain).toEqual(refused(404, 'not_found'));
    expect(a.binAgreed).toEqual(refused(409, 'section_agreed'));
    expect(a.binChapterWithAgreed).toEqual(refused(409, 'section_agreed'));
    expect(a.binOtherPlan).toEqual(refused(404, 'not_found'));
    expect(a.chapterBinned).toEqual(['s3', 's4']);
    expect(a.sectionOfBinnedChapter).toEqual(refused(409, 'chapter_in_bin'));
    expect(a.versionOfBinned).toEqual(refused(404, 'not_found'));
    expect(a.bin).toMatchObject([
      { kind: 'chapter', id: 'c2', sections: ['Schools', 'Universities'], daysLeft: 27, deletedBy: { name: 'Olga', organisation: 'Ministry of Justice' } },
      { kind: 'section', id: 's2', chapterTitle: 'Justice', chapterInBin: false, daysLeft: 27 },
    ]);
    expect(a.binnedSection).toMatchObject({ sectionId: 's2', title: 'Fair trial', deletedBy: { name: 'Olga' } });
    expect(a.liveNotBinned).toEqual(refused(404, 'not_found'));
    expect(a.restoredTwice).toEqual(refused(404, 'not_found'));
    expect(a.chapterRestored).toEqual(['s3', 's4']);
    expect(a.chapterRestoredTwice).toEqual(refused(404, 'not_found'));
    expect(a.purgedTooSoon).toEqual({ sections: 0, chapters: 0 });
    expect(a.purged).toEqual({ sections: 2, chapters: 1 });
    expect(a.binAfterPurge).toEqual([]);
    expect(a.groupsAfterAdoption).toMatchObject([{ name: 'Adopted: Decree 12', sectionCount: 4 }, { name: 'Second reading' }]);
  });

  it('leave on the record what was done, and nothing of what was purged', () => {
    const r = rows.postgres;
    expect(r.audit.map((e) => e.action)).toEqual([
      'version.created',
      'action.created',
      'link.added',
      'version.created',
      'link.removed',
      'action.deleted',
      'version.restored',
      'version.created',
      'section.deleted',
      'chapter.deleted',
      'section.restored',
      'chapter.restored',
      'section.deleted',
      'chapter.deleted',
      'plan.adopted',
    ]);
    expect(r.sections.map((s) => s.id)).toEqual(['s-agreed', 's1', 's2', 's3']);
    expect(r.sections.map((s) => [s.id, s.position])).toEqual([['s-agreed', 2], ['s1', 0], ['s2', 1], ['s3', 0]]);
    expect(r.chapters.map((c) => [c.id, c.position])).toEqual([['c1', 0], ['c2', 1]]);
    expect(r.documents.map((d) => d.name)).toEqual(['s-agreed', 's1', 's2', 's3'].map(sectionDocName));
    expect(r.actionCounts).toEqual([
      { id: 'rec-schools', action_count: 1 },
      { id: 'rec-torture', action_count: 1 },
    ]);
    expect(r.adoptions).toHaveLength(1);
  });
});

describe('on PostgreSQL, beside the sync server’s store', () => {
  it('bin writes of one chapter at once take turns, leaving dense places and one entry each', async () => {
    const q = both.postgres;
    await q.run(sql`INSERT INTO chapters (id, plan_id, title, position) VALUES ('c9', 'p1', 'At once', 9)`);
    await q.run(sql`INSERT INTO sections (id, plan_id, chapter_id, title, position) VALUES ('s91', 'p1', 'c9', 'One', 0), ('s92', 'p1', 'c9', 'Two', 1),
      ('s93', 'p1', 'c9', 'Three', 2), ('s94', 'p1', 'c9', 'Four', 3)`);
    const olga: Actor = { principal: (await principalOf(q, 'u-olga'))!, role: 'coordinator' };
    const places = () => q.rows(AnyRow, sql`SELECT id, position FROM sections WHERE chapter_id = 'c9' AND deleted_at IS NULL ORDER BY position`);
    // Without taking turns, each renumbers from places the other is changing: they deadlock.
    for (let round = 0; round < 5; round++) {
      await Promise.all([binSection(q, 'p1', 's91', olga), binSection(q, 'p1', 's93', olga)]);
      expect(await places()).toEqual([
        { id: 's92', position: 0 },
        { id: 's94', position: 1 },
      ]);
      await Promise.all([restoreSection(q, 'p1', 's91', olga), restoreSection(q, 'p1', 's93', olga)]);
      // Each goes back where it was when it left; which left first decides where that is.
      const back = await places();
      expect(back.map((p) => p.position)).toEqual([0, 1, 2, 3]);
      expect(back.map((p) => p.id).sort()).toEqual(['s91', 's92', 's93', 's94']);
    }
    await binSection(q, 'p1', 's92', olga);
    const results = await Promise.allSettled([restoreSection(q, 'p1', 's92', olga), restoreSection(q, 'p1', 's92', olga)]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const entries = await q.rows(AnyRow, sql`SELECT action FROM audit_log WHERE target_id = 's92' ORDER BY id`);
    expect(entries).toEqual([{ action: 'section.deleted' }, { action: 'section.restored' }]);
  });

  it('a restore starts from the text stored when its transaction takes the document: an edit stored just before is kept in the before-restore version', async () => {
    const q = both.postgres;
    const { deps, documents } = world(q);
    const olga: Actor = { principal: (await principalOf(q, 'u-olga'))!, role: 'coordinator' };
    const kept = await createVersion(q, documents, { planId: 'p1', sectionId: 's2', name: 'Before the race', kind: 'manual', by: olga.principal });
    documents.type('s2', paragraph('Typed before the restore.'));
    // Someone's edit is stored between the restore's first read of the text and its edit.
    const racing: DocumentAccess = {
      readDocument: (name) => documents.readDocument(name),
      readLiveDocument: (name) => documents.readLiveDocument(name),
      storeQueued: (name) => documents.storeQueued(name),
      openStoredStates: (names) => documents.openStoredStates(names),
      editDocument(tx, name, planId, edit) {
        documents.type('s2', paragraph('Typed while restoring.'));
        return documents.editDocument(tx, name, planId, edit);
      },
    };
    const restored = await restoreVersion({ ...deps, sync: racing }, { planId: 'p1', versionId: kept.id, actor: olga });
    expect(documents.serverEditsOf('s2')).toBe(1);
    expect(sectionTextLines((await documents.readDocument(sectionDocName('s2')))!)).toEqual(['The first reading of s2.']);
    const before = await q.theRow(
      z.object({ snapshot: z.instanceof(Uint8Array) }),
      sql`SELECT snapshot FROM versions WHERE section_id = 's2' AND kind = 'before_restore'`,
    );
    const beforeDoc = new Y.Doc();
    Y.applyUpdate(beforeDoc, before.snapshot);
    expect(sectionTextLines(beforeDoc)).toEqual(['The first reading of s2.', 'Typed before the restore.', 'Typed while restoring.']);
    beforeDoc.destroy();
    expect(restored.contentHash).toBe(kept.contentHash);
  });
});
