import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiClient } from '../helpers/api.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { setUpWorkspace } from '../helpers/workspace.ts';

let server: TestServer;
let coordinator: ApiClient;
let planId: string;

beforeEach(async () => {
  server = await startTestServer({ env: { PUBLIC_URL: 'https://accord.example.org' } });
  ({ coordinator, planId } = await setUpWorkspace(server));
});
afterEach(async () => {
  await server.destroy();
});

const raw = (path: string, init: RequestInit & { headers?: Record<string, string> }) =>
  fetch(server.url + path, { ...init, headers: { cookie: coordinator.cookie ?? '', ...init.headers } });

describe('request checks', () => {
  it('refuses state-changing requests from a foreign Origin with 403 bad_origin', async () => {
    for (const origin of ['https://evil.example', 'null', 'http://localhost:1']) {
      const res = await coordinator.request('POST', `/api/plans/${planId}/chapters`, { title: 'Injected' }, { origin });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('bad_origin');
    }
    const del = await coordinator.request('DELETE', `/api/plans/${planId}/members/AAAAAAAAAAAAAAAAAAAAAA`, undefined, {
      origin: 'https://evil.example',
    });
    expect(del.status).toBe(403);
    // Reads are not affected, and the configured public address is accepted.
    expect((await coordinator.request('GET', `/api/plans/${planId}`, undefined, { origin: 'https://evil.example' })).status).toBe(200);
    const viaPublic = await coordinator.request('POST', `/api/plans/${planId}/chapters`, { title: 'OK' }, {
      origin: 'https://accord.example.org',
    });
    expect(viaPublic.status).toBe(200);
    // No Origin header (non-browser clients): allowed.
    const noOrigin = await raw(`/api/plans/${planId}/chapters`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'From a script' }),
    });
    expect(noOrigin.status).toBe(200);
  });

  it('refuses non-JSON bodies with 415 and malformed JSON with 400 invalid_json', async () => {
    const form = await raw(`/api/plans/${planId}/chapters`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
      body: 'title=Injected',
    });
    expect(form.status).toBe(415);
    expect((await form.json()).error.code).toBe('unsupported_media_type');
    const text = await raw(`/api/plans/${planId}/chapters`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '{"title":"Injected"}',
    });
    expect(text.status).toBe(415);

    const broken = await raw(`/api/plans/${planId}/chapters`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"title": ',
    });
    expect(broken.status).toBe(400);
    const body = await broken.json();
    expect(body.error.code).toBe('invalid_json');
    expect(typeof body.error.message).toBe('string');

    const outline = (await coordinator.get(`/api/plans/${planId}`)).body;
    expect(outline.chapters.map((c: { title: string }) => c.title)).toEqual(['Introduction']);
  });

  it('answers bad bodies with 400 and the error shape', async () => {
    for (const body of [{}, { title: 42 }, { title: 'x'.repeat(301) }, []]) {
      const res = await coordinator.post(`/api/plans/${planId}/chapters`, body);
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'invalid_request', message: expect.any(String) });
    }
    const res = await coordinator.post('/api/auth/sign-in', { email: 'not-an-email', password: '' });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.error.fields).sort()).toEqual(['email', 'password']);
  });

  it('answers unknown API routes with 404 in the error shape', async () => {
    const res = await coordinator.get('/api/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });

  it('uses PUBLIC_URL for invite links', async () => {
    const res = await coordinator.post(`/api/plans/${planId}/invites`, { role: 'observer' });
    expect(res.body.url).toBe(`https://accord.example.org/invite/${res.body.token}`);
  });
});
