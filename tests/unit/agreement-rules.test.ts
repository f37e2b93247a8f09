import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { listSignoffs, reopen, sectionAgreement, setStatus, sign, withdrawStaleSignatures } from '../../server/services/agreement.ts';
import { sqliteSql } from '../../server/db/sql/sqliteSql.ts';
import { allAudit } from '../../server/services/audit.ts';
import { listNotifications } from '../../server/services/notifications.ts';
import { listPositions, recordPosition } from '../../server/services/positions.ts';
import { DocumentLockedError } from '../../server/sync/errors.ts';
import { sectionDocName } from '../../shared/doc/schema.ts';
import { domainPlan, type DomainPlan, rejection } from '../helpers/domainPlan.ts';

/*
 * Signing, agreeing, withdrawing and reopening a section, through the agreement service on a
 * database in memory and documents in memory: the rules themselves, without a server.
 */

let plan: DomainPlan;
let agreed: Array<[string, string, string]>;
let reopened: Array<[string, string]>;
beforeEach(async () => {
  plan = await domainPlan();
  agreed = [];
  reopened = [];
  plan.events.on('sectionAgreed', (...args) => agreed.push(args));
  plan.events.on('sectionReopened', (...args) => reopened.push(args));
});
afterEach(() => plan.db.close());

const current = () => sectionAgreement(plan.deps, plan.planId, plan.sectionId);
const signAs = (who: DomainPlan['olga'], hash: string, reservation: string | null = null) =>
  sign(plan.deps, plan.planId, plan.sectionId, who, hash, reservation);
/** Someone types at the end of the first paragraph. */
const typeMore = (words: string) =>
  plan.documents.type(plan.sectionId, (body) => {
    const text = (body.get(0) as Y.XmlElement).get(0) as Y.XmlText;
    text.insert(text.length, words);
  });
const audited = async (action: string) => (await allAudit(sqliteSql(plan.db), plan.planId, {})).filter((e) => e.action === action);

describe('signing a section', () => {
  it('records a signature on the current content hash; the section is in review until the rule is met', async () => {
    const { currentHash, status } = await current();
    expect(status).toBe('drafting');
    const after = await signAs(plan.olga, currentHash);
    expect(after.status).toBe('in_review');
    expect(after.signoffs.map((s) => [s.name, s.organisation, s.side, s.contentHash])).toEqual([['Olga', 'Ministry of Foreign Affairs', 'government', currentHash]]);
    expect(after.needs).toEqual([{ kind: 'side', side: 'civil_society' }]);
    expect((await audited('section.signed')).map((e) => e.details)).toEqual([expect.objectContaining({ contentHash: currentHash, side: 'government' })]);
    expect(agreed).toEqual([]);
  });

  it('agrees the section when the last signature the rule needs is given, and says so on the EventBus', async () => {
    const { currentHash } = await current();
    await signAs(plan.olga, currentHash);
    const after = await signAs(plan.ales, currentHash);
    expect(after).toMatchObject({ status: 'agreed', agreedHash: currentHash, needs: [], missing: [] });
    expect(agreed).toEqual([[plan.planId, plan.sectionId, currentHash]]);
    expect((await audited('section.agreed')).map((e) => e.details.signers)).toEqual([
      [expect.objectContaining({ name: 'Olga', side: 'government' }), expect.objectContaining({ name: 'Ales', side: 'civil_society' })],
    ]);
    // Agreed is frozen: the event locked the document, and no one signs or moves it any more.
    await expect(plan.deps.sql.transaction((tx) => plan.documents.editDocument(tx, sectionDocName(plan.sectionId), plan.planId, () => undefined), { write: true })).rejects.toThrow(DocumentLockedError);
    expect(await rejection(() => setStatus(plan.deps, plan.planId, plan.sectionId, plan.ales, 'drafting'))).toMatchObject({ code: 'section_agreed' });
  });

  it('refuses a signature on a hash the text no longer has, and records nothing', async () => {
    const { currentHash } = await current();
    typeMore(' Within two years.');
    expect(await rejection(() => signAs(plan.olga, currentHash))).toMatchObject({ status: 409, code: 'content_changed' });
    expect(await listSignoffs(sqliteSql(plan.db), plan.sectionId)).toEqual([]);
    expect(await audited('section.signed')).toEqual([]);
    // The hash of the text as it is now is signed.
    expect((await signAs(plan.olga, (await current()).currentHash)).signoffs).toHaveLength(1);
  });

  it('refuses a second signature of the same person on the same text', async () => {
    const { currentHash } = await current();
    await signAs(plan.olga, currentHash);
    expect(await rejection(() => signAs(plan.olga, currentHash))).toMatchObject({ code: 'already_signed' });
    expect(await listSignoffs(sqliteSql(plan.db), plan.sectionId)).toHaveLength(1);
  });

  it('keeps a reservation with the signature and on the record; a dissenting position stands beside an agreed text', async () => {
    const { currentHash } = await current();
    await signAs(plan.olga, currentHash);
    const reservation = 'Viasna signs on the understanding that the moratorium starts in 2026.';
    const after = await signAs(plan.ales, currentHash, reservation);
    expect(after.status).toBe('agreed');
    expect(after.signoffs.find((s) => s.name === 'Ales')!.reservation).toBe(reservation);
    expect((await audited('section.signed')).at(-1)!.summary).toContain(`with a reservation: ${reservation}`);
    expect((await audited('section.agreed'))[0]!.details.signers).toContainEqual(expect.objectContaining({ name: 'Ales', reservation }));

    await recordPosition(sqliteSql(plan.db), plan.planId, plan.sectionId, plan.ales, { text: 'Abolition should not wait for a referendum.' });
    expect((await listPositions(sqliteSql(plan.db), plan.planId, plan.sectionId)).map((p) => [p.organisation, p.text, p.withdrawnAt])).toEqual([
      ['Viasna', 'Abolition should not wait for a referendum.', null],
    ]);
    expect((await current()).status).toBe('agreed');
  });
});

