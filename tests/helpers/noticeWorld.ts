import { expect } from 'vitest';
import * as Y from 'yjs';
import type { ApiClient } from './api.ts';
import { connectPeer, type Peer } from './peer.ts';
import { eventually } from './server.ts';
import { addMember, setUpWorkspace } from './workspace.ts';
import { getSectionBody, sectionDocName, sectionPlainText } from '../../shared/doc/schema.ts';
import { newSuggestionId, SUGGEST_INSERT } from '../../shared/doc/suggestions.ts';
import { NotificationSchema, type CommentAnchor, type Notification } from '../../shared/api/index.ts';

export interface Person {
  client: ApiClient;
  userId: string;
  name: string;
  email: string;
  organisation: string;
}

/**
 * A plan where notices happen: Olga (coordinator, government) wrote the first section's text;
 * Gary drafts for the government; Nina drafts for civil society, which must suggest; Carl comments
 * (and may suggest) for an international organisation; Oscar observes. Nobody else is in the plan.
 */
export interface NoticeWorld {
  planId: string;
  sectionId: string;
  /** The first section's title. */
  title: string;
  olga: Person;
  gary: Person;
  nina: Person;
  carl: Person;
  oscar: Person;
  /** Olga's connection to the section (holds the text comments are anchored on). */
  peer: Peer;
}

export const PARAGRAPH = 'Everyone has the right to a fair trial.';

export async function setUpNoticeWorld(server: { url: string; sync: { readDocument(name: string): Promise<Y.Doc | null> } }): Promise<NoticeWorld> {
  const ws = await setUpWorkspace(server);
  const me = (await ws.coordinator.get('/api/auth/me')).body;
  const olga: Person = { client: ws.coordinator, userId: me.user.id, name: 'Olga Coordinator', email: 'olga@mfa.example', organisation: 'Ministry of Foreign Affairs' };
  const add = async (role: 'drafter' | 'commenter' | 'observer', name: string, email: string, organisation: string, side: 'government' | 'civil_society' | 'international') => {
    const m = await addMember(server, ws.coordinator, ws.planId, role, { name, email, organisation: { name: organisation, side } });
    return { client: m.client, userId: m.userId, name, email, organisation } satisfies Person;
  };
  const gary = await add('drafter', 'Gary Official', 'gary@moj.example', 'Ministry of Justice', 'government');
  const nina = await add('drafter', 'Nina Lawyer', 'nina@hrc.example', 'Human Rights Centre', 'civil_society');
  const carl = await add('commenter', 'Carl Commenter', 'carl@un.example', 'UN Country Team', 'international');
  const oscar = await add('observer', 'Oscar Observer', 'oscar@obs.example', 'Election Observers', 'civil_society');
  const rule = await ws.coordinator.request('PUT', `/api/plans/${ws.planId}/suggestion-rule`, { commentersSuggest: true, suggestOnlySides: ['civil_society'] });
  expect(rule.status, JSON.stringify(rule.body)).toBe(200);
  const outline = await ws.coordinator.get(`/api/plans/${ws.planId}`);
  const title: string = outline.body.chapters[0].sections[0].title;

  const peer = connectPeer(server.url, ws.coordinator, ws.sectionId);
  await peer.synced();
  peer.typeParagraph(PARAGRAPH);
  await eventually(async () => expect(sectionPlainText((await server.sync.readDocument(sectionDocName(ws.sectionId)))!)).toContain('fair trial'));
  return { planId: ws.planId, sectionId: ws.sectionId, title, olga, gary, nina, carl, oscar, peer };
}

/** An anchor on the first words of the paragraph, as the editor would make it. */
export function anchorOn(peer: Peer): CommentAnchor {
  const text = (getSectionBody(peer.doc).get(0) as Y.XmlElement).get(0) as Y.XmlText;
  const rel = (i: number) => Buffer.from(Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(text, i, -1))).toString('base64');
  return { start: rel(0), end: rel(8), quote: 'Everyone' };
}

/** `@[Name](id)`, the way the comment box writes a mention. */
export const mention = (p: Person) => `@[${p.name}](${p.userId})`;

/** The person proposes inserting `words` at the start of the paragraph, over their own connection; returns the suggestion's id. */
export async function suggestInsertion(serverUrl: string, who: Person, sectionId: string, words: string): Promise<string> {
  const peer = connectPeer(serverUrl, who.client, sectionId);
  try {
    await peer.synced();
    const id = newSuggestionId();
    const text = (getSectionBody(peer.doc).get(0) as Y.XmlElement).get(0) as Y.XmlText;
    text.insert(0, words, { [SUGGEST_INSERT]: { id, author: who.userId, at: Date.now() } });
    await eventually(() => expect(peer.isSaved()).toBe(true));
    expect(peer.closes, 'the server refused the suggestion').toEqual([]);
    return id;
  } finally {
    peer.destroy();
  }
}

/** The person's notices, newest first, as the app reads them. */
export async function noticesOf(who: Person): Promise<Notification[]> {
  const res = await who.client.get('/api/notifications');
  expect(res.status).toBe(200);
  return (res.body as unknown[]).map((n) => NotificationSchema.parse(n));
}
