import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPlanEvents } from '../helpers/events.ts';
import { eventually, startTestServer, type TestServer } from '../helpers/server.ts';
import { anchorOn, mention, noticesOf, setUpNoticeWorld, suggestInsertion, type NoticeWorld, type Person } from '../helpers/noticeWorld.ts';
import { addMember } from '../helpers/workspace.ts';
import { notify } from '../../server/services/notifications.ts';
import { NOTIFICATIONS_PAGE, NotificationSchema, type Notification } from '../../shared/api/index.ts';

/**
 * The inbox (issue #15): people mentioned in a comment, and the authors of suggestions someone
 * else decided, find a notice naming who did it and where, with a link there; nobody is told about
 * what they did themself; the plan's live stream says when notices arrived; notices are marked
 * read one by one or all at once, only ever one's own.
 */
let server: TestServer;
let w: NoticeWorld;
let outsider: Person;

beforeAll(async () => {
  server = await startTestServer();
  w = await setUpNoticeWorld(server);
  const other = await w.olga.client.post('/api/plans', { title: 'Another plan', country: 'Belarus', periodStart: 2026, periodEnd: 2030 });
  const m = await addMember(server, w.olga.client, other.body.id, 'drafter', {
    name: 'Otto Outsider',
    email: 'otto@elsewhere.example',
    organisation: { name: 'Elsewhere', side: 'civil_society' },
  });
  outsider = { client: m.client, userId: m.userId, name: 'Otto Outsider', email: 'otto@elsewhere.example', organisation: 'Elsewhere' };
});
afterAll(async () => {
  w?.peer.destroy();
  await server?.destroy();
});

const plan = () => `/api/plans/${w.planId}`;
const ofKind = async (who: Person, kind: string) => (await noticesOf(who)).filter((n) => n.kind === kind);

describe('mentions', () => {
  it('tells each mentioned member once per comment, not the author, not outsiders, live', async () => {
    const events = await openPlanEvents(server.url, w.nina.client, w.planId);
    try {
      const body = `${mention(w.nina)} and ${mention(w.oscar)}, see this. ${mention(w.carl)} ${mention(outsider)} ${mention(w.nina)}`;
      const created = await w.carl.client.post(`${plan()}/sections/${w.sectionId}/threads`, { anchor: anchorOn(w.peer), body });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const threadId: string = created.body.id;

      const [toNina, ...more] = await ofKind(w.nina, 'mention');
      expect(more).toEqual([]);
      expect(toNina).toMatchObject({
        planId: w.planId,
        readAt: null,
        link: `/plans/${w.planId}/sections/${w.sectionId}#thread-${threadId}`,
        summary: `Carl Commenter (UN Country Team) mentioned you in a comment on “${w.title}”: “@Nina Lawyer and @Oscar Observer, see this. @Carl Commenter @Otto Outsider @Nina Lawyer”`,
      });
      // Observers read comments, so they can be asked something too.
      expect(await ofKind(w.oscar, 'mention')).toHaveLength(1);
      expect(await ofKind(w.carl, 'mention')).toEqual([]);
      expect(await ofKind(w.gary, 'mention')).toEqual([]);
      expect(await ofKind(w.olga, 'mention')).toEqual([]);
      expect(await ofKind(outsider, 'mention')).toEqual([]);
      await eventually(() => expect(events.received.map((e) => e.type)).toContain('notifications'));

      // A reply is a new comment: a new notice. Its author mentioning themself is not one.
      const replied = await w.nina.client.post(`${plan()}/threads/${threadId}/comments`, { body: `Thanks. ${mention(w.carl)} ${mention(w.nina)}` });
      expect(replied.status).toBe(201);
      const [toCarl] = await ofKind(w.carl, 'mention');
      expect(toCarl!.summary).toBe(`Nina Lawyer (Human Rights Centre) mentioned you in a comment on “${w.title}”: “Thanks. @Carl Commenter @Nina Lawyer”`);
      expect(await ofKind(w.nina, 'mention')).toHaveLength(1);

      // Editing tells only whom the edit adds.
      const replyId: string = replied.body.comments[1].id;
      const edited = await w.nina.client.patch(`${plan()}/comments/${replyId}`, { body: `Thanks. ${mention(w.carl)} and ${mention(w.gary)}` });
      expect(edited.status).toBe(200);
      expect(await ofKind(w.carl, 'mention')).toHaveLength(1);
      const [toGary] = await ofKind(w.gary, 'mention');
      expect(toGary!.summary).toContain('Nina Lawyer (Human Rights Centre) mentioned you in a comment on');
    } finally {
      await events.close();
    }
  });

  it('a comment nobody is mentioned in leaves no notice and no notifications event', async () => {
    const before = (await noticesOf(w.gary)).length;
    const events = await openPlanEvents(server.url, w.gary.client, w.planId);
    try {
      const created = await w.carl.client.post(`${plan()}/sections/${w.sectionId}/threads`, { anchor: anchorOn(w.peer), body: 'No one in particular.' });
      expect(created.status).toBe(201);
      await eventually(() => expect(events.received.map((e) => e.type)).toContain('comments'));
      expect(events.received.map((e) => e.type)).not.toContain('notifications');
      expect(await noticesOf(w.gary)).toHaveLength(before);
    } finally {
      await events.close();
    }
  });

  it('a refused comment tells nobody', async () => {
    const before = (await noticesOf(w.nina)).length;
    const refused = await w.oscar.client.post(`${plan()}/sections/${w.sectionId}/threads`, { anchor: anchorOn(w.peer), body: `${mention(w.nina)} hello` });
    expect(refused.status).toBe(403);
    expect(await noticesOf(w.nina)).toHaveLength(before);
  });
});

