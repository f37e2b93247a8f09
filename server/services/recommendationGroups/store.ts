import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Sql } from '../../db/sql/Sql.ts';
import { allRows, col, oneRow, rowShape, scalar, theRow } from '../../db/rows.ts';
import { conflict, HttpError, notFound } from '../../errors.ts';
import { newId, nowIso } from '../../ids.ts';
import { byWhom, recordChangeNow, type Actor } from '../history.ts';
import { findGroupsInSteps, type GroupInput } from './findGroups.ts';
import { visibleRecommendation } from '../recommendations.ts';
import {
  MechanismSchema,
  PositionSchema,
  RecommendationGroupStatusSchema,
  type ProposeGroupsResult,
  type RecommendationGroup,
  type RecommendationGroupPage,
  type RecommendationGroupQuery,
} from '../../../shared/api/index.ts';

/**
 * Groups of a plan's recommendations that say the same thing, as stored (migration 030): Accord
 * proposes them from the texts (findGroups.ts); a drafter or coordinator confirms, splits or
 * dismisses each. Every decision is one entry in the audit log naming the members, so each
 * member's history shows it (services/audit.ts itemClause).
 */

const GroupRow = rowShape({
  id: col.text,
  status: RecommendationGroupStatusSchema,
  score: col.num,
  proposedBy: col.text,
  proposedByName: col.text,
  proposedAt: col.text,
  confirmedBy: col.nullableText,
  confirmedByName: col.nullableText,
  confirmedAt: col.nullableText,
});
const MemberRow = rowShape({
  groupId: col.text,
  id: col.text,
  reference: col.text,
  text: col.text,
  mechanism: MechanismSchema,
  cycle: col.nullableInt,
  recommendingStates: col.text,
  position: PositionSchema,
  actionCount: col.int,
});
const InputRow = rowShape({ id: col.text, text: col.text, recommendingStates: col.text, stateUnderReview: col.text });

const GROUP_COLUMNS = `g.id, g.status, g.score, g.proposed_by AS proposedBy, pu.name AS proposedByName, g.proposed_at AS proposedAt,
  g.confirmed_by AS confirmedBy, cu.name AS confirmedByName, g.confirmed_at AS confirmedAt`;
const GROUP_FROM = `recommendation_groups g JOIN users pu ON pu.id = g.proposed_by LEFT JOIN users cu ON cu.id = g.confirmed_by`;

function withMembers(db: Db, rows: Array<ReturnType<typeof GroupRow.parse>>): RecommendationGroup[] {
  if (rows.length === 0) return [];
  const members = allRows(
    db.prepare(
      `SELECT m.group_id AS groupId, r.id, r.reference, r.text, r.mechanism, r.cycle, r.recommending_states AS recommendingStates,
              r.position, r.action_count AS actionCount
         FROM recommendation_group_members m JOIN recommendations r ON r.id = m.recommendation_id
        WHERE m.group_id IN (SELECT value FROM json_each(?)) ORDER BY r.sort_key`,
    ),
    MemberRow,
    JSON.stringify(rows.map((r) => r.id)),
  );
  const byGroup = new Map<string, RecommendationGroup['members']>();
  for (const { groupId, recommendingStates, ...m } of members) {
    const list = byGroup.get(groupId) ?? [];
    list.push({ ...m, recommendingStates: JSON.parse(recommendingStates) as string[] });
    byGroup.set(groupId, list);
  }
  return rows.map((r) => ({
    id: r.id,
    status: r.status,
    score: r.score,
    proposed: { userId: r.proposedBy, name: r.proposedByName, at: r.proposedAt },
    confirmed: r.confirmedBy && r.confirmedAt ? { userId: r.confirmedBy, name: r.confirmedByName ?? '', at: r.confirmedAt } : null,
    members: byGroup.get(r.id) ?? [],
  }));
}

export function listGroups(db: Db, planId: string, q: RecommendationGroupQuery): RecommendationGroupPage {
  const where = `g.plan_id = @planId ${q.status ? 'AND g.status = @status' : ''}`;
  const params = { planId, status: q.status ?? null, limit: q.limit, offset: q.offset };
  const total = theRow(db.prepare(`SELECT count(*) AS n FROM recommendation_groups g WHERE ${where}`), rowShape({ n: col.int }), params).n;
  // Proposals surest first, so a reviewer starts with the easy ones; confirmed ones newest first.
  const rows = allRows(
    db.prepare(`SELECT ${GROUP_COLUMNS} FROM ${GROUP_FROM} WHERE ${where}
      ORDER BY g.status = 'confirmed', g.score DESC, g.confirmed_at DESC, g.id LIMIT @limit OFFSET @offset`),
    GroupRow,
    params,
  );
  return { total, items: withMembers(db, rows) };
}

export function getGroup(db: Db, planId: string, groupId: string): RecommendationGroup {
  const row = oneRow(db.prepare(`SELECT ${GROUP_COLUMNS} FROM ${GROUP_FROM} WHERE g.id = ? AND g.plan_id = ?`), GroupRow, groupId, planId);
  if (!row) throw notFound('recommendationGroup');
  return withMembers(db, [row])[0]!;
}

