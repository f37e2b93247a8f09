import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { getSectionBody, sectionDocName, sectionPlainText } from '../../shared/doc/schema.ts';
import { Redis } from 'ioredis';
import { clusterEnv } from '../helpers/cluster.ts';
import { eventually } from '../helpers/server.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { addMember, setUpWorkspace } from '../helpers/workspace.ts';
import { ApiClient } from '../helpers/api.ts';
import { Limits } from '../../shared/limits.ts';
import { connectPeer, type Peer } from '../helpers/peer.ts';
import { CloseCode } from '../../shared/protocol.ts';
import { serverEdit } from '../helpers/serverEdit.ts';

// Two Accord servers in this test's process, sharing one database and one Redis, so a test can
// act on both within one turn of the event loop: before anything one publishes reaches the other.
let servers: TestServer[] = [];
const peers: Peer[] = [];
let dataDir: string;
let prefix: string;
let redisUrl: string;

afterEach(async () => {
  for (const p of peers.splice(0)) p.destroy();
  for (const s of servers.splice(0)) await s.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function twoServers(): Promise<[TestServer, TestServer]> {
  dataDir = mkdtempSync(join(tmpdir(), 'accord-cluster-'));
  const env = await clusterEnv();
  prefix = env.REDIS_PREFIX;
  redisUrl = env.REDIS_URL;
  const a = await startTestServer({ dataDir, env });
  const b = await startTestServer({ dataDir, env });
  servers = [a, b];
  return [a, b];
}

/** Someone has the section open through each server, so each holds it in memory. */
async function openOnEach(servers: TestServer[], client: ApiClient, sectionId: string): Promise<void> {
  for (const server of servers) {
    const peer = connectPeer(server.url, client, sectionId);
    peers.push(peer);
    await peer.synced();
  }
}

function appendParagraph(text: string) {
  return (doc: Y.Doc) => {
    const p = new Y.XmlElement('paragraph');
    p.insert(0, [new Y.XmlText(text)]);
    getSectionBody(doc).push([p]);
  };
}

describe('what one process stores is never lost or missed by another', () => {
  it('a log compacted by one process keeps what another stored a moment before', async () => {
    const [a, b] = await twoServers();
    const { coordinator, planId, sectionId } = await setUpWorkspace(a);
    const name = sectionDocName(sectionId);
    await openOnEach([a, b], coordinator, sectionId);
    await serverEdit(a, name, planId, appendParagraph('from A'));
    await serverEdit(b, name, planId, appendParagraph('also from B'));
    await new Promise((r) => setTimeout(r, 100));

    // In one turn: B stores an edit, and A (which has not heard of it yet) compacts on its way out.
    await serverEdit(b, name, planId, appendParagraph('stored by B just now'));
    expect(sectionPlainText(a.sync.loadedDocument(name)!)).not.toContain('stored by B just now');
    await a.close();

    const stored = (await b.sync.readDocument(name))!;
    expect(sectionPlainText(stored)).toContain('from A');
    expect(sectionPlainText(stored)).toContain('stored by B just now');
  });

  it('what is read to be hashed or signed includes what another process stored a moment before', async () => {
    const [a, b] = await twoServers();
    const { coordinator, planId, sectionId } = await setUpWorkspace(a);
    const name = sectionDocName(sectionId);
    await openOnEach([a, b], coordinator, sectionId);
    await serverEdit(a, name, planId, appendParagraph('from A'));
    await serverEdit(b, name, planId, appendParagraph('stored by B just now'));
    // A's room has not heard of B's edit in this turn; storage has it.
    expect(sectionPlainText((await a.sync.readDocument(name))!)).toContain('stored by B just now');
    // A server edit made through A starts from storage too, and keeps B's words.
    await serverEdit(a, name, planId, appendParagraph('then A again'));
    await new Promise((r) => setTimeout(r, 100));
    for (const s of [a, b]) {
      const text = sectionPlainText((await s.sync.readDocument(name))!);
      expect(text).toMatch(/from A[\s\S]*stored by B just now[\s\S]*then A again/);
      expect(sectionPlainText(s.sync.loadedDocument(name)!)).toBe(text);
    }
  });

  it('a process that lost its link to Redis catches up from storage on what it missed', async () => {
    const [a, b] = await twoServers();
    const { coordinator, planId, sectionId } = await setUpWorkspace(a);
    const name = sectionDocName(sectionId);
    await openOnEach([a, b], coordinator, sectionId);
    await serverEdit(a, name, planId, appendParagraph('from A'));
    await serverEdit(b, name, planId, appendParagraph('from B'));
    await eventually(() => expect(sectionPlainText(a.sync.loadedDocument(name)!)).toContain('from B'));

    // Both processes stop listening; B stores an edit before they are back, so its message is lost.
    const admin = new Redis(redisUrl);
    try {
      const list = (await admin.client('LIST')) as string;
      const listeners = list
        .split('\n')
        .filter((line) => line.includes(` name=${prefix}sub:`))
        .map((line) => /^id=(\d+) /.exec(line)![1]!);
      expect(listeners).toHaveLength(2);
      for (const id of listeners) await admin.client('KILL', 'ID', id);
    } finally {
      admin.disconnect();
    }
    await serverEdit(b, name, planId, appendParagraph('while nobody listened'));
    await eventually(() => expect(sectionPlainText(a.sync.loadedDocument(name)!)).toContain('while nobody listened'));
  });

  it('an edit another process takes as a section is agreed is never stored after the agreement', async () => {
    const [a, b] = await twoServers();
    const { coordinator, planId, sectionId } = await setUpWorkspace(a);
    const name = sectionDocName(sectionId);
    const ngo = await addMember(a, coordinator, planId, 'drafter', {
      name: 'Nina Lawyer',
      email: 'nina@ngo.example',
      organisation: { name: 'Human Rights Centre', side: 'civil_society' },
    });
    await serverEdit(a, name, planId, appendParagraph('The State will abolish the death penalty.'));
    // Olga has the section open through B.
    const olgaAtB = connectPeer(b.url, coordinator, sectionId);
    const codes: number[] = [];
    olgaAtB.provider.on('connection-close', (event) => {
      if (event) codes.push(event.code);
    });
    peers.push(olgaAtB);
    await olgaAtB.synced();
    await eventually(() => expect(olgaAtB.text()).toContain('death penalty'));

    const path = `/api/plans/${planId}/sections/${sectionId}`;
    const { currentHash } = (await coordinator.get(`${path}/agreement`)).body as { currentHash: string };
    expect((await ngo.client.post(`${path}/signoffs`, { contentHash: currentHash })).status).toBe(201);
    // In the very turn A agrees the section, B takes an edit (as if Olga's keystroke had just
    // arrived): B has not heard of the agreement, and stores at the end of its turn.
    a.events.on('sectionAgreed', () => {
      const p = new Y.XmlElement('paragraph');
      p.insert(0, [new Y.XmlText('a keystroke too late')]);
      getSectionBody(b.sync.loadedDocument(name)!).push([p]);
    });
    const signed = await coordinator.post(`${path}/signoffs`, { contentHash: currentHash });
    expect(signed.body.status).toBe('agreed');

    // B refuses to store it, and its editors reconnect read-only to what is stored.
    await eventually(() => expect(codes).toContain(CloseCode.PermissionsChanged));
    await new Promise((r) => setTimeout(r, 700)); // past the signature watch's settling
    const after = (await coordinator.get(`${path}/agreement`)).body as { status: string; currentHash: string; agreedHash: string };
    expect(after).toMatchObject({ status: 'agreed', agreedHash: currentHash, currentHash });
    for (const s of [a, b]) expect(sectionPlainText((await s.sync.readDocument(name))!)).not.toContain('too late');
  });

  it('failed sign-ins counted through one process slow the same guesses through another', async () => {
    const [a, b] = await twoServers();
    await setUpWorkspace(a);
    const guess = (server: TestServer) => new ApiClient(server.url).post('/api/auth/sign-in', { email: 'olga@mfa.example', password: 'a wrong guess' });
    for (let i = 0; i < Limits.signInFreeFailures; i++) expect((await guess(a)).status).toBe(401);
    const elsewhere = await guess(b);
    expect(elsewhere.status, JSON.stringify(elsewhere.body)).toBe(429);
  });

  it('an export made by one process is followed and downloaded through another', async () => {
    const [a, b] = await twoServers();
    const { coordinator, planId } = await setUpWorkspace(a);
    const atB = new ApiClient(b.url);
    atB.cookie = coordinator.cookie;
    const started = await coordinator.post(`/api/plans/${planId}/exports`, { format: 'html', scope: 'current' });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const done = await eventually(async () => {
      const job = await atB.get(`/api/plans/${planId}/exports/${started.body.id}`);
      expect(job.status).toBe(200);
      expect(job.body.state).toBe('done');
      return job.body;
    }, 60_000, 50);
    expect(done.id).toBe(started.body.id);
    const file = await fetch(`${b.url}/api/plans/${planId}/exports/${started.body.id}/file`, { headers: { cookie: coordinator.cookie! } });
    expect(file.status).toBe(200);
    expect(await file.text()).toContain('National Human Rights Plan');
  });
});
