import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { sectionAgreement, sign } from '../../server/services/agreement.ts';
import { sqliteSql } from '../../server/db/sql/sqliteSql.ts';
import { allAudit } from '../../server/services/audit.ts';
import { listNotifications } from '../../server/services/notifications.ts';
import { decide, listDecisions } from '../../server/services/suggestions.ts';
import { sectionTextLines } from '../../shared/doc/canonical.ts';
import { sectionDocName } from '../../shared/doc/schema.ts';
import { listSuggestions, SUGGEST_DELETE, SUGGEST_INSERT } from '../../shared/doc/suggestions.ts';
import type { DecideSuggestions } from '../../shared/api/index.ts';
import { domainPlan, FIRST_TEXT, type DomainPlan, rejection } from '../helpers/domainPlan.ts';

/*
 * Accepting and rejecting suggestions through the suggestions service, on a database in memory
 * and documents in memory: each decision is one server edit of the text, stored with its record.
 */

let plan: DomainPlan;
beforeEach(async () => {
  plan = await domainPlan();
});
afterEach(() => plan.db.close());

const INSERT_ID = 'sugg-fully-1';
const DELETE_ID = 'sugg-the-02';

/** Ales proposes, as his editor would mark it: "fully " inserted before "abolish", "The " deleted. */
function alesSuggests(): void {
  const author = plan.ales.principal.userId;
  plan.documents.type(plan.sectionId, (body) => {
    const text = (body.get(0) as Y.XmlElement).get(0) as Y.XmlText;
    text.insert(FIRST_TEXT.indexOf('abolish'), 'fully ', { [SUGGEST_INSERT]: { id: INSERT_ID, author, at: 1 } });
    text.format(0, 4, { [SUGGEST_DELETE]: { id: DELETE_ID, author, at: 2 } });
  });
}

const decideAs = (who: DomainPlan['olga'], input: DecideSuggestions) => decide(plan.deps, plan.planId, plan.sectionId, who, input);
const stored = async () => (await plan.documents.readDocument(sectionDocName(plan.sectionId)))!;
const lines = async () => sectionTextLines(await stored());
const openIds = async () => listSuggestions(await stored()).map((s) => s.id);

describe('deciding suggestions', () => {
  it('accepting one changes the text as one server edit, with the decision recorded and its author told', async () => {
    alesSuggests();
    const { decided } = await decideAs(plan.olga, { decision: 'accept', ids: [INSERT_ID] });
    expect(await lines()).toEqual(['The State will fully abolish the death penalty.']);
    expect(await openIds()).toEqual([DELETE_ID]);
    expect(plan.documents.serverEditsOf(plan.sectionId)).toBe(1);
    expect(decided).toEqual([expect.objectContaining({ suggestionId: INSERT_ID, decision: 'accept', kind: 'insert', inserted: 'fully ', authorName: 'Ales', decidedByName: 'Olga' })]);
    expect(await listDecisions(sqliteSql(plan.db), plan.planId, plan.sectionId)).toEqual(decided);
    expect((await allAudit(sqliteSql(plan.db), plan.planId, {})).filter((e) => e.action === 'suggestion.accepted').map((e) => e.details.suggestionId)).toEqual([INSERT_ID]);
    expect((await listNotifications(sqliteSql(plan.db), plan.ales.principal.userId)).map((n) => n.kind)).toContain('suggestion_decided');
  });

  it('rejecting leaves the text as it was, as one server edit, with the decision and its reason recorded', async () => {
    alesSuggests();
    const before = await lines();
    const { decided } = await decideAs(plan.olga, { decision: 'reject', all: true, reason: 'The article stays.' });
    expect(await lines()).toEqual(before);
    expect(await lines()).toEqual([FIRST_TEXT]);
    expect(await openIds()).toEqual([]);
    // Both suggestions went in the same edit.
    expect(plan.documents.serverEditsOf(plan.sectionId)).toBe(1);
    expect(decided.map((d) => [d.suggestionId, d.decision, d.reason])).toEqual(
      expect.arrayContaining([
        [INSERT_ID, 'reject', 'The article stays.'],
        [DELETE_ID, 'reject', 'The article stays.'],
      ]),
    );
    expect(await listDecisions(sqliteSql(plan.db), plan.planId, plan.sectionId)).toHaveLength(2);
  });

  it('a decided suggestion cannot be decided again', async () => {
    alesSuggests();
    await decideAs(plan.olga, { decision: 'accept', ids: [INSERT_ID] });
    expect(await rejection(() => decideAs(plan.olga, { decision: 'reject', ids: [INSERT_ID] }))).toMatchObject({ status: 409, code: 'suggestion_gone' });
    expect(await rejection(() => decideAs(plan.olga, { decision: 'accept', ids: [INSERT_ID] }))).toMatchObject({ code: 'suggestion_gone' });
    expect(await lines()).toEqual(['The State will fully abolish the death penalty.']);
    expect(plan.documents.serverEditsOf(plan.sectionId)).toBe(1);
    expect((await listDecisions(sqliteSql(plan.db), plan.planId, plan.sectionId)).map((d) => d.decision)).toEqual(['accept']);
  });

  it('is refused while the section is agreed: nothing is edited or recorded', async () => {
    const { currentHash } = await sectionAgreement(plan.deps, plan.planId, plan.sectionId);
    await sign(plan.deps, plan.planId, plan.sectionId, plan.olga, currentHash);
    await sign(plan.deps, plan.planId, plan.sectionId, plan.ales, currentHash);
    expect(await rejection(() => decideAs(plan.olga, { decision: 'accept', all: true }))).toMatchObject({ status: 409, code: 'section_agreed' });
    expect(plan.documents.serverEditsOf(plan.sectionId)).toBe(0);
    expect(await listDecisions(sqliteSql(plan.db), plan.planId, plan.sectionId)).toEqual([]);
  });

  it('is all or nothing: when recording the decision fails, the text is not changed', async () => {
    alesSuggests();
    // A decision that cannot be stored must not leave the text accepted.
    plan.db.exec(`CREATE TRIGGER refuse_decisions BEFORE INSERT ON suggestion_decisions BEGIN SELECT RAISE(ABORT, 'disk full'); END`);
    // The database's refusal is said as storage failing (503 storage_failed), never in its own words.
    await expect(decideAs(plan.olga, { decision: 'accept', ids: [INSERT_ID] })).rejects.toMatchObject({ status: 503, code: 'storage_failed' });
    expect(await openIds()).toEqual(expect.arrayContaining([INSERT_ID, DELETE_ID]));
    expect(plan.documents.serverEditsOf(plan.sectionId)).toBe(0);
  });
});