/** The group a recommendation is in (proposed or confirmed), or null. */
export function groupOfRecommendation(db: Db, planId: string, recommendationId: string): RecommendationGroup | null {
  if (!db.prepare('SELECT 1 FROM recommendations WHERE id = ? AND plan_id = ?').get(recommendationId, planId)) throw notFound('recommendation');
  const groupId = scalar(db.prepare('SELECT group_id FROM recommendation_group_members WHERE recommendation_id = ?'), col.text, recommendationId);
  return groupId ? getGroup(db, planId, groupId) : null;
}

const GroupStatus = rowShape({ status: col.text });
const MemberId = rowShape({ id: col.text });

/** The members of a confirmed group, for linking an action to all of them (inside the link's transaction, `tx`). */
export async function confirmedGroupMemberIds(tx: Sql, planId: string, groupId: string): Promise<string[]> {
  const group = await tx.row(GroupStatus, sql`SELECT status FROM recommendation_groups WHERE id = ${groupId} AND plan_id = ${planId}`);
  if (!group) throw notFound('recommendationGroup');
  if (group.status !== 'confirmed') {
    throw conflict('recommendation_group_not_confirmed', 'Only a confirmed group can be linked to an action: confirm it first.');
  }
  const members = await tx.rows(
    MemberId,
    sql`SELECT r.id FROM recommendation_group_members m JOIN recommendations r ON r.id = m.recommendation_id
         WHERE m.group_id = ${groupId} ORDER BY r.sort_key, r.id`,
  );
  return members.map((m) => m.id);
}

const membersKey = (ids: readonly string[]) => [...ids].sort().join(' ');

/** What the audit entry keeps of a group: its status and members, with their references for people. */
function snapshot(group: Pick<RecommendationGroup, 'status' | 'members'>) {
  return { status: group.status, memberIds: group.members.map((m) => m.id), references: group.members.map((m) => m.reference) };
}

