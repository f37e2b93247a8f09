import type { AuditAction, AuditEntry, VersionLabel } from '../../../shared/api/index.ts';
import type { Translate } from '../../i18n/errorText.ts';
import { labelledName } from '../versions/versionNames.ts';
import { deviceWords } from '../account/browserName.ts';
import { formatDate } from '../../i18n/format.ts';

/**
 * The audit log in the reader's language. The server stores an English `summary` for the CSV and
 * API users; people read a sentence made here from the entry's action and details, with
 * `audit.summary.<key>` templates and names, titles and states filled in (states in words:
 * role.*, agreement.status.*, monitoring.stage.* …). An entry written before its details held what
 * the template needs reads as the action's name (`audit.action.*`), never as the English summary.
 *
 * SUMMARY_PARAMS lists every template and the placeholders it may use; tests/unit/audit-summary.test.ts
 * checks that each is in every catalogue and uses no other placeholder, and that every audit action
 * has its template.
 */
export const SUMMARY_PARAMS = {
  'member.joined': ['name', 'role'],
  'member.joined_invited': ['name', 'role', 'inviter', 'inviterOrganisation'],
  'member.role_changed': ['name', 'from', 'to'],
  'member.removed': ['name', 'role'],
  'member.left': ['name', 'role'],
  'member.restored': ['name', 'role'],
  'invite.created': ['role'],
  'invite.revoked': ['role'],
  'import.committed': ['filename', 'created', 'updated'],
  'import.undone': ['filename'],
  'import.undone_edits_kept': ['filename', 'count'],
  'matrix_import.committed': ['filename', 'created', 'updated'],
  'matrix_import.undone': ['filename'],
  'matrix_import.undone_edits_kept': ['filename', 'count'],
  'matrix_import.undone_kept': ['filename', 'kept'],
  'matrix_import.undone_kept_edits_kept': ['filename', 'kept', 'count'],
  'section.status_changed': ['title', 'from', 'to'],
  'section.signed': ['title'],
  'section.agreed': ['title', 'signers'],
  'section.reopened': ['title'],
  'signoff_rule.changed': [],
  'signoff_rule.changed_chapter': ['chapter'],
  'signoff_rule.removed_chapter': ['chapter'],
  'version.created': ['name', 'title'],
  'version.created_plan': ['name'],
  'version.created_automatic': ['title'],
  'version.restored': ['name', 'title'],
  'export.created': ['format'],
  'export.created_version': ['format', 'name'],
  'export.created_progress': ['format', 'round'],
  'export.created_assessments': ['format', 'round'],
  'export.retention_changed': ['days', 'before'],
  'suggestion.accepted': ['author', 'title'],
  'suggestion.rejected': ['author', 'title'],
  'suggestion.withdrawn': ['title'],
  'suggestion_rule.changed': [],
  'section.deleted': ['title'],
  'section.restored': ['title'],
  'chapter.deleted': ['title', 'count'],
  'chapter.restored': ['title', 'count'],
  'action.created': ['title'],
  'action.updated': ['title'],
  'action.moved': ['title', 'from', 'to'],
  'action.moved_section': ['title', 'from', 'to'],
  'action.deleted': ['title'],
  'indicator.created': ['description', 'action'],
  'indicator.updated': ['description', 'action'],
  'indicator.deleted': ['description', 'action'],
  'link.added': ['reference', 'action'],
  'link.removed': ['reference', 'action'],
  'recommendation.created': ['reference'],
  'recommendation.updated': ['reference'],
  'recommendation.deleted': ['reference'],
  'recommendation_group.proposed': ['count'],
  'recommendation_group.confirmed': ['references'],
  'recommendation_group.split': ['references'],
  'recommendation_group.dismissed': ['references'],
  'section.created': ['title', 'chapter'],
  'section.renamed': ['from', 'to'],
  'section.moved': ['title'],
  'chapter.created': ['title'],
  'chapter.renamed': ['from', 'to'],
  'chapter.moved': ['title', 'from', 'to'],
  'organisation.created': ['name', 'side'],
  'organisation.added': ['name', 'side'],
  'password_reset.created': ['name'],
  'password_reset.used': ['by', 'count'],
  'account.password_changed': ['count'],
  'account.session_ended': ['device'],
  'account.other_sessions_ended': ['count'],
  'account.trusted_browser_forgotten': ['device'],
  'section.signoff_refused': ['title', 'organisation'],
  'section.signoff_withdrawn': ['title', 'signer', 'organisation'],
  'section.signoff_withdrawn_by': ['title', 'signer', 'organisation', 'editors'],
  'section.signoff_withdrawn_self': ['title', 'signer', 'organisation'],
  'organisation.verified': ['name', 'side'],
  'organisation.unverified': ['name'],
  'dissent.recorded': ['organisation', 'title'],
  'dissent.recorded_action': ['organisation', 'title', 'action'],
  'dissent.withdrawn': ['organisation'],
  'comment.thread_created': ['quote'],
  'comment.thread_resolved': ['quote'],
  'comment.thread_reopened': ['quote'],
  'comment.deleted': [],
  'plan.created': ['title', 'country', 'start', 'end'],
  'plan.sample_loaded': ['sections', 'recommendations', 'actions'],
  'plan.adopted': ['act', 'date'],
  'plan.stage_changed': ['from', 'to'],
  'round.created': ['name', 'due'],
  'round.updated': ['name'],
  'round.closed': ['name'],
  'round.reopened': ['name'],
  'report.created': ['action'],
  'report.created_correction': ['action'],
  'report.updated': ['action'],
  'report.submitted': ['action', 'status'],
  'report.deleted': ['action'],
  'evidence.added': ['label'],
  'evidence.removed': ['label'],
  'assessment.saved': ['organisation', 'title', 'rating', 'round'],
  'plan.monitoring_body_set': ['name'],
  'plan.monitoring_body_cleared': [],
  'plan.published': ['address'],
  'plan.published_draft': ['address'],
  'plan.unpublished': ['address'],
} as const satisfies Record<string, readonly string[]>;

