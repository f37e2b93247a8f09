import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ApiClient } from '../helpers/api.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { COORDINATOR_PASSWORD } from '../helpers/workspace.ts';
import { readStoredDocument } from '../../server/storage/readDocument.ts';
import { sectionDocName, sectionPlainText } from '../../shared/doc/schema.ts';
import { MeSchema, PlanOutlineSchema, type PlanOutline } from '../../shared/api/index.ts';
import { Limits } from '../../shared/limits.ts';
import * as Y from 'yjs';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await server.destroy();
});

const SETUP = {
  name: 'Olga Coordinator',
  email: 'Olga@MFA.example',
  password: COORDINATOR_PASSWORD,
  organisation: { name: 'Ministry of Foreign Affairs', side: 'government' },
};

describe('setup', () => {
  it('runs once: creates the organisation and the user, signs them in, then refuses a second setup', async () => {
    const api = new ApiClient(server.url);
    expect((await api.get('/api/setup/status')).body).toEqual({ needsSetup: true });
    // What the browser asks first: before setup, and signed out, is an answer, not a 401.
    expect(await api.get('/api/auth/session')).toMatchObject({ status: 200, body: { needsSetup: true, me: null } });

    const res = await api.post('/api/setup', SETUP);
    expect(res.status).toBe(201);
    const me = MeSchema.parse(res.body);
    expect(me.user).toMatchObject({ name: 'Olga Coordinator', email: 'olga@mfa.example' });
    expect(me.organisation).toMatchObject({ name: 'Ministry of Foreign Affairs', side: 'government' });
    expect(me.organisation.color).toMatch(/^#[0-9a-f]{6}$/);
    expect(res.headers.get('set-cookie')).toMatch(/accord_session=.+; Max-Age=2592000; Path=\/; HttpOnly; SameSite=Lax/);
    expect((await api.get('/api/auth/me')).body).toEqual(me);
    expect((await api.get('/api/setup/status')).body).toEqual({ needsSetup: false });
    expect((await api.get('/api/auth/session')).body).toEqual({ needsSetup: false, me });
    expect(await new ApiClient(server.url).get('/api/auth/session')).toMatchObject({ status: 200, body: { needsSetup: false, me: null } });
    const hash = (await server.sql.theRow(z.object({ h: z.string() }), sql`SELECT password_hash AS h FROM users`)).h;
    expect(hash).toMatch(/^\$argon2id\$/);

    const again = await new ApiClient(server.url).post('/api/setup', { ...SETUP, email: 'other@mfa.example' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('already_set_up');
    expect((await server.sql.theRow(z.object({ n: z.number() }), sql`SELECT count(*) AS n FROM users`)).n).toBe(1);
  });

  it('loads the Belarus sample plan with stored, seeded section documents', async () => {
    const api = new ApiClient(server.url);
    expect((await api.post('/api/setup', { ...SETUP, loadSample: true })).status).toBe(201);
    const plans = await api.get('/api/plans');
    expect(plans.body).toHaveLength(1);
    expect(plans.body[0]).toMatchObject({ country: 'Belarus', periodStart: 2026, periodEnd: 2030, role: 'coordinator' });
    expect(plans.body[0].source).toContain('A/HRC/15/16');

    const outline: PlanOutline = PlanOutlineSchema.parse((await api.get(`/api/plans/${plans.body[0].id}`)).body);
    expect(outline.chapters.map((c) => c.title)).toContain('Death penalty');
    expect(outline.chapters.length).toBeGreaterThanOrEqual(5);
    let listed = 0;
    for (const chapter of outline.chapters) {
      expect(chapter.sections.length).toBeGreaterThanOrEqual(1);
      expect(chapter.sections.length).toBeLessThanOrEqual(3);
      for (const section of chapter.sections) {
        const stored = await readStoredDocument(server.sql, sectionDocName(section.id));
        expect(stored, section.title).not.toBeNull();
        const doc = new Y.Doc();
        for (const u of stored!.updates) Y.applyUpdate(doc, u);
        const text = sectionPlainText(doc);
        expect(text.split('\n')[0]).toBe(section.title);
        expect(text).toContain('Recommendations this section responds to:');
        listed += (text.match(/^BLR-C1-\d+\.\d+[a-z]? — /gm) ?? []).length;
      }
    }
    // Every recommendation of the source file appears exactly once.
    expect(listed).toBe(167);

    // And the registry holds them, imported through the ordinary (undoable) import path.
    const registry = await api.get(`/api/plans/${plans.body[0].id}/recommendations?limit=1`);
    expect(registry.body.total).toBe(167);
    const imports = await api.get(`/api/plans/${plans.body[0].id}/imports`);
    expect(imports.body).toHaveLength(1);
    expect(imports.body[0]).toMatchObject({ created: 167, filename: 'belarus-upr-cycle1-recommendations.csv' });
  });

  it('leaves nothing when loading the sample fails half way: no account, plan or entry, and set-up can be done again', async () => {
    // The sample's recommendations cannot be written (as with a full disk): the last part of set-up fails.
    if (server.sql.engine === 'sqlite') {
      await server.sql.run(sql`CREATE TRIGGER sample_fails BEFORE INSERT ON recommendations BEGIN SELECT RAISE(ABORT, 'no room left'); END`);
    } else {
      await server.sql.run(sql`CREATE FUNCTION sample_fails() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'no room left'; END $$`);
      await server.sql.run(sql`CREATE TRIGGER sample_fails BEFORE INSERT ON recommendations FOR EACH ROW EXECUTE FUNCTION sample_fails()`);
    }
    const api = new ApiClient(server.url);
    const failed = await api.post('/api/setup', { ...SETUP, loadSample: true });
    expect(failed.status).toBe(500);
    expect(api.cookie).toBeUndefined();
    const left = async (table: string) => (await server.sql.theRow(z.object({ n: z.number() }), sql`SELECT count(*) AS n FROM ${sql.table(table)}`)).n;
    const tables = ['organisations', 'users', 'sessions', 'plans', 'plan_members', 'chapters', 'sections', 'documents', 'document_updates', 'imports', 'recommendations', 'audit_log'];
    const counts: Array<[string, number]> = [];
    for (const t of tables) counts.push([t, await left(t)]);
    expect(Object.fromEntries(counts)).toEqual(Object.fromEntries(tables.map((t) => [t, 0])));
    expect((await api.get('/api/setup/status')).body).toEqual({ needsSetup: true });

    await server.sql.run(server.sql.engine === 'sqlite' ? sql`DROP TRIGGER sample_fails` : sql`DROP TRIGGER sample_fails ON recommendations`);
    expect((await api.post('/api/setup', { ...SETUP, loadSample: true })).status).toBe(201);
    const [plan] = (await api.get('/api/plans')).body;
    expect((await api.get(`/api/plans/${plan.id}/recommendations?limit=1`)).body.total).toBe(167);
  });

  it('writes the sample plan in the language set-up is done in; the UN recommendations stay as the UN wrote them', async () => {
    for (const [language, title, chapter, respondsTo, supported] of [
      ['be', 'Нацыянальны план дзеянняў у галіне правоў чалавека — Беларусь, 2026–2030 (узор)', 'Смяротнае пакаранне', 'Рэкамендацыі, на якія адказвае гэты раздзел:', 'падтрымана'],
      ['ru', 'Национальный план действий в области прав человека — Беларусь, 2026–2030 (образец)', 'Смертная казнь', 'Рекомендации, на которые отвечает этот раздел:', 'поддержана'],
    ] as const) {
      await server.destroy();
      server = await startTestServer();
      const api = new ApiClient(server.url);
      expect((await api.post('/api/setup', { ...SETUP, loadSample: true, language })).status).toBe(201);
      const [plan] = (await api.get('/api/plans')).body;
      expect(plan).toMatchObject({ title, country: 'Беларусь' });
      expect(plan.source).toContain('A/HRC/15/16');
      const outline: PlanOutline = PlanOutlineSchema.parse((await api.get(`/api/plans/${plan.id}`)).body);
      expect(outline.chapters.map((c) => c.title)).toContain(chapter);
      // Every chapter and section title is in the language: none is left in English.
      for (const c of outline.chapters) for (const t of [c.title, ...c.sections.map((x) => x.title)]) expect(t, t).not.toMatch(/[A-Za-z]{3,}/);
      const first = outline.chapters[0]!.sections[0]!;
      const doc = new Y.Doc();
      for (const u of (await readStoredDocument(server.sql, sectionDocName(first.id)))!.updates) Y.applyUpdate(doc, u);
      const text = sectionPlainText(doc);
      expect(text).toContain(respondsTo);
      expect(text).toMatch(/BLR-C1-\d+\.\d+[a-z]? — [A-Z]/);
      expect(text).toContain(`; ${supported})`);
      expect(text).not.toMatch(/; (supported|noted)\)/);
    }
  });
});

describe('sign-in and sign-out', () => {
  beforeEach(async () => {
    expect((await new ApiClient(server.url).post('/api/setup', SETUP)).status).toBe(201);
  });

  it('signs in with the right password and answers Me; sign-out invalidates the cookie', async () => {
    const api = new ApiClient(server.url);
    const res = await api.post('/api/auth/sign-in', { email: 'olga@mfa.example', password: COORDINATOR_PASSWORD });
    expect(res.status).toBe(200);
    expect(MeSchema.parse(res.body).user.email).toBe('olga@mfa.example');
    const cookie = api.cookie;
    expect((await api.get('/api/auth/me')).status).toBe(200);

    const out = await api.post('/api/auth/sign-out');
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/accord_session=; Max-Age=0/);
    expect(api.cookie).toBeUndefined();
    // The old cookie no longer works even if a client kept it.
    const stale = new ApiClient(server.url);
    stale.cookie = cookie;
    expect((await stale.get('/api/auth/me')).status).toBe(401);
  });

  it("keeps a person's chosen language with the account: null until chosen, returned by Me and on the next sign-in", async () => {
    const api = new ApiClient(server.url);
    const signIn = () => api.post('/api/auth/sign-in', { email: 'olga@mfa.example', password: COORDINATOR_PASSWORD });
    expect(MeSchema.parse((await signIn()).body).user.language).toBeNull();

    const chosen = await api.request('PUT', '/api/auth/me/language', { language: 'be' });
    expect(chosen.status).toBe(200);
    expect(MeSchema.parse(chosen.body).user.language).toBe('be');
    expect(MeSchema.parse((await api.get('/api/auth/me')).body).user.language).toBe('be');

    // Refused without changing anything: a language Accord is not written in, or no language at all.
    for (const body of [{ language: 'de' }, { language: 'BE' }, {}, { language: null }]) {
      const bad = await api.request('PUT', '/api/auth/me/language', body);
      expect(bad.status).toBe(400);
      expect(bad.body.error.code).toBe('invalid_request');
    }
    await api.post('/api/auth/sign-out');
    expect((await api.request('PUT', '/api/auth/me/language', { language: 'ru' })).status).toBe(401);
    expect(MeSchema.parse((await signIn()).body).user.language).toBe('be');
  });

  it('refuses a wrong password and an unknown e-mail with the same answer', async () => {
    const api = new ApiClient(server.url);
    const wrong = await api.post('/api/auth/sign-in', { email: 'olga@mfa.example', password: 'not the password' });
    const unknown = await api.post('/api/auth/sign-in', { email: 'nobody@mfa.example', password: 'not the password' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body.error.code).toBe('invalid_credentials');
    expect(api.cookie).toBeUndefined();
  });

  it('answers 401 to requests without a session', async () => {
    const api = new ApiClient(server.url);
    for (const path of ['/api/auth/me', '/api/plans']) {
      const res = await api.get(path);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('unauthenticated');
    }
    expect((await api.post('/api/plans', { title: 'x', country: 'y', periodStart: 2026, periodEnd: 2027 })).status).toBe(401);
  });

  it('slows failed sign-ins per e-mail, even from different addresses (tests/integration/sign-in-throttling.test.ts has the rest)', async () => {
    const api = new ApiClient(server.url);
    const attempt = (ip: string, password = 'not the password') =>
      api.request('POST', '/api/auth/sign-in', { email: 'olga@mfa.example', password }, { 'x-forwarded-for': ip });
    for (let i = 0; i < Limits.signInFreeFailures; i++) expect((await attempt(`10.0.0.${i + 1}`)).status).toBe(401);
    const limited = await attempt('10.0.1.1');
    expect(limited.status).toBe(429);
    expect(limited.body.error).toMatchObject({ code: 'rate_limited', params: { retryAfterSeconds: 1 } });
    expect(limited.headers.get('retry-after')).toBe('1');
    // Even the right password is refused until the wait is over, from a browser not trusted before.
    expect((await attempt('10.0.1.2', COORDINATOR_PASSWORD)).status).toBe(429);
  });

  it('rate-limits failed sign-ins per address, across e-mails', async () => {
    const api = new ApiClient(server.url);
    const attempt = (i: number) =>
      api.request(
        'POST',
        '/api/auth/sign-in',
        { email: `someone${i}@example.org`, password: 'not the password' },
        { 'x-forwarded-for': '10.9.9.9' },
      );
    for (let i = 0; i < Limits.signInFreeFailuresPerAddress; i++) expect((await attempt(i)).status).toBe(401);
    const limited = await attempt(99);
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('rate_limited');
    // Another address is not affected.
    const other = await api.request(
      'POST',
      '/api/auth/sign-in',
      { email: 'olga@mfa.example', password: COORDINATOR_PASSWORD },
      { 'x-forwarded-for': '10.9.9.10' },
    );
    expect(other.status).toBe(200);
  });
});
