import { sql } from 'kysely';
import { pino } from 'pino';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { col, rowShape } from '../../server/db/rows.ts';
import type { Sql } from '../../server/db/sql/Sql.ts';
import { createMailer } from '../../server/mail/mailer.ts';
import { noticeMail } from '../../server/mail/noticeMail.ts';
import { startNoticeDelivery } from '../../server/mail/noticeDelivery.ts';
import { listNotifications, markNotificationsRead, notify } from '../../server/services/notifications.ts';
import { NOTIFICATIONS_PAGE, type Notification } from '../../shared/api/index.ts';
import { eventually } from '../helpers/server.ts';
import { startSmtpSink } from '../helpers/smtpSink.ts';
import { fakeDateForTheFile, heldOpen, namedIds, sameRowsOnBothEngines, scenarioClock } from '../helpers/postgres.ts';

/**
 * A person's notices, read, paged and marked read the same way on SQLite and PostgreSQL, and the
 * e-mail each becomes; then a notice committed on PostgreSQL is e-mailed. Where the engines could
 * part: the order of notices stored at the same moment (SQLite's rowid broke the tie, PostgreSQL
 * has none), a page's cursor, a person's marks reaching someone else's notices, the JSON text and
 * who is still a member when the e-mail is written, and a listener hearing of a notice before its
 * transaction commits (on PostgreSQL another connection would find nothing).
 */

const AT = '2026-05-04T10:00:00.000Z';

const ROWS = [
  `INSERT INTO organisations (id, name, side, color, created_at) VALUES ('organisation-o1', 'Ministry of Justice', 'government', '#123456', '${AT}'),
     ('organisation-o2', 'Вясна', 'civil_society', '#222222', '${AT}');`,
  `INSERT INTO users (id, email, name, password_hash, organisation_id, created_at, language, browser_language) VALUES
     ('person-u1', 'olga@example.org', 'Olga', 'x', 'organisation-o1', '${AT}', NULL, NULL),
     ('person-u2', 'nina@example.org', 'Nina', 'x', 'organisation-o2', '${AT}', 'ru', NULL),
     ('person-u3', 'gary@example.org', 'Gary', 'x', 'organisation-o1', '${AT}', NULL, 'be'),
     ('person-u4', 'lev@example.org', 'Lev', 'x', 'organisation-o2', '${AT}', NULL, NULL);`,
  `INSERT INTO plans (id, title, country, period_start, period_end, created_by, created_at)
     VALUES ('plan-one', 'National Human Rights Plan', 'BY', 2026, 2030, 'person-u1', '${AT}');`,
  // Lev has left the plan.
  `INSERT INTO plan_members (plan_id, user_id, role, joined_at) VALUES ('plan-one', 'person-u1', 'coordinator', '${AT}'),
     ('plan-one', 'person-u2', 'drafter', '${AT}'), ('plan-one', 'person-u3', 'commenter', '${AT}');`,
].join('\n');

const both = sameRowsOnBothEngines(ROWS, { foreignKeys: true });

const { tick, restart } = scenarioClock();

const NINA = 'person-u2';
const GARY = 'person-u3';
const LEV = 'person-u4';
const BATCH = NOTIFICATIONS_PAGE + 3;

const mention = (userId: string, excerpt: string) => ({
  userId,
  planId: 'plan-one',
  kind: 'mention' as const,
  summary: `Olga mentioned you: ${excerpt}`,
  text: { key: 'mention' as const, params: { who: 'Olga', organisation: 'Ministry of Justice', title: 'Fair trial', excerpt } },
  link: '/plans/plan-one/sections/section-s1',
});

const brief = (page: Notification[]) => page.map((n) => [n.id, n.kind, n.summary, n.createdAt, n.readAt !== null]);