export type SummaryKey = keyof typeof SUMMARY_PARAMS;
type Params<K extends SummaryKey> = { [P in (typeof SUMMARY_PARAMS)[K][number]]: string | number };
/** One template and its values; the type ties the values to the template's placeholders. */
export type Summary = { [K in SummaryKey]: { key: K; params: Params<K> } }[SummaryKey];

export type AuditSummaryEntry = Pick<AuditEntry, 'action' | 'actorId' | 'actorOrganisation' | 'targetType' | 'details'>;

type Details = Record<string, unknown>;
const obj = (v: unknown): Details => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Details) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** Every value present, or null: a template never shows a hole. */
function all<T extends Record<string, string | number | undefined>>(values: T): { [K in keyof T]: string | number } | null {
  return Object.values(values).every((v) => v !== undefined) ? (values as { [K in keyof T]: string | number }) : null;
}

function make<K extends SummaryKey>(key: K, values: { [P in keyof Params<K>]: string | number | undefined }): Summary | null {
  const params = all(values);
  return params ? ({ key, params } as unknown as Summary) : null;
}

/** An enumerated value in words (a role, a status, a stage…); undefined when there is none. */
const word = (t: Translate, prefix: string, v: unknown) => (str(v) ? t(`${prefix}.${str(v)}`, { defaultValue: str(v) }) : undefined);