describe('withdrawing signatures', () => {
  it('withdraws a signature once the text it was given on changes, naming who changed it, and tells the signer', async () => {
    const { currentHash } = await current();
    await signAs(plan.olga, currentHash);
    typeMore(' Within two years.');
    expect(await withdrawStaleSignatures(plan.deps, plan.planId, plan.sectionId, [{ userId: plan.ales.principal.userId, name: 'Ales' }])).toBe(1);
    const [olgas] = await listSignoffs(sqliteSql(plan.db), plan.sectionId);
    expect(olgas).toMatchObject({ contentHash: currentHash, withdrawnReason: 'Ales changed the section after it was signed.', withdrawnByName: 'Ales' });
    expect(olgas!.withdrawnAt).not.toBeNull();
    expect((await listNotifications(sqliteSql(plan.db), plan.olga.principal.userId)).map((n) => n.kind)).toContain('signoff_withdrawn');
    // A withdrawn signature never counts again, even for the same text.
    expect((await current()).needs).toEqual([
      { kind: 'side', side: 'government' },
      { kind: 'side', side: 'civil_society' },
    ]);
  });

  it('withdraws every signature when the section goes back to drafting', async () => {
    const { currentHash } = await current();
    await signAs(plan.olga, currentHash);
    const back = await setStatus(plan.deps, plan.planId, plan.sectionId, plan.ales, 'drafting');
    expect(back.status).toBe('drafting');
    expect(back.signoffs.map((s) => s.withdrawnReason)).toEqual(['The section went back to drafting.']);
  });
});

describe('reopening an agreed section', () => {
  const agree = async () => {
    const { currentHash } = await current();
    await signAs(plan.olga, currentHash);
    await signAs(plan.ales, currentHash);
  };

  it('takes it back to drafting, withdraws every signature with the reason, and says so on the EventBus', async () => {
    await agree();
    const after = await reopen(plan.deps, plan.planId, plan.sectionId, plan.olga, 'The ministry asks for a different timeline.');
    expect(after).toMatchObject({ status: 'drafting', agreedAt: null, agreedHash: null });
    expect(after.signoffs.map((s) => s.withdrawnReason)).toEqual([
      'reopened by Olga: The ministry asks for a different timeline.',
      'reopened by Olga: The ministry asks for a different timeline.',
    ]);
    expect(reopened).toEqual([[plan.planId, plan.sectionId]]);
    expect(after.reopenings).toEqual([expect.objectContaining({ by: 'Olga', reason: 'The ministry asks for a different timeline.' })]);
    // Ales signed and is told; Olga reopened it herself.
    expect((await listNotifications(sqliteSql(plan.db), plan.ales.principal.userId)).map((n) => n.kind)).toContain('signoff_withdrawn');
    expect((await listNotifications(sqliteSql(plan.db), plan.olga.principal.userId)).map((n) => n.kind)).not.toContain('signoff_withdrawn');
    // The document takes edits again.
    await expect(plan.deps.sql.transaction((tx) => plan.documents.editDocument(tx, sectionDocName(plan.sectionId), plan.planId, () => undefined), { write: true })).resolves.toBeUndefined();
  });

  it('is for coordinators only', async () => {
    await agree();
    expect(await rejection(() => reopen(plan.deps, plan.planId, plan.sectionId, plan.ales, 'Let us talk again.'))).toMatchObject({ code: 'coordinator_only' });
    expect((await current()).status).toBe('agreed');
    expect(reopened).toEqual([]);
  });
});
