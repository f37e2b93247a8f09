/**
 * A reset link lets whoever holds it sign in as its person, so the account's owner is never left
 * out: when a coordinator makes one for them, and when it is used, they get a notice in the app
 * and an e-mail (through a real SMTP server this test starts) saying who made it, through which
 * plan, until when, and what to do if they did not ask. These notices stay theirs after they
 * leave the plan the link was made through.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ApiClient } from '../helpers/api.ts';
import { eventually, startTestServer, type TestServer } from '../helpers/server.ts';
import { addMember, MEMBER_PASSWORD, setUpWorkspace } from '../helpers/workspace.ts';
import { startSmtpSink, type SmtpSink } from '../helpers/smtpSink.ts';
import { NotificationSchema, type Notification } from '../../shared/api/index.ts';

let server: TestServer;
let sink: SmtpSink;
let coordinator: ApiClient;
let planId: string;
let nina: { client: ApiClient; userId: string };
let hanna: { client: ApiClient; userId: string };

const NINA = { name: 'Nina Lawyer', email: 'nina@ngo.example', organisation: { name: 'Lawtrend', side: 'civil_society' as const } };
const HANNA = { name: 'Hanna Coordinator', email: 'hanna@bhc.example', organisation: { name: 'Belarusian Helsinki Committee', side: 'civil_society' as const } };
const PLAN = 'National Human Rights Plan 2026–2030';

beforeEach(async () => {
  sink = await startSmtpSink();
  server = await startTestServer({ env: { SMTP_URL: sink.url, MAIL_FROM: 'Accord <nhrp@accord.example>' } });
  ({ coordinator, planId } = await setUpWorkspace(server));
  nina = await addMember(server, coordinator, planId, 'drafter', NINA);
  hanna = await addMember(server, coordinator, planId, 'coordinator', HANNA);
});
afterEach(async () => {
  await server.destroy();
  await sink.close();
});

/** The person's notices about their account (they also have one saying their organisation was verified). */
const noticesOf = async (client: ApiClient): Promise<Notification[]> => {
  const res = await client.get('/api/notifications');
  expect(res.status).toBe(200);
  return (res.body as unknown[]).map((n) => NotificationSchema.parse(n)).filter((n) => n.kind !== 'organisation_verified');
};
const mailsTo = (email: string, about: string) => sink.received.filter((m) => m.recipients.includes(email) && m.subject.includes(about));

it('tells the owner when a reset link is made for them: who, through which plan, until when, and what to do', async () => {
  const made = await hanna.client.post(`/api/plans/${planId}/members/${nina.userId}/password-reset`, {});
  expect(made.status).toBe(201);

  const [notice, ...others] = await noticesOf(nina.client);
  expect(others).toHaveLength(0);
  expect(notice).toMatchObject({
    kind: 'password_reset_made',
    planId,
    link: '/account',
    readAt: null,
    text: { key: 'password_reset_made', params: { who: 'Hanna Coordinator', organisation: 'Belarusian Helsinki Committee', plan: PLAN, until: made.body.expiresAt } },
  });
  // The link itself is never in the notice: it is the coordinator's to hand over.
  expect(JSON.stringify(notice)).not.toContain(made.body.url);
  // Nobody else is told.
  expect((await noticesOf(hanna.client)).filter((n) => n.kind === 'password_reset_made')).toHaveLength(0);

  await eventually(() => expect(mailsTo(NINA.email, 'a link to set a new password for your account was made')).toHaveLength(1));
  const [mail] = mailsTo(NINA.email, 'a link to set a new password for your account was made');
  expect(mail!.recipients).toEqual([NINA.email]);
  expect(mail!.text).toContain(`Hanna Coordinator (Belarusian Helsinki Committee) made a link to set a new password for your account, through the plan “${PLAN}”.`);
  const until = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(made.body.expiresAt));
  expect(mail!.text.replace(/[\u00a0\u202f]/g, ' ')).toContain(`until ${until}`);
  expect(mail!.text).toContain('If you did not ask for it, change your password on your Account page');
  expect(mail!.text).toContain(`${server.url}/account`);
  expect(mail!.text).toContain('it is about your own account');
  expect(mail!.raw).not.toContain(made.body.url.split('/').at(-1));
});

it('tells the owner, in their language, when the link was used and every session signed out', async () => {
  expect((await nina.client.request('PUT', '/api/auth/me/language', { language: 'ru' })).status).toBe(200);
  const made = await hanna.client.post(`/api/plans/${planId}/members/${nina.userId}/password-reset`, {});
  const used = await new ApiClient(server.url).post(`/api/password-resets/${String(made.body.url).split('/').at(-1)}`, {
    password: 'a brand new passphrase',
  });
  expect(used.status).toBe(204);

  const signedIn = new ApiClient(server.url);
  expect((await signedIn.post('/api/auth/sign-in', { email: NINA.email, password: 'a brand new passphrase' })).status).toBe(200);
  const notices = await noticesOf(signedIn);
  expect(notices.map((n) => n.kind)).toEqual(['password_reset_used', 'password_reset_made']);
  expect(notices[0]).toMatchObject({ link: '/account', text: { key: 'password_reset_used', params: { who: 'Hanna Coordinator', plan: PLAN } } });

  await eventually(() => expect(mailsTo(NINA.email, 'ваш пароль изменён по ссылке для сброса')).toHaveLength(1));
  const [mail] = mailsTo(NINA.email, 'ваш пароль изменён по ссылке для сброса');
  expect(mail!.text).toContain('которую создал координатор Hanna Coordinator (Belarusian Helsinki Committee) через план');
  expect(mail!.text).toContain('все сеансы вашей учётной записи завершены');
});

it('keeps these notices for the owner after they leave the plan the link was made through', async () => {
  await hanna.client.post(`/api/plans/${planId}/members/${nina.userId}/password-reset`, {});
  // Hanna, of Nina's side, removes her.
  expect((await hanna.client.delete(`/api/plans/${planId}/members/${nina.userId}`)).status).toBe(200);
  const kinds = (await noticesOf(nina.client)).map((n) => n.kind);
  expect(kinds).toContain('password_reset_made');
  expect(kinds).toContain('removed_from_plan');
});

it('tells nobody when a coordinator is refused a link', async () => {
  // Olga (government) may not make one for Nina (civil society).
  expect((await coordinator.post(`/api/plans/${planId}/members/${nina.userId}/password-reset`, {})).status).toBe(403);
  expect(await noticesOf(nina.client)).toHaveLength(0);
  expect((await new ApiClient(server.url).post('/api/auth/sign-in', { email: NINA.email, password: MEMBER_PASSWORD })).status).toBe(200);
});