/** The template for an entry and its values, or null when its details lack what the template needs. */
export function summaryOf(entry: AuditSummaryEntry, t: Translate, lng: string): Summary | null {
  const d = entry.details;
  const before = obj(d.before);
  const after = obj(d.after);
  const title = str(d.title) ?? str(after.title) ?? str(before.title);
  const names = obj(d.names) as Record<string, string>;
  const role = (v: unknown) => word(t, 'role', v);
  const side = (v: unknown) => word(t, 'side', v);
  const format = (v: unknown) => word(t, 'export.formats', v);
  // A stored calendar day ("2027-12-31": a round's due date, an act's date) as the reader writes days.
  const day = (v: unknown) => {
    const stored = str(v);
    return stored && formatDate(stored, lng);
  };
  switch (entry.action) {
    case 'member.joined':
      // Entries kept before the inviter was recorded say who joined only.
      return str(d.invitedByName) && str(d.invitedByOrganisation)
        ? make('member.joined_invited', { name: str(after.name), role: role(after.role ?? d.role), inviter: str(d.invitedByName), inviterOrganisation: str(d.invitedByOrganisation) })
        : make('member.joined', { name: str(after.name), role: role(after.role ?? d.role) });
    case 'member.role_changed':
      return make('member.role_changed', { name: str(d.name), from: role(d.from), to: role(d.to) });
    case 'member.removed':
      // Removing oneself is leaving: the record must not read as if someone was shut out.
      return make(entry.actorId !== null && entry.actorId === d.userId ? 'member.left' : 'member.removed', { name: str(d.name), role: role(d.role) });
    case 'member.restored':
      return make('member.restored', { name: str(d.name), role: role(d.role) });
    case 'invite.created':
    case 'invite.revoked':
      return make(entry.action, { role: role(d.role) });
    case 'import.committed':
    case 'matrix_import.committed':
      return make(entry.action, { filename: str(d.filename), created: num(d.created), updated: num(d.updated) });
    case 'import.undone':
      // Said when the undo kept edits people made after the import (entries before then had no count).
      if ((num(d.keptEdits) ?? 0) > 0) return make('import.undone_edits_kept', { filename: str(d.filename), count: num(d.keptEdits) });
      return make(entry.action, { filename: str(d.filename) });
    case 'matrix_import.undone': {
      // Said when the undo kept what people built on after the import: items it created, edits to
      // items it updated (entries before then had no counts).
      const kept = num(d.kept) ?? 0;
      const keptEdits = num(d.keptEdits) ?? 0;
      if (kept > 0 && keptEdits > 0) return make('matrix_import.undone_kept_edits_kept', { filename: str(d.filename), kept, count: keptEdits });
      if (kept > 0) return make('matrix_import.undone_kept', { filename: str(d.filename), kept });
      if (keptEdits > 0) return make('matrix_import.undone_edits_kept', { filename: str(d.filename), count: keptEdits });
      return make(entry.action, { filename: str(d.filename) });
    }
    case 'section.status_changed':
      return make('section.status_changed', { title, from: word(t, 'agreement.status', d.from), to: word(t, 'agreement.status', d.to) });
    case 'section.signed':
    case 'section.reopened':
    case 'section.deleted':
    case 'section.restored':
      return make(entry.action, { title });
    case 'section.agreed': {
      const signers = Array.isArray(d.signers)
        ? d.signers.map((s) => obj(s)).map((s) => (str(s.organisation) ? `${str(s.name)} (${str(s.organisation)})` : str(s.name))).join(', ')
        : undefined;
      return make('section.agreed', { title, signers: signers || undefined });
    }
    case 'signoff_rule.changed':
      if (d.scope === 'plan') return { key: 'signoff_rule.changed', params: {} };
      if (d.scope === 'chapter') return make(d.after === null ? 'signoff_rule.removed_chapter' : 'signoff_rule.changed_chapter', { chapter: str(d.chapterTitle) });
      return null;
    case 'version.created':
      if (d.automatic === true) return make('version.created_automatic', { title: str(d.title) });
      if (entry.targetType === 'plan') return make('version.created_plan', { name: str(d.name) });
      return make('version.created', { name: str(d.name), title: str(d.title) });
    case 'version.restored': {
      const name = str(d.name);
      return make('version.restored', { name: name && labelledName({ name, label: d.label as VersionLabel | null }, t, lng), title: str(d.title) });
    }
    case 'export.created':
      if (d.report === 'government') return make('export.created_progress', { format: format(d.format), round: str(d.roundName) });
      if (d.report === 'civil_society') return make('export.created_assessments', { format: format(d.format), round: str(d.roundName) });
      if (str(d.versionName)) return make('export.created_version', { format: format(d.format), name: str(d.versionName) });
      return make('export.created', { format: format(d.format) });
    case 'export.retention_changed':
      return make('export.retention_changed', { days: num(d.days), before: num(d.before) });
    case 'suggestion.accepted':
    case 'suggestion.rejected':
      if (entry.action === 'suggestion.rejected' && entry.actorId !== null && d.authorId === entry.actorId) {
        return make('suggestion.withdrawn', { title: str(d.title) });
      }
      return make(entry.action, { author: str(d.authorName), title: str(d.title) });
    case 'suggestion_rule.changed':
    case 'comment.deleted':
      return { key: entry.action, params: {} };
    case 'chapter.deleted':
    case 'chapter.restored':
      return make(entry.action, { title, count: Array.isArray(d.sections) ? d.sections.length : undefined });
    case 'action.created':
    case 'action.updated':
    case 'action.deleted':
    case 'chapter.created':
    case 'section.moved':
      return make(entry.action, { title });
    case 'action.moved': {
      const from = str(before.sectionId);
      const to = str(after.sectionId);
      if (from && to && from !== to) return make('action.moved_section', { title, from: names[from], to: names[to] });
      return make('action.moved', { title, from: place(before.position), to: place(after.position) });
    }
    case 'chapter.moved':
      return make('chapter.moved', { title, from: place(before.position), to: place(after.position) });
    case 'indicator.created':
    case 'indicator.updated':
    case 'indicator.deleted':
      return make(entry.action, { description: str(after.description) ?? str(before.description), action: str(d.actionTitle) });
    case 'link.added':
    case 'link.removed':
      return make(entry.action, { reference: str(d.reference), action: str(d.actionTitle) });
    case 'recommendation.created':
    case 'recommendation.updated':
    case 'recommendation.deleted':
      return make(entry.action, { reference: str(after.reference) ?? str(before.reference) });
    case 'recommendation_group.proposed':
      return make('recommendation_group.proposed', { count: num(after.proposed) });
    case 'recommendation_group.confirmed':
    case 'recommendation_group.split':
    case 'recommendation_group.dismissed':
      return make(entry.action, { references: Array.isArray(d.references) ? d.references.filter((r): r is string => typeof r === 'string').join(', ') || undefined : undefined });
    case 'section.created':
      return make('section.created', { title, chapter: str(after.chapterId) ? names[str(after.chapterId)!] : undefined });
    case 'section.renamed':
    case 'chapter.renamed':
      return make(entry.action, { from: str(before.title), to: str(after.title) });
    case 'organisation.created':
    case 'organisation.added':
      return make(entry.action, { name: str(after.name), side: side(after.side) });
    case 'password_reset.created':
      return make('password_reset.created', { name: str(d.name) });
    case 'password_reset.used':
      return make('password_reset.used', { by: str(d.createdByName), count: num(d.endedSessions) });
    case 'account.password_changed':
      return make('account.password_changed', { count: num(d.endedSessions) });
    case 'account.session_ended':
    case 'account.trusted_browser_forgotten':
      // A browser that kept no User-Agent (null) is still named: "Unknown device".
      return make(entry.action, { device: 'userAgent' in d ? deviceWords(str(d.userAgent) ?? null, t) : undefined });
    case 'account.other_sessions_ended':
      return make('account.other_sessions_ended', { count: num(d.endedSessions) });
    case 'section.signoff_refused':
      return make('section.signoff_refused', { title, organisation: str(d.organisation) });
    case 'section.signoff_withdrawn': {
      if (d.bySigner === true) return make('section.signoff_withdrawn_self', { title, signer: str(d.signer), organisation: str(d.organisation) });
      const editors = Array.isArray(d.editors) ? d.editors.filter((e): e is string => typeof e === 'string') : [];
      if (editors.length > 0) {
        return make('section.signoff_withdrawn_by', { title, signer: str(d.signer), organisation: str(d.organisation), editors: editors.join(', ') });
      }
      return make('section.signoff_withdrawn', { title, signer: str(d.signer), organisation: str(d.organisation) });
    }
    case 'organisation.verified':
      return make('organisation.verified', { name: str(d.organisation), side: side(d.side) });
    case 'organisation.unverified':
      return make('organisation.unverified', { name: str(d.organisation) });
    case 'dissent.recorded':
      if (str(d.actionTitle)) return make('dissent.recorded_action', { organisation: str(entry.actorOrganisation), title, action: str(d.actionTitle) });
      return make('dissent.recorded', { organisation: str(entry.actorOrganisation), title });
    case 'dissent.withdrawn':
      return make('dissent.withdrawn', { organisation: str(d.organisation) });
    case 'comment.thread_created':
    case 'comment.thread_resolved':
    case 'comment.thread_reopened':
      return make(entry.action, { quote: str(d.quote) });
    case 'plan.created':
      // `start` and `end` are years: written as they are, never grouped (client/i18n/valueFormatter.ts).
      return make('plan.created', { title: str(d.title), country: str(d.country), start: num(d.periodStart), end: num(d.periodEnd) });
    case 'plan.sample_loaded':
      return make('plan.sample_loaded', { sections: num(d.sections), recommendations: num(d.recommendations), actions: num(d.actions) });
    case 'plan.adopted': {
      const act = obj(d.act);
      return make('plan.adopted', { act: str(act.number) ? `${str(act.title)} (${str(act.number)})` : str(act.title), date: day(act.date) });
    }
    case 'plan.stage_changed':
      return make('plan.stage_changed', { from: word(t, 'monitoring.stage', before.stage), to: word(t, 'monitoring.stage', after.stage) });
    case 'round.created':
      return make('round.created', { name: str(after.name), due: day(after.dueDate) });
    case 'round.updated': {
      const name = str(after.name) ?? str(before.name);
      if (before.state !== after.state && after.state === 'closed') return make('round.closed', { name });
      if (before.state !== after.state && after.state === 'open') return make('round.reopened', { name });
      return make('round.updated', { name });
    }
    case 'report.created':
      return make(str(d.corrects) ? 'report.created_correction' : 'report.created', { action: str(d.actionTitle) });
    case 'report.updated':
    case 'report.deleted':
      return make(entry.action, { action: str(d.actionTitle) });
    case 'report.submitted':
      return make('report.submitted', { action: str(d.actionTitle), status: word(t, 'monitoring.status', d.status) });
    case 'evidence.added':
    case 'evidence.removed':
      return make(entry.action, { label: str(after.label) ?? str(before.label) });
    case 'assessment.saved':
      return make('assessment.saved', {
        organisation: str(d.organisationName),
        title: str(d.title),
        rating: word(t, 'monitoring.rating', after.rating),
        round: str(d.roundName),
      });
    case 'plan.monitoring_body_set': {
      const name = str(after.monitoringBody);
      return name ? make('plan.monitoring_body_set', { name }) : { key: 'plan.monitoring_body_cleared', params: {} };
    }
    case 'plan.published':
      return make(d.kind === 'adopted' ? 'plan.published' : 'plan.published_draft', { address: str(d.slug) && `/p/${str(d.slug)}` });
    case 'plan.unpublished':
      return make('plan.unpublished', { address: str(d.slug) && `/p/${str(d.slug)}` });
  }
}

