import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createActionNow, listActions } from '../../server/services/actions.ts';
import { listSignoffs, sectionAgreement, sign } from '../../server/services/agreement.ts';
import { sqliteSql } from '../../server/db/sql/sqliteSql.ts';
import { allAudit } from '../../server/services/audit.ts';
import { hashLines } from '../../server/services/contentHash.ts';
import { createVersion, linesOfVersion, listVersions, restoreVersion } from '../../server/services/versions.ts';
import { ActionInputSchema } from '../../shared/api/index.ts';
import { sectionTextLines } from '../../shared/doc/canonical.ts';
import { sectionDocName } from '../../shared/doc/schema.ts';
import { domainPlan, FIRST_TEXT, type DomainPlan } from '../helpers/domainPlan.ts';

/*
 * Restoring a version through the versions service, on a database in memory and documents in
 * memory: the section's text becomes the version's as one new server edit, kept in its history.
 */

let plan: DomainPlan;
beforeEach(async () => {
  plan = await domainPlan();
});
afterEach(() => plan.db.close());

const LATER = 'A second paragraph nobody agreed to.';
const stored = async () => sectionTextLines((await plan.documents.readDocument(sectionDocName(plan.sectionId)))!);
const keep = (name: string) =>
  createVersion(sqliteSql(plan.db), plan.documents, { planId: plan.planId, sectionId: plan.sectionId, name, kind: 'manual', by: plan.olga.principal });
const restore = (versionId: string) => restoreVersion({ ...plan.deps, sql: sqliteSql(plan.db) }, { planId: plan.planId, versionId, actor: plan.olga });
const versionsOfSection = () => listVersions(sqliteSql(plan.db), plan.planId, plan.sectionId);
/** Someone writes a paragraph after the first. */
const writeMore = () =>
  plan.documents.type(plan.sectionId, (body) => {
    const p = new Y.XmlElement('paragraph');
    p.insert(0, [new Y.XmlText(LATER)]);
    body.insert(body.length, [p]);
  });

describe('restoring a version', () => {
  it("makes the section's text the version's through one server edit, keeping what it replaced and what it became", async () => {
    const first = await keep('First draft');
    writeMore();
    expect(await stored()).toEqual([FIRST_TEXT, LATER]);

    const restored = await restore(first.id);
    expect(await stored()).toEqual([FIRST_TEXT]);
    expect(plan.documents.serverEditsOf(plan.sectionId)).toBe(1);
    // History is added to, never rewritten: the text before the restore and after it are versions.
    const kinds = (await versionsOfSection()).map((v) => v.kind);
    expect(kinds.sort()).toEqual(['before_restore', 'manual', 'restore']);
    const before = (await versionsOfSection()).find((v) => v.kind === 'before_restore')!;
    expect(await linesOfVersion(sqliteSql(plan.db), before.id)).toEqual([FIRST_TEXT, LATER]);
    expect(restored).toMatchObject({ kind: 'restore', contentHash: hashLines([FIRST_TEXT]) });
    expect(await linesOfVersion(sqliteSql(plan.db), restored.id)).toEqual([FIRST_TEXT]);
    expect((await allAudit(sqliteSql(plan.db), plan.planId, {})).filter((e) => e.action === 'version.restored').map((e) => e.details)).toEqual([
      expect.objectContaining({ versionId: first.id, restoreVersionId: restored.id, contentHash: restored.contentHash }),
    ]);
  });

  it('brings back the actions the version holds, in the same change', async () => {
    const first = await keep('Before any action');
    createActionNow(plan.db, plan.planId, plan.sectionId, plan.olga, ActionInputSchema.parse({ title: 'Introduce a moratorium on executions' }));
    expect(await listActions(sqliteSql(plan.db), plan.planId, plan.sectionId)).toHaveLength(1);
    const restored = await restore(first.id);
    expect(await listActions(sqliteSql(plan.db), plan.planId, plan.sectionId)).toEqual([]);
    expect(restored.actionsRestore).toMatchObject({ restored: true, summary: expect.objectContaining({ actionsRemoved: 1 }) });
  });

  it('withdraws the signatures the restore made stale', async () => {
    const first = await keep('First draft');
    writeMore();
    await sign(plan.deps, plan.planId, plan.sectionId, plan.ales, (await sectionAgreement(plan.deps, plan.planId, plan.sectionId)).currentHash);
    await restore(first.id);
    expect((await listSignoffs(sqliteSql(plan.db), plan.sectionId)).map((s) => s.withdrawnReason)).toEqual(['Olga changed the section after it was signed.']);
  });

  it('is refused while the section is agreed, and nothing changes', async () => {
    const first = await keep('First draft');
    const { currentHash } = await sectionAgreement(plan.deps, plan.planId, plan.sectionId);
    await sign(plan.deps, plan.planId, plan.sectionId, plan.olga, currentHash);
    await sign(plan.deps, plan.planId, plan.sectionId, plan.ales, currentHash);
    const versionsBefore = (await versionsOfSection()).length;
    await expect(restore(first.id)).rejects.toMatchObject({ status: 409, code: 'section_agreed' });
    expect(plan.documents.serverEditsOf(plan.sectionId)).toBe(0);
    expect(await versionsOfSection()).toHaveLength(versionsBefore);
  });
});