describe('decisions on suggestions', () => {
  const decide = (who: Person, body: object) => who.client.post(`${plan()}/sections/${w.sectionId}/suggestions/decisions`, body);

  it('tells each author whose suggestions someone else decided, with the reason; not the decider', async () => {
    const first = await suggestInsertion(server.url, w.nina, w.sectionId, 'Truly, ');
    const accepted = await decide(w.gary, { decision: 'accept', ids: [first] });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    const [toNina] = await ofKind(w.nina, 'suggestion_decided');
    expect(toNina).toMatchObject({
      readAt: null,
      link: `/plans/${w.planId}/sections/${w.sectionId}`,
      summary: `Gary Official (Ministry of Justice) accepted your suggestion in “${w.title}”: insert “Truly, ”.`,
    });

    // Two of Nina's and one of Carl's, rejected together: one notice each, with the reason.
    await suggestInsertion(server.url, w.nina, w.sectionId, 'Always, ');
    await suggestInsertion(server.url, w.nina, w.sectionId, 'Indeed, ');
    await suggestInsertion(server.url, w.carl, w.sectionId, 'Everywhere, ');
    const events = await openPlanEvents(server.url, w.nina.client, w.planId);
    try {
      const rejected = await decide(w.olga, { decision: 'reject', all: true, reason: 'The sentence must stay short.' });
      expect(rejected.status, JSON.stringify(rejected.body)).toBe(200);
      expect(rejected.body.decided).toHaveLength(3);
      await eventually(() => expect(events.received.map((e) => e.type)).toContain('notifications'));
    } finally {
      await events.close();
    }
    const ninas = await ofKind(w.nina, 'suggestion_decided');
    expect(ninas).toHaveLength(2);
    expect(ninas[0]!.summary).toMatch(
      new RegExp(`^Olga Coordinator \\(Ministry of Foreign Affairs\\) rejected 2 of your suggestions in “${w.title}”: insert “(Always|Indeed), ”; insert “(Always|Indeed), ”\\. Reason: The sentence must stay short\\.$`),
    );
    const carls = await ofKind(w.carl, 'suggestion_decided');
    expect(carls.map((n) => n.summary)).toEqual([
      `Olga Coordinator (Ministry of Foreign Affairs) rejected your suggestion in “${w.title}”: insert “Everywhere, ”. Reason: The sentence must stay short.`,
    ]);
    expect(await ofKind(w.olga, 'suggestion_decided')).toEqual([]);
    expect(await ofKind(w.gary, 'suggestion_decided')).toEqual([]);
    expect(await ofKind(w.oscar, 'suggestion_decided')).toEqual([]);
  });

  it('withdrawing one’s own suggestion tells nobody', async () => {
    const own = await suggestInsertion(server.url, w.nina, w.sectionId, 'Perhaps, ');
    const before = (await noticesOf(w.nina)).length;
    const withdrawn = await decide(w.nina, { decision: 'reject', ids: [own] });
    expect(withdrawn.status, JSON.stringify(withdrawn.body)).toBe(200);
    expect(withdrawn.body.decided).toHaveLength(1);
    expect(await noticesOf(w.nina)).toHaveLength(before);
  });

  it('a refused decision tells nobody', async () => {
    const s = await suggestInsertion(server.url, w.carl, w.sectionId, 'Maybe, ');
    const before = (await noticesOf(w.carl)).length;
    // Nina may only suggest: she cannot accept anyone's, nor reject Carl's.
    expect((await decide(w.nina, { decision: 'accept', ids: [s] })).status).toBe(403);
    expect((await decide(w.nina, { decision: 'reject', ids: [s] })).status).toBe(403);
    expect(await noticesOf(w.carl)).toHaveLength(before);
  });
});

