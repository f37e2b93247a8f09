/**
 * Annex "Proposals by civil society and what became of them". Civil society asked that its
 * indicators and actions not vanish undiscussed, as happened with an earlier national plan; this
 * annex lists every action and indicator a civil-society organisation proposed, and its fate:
 * kept as proposed, kept but changed by another organisation (what changed), rejected by another
 * organisation (with the reason it had to give), or withdrawn by the proposers themselves.
 *
 * The fate is read from the plan's change history (the audit log, services/history.ts), whose
 * entries keep whose proposal an item was; items still in the plan are read from the plan itself,
 * so an item made before the history was kept is still listed, as "in the plan".
 */
import type { Db } from '../db/database.ts';
import { fieldWords } from '../services/actionHistory.ts';
import { type AnnexEntry, type AnnexGroup, type ModelAnnex } from './annexes.ts';
import { displayTime } from './displayTime.ts';
import type { ModelChapter } from './model.ts';

type Kind = 'action' | 'indicator';

interface EntryRow {
  at: string;
  actorName: string;
  actorOrganisation: string;
  action: string;
  targetType: Kind;
  targetId: string;
  details: string;
}

interface Details {
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  changed?: string[];
  names?: Record<string, string>;
  reason?: string | null;
  withdrawnByProposer?: boolean;
  withAction?: boolean;
  proposedByOrganisationId?: string | null;
  proposedByOrganisationName?: string | null;
  proposedBySide?: string | null;
  sectionId?: string;
  actionTitle?: string;
  reference?: string;
}

/** What is known of one proposed item, gathered from its history and the plan as it is. */
interface Proposal {
  kind: Kind;
  id: string;
  label: string;
  /** For an indicator: the action it measures. */
  actionTitle: string | null;
  sectionId: string | null;
  proposer: string;
  proposedAt: string | null;
  proposedBy: string | null;
  /** Changes by organisations other than the proposer, in order. */
  changes: string[];
  removal: { at: string; by: string; organisation: string; reason: string | null; byProposer: boolean } | null;
  inPlan: boolean;
}

const text = (value: unknown, names: Record<string, string>): string => {
  if (value === null || value === undefined || value === '') return 'not set';
  if (Array.isArray(value)) return value.length ? value.map((v) => text(v, names)).join(', ') : 'none';
  const s = String(value);
  return names[s] ?? s;
};
const short = (s: string) => {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > 160 ? `${flat.slice(0, 159)}…` : flat;
};

export interface ProposalsOptions {
  exportedAt: string;
  version?: { name: string; createdAt: string } | null;
}

