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
import { z } from 'zod';
import { sql } from 'kysely';
import { col, rowShape } from '../db/rows.ts';
import type { Sql } from '../db/sql/Sql.ts';
import type { AnnexEntry, AnnexGroup, ModelAnnex } from './modelTypes.ts';
import { exportWords, type ExportWords } from './i18n/index.ts';
import type { ModelChapter } from './modelTypes.ts';

const Kind = z.enum(['action', 'indicator']);
type Kind = z.output<typeof Kind>;

const CurrentProposalRow = rowShape({
  kind: Kind,
  id: col.text,
  label: col.text,
  actionTitle: col.nullableText,
  sectionId: col.text,
  proposer: col.text,
  createdAt: col.text,
});
const IdRow = rowShape({ id: col.text });
const EntryRow = rowShape({
  at: col.text,
  actorName: col.text,
  actorOrganisation: col.text,
  action: col.text,
  targetType: Kind,
  targetId: col.text,
  details: col.text,
});

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

const text = (value: unknown, names: Record<string, string>, words: ExportWords): string => {
  if (value === null || value === undefined || value === '') return words.w.proposals.notSet;
  if (Array.isArray(value)) return value.length ? value.map((v) => text(v, names, words)).join(', ') : words.w.proposals.none;
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
  /** The language the annex is written in. */
  words?: ExportWords;
}

export async function proposalsAnnex(q: Sql, planId: string, chapters: ModelChapter[], options: ProposalsOptions): Promise<ModelAnnex> {
  const words = options.words ?? exportWords();
  const w = words.w.proposals;
  const proposals = new Map<string, Proposal>();
  const keyOf = (kind: Kind, id: string) => `${kind} ${id}`;

  // Items in the plan now whose proposing organisation is of civil society.
  // Actions first, each kind in the order made, ties by id (columns 1, 7, 2): the order each section lists them in, alike on both engines.
  const current = await q.rows(
    CurrentProposalRow,
    sql`SELECT 'action' AS kind, a.id, a.title AS label, CAST(NULL AS TEXT) AS "actionTitle", a.section_id AS "sectionId", o.name AS proposer,
           a.created_at AS "createdAt"
         FROM actions a JOIN organisations o ON o.id = a.proposed_by_organisation_id
         JOIN sections s ON s.id = a.section_id JOIN chapters c ON c.id = s.chapter_id
        WHERE a.plan_id = ${planId} AND o.side = 'civil_society' AND s.deleted_at IS NULL AND c.deleted_at IS NULL
       UNION ALL
       SELECT 'indicator', i.id, i.description, a.title, a.section_id, o.name, i.created_at
         FROM indicators i JOIN actions a ON a.id = i.action_id JOIN organisations o ON o.id = i.proposed_by_organisation_id
         JOIN sections s ON s.id = a.section_id JOIN chapters c ON c.id = s.chapter_id
        WHERE a.plan_id = ${planId} AND o.side = 'civil_society' AND s.deleted_at IS NULL AND c.deleted_at IS NULL
       ORDER BY 1, 7, 2`,
  );
  for (const { createdAt: _, ...c } of current) {
    proposals.set(keyOf(c.kind, c.id), { ...c, proposedAt: null, proposedBy: null, changes: [], removal: null, inPlan: true });
  }

  // A section in the bin is out of every export (it may come back whole): so are its proposals.
  const binned = new Set(
    (
      await q.rows(
        IdRow,
        sql`SELECT s.id FROM sections s JOIN chapters c ON c.id = s.chapter_id
             WHERE s.plan_id = ${planId} AND (s.deleted_at IS NOT NULL OR c.deleted_at IS NOT NULL)`,
      )
    ).map((r) => r.id),
  );

  const entries = await q.rows(
    EntryRow,
    sql`SELECT at, actor_name AS "actorName", actor_organisation AS "actorOrganisation", action, target_type AS "targetType", target_id AS "targetId", details
         FROM audit_log WHERE plan_id = ${planId} AND target_type IN ('action', 'indicator') ORDER BY id`,
  );
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
          const fields = (d.changed ?? []).map((f) =>
            words.t(w.fieldChange, {
              field: words.label(words.w.fields, f),
              before: short(text(d.before?.[f], names, words)),
              after: short(text(d.after?.[f], names, words)),
            }),
          );
          p.changes.push(words.t(w.change, { person: e.actorName, organisation: e.actorOrganisation, time: words.time(e.at), what: fields.join('; ') }));
        }
        break;
      case 'link.added':
      case 'link.removed':
        if (byOther && e.targetType === 'action' && d.reference) {
          const what = words.t(e.action === 'link.added' ? w.linked : w.unlinked, { reference: d.reference });
          p.changes.push(words.t(w.change, { person: e.actorName, organisation: e.actorOrganisation, time: words.time(e.at), what }));
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
    if (list?.length) groups.push({ heading, note: null, entries: list.map((p) => entryOf(p, words)) });
  }
  const elsewhere = bySection.get('');
  if (elsewhere?.length) {
    groups.push({ heading: w.elsewhere, note: w.elsewhereNote, entries: elsewhere.map((p) => entryOf(p, words)) });
  }

  return {
    key: 'proposals',
    title: w.title,
    intro: [
      w.intro,
      options.version
        ? words.t(w.asOfVersion, { time: words.time(options.exportedAt), name: options.version.name })
        : words.t(w.asOfNow, { time: words.time(options.exportedAt) }),
      w.before,
    ],
    empty: w.empty,
    groups,
  };
}

function entryOf(p: Proposal, words: ExportWords): AnnexEntry {
  const w = words.w.proposals;
  const byline = !p.proposedAt
    ? words.t(w.proposedBy, { organisation: p.proposer })
    : words.t(p.proposedBy ? w.proposedOnBy : w.proposedOn, { organisation: p.proposer, time: words.time(p.proposedAt), person: p.proposedBy ?? '' });
  const item = words.t(p.kind === 'action' ? w.action : w.indicator, { label: short(p.label) });
  const label = p.actionTitle ? words.t(w.ofAction, { label: item, action: short(p.actionTitle) }) : item;
  if (!p.inPlan && p.removal) {
    const r = p.removal;
    const who = { person: r.by, organisation: r.organisation, time: words.time(r.at) };
    if (r.byProposer) {
      const reason = r.reason ? ` ${words.t(w.reason, { reason: r.reason })}` : '';
      return { label: words.t(w.withdrawn, { label }), byline, text: words.t(w.withdrawnText, who) + reason };
    }
    return {
      label: words.t(w.rejected, { label }),
      byline,
      text: `${words.t(w.rejectedText, who)} ${words.t(w.reason, { reason: r.reason ?? w.noReason })}`,
    };
  }
  if (!p.inPlan) return { label: words.t(w.notInPlan, { label }), byline, text: w.notInPlanText };
  if (p.changes.length) return { label: words.t(w.changed, { label }), byline, text: p.changes.join('\n') };
  return { label: words.t(w.kept, { label }), byline, text: w.keptText };
}