describe('reading notices', () => {
  it('marks the listed notices read, only one’s own, or all of them', async () => {
    const nina = await noticesOf(w.nina);
    const unread = nina.filter((n) => n.readAt === null);
    expect(unread.length).toBeGreaterThan(2);
    const [one, ...rest] = unread;

    // Someone else's ids change nothing.
    expect((await w.gary.client.post('/api/notifications/read', { ids: [one!.id] })).status).toBe(204);
    expect((await noticesOf(w.nina)).find((n) => n.id === one!.id)!.readAt).toBeNull();

    expect((await w.nina.client.post('/api/notifications/read', { ids: [one!.id] })).status).toBe(204);
    const after = await noticesOf(w.nina);
    expect(after.find((n) => n.id === one!.id)!.readAt).not.toBeNull();
    expect(after.filter((n) => rest.some((r) => r.id === n.id)).every((n) => n.readAt === null)).toBe(true);

    const bad = await w.nina.client.post('/api/notifications/read', { ids: [] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBeTruthy();

    expect((await w.nina.client.post('/api/notifications/read', {})).status).toBe(204);
    expect((await noticesOf(w.nina)).every((n) => n.readAt !== null)).toBe(true);
    // Gary's are still his to read.
    expect((await noticesOf(w.gary)).some((n) => n.readAt === null)).toBe(true);
  });

  it('every notice can be reached, a page at a time, newest first, however many were stored at once', async () => {
    const before = (await noticesOf(w.oscar)).map((n) => n.id);
    // A round opened on many actions: notices stored within the same millisecond.
    const stored = await server.sql.transaction(async (tx) => {
      const ids: string[] = [];
      for (let i = 0; i < 2 * NOTIFICATIONS_PAGE + 7; i++) {
        ids.push(await notify(tx, { userId: w.oscar.userId, planId: w.planId, kind: 'mention', summary: `Notice ${i}`, text: { key: 'mention', params: {} }, link: null }));
      }
      return ids;
    });
    const pages: Notification[][] = [];
    for (let cursor: string | undefined; pages.length < 10; ) {
      const res = await w.oscar.client.get(`/api/notifications${cursor ? `?before=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      const page = (res.body as unknown[]).map((n) => NotificationSchema.parse(n));
      pages.push(page);
      if (page.length < NOTIFICATIONS_PAGE) break;
      cursor = page[page.length - 1]!.id;
    }
    expect(pages.map((p) => p.length)).toEqual([NOTIFICATIONS_PAGE, NOTIFICATIONS_PAGE, 7 + before.length]);
    // Each once, newest first, the ones from before these last.
    expect(pages.flat().map((n) => n.id)).toEqual([...stored.reverse(), ...before]);

    // Paging from someone else's notice, or from no notice, finds none of Oscar's.
    const garys = (await noticesOf(w.gary))[0]!.id;
    expect((await w.oscar.client.get(`/api/notifications?before=${garys}`)).body).toEqual([]);
    expect((await w.oscar.client.get('/api/notifications?before=not-a-notice-id')).body).toEqual([]);
    expect((await w.oscar.client.get('/api/notifications?before=%3Cnope%3E')).status).toBe(400);
  });
});