/** A place in a list, counted from 1 as people count. */
const place = (v: unknown) => (typeof v === 'number' ? v + 1 : undefined);

/** The sentence for an audit entry in the reader's language (see the top of this file). */
export function auditSummary(entry: AuditSummaryEntry, t: Translate, lng: string): string {
  const summary = summaryOf(entry, t, lng);
  if (!summary) return t(`audit.action.${entry.action}`);
  return t(`audit.summary.${summary.key}`, summary.params);
}

/**
 * Words a person wrote that go with an entry (a reason, a reservation, a dissenting position), shown
 * under the sentence as written (the audit page then leaves the reason out of the before/after table).
 */
export function auditNote(entry: Pick<AuditEntry, 'action' | 'details'>): { label: 'reason' | 'reservation' | 'position' | 'note'; text: string } | null {
  const d = entry.details;
  if (str(d.reservation)) return { label: 'reservation', text: str(d.reservation)! };
  if (entry.action === 'dissent.recorded' || entry.action === 'dissent.withdrawn') return str(d.text) ? { label: 'position', text: str(d.text)! } : null;
  if (str(d.note)) return { label: 'note', text: str(d.note)! };
  // A withdrawn signature's reason is Accord's own English; its sentence says why instead.
  if (str(d.reason) && entry.action !== 'section.signoff_withdrawn') return { label: 'reason', text: str(d.reason)! };
  return null;
}

/** Actions whose before/after are not an item's fields (a sign-off rule): their sentence says it. */
export const WITHOUT_CHANGE_TABLE: readonly AuditAction[] = ['signoff_rule.changed'];