function insertGroup(db: Db, planId: string, status: 'proposed' | 'confirmed', score: number, memberIds: readonly string[], proposed: { by: string; at: string }, confirmed: { by: string; at: string } | null): string {
  const id = newId();
  db.prepare(
    `INSERT INTO recommendation_groups (id, plan_id, status, score, proposed_by, proposed_at, confirmed_by, confirmed_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(id, planId, status, score, proposed.by, proposed.at, confirmed?.by ?? null, confirmed?.at ?? null);
  const add = db.prepare('INSERT INTO recommendation_group_members (group_id, recommendation_id) VALUES (?, ?)');
  for (const rec of memberIds) add.run(id, rec);
  return id;
}

/** Plans whose proposals are being computed: a second request waits for the same run. */
const running = new Map<string, Promise<ProposeGroupsResult>>();

/**
 * Proposes groups among the plan's recommendations that are in no confirmed group, replacing the
 * open proposals. The comparison runs in steps that let other requests through (findGroupsInSteps);
 * the result is written in one short transaction, leaving out sets a person dismissed and
 * recommendations confirmed into a group or deleted meanwhile.
 */
export function proposeGroups(db: Db, planId: string, who: Actor): Promise<ProposeGroupsResult> {
  const current = running.get(planId);
  if (current) return current;
  const run = (async () => {
    const rows = allRows(
      db.prepare(
        `SELECT r.id, r.text, r.recommending_states AS recommendingStates, r.state_under_review AS stateUnderReview
           FROM recommendations r
          WHERE r.plan_id = ? AND ${visibleRecommendation()} AND NOT EXISTS (
            SELECT 1 FROM recommendation_group_members m JOIN recommendation_groups g ON g.id = m.group_id
             WHERE m.recommendation_id = r.id AND g.status = 'confirmed')
          ORDER BY r.sort_key`,
      ),
      InputRow,
      planId,
    );
    const underReview = new Set(rows.map((r) => r.stateUnderReview));
    const inputs: GroupInput[] = rows.map((r) => ({ id: r.id, text: r.text, states: JSON.parse(r.recommendingStates) as string[] }));
    const found = await findGroupsInSteps(inputs, { extraStates: [...underReview] });
    return db.transaction(() => {
      db.prepare(`DELETE FROM recommendation_groups WHERE plan_id = ? AND status = 'proposed'`).run(planId);
      const dismissed = new Set(allRows(db.prepare('SELECT members FROM recommendation_group_dismissals WHERE plan_id = ?'), rowShape({ members: col.text }), planId).map((r) => r.members));
      const free = db.prepare(
        `SELECT 1 FROM recommendations r WHERE r.id = ? AND r.plan_id = ? AND NOT EXISTS (SELECT 1 FROM recommendation_group_members m WHERE m.recommendation_id = r.id)`,
      );
      const at = nowIso();
      let proposed = 0;
      for (const group of found) {
        const members = group.memberIds.filter((id) => free.get(id, planId));
        if (members.length < 2 || dismissed.has(membersKey(members))) continue;
        insertGroup(db, planId, 'proposed', group.score, members, { by: who.principal.userId, at }, null);
        proposed++;
      }
      recordChangeNow(db, {
        planId,
        who,
        action: 'recommendation_group.proposed',
        targetType: 'plan',
        targetId: planId,
        summary: `${byWhom(who)} asked Accord for groups of recommendations that say the same thing: ${proposed} proposed`,
        before: null,
        after: { proposed, compared: inputs.length },
      });
      return { proposed, compared: inputs.length };
    })();
  })().finally(() => running.delete(planId));
  running.set(planId, run);
  return run;
}

export function confirmGroup(db: Db, planId: string, groupId: string, who: Actor): RecommendationGroup {
  return db.transaction(() => {
    const before = getGroup(db, planId, groupId);
    if (before.status === 'confirmed') return before;
    db.prepare(`UPDATE recommendation_groups SET status = 'confirmed', confirmed_by = ?, confirmed_at = ? WHERE id = ?`).run(who.principal.userId, nowIso(), groupId);
    const after = getGroup(db, planId, groupId);
    recordChangeNow(db, {
      planId,
      who,
      action: 'recommendation_group.confirmed',
      targetType: 'recommendation_group',
      targetId: groupId,
      summary: `${byWhom(who)} confirmed that ${after.members.map((m) => m.reference).join(', ')} say the same thing`,
      before: { status: before.status },
      after: { status: after.status },
      changed: ['status'],
      details: snapshot(after),
    });
    return after;
  })();
}

/** Splits a group into `parts` (see SplitRecommendationGroupSchema); returns the groups that remain. */
export function splitGroup(db: Db, planId: string, groupId: string, who: Actor, parts: string[][]): RecommendationGroup[] {
  return db.transaction(() => {
    const before = getGroup(db, planId, groupId);
    const memberIds = new Set(before.members.map((m) => m.id));
    const seen = new Set<string>();
    for (const id of parts.flat()) {
      if (!memberIds.has(id) || seen.has(id)) {
        throw new HttpError(400, 'recommendation_group_parts_invalid', 'Each part must hold members of this group, and no member may be in two parts.');
      }
      seen.add(id);
    }
    const kept = parts.filter((p) => p.length >= 2);
    db.prepare('DELETE FROM recommendation_group_members WHERE group_id = ?').run(groupId);
    const proposed = { by: before.proposed.userId, at: before.proposed.at };
    const confirmed = before.confirmed ? { by: who.principal.userId, at: nowIso() } : null;
    const ids: string[] = [];
    if (kept.length === 0) db.prepare('DELETE FROM recommendation_groups WHERE id = ?').run(groupId);
    kept.forEach((part, k) => {
      if (k === 0) {
        const add = db.prepare('INSERT INTO recommendation_group_members (group_id, recommendation_id) VALUES (?, ?)');
        for (const rec of part) add.run(groupId, rec);
        ids.push(groupId);
      } else {
        ids.push(insertGroup(db, planId, before.status, before.score, part, proposed, confirmed));
      }
    });
    const after = ids.map((id) => getGroup(db, planId, id));
    const removed = [...memberIds].filter((id) => !kept.some((p) => p.includes(id)));
    recordChangeNow(db, {
      planId,
      who,
      action: 'recommendation_group.split',
      targetType: 'recommendation_group',
      targetId: groupId,
      summary: `${byWhom(who)} split the group of ${before.members.map((m) => m.reference).join(', ')} into ${after.length === 0 ? 'no group' : after.map((g) => g.members.map((m) => m.reference).join(', ')).join(' / ')}`,
      before: { parts: [before.members.map((m) => m.id)] },
      after: { parts: after.map((g) => g.members.map((m) => m.id)) },
      changed: ['parts'],
      details: { ...snapshot(before), groupIds: ids, removedIds: removed },
    });
    return after;
  })();
}

/** Dismisses a group: it is no longer a group, and proposing again does not offer the same set. */
export function dismissGroup(db: Db, planId: string, groupId: string, who: Actor): void {
  db.transaction(() => {
    const before = getGroup(db, planId, groupId);
    db.prepare('DELETE FROM recommendation_groups WHERE id = ?').run(groupId);
    db.prepare('INSERT OR REPLACE INTO recommendation_group_dismissals (plan_id, members, dismissed_by, dismissed_at) VALUES (?, ?, ?, ?)').run(
      planId,
      membersKey(before.members.map((m) => m.id)),
      who.principal.userId,
      nowIso(),
    );
    recordChangeNow(db, {
      planId,
      who,
      action: 'recommendation_group.dismissed',
      targetType: 'recommendation_group',
      targetId: groupId,
      summary: `${byWhom(who)} dismissed the group of ${before.members.map((m) => m.reference).join(', ')}`,
      before: { status: before.status },
      after: null,
      changed: ['status'],
      details: snapshot(before),
    });
  })();
}