/** The same steps on one engine; everything they answered, in order. */
async function scenario(q: Sql) {
  restart();
  const answers: Record<string, unknown> = {};
  tick();
  const first = await q.transaction((tx) => notify(tx, mention(NINA, 'the first')));
  const garys = await q.transaction((tx) => notify(tx, mention(GARY, 'for Gary')));
  tick();
  // A round opened on many actions: notices stored within one millisecond, more than a page.
  const batch = await q.transaction(async (tx) => {
    const ids: string[] = [];
    for (let i = 0; i < BATCH; i++) {
      ids.push(await notify(tx, { userId: NINA, planId: 'plan-one', kind: 'report_due', summary: `Notice ${i}`, text: { key: 'report_due', params: { title: `Action ${i}`, round: '2026 annual', due: '2026-12-02' } }, link: null }));
    }
    return ids;
  });
  tick();
  // Lev, who left: being removed and his account's notices are kept, a mention is not.
  const lev = await q.transaction(async (tx) => ({
    removed: await notify(tx, { userId: LEV, planId: 'plan-one', kind: 'removed_from_plan', summary: 'Olga removed you', text: { key: 'removed_from_plan', params: { who: 'Olga', organisation: 'Ministry of Justice', plan: 'National Human Rights Plan' } }, link: null }),
    mention: await notify(tx, mention(LEV, 'after leaving')),
    reset: await notify(tx, { userId: LEV, planId: 'plan-one', kind: 'password_reset_made', summary: 'Olga made a reset link', text: { key: 'password_reset_made', params: { who: 'Olga', organisation: 'Ministry of Justice', plan: 'National Human Rights Plan', until: '2026-06-02T09:00:03.000Z' } }, link: '/account' }),
  }));
  tick();
  const last = await q.transaction((tx) => notify(tx, mention(NINA, 'the newest')));
  answers.stored = { first, garys, batch, lev, last };

  // Page by page, from the newest.
  const pages: Notification[][] = [];
  for (let before: string | undefined; pages.length < 5; ) {
    const page = await listNotifications(q, NINA, before);
    pages.push(page);
    if (page.length < NOTIFICATIONS_PAGE) break;
    before = page[page.length - 1]!.id;
  }
  answers.pages = pages.map(brief);
  answers.afterTheLast = await listNotifications(q, NINA, pages.at(-1)!.at(-1)!.id);
  answers.fromTheMiddle = brief(await listNotifications(q, NINA, batch[5]));
  answers.beforeOthers = await listNotifications(q, NINA, garys);
  answers.beforeNone = await listNotifications(q, NINA, 'no-such-notice-0000000');
  answers.levs = brief(await listNotifications(q, LEV));
  answers.garys = await listNotifications(q, GARY);

  // Marking read: some of Nina's (one twice), and Gary's id, which is not hers.
  tick();
  await markNotificationsRead(q, NINA, [first, batch[0]!, garys, first]);
  answers.someRead = (await listNotifications(q, NINA, batch[2])).map((n) => [n.summary, n.readAt]);
  answers.garysAfterNinas = (await listNotifications(q, GARY)).map((n) => n.readAt);
  tick();
  // Gary marking Nina's notice changes nothing.
  await markNotificationsRead(q, GARY, [last]);
  answers.lastAfterGarys = (await listNotifications(q, NINA))[0]!.readAt;
  tick();
  await markNotificationsRead(q, NINA);
  answers.allRead = (await listNotifications(q, NINA)).concat(await listNotifications(q, NINA, batch[2])).map((n) => [n.summary, n.readAt]);
  answers.garysAfterAll = (await listNotifications(q, GARY)).map((n) => n.readAt);

  // The e-mail each notice becomes.
  const PUBLIC = 'https://accord.example/';
  answers.mails = {
    ninasMention: await noticeMail(q, first, PUBLIC),
    ninasReportDue: await noticeMail(q, batch[1]!, PUBLIC),
    garysMention: await noticeMail(q, garys, PUBLIC),
    levRemoved: await noticeMail(q, lev.removed, PUBLIC),
    levReset: await noticeMail(q, lev.reset, PUBLIC),
    levMention: await noticeMail(q, lev.mention, PUBLIC),
    none: await noticeMail(q, 'no-such-notice-0000000', PUBLIC),
  };
  return answers;
}

const NoticeTable = rowShape({ user_id: col.text, kind: col.text, summary: col.text, text: col.nullableText, link: col.nullableText, created_at: col.text, read_at: col.nullableText });

/** The notices as stored, in an order that does not depend on their ids. */
const written = (q: Sql) =>
  q.rows(NoticeTable, sql`SELECT user_id, kind, summary, text, link, created_at, read_at FROM notifications ORDER BY created_at, user_id, summary`);

let answers: { sqlite: Awaited<ReturnType<typeof scenario>>; postgres: Awaited<ReturnType<typeof scenario>> };

fakeDateForTheFile();

