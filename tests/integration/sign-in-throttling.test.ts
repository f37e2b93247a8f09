/**
 * Sign-in throttling slows whoever guesses and never locks the owner out: failed attempts make
 * further ones from the same address, or for the same account, wait 1 s, 2 s, 4 s… (up to a cap);
 * a browser the owner signed in with before is judged only by its own failures; a password reset
 * ends the account's waits. The server's clock is one the test moves, so waits are asserted from
 * the server's answers (429 with Retry-After), never from wall time.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clusterEnv } from '../helpers/cluster.ts';
import { ApiClient } from '../helpers/api.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { addMember, COORDINATOR_PASSWORD, MEMBER_PASSWORD, setUpWorkspace } from '../helpers/workspace.ts';
import { CreatedPasswordResetSchema } from '../../shared/api/index.ts';
import { Limits } from '../../shared/limits.ts';

const NINA = { name: 'Nina Lawyer', email: 'nina@ngo.example', organisation: { name: 'Lawtrend', side: 'civil_society' as const } };
const ATTACKER_ADDRESS = '203.0.113.66';
const NINA_ADDRESS = '198.51.100.20';
const OFFICE_ADDRESS = '192.0.2.10';

/** The server's clock: moved by the test, so a wait passes without sleeping. */
const clock = { t: Date.parse('2026-12-03T09:00:00Z'), now: () => clock.t };
const advance = (ms: number) => (clock.t += ms);

let server: TestServer;
let coordinator: ApiClient;
let planId: string;
let nina: { client: ApiClient; userId: string };
afterEach(async () => {
  await server.destroy();
});

/** One sign-in attempt from an address, with a browser's device cookie when it has one. */
function signIn(email: string, password: string, address: string, deviceCookie?: string) {
  return new ApiClient(server.url).request(
    'POST',
    '/api/auth/sign-in',
    { email, password },
    { 'x-forwarded-for': address, ...(deviceCookie ? { cookie: deviceCookie } : {}) },
  );
}

const deviceCookieOf = (res: { headers: Headers }) => {
  const line = res.headers.getSetCookie().find((c) => c.startsWith('accord_device='));
  expect(line, 'a successful sign-in sets the device cookie').toBeDefined();
  return line!.split(';')[0]!;
};

const expectWait = (res: { status: number; body: any; headers: Headers }, seconds: number) => {
  expect(res.status, JSON.stringify(res.body)).toBe(429);
  expect(res.body.error).toMatchObject({ code: 'rate_limited', params: { retryAfterSeconds: seconds } });
  expect(res.headers.get('retry-after')).toBe(String(seconds));
};

