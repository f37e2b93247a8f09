import { sql } from 'kysely';
import { col, rowShape } from '../db/rows.ts';
import type { Sql } from '../db/sql/Sql.ts';
import { NotificationSchema } from '../../shared/api/index.ts';
import { ACCOUNT_NOTICE_KINDS, KEPT_AFTER_LEAVING, noticeTextOf } from '../services/notifications.ts';
import { mailLanguage, mailWords } from './i18n/index.ts';
import type { Mail } from './mailer.ts';

const NoticeRow = rowShape({
  kind: NotificationSchema.shape.kind,
  text: col.nullableText,
  link: col.nullableText,
  planId: col.text,
  planTitle: col.text,
  name: col.text,
  email: col.text,
  language: col.nullableText,
  browserLanguage: col.nullableText,
});

/**
 * The e-mail for one stored notice: what the notice says, a link into the app built from the
 * public address, addressed to its one recipient, all in the language they read Accord in (the
 * stored English summary is for API users, not for people). Null when there is nothing to send:
 * the notice was never committed (its transaction rolled back) or the person has left the plan since
 * (unless it is the notice telling them they were removed).
 */
export async function noticeMail(q: Sql, notificationId: string, publicUrl: string): Promise<Mail | null> {
  const row = await q.row(
    NoticeRow,
    sql`SELECT n.kind, n.text, n.link, n.plan_id AS "planId", p.title AS "planTitle", u.name, u.email, u.language,
               u.browser_language AS "browserLanguage"
          FROM notifications n JOIN users u ON u.id = n.user_id JOIN plans p ON p.id = n.plan_id
          LEFT JOIN plan_members m ON m.plan_id = n.plan_id AND m.user_id = n.user_id
         WHERE n.id = ${notificationId} AND (m.user_id IS NOT NULL OR ${KEPT_AFTER_LEAVING})`,
  );
  if (!row) return null;
  const removed = row.kind === 'removed_from_plan';
  // A removed person cannot open the plan: the link leads to their plans.
  const url = `${publicUrl.replace(/\/$/, '')}${row.link ?? (removed ? '/' : `/plans/${row.planId}`)}`;
  const words = mailWords(mailLanguage(row.language, row.browserLanguage));
  const { w } = words;
  const said = words.notice(row.kind, noticeTextOf(row.text));
  const closing = ACCOUNT_NOTICE_KINDS.has(row.kind) ? w.closingAccount : words.t(removed ? w.closingRemoved : w.closing, { plan: row.planTitle });
  const hello = words.t(w.hello, { name: row.name });
  const text = [hello, said, words.t(w.openText, { url }), `— ${closing}`].join('\n\n') + '\n';
  const html = [
    `<p>${escapeHtml(hello)}</p>`,
    `<p>${escapeHtml(said)}</p>`,
    `<p><a href="${escapeHtml(url)}">${escapeHtml(w.openLink)}</a></p>`,
    `<p style="color:#555">${escapeHtml(closing)}</p>`,
  ].join('\n');
  return {
    to: { name: row.name, address: row.email },
    subject: oneLine(`${row.planTitle}: ${w.subject[row.kind]}`),
    text,
    html,
  };
}

/** Everything people typed (names, titles, comments) is text in the HTML part, never markup. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A plan title with a line break must not end the Subject header early. */
function oneLine(s: string): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 199)}…` : flat;
}