describe('notices on SQLite and PostgreSQL', () => {
  it('answer the same steps alike on both engines: pages, marks and e-mails', async () => {
    answers = { sqlite: await scenario(both.sqlite), postgres: await scenario(both.postgres) };
    expect(namedIds(answers.postgres)).toEqual(namedIds(answers.sqlite));
  });

  it('leave the same notices, read at the same moments, on both engines', async () => {
    const rows = await written(both.sqlite);
    expect(rows).toHaveLength(1 + 1 + BATCH + 3 + 1);
    expect(await written(both.postgres)).toEqual(rows);
  });

  it('answer what the rules say', () => {
    const a = answers.postgres;
    const stored = a.stored as { first: string; batch: string[]; last: string };
    const pages = a.pages as Array<Array<[string, string, string, string, boolean]>>;
    // Newest first; notices of one moment in the order they were stored, the latest first.
    expect(pages.map((p) => p.length)).toEqual([NOTIFICATIONS_PAGE, BATCH + 2 - NOTIFICATIONS_PAGE]);
    expect(pages.flat().map((n) => n[0])).toEqual([stored.last, ...[...stored.batch].reverse(), stored.first]);
    expect(pages[0]![1]![2]).toBe(`Notice ${BATCH - 1}`);
    expect(a.afterTheLast).toEqual([]);
    // Older than the sixth of the batch: the five stored before it, then the first.
    expect((a.fromTheMiddle as string[][]).map((n) => n[2])).toEqual(['Notice 4', 'Notice 3', 'Notice 2', 'Notice 1', 'Notice 0', 'Olga mentioned you: the first']);
    expect([a.beforeOthers, a.beforeNone]).toEqual([[], []]);
    expect((a.levs as string[][]).map((n) => n[1])).toEqual(['password_reset_made', 'removed_from_plan']);

    expect(a.someRead).toEqual([
      ['Notice 1', null],
      ['Notice 0', '2026-06-01T09:00:04.000Z'],
      ['Olga mentioned you: the first', '2026-06-01T09:00:04.000Z'],
    ]);
    expect(a.garysAfterNinas).toEqual([null]);
    expect(a.lastAfterGarys).toBeNull();
    // All of hers read; those read before keep their moment.
    expect(a.allRead).toEqual([
      ['Olga mentioned you: the newest', '2026-06-01T09:00:06.000Z'],
      ...Array.from({ length: NOTIFICATIONS_PAGE - 1 }, (_, i) => [`Notice ${BATCH - 1 - i}`, '2026-06-01T09:00:06.000Z']),
      ['Notice 1', '2026-06-01T09:00:06.000Z'],
      ['Notice 0', '2026-06-01T09:00:04.000Z'],
      ['Olga mentioned you: the first', '2026-06-01T09:00:04.000Z'],
    ]);
    expect(a.garysAfterAll).toEqual([null]);

    const mails = a.mails as Record<string, { to: { address: string }; subject: string; text: string; html: string } | null>;
    expect(mails.ninasMention).toMatchObject({ to: { name: 'Nina', address: 'nina@example.org' }, subject: 'National Human Rights Plan: вас упомянули в комментарии' });
    expect(mails.ninasMention!.text).toContain('https://accord.example/plans/plan-one/sections/section-s1');
    expect(mails.ninasMention!.text).toContain('Здравствуйте, Nina!');
    expect(mails.ninasReportDue!.text).toContain('https://accord.example/plans/plan-one\n');
    expect(mails.garysMention!.text).toContain('Добры дзень, Gary!');
    expect(mails.levRemoved).toMatchObject({ to: { address: 'lev@example.org' } });
    expect(mails.levRemoved!.text).toContain('https://accord.example/\n');
    expect(mails.levReset!.text).toContain('https://accord.example/account');
    expect([mails.levMention, mails.none]).toEqual([null, null]);
  });
});

describe('notice delivery on PostgreSQL', () => {
  // Waiting for the mail reads the clock, which must move.
  beforeAll(() => {
    vi.useRealTimers();
  });

  it('e-mails a notice once the transaction that stored it commits, and never one rolled back', async () => {
    const sink = await startSmtpSink();
    const mailer = createMailer({ smtpUrl: sink.url, mailFrom: 'Accord <nhrp@accord.example>', publicUrl: 'https://accord.example' })!;
    const delivery = startNoticeDelivery({ sql: both.postgres, mailer, publicUrl: () => 'https://accord.example', logger: pino({ level: 'silent' }) });
    try {
      const held = heldOpen(both.postgres, (tx) => notify(tx, mention(GARY, 'held until commit')));
      await held.ready;
      // Stored, not committed: nobody is told yet (another connection would find no row).
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(sink.received).toEqual([]);
      held.commit();
      await held.done;
      await eventually(() => expect(sink.received).toHaveLength(1));
      expect(sink.received[0]!.recipients).toEqual(['gary@example.org']);
      expect(sink.received[0]!.text).toContain('held until commit');
      expect(sink.received[0]!.text).toContain('https://accord.example/plans/plan-one/sections/section-s1');

      await expect(
        both.postgres.transaction(async (tx) => {
          await notify(tx, mention(GARY, 'a notice that never was'));
          throw new Error('the action failed after telling Gary');
        }),
      ).rejects.toThrow('the action failed');
      await both.postgres.transaction((tx) => notify(tx, mention(GARY, 'stored after it')));
      await eventually(() => expect(sink.received).toHaveLength(2));
      expect(sink.received[1]!.text).toContain('stored after it');
      expect(sink.received.filter((m) => m.text.includes('never was'))).toEqual([]);
    } finally {
      delivery.stop();
      await sink.close();
    }
  });
});