export function proposalsAnnex(db: Db, planId: string, chapters: ModelChapter[], options: ProposalsOptions): ModelAnnex {
  const proposals = new Map<string, Proposal>();
  const keyOf = (kind: Kind, id: string) => `${kind} ${id}`;

  // Items in the plan now whose proposing organisation is of civil society.
  const current = db
    .prepare(
      `SELECT 'action' AS kind, a.id, a.title AS label, NULL AS actionTitle, a.section_id AS sectionId, o.name AS proposer
         FROM actions a JOIN organisations o ON o.id = a.proposed_by_organisation_id
         JOIN sections s ON s.id = a.section_id JOIN chapters c ON c.id = s.chapter_id
        WHERE a.plan_id = ? AND o.side = 'civil_society' AND s.deleted_at IS NULL AND c.deleted_at IS NULL
       UNION ALL
       SELECT 'indicator', i.id, i.description, a.title, a.section_id, o.name
         FROM indicators i JOIN actions a ON a.id = i.action_id JOIN organisations o ON o.id = i.proposed_by_organisation_id
         JOIN sections s ON s.id = a.section_id JOIN chapters c ON c.id = s.chapter_id
        WHERE a.plan_id = ? AND o.side = 'civil_society' AND s.deleted_at IS NULL AND c.deleted_at IS NULL`,
    )
    .all(planId, planId) as Array<{ kind: Kind; id: string; label: string; actionTitle: string | null; sectionId: string; proposer: string }>;
  for (const c of current) {
    proposals.set(keyOf(c.kind, c.id), { ...c, proposedAt: null, proposedBy: null, changes: [], removal: null, inPlan: true });
  }

  // A section in the bin is out of every export (it may come back whole): so are its proposals.
  const binned = new Set(
    (db
      .prepare(
        `SELECT s.id FROM sections s JOIN chapters c ON c.id = s.chapter_id
          WHERE s.plan_id = ? AND (s.deleted_at IS NOT NULL OR c.deleted_at IS NOT NULL)`,
      )
      .all(planId) as Array<{ id: string }>).map((r) => r.id),
  );

  const entries = db
    .prepare(
      `SELECT at, actor_name AS actorName, actor_organisation AS actorOrganisation, action, target_type AS targetType, target_id AS targetId, details
         FROM audit_log WHERE plan_id = ? AND target_type IN ('action', 'indicator') ORDER BY id`,
    )
    .all(planId) as EntryRow[];
  for (const e of entries) {
    const d = JSON.parse(e.details) as Details;
    const key = keyOf(e.targetType, e.targetId);
    let p = proposals.get(key);
    if (!p) {
      // Only items a civil-society organisation proposed; an item not in the plan now is known from its history alone.
      if (d.proposedBySide !== 'civil_society' || !d.proposedByOrganisationName) continue;
      p = {
        kind: e.targetType,
        id: e.targetId,
        label: '',
        actionTitle: null,
        sectionId: d.sectionId ?? null,
        proposer: d.proposedByOrganisationName,
        proposedAt: null,
        proposedBy: null,
        changes: [],
        removal: null,
        inPlan: false,
      };
      proposals.set(key, p);
    }
    const labelField = e.targetType === 'action' ? 'title' : 'description';
    const label = (d.after?.[labelField] ?? d.before?.[labelField]) as string | undefined;
    if (label && !p.inPlan) p.label = label;
    if (e.targetType === 'indicator' && d.actionTitle && !p.inPlan) p.actionTitle = d.actionTitle;
    if (!p.sectionId && d.sectionId) p.sectionId = d.sectionId;
    const names = d.names ?? {};
    const byOther = e.actorOrganisation !== p.proposer;
    switch (e.action) {
      case 'action.created':
      case 'indicator.created':
        if (p.proposedAt === null) {
          p.proposedAt = e.at;
          p.proposedBy = e.actorName;
        }
        // Brought back (e.g. by restoring a version): the earlier removal no longer stands.
        p.removal = null;
        break;
      case 'action.updated':
      case 'indicator.updated':
        if (byOther) {
          const fields = (d.changed ?? []).map((f) => `${fieldWords([f])}: ${short(text(d.before?.[f], names))} → ${short(text(d.after?.[f], names))}`);
          p.changes.push(`${e.actorName} (${e.actorOrganisation}), ${displayTime(e.at)}: ${fields.join('; ')}`);
        }
        break;
      case 'link.added':
      case 'link.removed':
        if (byOther && e.targetType === 'action' && d.reference) {
          p.changes.push(`${e.actorName} (${e.actorOrganisation}), ${displayTime(e.at)}: ${e.action === 'link.added' ? 'linked' : 'unlinked'} recommendation ${d.reference}`);
        }
        break;
      case 'action.deleted':
      case 'indicator.deleted':
        p.removal = {
          at: e.at,
          by: e.actorName,
          organisation: e.actorOrganisation,
          reason: d.reason ?? null,
          byProposer: d.withdrawnByProposer ?? !byOther,
        };
        break;
    }
  }

  // By section, in plan order; items of sections no longer in the plan come last.
  const order = new Map<string, { heading: string; included: boolean }>();
  chapters.forEach((c, ci) => c.sections.forEach((s, si) => order.set(s.id, { heading: `${ci + 1}.${si + 1} ${s.title}`, included: s.included })));
  const bySection = new Map<string, Proposal[]>();
  for (const p of proposals.values()) {
    if (p.sectionId && binned.has(p.sectionId)) continue;
    const key = p.sectionId && order.has(p.sectionId) ? p.sectionId : '';
    bySection.set(key, [...(bySection.get(key) ?? []), p]);
  }
  const groups: AnnexGroup[] = [];
  for (const [sectionId, { heading }] of order) {
    const list = bySection.get(sectionId);
    if (list?.length) groups.push({ heading, note: null, entries: list.map(entryOf) });
  }
  const elsewhere = bySection.get('');
  if (elsewhere?.length) {
    groups.push({
      heading: 'Sections no longer in the plan',
      note: 'The sections these proposals belonged to were deleted for good (after their time in the bin).',
      entries: elsewhere.map(entryOf),
    });
  }

  return {
    key: 'proposals',
    title: 'Proposals by civil society and what became of them',
    intro: [
      'Every action and indicator proposed by a civil-society organisation, by section: kept as proposed, changed by another organisation (what changed, by whom), rejected by another organisation (with the reason it gave), or withdrawn by the proposers.',
      options.version
        ? `As of ${displayTime(options.exportedAt)}, when this export was made, not as of the version “${options.version.name}”: what became of a proposal is read from the plan's full record.`
        : `As of ${displayTime(options.exportedAt)}.`,
      'Changes made before Accord kept the history of each item are not known; such items are listed as they are in the plan.',
    ],
    empty: 'No civil-society organisation has proposed an action or an indicator in this plan.',
    groups,
  };
}

const KIND_WORDS: Record<Kind, string> = { action: 'Action', indicator: 'Indicator' };

function entryOf(p: Proposal): AnnexEntry {
  const proposed = p.proposedAt ? `, ${displayTime(p.proposedAt)}${p.proposedBy ? ` (entered by ${p.proposedBy})` : ''}` : '';
  const byline = `Proposed by ${p.proposer}${proposed}`;
  const label = `${KIND_WORDS[p.kind]} “${short(p.label)}”${p.actionTitle ? ` (action “${short(p.actionTitle)}”)` : ''}`;
  if (!p.inPlan && p.removal) {
    const r = p.removal;
    if (r.byProposer) {
      return { label: `${label} — withdrawn`, byline, text: `Withdrawn by ${r.by} (${r.organisation}), ${displayTime(r.at)}.${r.reason ? ` Reason: ${r.reason}` : ''}` };
    }
    return {
      label: `${label} — rejected`,
      byline,
      text: `Removed by ${r.by} (${r.organisation}), ${displayTime(r.at)}. Reason: ${r.reason ?? 'none recorded'}`,
    };
  }
  if (!p.inPlan) return { label: `${label} — not in the plan`, byline, text: 'Not in the plan: the section it belonged to was deleted for good.' };
  if (p.changes.length) return { label: `${label} — kept, changed by others`, byline, text: p.changes.join('\n') };
  return { label: `${label} — kept as proposed`, byline, text: 'In the plan as its proposers worded it.' };
}
