import { afterEach, describe, expect, it } from 'vitest';
import { ApiClient } from '../helpers/api.ts';
import { eventually, startTestServer, type TestServer } from '../helpers/server.ts';
import { startSmtpSink, type SmtpSink } from '../helpers/smtpSink.ts';
import { COORDINATOR_PASSWORD, MEMBER_PASSWORD } from '../helpers/workspace.ts';
import { notify } from '../../server/services/notifications.ts';
import { acceptedLanguages, browserLanguage } from '../../shared/language/pickLanguage.ts';

/**
 * Someone who never chose a language reads Accord in the one their browser asks for; their e-mails
 * are written in it too, not in English. The server keeps what the browser asked for (its
 * Accept-Language, picked by the page's own rules) when they set Accord up, accept an invitation
 * or sign in; a language they chose in Accord still wins; a browser asking for none of Accord's
 * languages gets English.
 */
let server: TestServer | undefined;
let sink: SmtpSink | undefined;
afterEach(async () => {
  await server?.destroy();
  await sink?.close();
  server = sink = undefined;
});

const acceptLanguage = (value: string) => ({ 'accept-language': value });

describe('the language of a notice e-mail', () => {
  it('follows the browser of someone who never chose, a choice made in Accord, and English otherwise', async () => {
    sink = await startSmtpSink();
    server = await startTestServer({ env: { SMTP_URL: sink.url, MAIL_FROM: 'Accord <nhrp@accord.example>' } });
    const s = sink;
    const srv = server;

    // Olga sets Accord up from a Belarusian browser.
    const olga = new ApiClient(srv.url);
    const setup = await olga.request(
      'POST',
      '/api/setup',
      { name: 'Olga Coordinator', email: 'olga@mfa.example', password: COORDINATOR_PASSWORD, organisation: { name: 'Ministry of Foreign Affairs', side: 'government' } },
      acceptLanguage('be-BY,be;q=0.9,en;q=0.5'),
    );
    expect(setup.status, JSON.stringify(setup.body)).toBe(201);
    const plan = await olga.post('/api/plans', { title: 'National Human Rights Plan 2026–2030', country: 'Belarus', periodStart: 2026, periodEnd: 2030 });
    expect(plan.status).toBe(201);
    const planId: string = plan.body.id;

    // Nina accepts her invitation in a browser that prefers German, then Russian.
    const join = async (name: string, email: string, organisation: string, header: string | null) => {
      const invite = await olga.post(`/api/plans/${planId}/invites`, { role: 'drafter' });
      expect(invite.status).toBe(201);
      const client = new ApiClient(srv.url);
      const accepted = await client.request(
        'POST',
        `/api/invites/${invite.body.token}/accept`,
        { account: { name, email, password: MEMBER_PASSWORD, organisation: { name: organisation, side: 'civil_society' } } },
        header === null ? {} : acceptLanguage(header),
      );
      expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
      const me = await client.get('/api/auth/me');
      return { client, userId: me.body.user.id as string, email };
    };
    const nina = await join('Nina Lawyer', 'nina@hrc.example', 'Human Rights Centre', 'de-DE,de;q=0.9,ru;q=0.7,en;q=0.3');
    // Pavel's browser says nothing about languages when he joins; he signs in later from a Russian one
    // whose weights put Russian first although it is named last.
    const pavel = await join('Pavel Monitor', 'pavel@watch.example', 'Watch Group', null);
    const signIn = await new ApiClient(srv.url).request('POST', '/api/auth/sign-in', { email: pavel.email, password: MEMBER_PASSWORD }, acceptLanguage('en;q=0.4, ru-RU'));
    expect(signIn.status).toBe(200);
    // Frank's browser asks only for French: Accord is not written in it.
    const frank = await join('Frank Fact', 'frank@fidh.example', 'FIDH', 'fr-FR,fr;q=0.8');
    // Chris chose English in Accord though his browser asks for Belarusian: the choice wins.
    const chris = await join('Chris Choice', 'chris@ngo.example', 'Open Society', 'be');
    expect((await chris.client.request('PUT', '/api/auth/me/language', { language: 'en' })).status).toBe(200);
    // Nobody asked in any way: English.
    const quiet = await join('Quinn Quiet', 'quinn@ngo.example', 'Quiet Group', null);

    const olgaId: string = (await olga.get('/api/auth/me')).body.user.id;
    const people = [{ userId: olgaId, email: 'olga@mfa.example' }, nina, pavel, frank, chris, quiet];
    const due = { key: 'round_opened', params: { who: 'Olga Coordinator', round: '2026 annual', count: 3, due: '2026-12-02' } } as const;
    for (const who of people) {
      await notify(srv.sql, { userId: who.userId, planId, kind: 'report_due', summary: 'Reports are due 2026-12-02.', text: due, link: null });
    }
    await eventually(() => expect(s.received.filter((m) => m.text.includes('2026 annual'))).toHaveLength(people.length));
    const subjectOf = (email: string) => s.received.find((m) => m.recipients.includes(email) && m.text.includes('2026 annual'))!.subject;

    const be = 'National Human Rights Plan 2026–2030: набліжаецца тэрмін справаздачы аб ходзе выканання';
    const ru = 'National Human Rights Plan 2026–2030: подходит срок отчёта о ходе выполнения';
    const en = 'National Human Rights Plan 2026–2030: a progress report is due';
    expect(subjectOf('olga@mfa.example')).toBe(be);
    expect(subjectOf(nina.email)).toBe(ru);
    expect(subjectOf(pavel.email)).toBe(ru);
    expect(subjectOf(frank.email)).toBe(en);
    expect(subjectOf(chris.email)).toBe(en);
    expect(subjectOf(quiet.email)).toBe(en);

    // Signing in again from a browser that names no language keeps what was known.
    expect((await new ApiClient(srv.url).post('/api/auth/sign-in', { email: nina.email, password: MEMBER_PASSWORD })).status).toBe(200);
    await notify(srv.sql, { userId: nina.userId, planId, kind: 'report_due', summary: 'Reports are due 2026-12-02.', text: { ...due, params: { ...due.params, round: '2027 annual' } }, link: null });
    await eventually(() => expect(s.received.filter((m) => m.recipients.includes(nina.email) && m.text.includes('2027 annual'))).toHaveLength(1));
    expect(s.received.find((m) => m.recipients.includes(nina.email) && m.text.includes('2027 annual'))!.subject).toBe(ru);
  });

  it('reads Accept-Language as the browser lists its languages, and picks by the page’s rules', () => {
    expect(acceptedLanguages('ru-RU,ru;q=0.9,en-US;q=0.8,en;q=0.7')).toEqual(['ru-RU', 'ru', 'en-US', 'en']);
    expect(acceptedLanguages('en;q=0.4, be-BY')).toEqual(['be-BY', 'en']);
    expect(acceptedLanguages('de, *;q=0.5, ru;q=0')).toEqual(['de']);
    expect(acceptedLanguages(undefined)).toEqual([]);
    expect(browserLanguage('uk-UA,be;q=0.9,ru;q=0.8')).toBe('be');
    expect(browserLanguage('rue,ru;q=0.5')).toBe('ru');
    expect(browserLanguage('fr-FR')).toBe('en');
    expect(browserLanguage('*')).toBeNull();
    expect(browserLanguage('')).toBeNull();
  });
});