// The same rules whether failures are counted in the process or, with several processes, in Redis.
for (const counted of ['in this process', 'in Redis'] as const) {
  describe(`sign-in throttling, counted ${counted}`, () => {
    beforeEach(async () => {
      let env: Record<string, string> = {};
      if (counted === 'in Redis') {
        env = await clusterEnv();
      }
      server = await startTestServer({ clock, env });
      ({ coordinator, planId } = await setUpWorkspace(server));
      nina = await addMember(server, coordinator, planId, 'drafter', NINA);
    });

    it("lets the owner in at once from the browser she signed in with, however many times someone else failed", async () => {
      const signedIn = await signIn(NINA.email, MEMBER_PASSWORD, NINA_ADDRESS);
      expect(signedIn.status).toBe(200);
      const device = deviceCookieOf(signedIn);
      expect(signedIn.headers.getSetCookie().find((c) => c.startsWith('accord_device='))).toMatch(
        new RegExp(`; Max-Age=${Limits.trustedDeviceDays * 86_400}; Path=/api/auth/sign-in; HttpOnly; SameSite=Lax`),
      );

      // Far more failures than any lockout would allow, from the attacker's address and from many others.
      for (let i = 0; i < 30; i++) {
        const res = await signIn(NINA.email, `guess number ${i}`, i % 2 ? ATTACKER_ADDRESS : `203.0.113.${100 + i}`);
        expect([401, 429]).toContain(res.status);
        advance(1000);
      }
      // From anywhere else, even with her password, the account's wait applies.
      const elsewhere = await signIn(NINA.email, MEMBER_PASSWORD, NINA_ADDRESS);
      expect(elsewhere.status).toBe(429);
      expect(Number(elsewhere.headers.get('retry-after'))).toBeGreaterThan(0);

      // Her own browser is not held up: no time passes, and she is in.
      const owner = await signIn(NINA.email, MEMBER_PASSWORD, NINA_ADDRESS, device);
      expect(owner.status, JSON.stringify(owner.body)).toBe(200);
      expect(owner.body.user.email).toBe(NINA.email);
      // ...and the attacker still waits: the owner signing in does not give guesses back.
      expect((await signIn(NINA.email, 'yet another guess', ATTACKER_ADDRESS)).status).toBe(429);

      // Her browser has a counter of its own: typos there slow it, not the account, and a device
      // cookie of another account counts for nothing.
      const olgaDevice = deviceCookieOf(await signIn('olga@mfa.example', COORDINATOR_PASSWORD, NINA_ADDRESS));
      expect((await signIn(NINA.email, MEMBER_PASSWORD, NINA_ADDRESS, olgaDevice)).status).toBe(429);
      for (let i = 0; i < Limits.signInFreeFailures; i++) expect((await signIn(NINA.email, `typo ${i}`, NINA_ADDRESS, device)).status).toBe(401);
      expectWait(await signIn(NINA.email, MEMBER_PASSWORD, NINA_ADDRESS, device), 1);
      advance(1000);
      expect((await signIn(NINA.email, MEMBER_PASSWORD, NINA_ADDRESS, device)).status).toBe(200);
    });

    it('trusts the browser an account was made in, from an invite or at setup, before its first sign-in', async () => {
      const invite = await coordinator.post(`/api/plans/${planId}/invites`, { role: 'drafter' });
      const account = { name: 'Ales', email: 'ales@ngo.example', organisation: { name: 'Office NGO', side: 'civil_society' }, password: MEMBER_PASSWORD };
      const accepted = await new ApiClient(server.url).post(`/api/invites/${invite.body.token}/accept`, { account });
      expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
      const device = deviceCookieOf(accepted);
      for (let i = 0; i < Limits.signInFreeFailures + 2; i++) {
        advance(Limits.signInMaxDelayMs);
        expect((await signIn(account.email, `guess ${i}`, ATTACKER_ADDRESS)).status).toBe(401);
      }
      expect((await signIn(account.email, MEMBER_PASSWORD, NINA_ADDRESS)).status).toBe(429);
      expect((await signIn(account.email, MEMBER_PASSWORD, NINA_ADDRESS, device)).status).toBe(200);

      const fresh = await startTestServer({ clock });
      try {
        const setUp = await new ApiClient(fresh.url).post('/api/setup', {
          name: 'Olga Coordinator',
          email: 'olga@mfa.example',
          password: COORDINATOR_PASSWORD,
          organisation: { name: 'Ministry of Foreign Affairs', side: 'government' },
        });
        expect(setUp.status).toBe(201);
        expect(setUp.headers.getSetCookie().some((c) => c.startsWith('accord_device='))).toBe(true);
      } finally {
        await fresh.destroy();
      }
    });

    it("slows the attacker's guesses with waits that double, capped, and refuses even the right password meanwhile", async () => {
      const guess = (n: number) => signIn(NINA.email, `guess number ${n}`, ATTACKER_ADDRESS);
      let n = 0;
      for (; n < Limits.signInFreeFailures; n++) expect((await guess(n)).status).toBe(401);
      expectWait(await guess(n), 1);
      // Refused attempts do not count: asking again at once gets the same wait, not a longer one.
      expectWait(await guess(n), 1);
      // The right password is refused as well while the wait lasts: a guess cannot be told apart.
      expectWait(await signIn(NINA.email, MEMBER_PASSWORD, ATTACKER_ADDRESS), 1);

      for (const seconds of [1, 2, 4, 8, 16]) {
        advance(seconds * 1000 - 1);
        expectWait(await guess(n), 1);
        advance(1);
        expect((await guess(n++)).status).toBe(401);
        expectWait(await guess(n), seconds * 2);
      }
      // However long the guessing goes on, one wait never exceeds the cap: nothing is locked.
      for (let i = 0; i < 12; i++) {
        advance(Limits.signInMaxDelayMs);
        expect((await guess(n++)).status).toBe(401);
      }
      expectWait(await guess(n), Limits.signInMaxDelayMs / 1000);
      advance(Limits.signInMaxDelayMs);
      expect((await signIn(NINA.email, MEMBER_PASSWORD, NINA_ADDRESS)).status).toBe(200);
    });

    it('lets no more concurrent guesses through than one after another', async () => {
      const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => signIn(NINA.email, `guess ${i}`, ATTACKER_ADDRESS)));
      const statuses = answers.map((a) => a.status).sort();
      expect(statuses.filter((s) => s === 401)).toHaveLength(Limits.signInFreeFailures);
      expect(statuses.filter((s) => s === 429)).toHaveLength(12 - Limits.signInFreeFailures);
    });

    it('slows guessing across many accounts from one address, and not other addresses', async () => {
      const guess = (i: number) => signIn(`someone${i}@example.org`, 'not the password', ATTACKER_ADDRESS);
      for (let i = 0; i < Limits.signInFreeFailuresPerAddress; i++) expect((await guess(i)).status).toBe(401);
      expectWait(await guess(99), 1);
      expect((await signIn(NINA.email, MEMBER_PASSWORD, NINA_ADDRESS)).status).toBe(200);
    });

    it('lets the owner in without her browser through a password reset, which ends the account’s waits', async () => {
      for (let i = 0; i < Limits.signInFreeFailures + 3; i++) {
        advance(Limits.signInMaxDelayMs);
        expect((await signIn(NINA.email, `guess number ${i}`, ATTACKER_ADDRESS)).status).toBe(401);
      }
      // A new browser, no device cookie: the account's wait applies to her too.
      expectWait(await signIn(NINA.email, MEMBER_PASSWORD, NINA_ADDRESS), 8);

      const hanna = await addMember(server, coordinator, planId, 'coordinator', {
        name: 'Hanna Coordinator',
        email: 'hanna@bhc.example',
        organisation: { name: 'Belarusian Helsinki Committee', side: 'civil_society' },
      });
      const made = await hanna.client.post(`/api/plans/${planId}/members/${nina.userId}/password-reset`, {});
      expect(made.status, JSON.stringify(made.body)).toBe(201);
      const token = CreatedPasswordResetSchema.parse(made.body).url.split('/').at(-1)!;
      const browser = new ApiClient(server.url);
      expect((await browser.get(`/api/password-resets/${token}`)).status).toBe(200);
      const used = await browser.request('POST', `/api/password-resets/${token}`, { password: 'a brand new passphrase for Nina' }, {
        'x-forwarded-for': NINA_ADDRESS,
      });
      expect(used.status, JSON.stringify(used.body)).toBe(204);

      // No time has passed: the reset, not the clock, let her in.
      const res = await signIn(NINA.email, 'a brand new passphrase for Nina', NINA_ADDRESS);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      // The attacker starts again from zero failures, against the new password.
      expect((await signIn(NINA.email, 'guess again', ATTACKER_ADDRESS)).status).toBe(401);
    });

    it('a password reset withdraws every browser’s trust in the account', async () => {
      const device = deviceCookieOf(await signIn(NINA.email, MEMBER_PASSWORD, NINA_ADDRESS));
      // Only a coordinator of Nina's own side may reset her password.
      const hanna = await addMember(server, coordinator, planId, 'coordinator', {
        name: 'Hanna Coordinator',
        email: 'hanna@bhc.example',
        organisation: { name: 'Belarusian Helsinki Committee', side: 'civil_society' },
      });
      const reset = await hanna.client.post(`/api/plans/${planId}/members/${nina.userId}/password-reset`, {});
      const token = CreatedPasswordResetSchema.parse(reset.body).url.split('/').at(-1)!;
      expect((await new ApiClient(server.url).post(`/api/password-resets/${token}`, { password: 'a brand new passphrase for Nina' })).status).toBe(204);
      for (let i = 0; i < Limits.signInFreeFailures; i++) expect((await signIn(NINA.email, `guess ${i}`, ATTACKER_ADDRESS)).status).toBe(401);
      // The browser that was trusted before the reset (perhaps an intruder's) is now judged like any other.
      expectWait(await signIn(NINA.email, 'a brand new passphrase for Nina', NINA_ADDRESS, device), 1);
    });

    it('never slows a shared office address where people sign in successfully, with the odd typo', async () => {
      const people = [
        { email: 'olga@mfa.example', password: COORDINATOR_PASSWORD },
        { email: NINA.email, password: MEMBER_PASSWORD },
      ];
      for (const [i, name] of ['Ales', 'Maryna', 'Pavel'].entries()) {
        const email = `${name.toLowerCase()}@ngo.example`;
        await addMember(server, coordinator, planId, 'drafter', { name, email, organisation: { name: `Office NGO ${i}`, side: 'civil_society' } });
        people.push({ email, password: MEMBER_PASSWORD });
      }
      const devices = new Map<string, string>();
      let typos = 0;
      for (let round = 0; round < 5; round++) {
        for (const person of people) {
          // Fewer typos than the address allows for free, spread over the morning.
          if ((round * people.length + people.indexOf(person)) % 5 === 0 && typos < Limits.signInFreeFailuresPerAddress - 1) {
            typos++;
            expect((await signIn(person.email, 'a typo', OFFICE_ADDRESS)).status).toBe(401);
          }
          const res = await signIn(person.email, person.password, OFFICE_ADDRESS);
          expect(res.status, `${person.email} in round ${round}: ${JSON.stringify(res.body)}`).toBe(200);
          devices.set(person.email, deviceCookieOf(res));
          advance(60_000);
        }
      }
      expect(typos).toBeGreaterThan(3);

      // Someone on the office network guesses: new browsers there wait, colleagues' own browsers do not.
      for (let i = 0; i < 2 * Limits.signInFreeFailuresPerAddress; i++) await signIn(`someone${i}@example.org`, 'guess', OFFICE_ADDRESS);
      expect((await signIn(people[2]!.email, people[2]!.password, OFFICE_ADDRESS)).status).toBe(429);
      for (const person of people) {
        expect((await signIn(person.email, person.password, OFFICE_ADDRESS, devices.get(person.email))).status).toBe(200);
      }
    });
  });
}
