import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiClient } from '../helpers/api.ts';
import { eventually, startTestServer, type TestServer } from '../helpers/server.ts';
import { addMember, setUpWorkspace } from '../helpers/workspace.ts';
import { openPlanEvents } from '../helpers/events.ts';

let server: TestServer;
let coordinator: ApiClient;
let planId: string;
let sectionId: string;

beforeEach(async () => {
  server = await startTestServer();
  ({ coordinator, planId, sectionId } = await setUpWorkspace(server));
});
afterEach(async () => {
  await server.destroy();
});

const openEvents = (client: ApiClient) => openPlanEvents(server.url, client, planId);

describe('plan event stream', () => {
  it('is refused to people outside the plan', async () => {
    const res = await fetch(`${server.url}/api/plans/${planId}/events`);
    expect(res.status).toBe(401);
    const outsider = await addMember(server, coordinator, planId, 'observer', {
      name: 'Out',
      email: 'out@example.org',
      organisation: { name: 'Out Org', side: 'international' },
    });
    await coordinator.delete(`/api/plans/${planId}/members/${outsider.userId}`);
    const stream = await openEvents(outsider.client);
    expect(stream.res.status).toBe(404);
  });

  it('tells a second member about an outline change within a second, and cleans up on close', async () => {
    const basePlan = server.events.listenerCount('plan');
    const baseAccess = server.events.listenerCount('access');
    const ngo = await addMember(server, coordinator, planId, 'drafter', {
      name: 'Nina Lawyer',
      email: 'nina@ngo.example',
      organisation: { name: 'Lawtrend', side: 'civil_society' },
    });
    const stream = await openEvents(ngo.client);
    expect(stream.res.status).toBe(200);
    expect(stream.res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(stream.res.headers.get('cache-control')).toBe('no-cache');
    expect(server.events.listenerCount('plan')).toBe(basePlan + 1);

    expect((await coordinator.patch(`/api/plans/${planId}/sections/${sectionId}`, { title: 'Scope' })).status).toBe(200);
    await eventually(() => expect(stream.received).toContainEqual({ type: 'outline' }), 1000);

    await coordinator.patch(`/api/plans/${planId}/members/${ngo.userId}`, { role: 'commenter' });
    await eventually(() => expect(stream.received).toContainEqual({ type: 'access', role: 'commenter' }), 1000);
    expect(stream.received).toContainEqual({ type: 'members' });

    await stream.close();
    await eventually(() => {
      expect(server.events.listenerCount('plan')).toBe(basePlan);
      expect(server.events.listenerCount('access')).toBe(baseAccess);
    });
  });

  it("ends a removed member's stream after telling them", async () => {
    const basePlan = server.events.listenerCount('plan');
    const ngo = await addMember(server, coordinator, planId, 'commenter', {
      name: 'Nina Lawyer',
      email: 'nina@ngo.example',
      organisation: { name: 'Lawtrend', side: 'civil_society' },
    });
    const stream = await openEvents(ngo.client);
    const mine = await openEvents(coordinator);
    await coordinator.delete(`/api/plans/${planId}/members/${ngo.userId}`);
    await eventually(() => expect(stream.isEnded()).toBe(true), 2000);
    expect(stream.received).toEqual([{ type: 'access', role: null }]);
    // The coordinator's stream stays open and hears about the member list.
    await eventually(() => expect(mine.received).toEqual([{ type: 'members' }]), 1000);
    expect(mine.isEnded()).toBe(false);
    await mine.close();
    await eventually(() => expect(server.events.listenerCount('plan')).toBe(basePlan));
  });
});
