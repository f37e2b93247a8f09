/**
 * An organisation nobody verified is shown as such everywhere (issue #13): what the server sends
 * for the outline's signers, comment authors, dissenting positions and live presence says whether
 * the organisation is verified for the plan — and follows a verification given or withdrawn.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { ApiClient } from '../helpers/api.ts';
import { connectPeer, type Peer } from '../helpers/peer.ts';
import { eventually, startTestServer, type TestServer } from '../helpers/server.ts';
import { addMember, setUpWorkspace } from '../helpers/workspace.ts';
import { getSectionBody, sectionDocName, sectionPlainText } from '../../shared/doc/schema.ts';
import { DissentingPositionSchema, PlanOutlineSchema, ThreadSchema } from '../../shared/api/index.ts';

let server: TestServer;
let coordinator: ApiClient;
let planId: string;
let sectionId: string;
const peers: Peer[] = [];

beforeEach(async () => {
  server = await startTestServer();
  ({ coordinator, planId, sectionId } = await setUpWorkspace(server));
});
afterEach(async () => {
  for (const p of peers.splice(0)) p.destroy();
  await server.destroy();
});

const plan = () => `/api/plans/${planId}`;
const SELF_NAMED = { name: 'Viktar Impostor', email: 'viktar@mail.example', organisation: { name: 'Ministry of Justice', side: 'government' as const } };
const NGO = { name: 'Nina Lawyer', email: 'nina@hrc.example', organisation: { name: 'Human Rights Centre', side: 'civil_society' as const } };

const verify = (organisationId: string) => coordinator.post(`${plan()}/organisations/${organisationId}/verification`, {});
const unverify = (organisationId: string) =>
  coordinator.request('DELETE', `${plan()}/organisations/${organisationId}/verification`, { reason: 'Registration could not be confirmed.' });

async function outlineSection() {
  return PlanOutlineSchema.parse((await coordinator.get(plan())).body).chapters[0]!.sections.find((s) => s.id === sectionId)!;
}

describe('unverified organisations in what the server sends', () => {
  it('presence is stamped unverified whatever the client claims, and follows a verification without reconnecting', async () => {
    const impostor = await addMember(server, coordinator, planId, 'drafter', SELF_NAMED, { verify: false });
    const olga = connectPeer(server.url, coordinator, sectionId);
    const viktar = connectPeer(server.url, impostor.client, sectionId);
    peers.push(olga, viktar);
    await Promise.all([olga.synced(), viktar.synced()]);
    const seenByOlga = (peer: Peer) => (olga.provider.awareness.getStates().get(peer.doc.clientID) as { user?: Record<string, unknown> } | undefined)?.user;

    // He claims to be verified; the server says what it knows.
    viktar.provider.awareness.setLocalStateField('user', { name: 'Viktar Impostor', verified: true, cursor: 1 });
    await eventually(() => expect(seenByOlga(viktar)).toMatchObject({ organisation: 'Ministry of Justice', verified: false }));
    // Olga's own organisation was verified at set-up.
    olga.provider.awareness.setLocalStateField('user', { name: 'Olga' });
    await eventually(() =>
      expect((viktar.provider.awareness.getStates().get(olga.doc.clientID) as { user?: Record<string, unknown> } | undefined)?.user).toMatchObject({
        organisation: 'Ministry of Foreign Affairs',
        verified: true,
      }),
    );

    // Verified: his next presence update (a cursor move, or the 15 s renewal) carries it.
    expect((await verify(impostor.organisationId)).status).toBe(201);
    viktar.provider.awareness.setLocalStateField('cursor', 2);
    await eventually(() => expect(seenByOlga(viktar)).toMatchObject({ verified: true }));
    expect((await unverify(impostor.organisationId)).status).toBe(200);
    viktar.provider.awareness.setLocalStateField('cursor', 3);
    await eventually(() => expect(seenByOlga(viktar)).toMatchObject({ verified: false }));
  });

  it('comment authors, the outline’s signers and dissenting positions carry whether their organisation is verified', async () => {
    const ngo = await addMember(server, coordinator, planId, 'drafter', NGO);
    const impostor = await addMember(server, coordinator, planId, 'commenter', SELF_NAMED, { verify: false });

    // A comment by the unverified "ministry" and a reply by the coordinator.
    const peer = connectPeer(server.url, coordinator, sectionId);
    peers.push(peer);
    await peer.synced();
    peer.typeParagraph('Everyone has the right to a fair trial.');
    await eventually(async () => expect(sectionPlainText((await server.sync.readDocument(sectionDocName(sectionId)))!)).toContain('fair trial'));
    const text = (getSectionBody(peer.doc).get(0) as Y.XmlElement).get(0) as Y.XmlText;
    const rel = (i: number) => Buffer.from(Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(text, i, -1))).toString('base64');
    const created = await impostor.client.post(`${plan()}/sections/${sectionId}/threads`, { anchor: { start: rel(0), end: rel(8), quote: 'Everyone' }, body: 'Who decides?' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const replied = await coordinator.post(`${plan()}/threads/${created.body.id}/comments`, { body: 'The courts.' });
    expect(replied.status).toBe(201);
    const thread = ThreadSchema.parse(replied.body);
    expect(thread.comments.map((c) => [c.organisation, c.organisationVerified])).toEqual([
      ['Ministry of Justice', false],
      ['Ministry of Foreign Affairs', true],
    ]);
    const listed = ThreadSchema.array().parse((await ngo.client.get(`${plan()}/sections/${sectionId}/threads`)).body);
    expect(listed[0]!.comments[0]!.organisationVerified).toBe(false);

    // The NGO records a position and both sides sign: all verified, the section agreed.
    expect((await ngo.client.post(`${plan()}/sections/${sectionId}/positions`, { text: 'A fair trial needs independent judges first.' })).status).toBe(201);
    for (const signer of [ngo.client, coordinator]) {
      const { currentHash } = (await signer.get(`${plan()}/sections/${sectionId}/agreement`)).body;
      expect((await signer.post(`${plan()}/sections/${sectionId}/signoffs`, { contentHash: currentHash })).status).toBe(201);
    }
    const agreed = await outlineSection();
    expect(agreed.status).toBe('agreed');
    expect(agreed.signedBy.map((s) => [s.organisation, s.verified])).toEqual([
      ['Human Rights Centre', true],
      ['Ministry of Foreign Affairs', true],
    ]);

    // The NGO's verification is withdrawn: the section stays agreed, its signature and position are marked.
    expect((await unverify(ngo.organisationId)).status).toBe(200);
    const after = await outlineSection();
    expect(after.status).toBe('agreed');
    expect(after.signedBy.find((s) => s.organisation === 'Human Rights Centre')?.verified).toBe(false);
    const positions = DissentingPositionSchema.array().parse((await coordinator.get(`${plan()}/sections/${sectionId}/positions`)).body);
    expect(positions.map((p) => [p.organisation, p.organisationVerified])).toEqual([['Human Rights Centre', false]]);
  });
});
