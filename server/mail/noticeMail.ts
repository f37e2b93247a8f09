import type { Db } from '../db/database.ts';
import { col, oneRow, rowShape } from '../db/rows.ts';
import { NotificationSchema, type Notification } from '../../shared/api/index.ts';
import type { Mail } from './mailer.ts';

/** What the subject line says a notice is about (the notice itself says the rest). */
const SUBJECTS: Record<Notification['kind'], string> = {
  signoff_withdrawn: 'your signature was withdrawn',
  organisation_verified: 'your organisation was verified',
  organisation_unverified: 'your organisation’s verification was withdrawn',
  organisation_to_verify: 'a new organisation to verify',
  proposal_removed: 'your organisation’s proposal was removed',
  proposal_changed: 'your organisation’s proposal was changed',
  role_changed: 'your role changed',
  mention: 'you were mentioned in a comment',
  suggestion_decided: 'a decision on your suggestion',
  report_due: 'a progress report is due',
  report_overdue: 'a progress report is overdue',
  report_submitted: 'a progress report was submitted',
  assessment_disputes: 'an assessment disputes a report',
};

const NoticeRow = rowShape({
  kind: NotificationSchema.shape.kind,
  summary: col.text,
  link: col.nullableText,
  planId: col.text,
  planTitle: col.text,
  name: col.text,
  email: col.text,
});

/**
 * The e-mail for one stored notice: what the notice says, a link into the app built from the
 * public address, addressed to its one recipient. Null when there is nothing to send: the notice
 * was never committed (its transaction rolled back) or the person has left the plan since.
 */
export function noticeMail(db: Db, notificationId: string, publicUrl: string): Mail | null {
  const row = oneRow(
    db.prepare(
      `SELECT n.kind, n.summary, n.link, n.plan_id AS planId, p.title AS planTitle, u.name, u.email
         FROM notifications n JOIN users u ON u.id = n.user_id JOIN plans p ON p.id = n.plan_id
         JOIN plan_members m ON m.plan_id = n.plan_id AND m.user_id = n.user_id
        WHERE n.id = ?`,
    ),
    NoticeRow,
    notificationId,
  );
  if (!row) return null;
  const url = `${publicUrl.replace(/\/$/, '')}${row.link ?? `/plans/${row.planId}`}`;
  const closing = `You receive this because you are a member of “${row.planTitle}” in Accord. All your notices are under “Notices” in the app.`;
  const text = [`Hello ${row.name},`, row.summary, `Open it in Accord: ${url}`, `— ${closing}`].join('\n\n') + '\n';
  const html = [
    `<p>Hello ${escapeHtml(row.name)},</p>`,
    `<p>${escapeHtml(row.summary)}</p>`,
    `<p><a href="${escapeHtml(url)}">Open it in Accord</a></p>`,
    `<p style="color:#555">${escapeHtml(closing)}</p>`,
  ].join('\n');
  return {
    to: { name: row.name, address: row.email },
    subject: oneLine(`${row.planTitle}: ${SUBJECTS[row.kind]}`),
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
