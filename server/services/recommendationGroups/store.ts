import { sql } from 'kysely';
import type { Sql } from '../../db/sql/Sql.ts';
import { col, rowShape } from '../../db/rows.ts';
import { lockRowsToReferTo } from '../../db/sql/locks.ts';
import { flag } from '../../db/sql/portable.ts';
import { conflict, HttpError, notFound } from '../../errors.ts';
import { newId, nowIso } from '../../ids.ts';
import { byWhom, recordChange, type Actor } from '../history.ts';
import { findGroupsInSteps, type GroupInput } from './findGroups.ts';
import { lockPlanRecommendations, visibleRecommendation } from '../recommendations.ts';
import {
  MechanismSchema,
  PositionSchema,
  ProposeGroupsResultSchema,
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
 * member's history shows it (services/audit.ts itemClause). On Sql (decision 0011); on PostgreSQL
 * the decisions of one plan take turns (lockPlanRecommendations), so each is checked against the
 * groups as the one before left them.
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
const Count = rowShape({ n: col.int });
const One = rowShape({ one: col.int });
const GroupId = rowShape({ groupId: col.text });
const Members = rowShape({ members: col.text });

const GROUP_COLUMNS = sql`g.id, g.status, g.score, g.proposed_by AS "proposedBy", pu.name AS "proposedByName", g.proposed_at AS "proposedAt",
  g.confirmed_by AS "confirmedBy", cu.name AS "confirmedByName", g.confirmed_at AS "confirmedAt"`;
const GROUP_FROM = sql`recommendation_groups g JOIN users pu ON pu.id = g.proposed_by LEFT JOIN users cu ON cu.id = g.confirmed_by`;

async function withMembers(q: Sql, groups: Array<ReturnType<typeof GroupRow.parse>>): Promise<RecommendationGroup[]> {
  if (groups.length === 0) return [];
  const members = await q.rows(
    MemberRow,
    sql`SELECT m.group_id AS "groupId", r.id, r.reference, r.text, r.mechanism, r.cycle, r.recommending_states AS "recommendingStates",
               r.position, r.action_count AS "actionCount"
          FROM recommendation_group_members m JOIN recommendations r ON r.id = m.recommendation_id
         WHERE m.group_id IN (${sql.join(groups.map((g) => g.id))}) ORDER BY r.sort_key, r.id`,
  );
  const byGroup = new Map<string, RecommendationGroup['members']>();
  for (const { groupId, recommendingStates, ...m } of members) {
    const list = byGroup.get(groupId) ?? [];
    list.push({ ...m, recommendingStates: JSON.parse(recommendingStates) as string[] });
    byGroup.set(groupId, list);
  }
  return groups.map((r) => ({
    id: r.id,
    status: r.status,
    score: r.score,
    proposed: { userId: r.proposedBy, name: r.proposedByName, at: r.proposedAt },
    confirmed: r.confirmedBy && r.confirmedAt ? { userId: r.confirmedBy, name: r.confirmedByName ?? '', at: r.confirmedAt } : null,
    members: byGroup.get(r.id) ?? [],
  }));
}

export async function listGroups(q: Sql, planId: string, query: RecommendationGroupQuery): Promise<RecommendationGroupPage> {
  const where = query.status ? sql`g.plan_id = ${planId} AND g.status = ${query.status}` : sql`g.plan_id = ${planId}`;
  const { n: total } = await q.theRow(Count, sql`SELECT count(*) AS n FROM recommendation_groups g WHERE ${where}`);
  // Proposals surest first, so a reviewer starts with the easy ones; confirmed ones newest first.
  const items = await q.rows(
    GroupRow,
    sql`SELECT ${GROUP_COLUMNS} FROM ${GROUP_FROM} WHERE ${where}
        ORDER BY ${flag(sql`g.status = 'confirmed'`)}, g.score DESC, g.confirmed_at DESC NULLS LAST, g.id LIMIT ${query.limit} OFFSET ${query.offset}`,
  );
  return { total, items: await withMembers(q, items) };
}

export async function getGroup(q: Sql, planId: string, groupId: string): Promise<RecommendationGroup> {
  const found = await q.row(GroupRow, sql`SELECT ${GROUP_COLUMNS} FROM ${GROUP_FROM} WHERE g.id = ${groupId} AND g.plan_id = ${planId}`);
  if (!found) throw notFound('recommendationGroup');
  return (await withMembers(q, [found]))[0]!;
}

/** The group a recommendation is in (proposed or confirmed), or null. */
export async function groupOfRecommendation(q: Sql, planId: string, recommendationId: string): Promise<RecommendationGroup | null> {
  if (!(await q.row(One, sql`SELECT 1 AS one FROM recommendations WHERE id = ${recommendationId} AND plan_id = ${planId}`))) throw notFound('recommendation');
  const member = await q.row(GroupId, sql`SELECT group_id AS "groupId" FROM recommendation_group_members WHERE recommendation_id = ${recommendationId}`);
  return member ? getGroup(q, planId, member.groupId) : null;
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
  const members = () =>
    tx.rows(
      MemberId,
      sql`SELECT r.id FROM recommendation_group_members m JOIN recommendations r ON r.id = m.recommendation_id
           WHERE m.group_id = ${groupId} ORDER BY r.sort_key, r.id`,
    );
  // Locked as a single link locks its recommendation (locks.ts), then read again: a member being
  // deleted meanwhile is waited for and left out, as on SQLite, not linked and refused by its key.
  const read = (await members()).map((m) => m.id);
  if (tx.engine !== 'postgres') return read;
  await lockRowsToReferTo(tx, 'recommendations', read);
  return (await members()).map((m) => m.id);
}

const membersKey = (ids: readonly string[]) => [...ids].sort().join(' ');

/** What the audit entry keeps of a group: its status and members, with their references for people. */
function snapshot(group: Pick<RecommendationGroup, 'status' | 'members'>) {
  return { status: group.status, memberIds: group.members.map((m) => m.id), references: group.members.map((m) => m.reference) };
}

async function addMembers(tx: Sql, groupId: string, memberIds: readonly string[]): Promise<void> {
  await tx.run(sql`INSERT INTO recommendation_group_members (group_id, recommendation_id) VALUES ${sql.join(memberIds.map((rec) => sql`(${groupId}, ${rec})`))}`);
}

async function insertGroup(
  tx: Sql,
  planId: string,
  status: 'proposed' | 'confirmed',
  score: number,
  memberIds: readonly string[],
  proposed: { by: string; at: string },
  confirmed: { by: string; at: string } | null,
): Promise<string> {
  const id = newId();
  await tx.run(
    sql`INSERT INTO recommendation_groups (id, plan_id, status, score, proposed_by, proposed_at, confirmed_by, confirmed_at)
        VALUES (${id}, ${planId}, ${status}, ${score}, ${proposed.by}, ${proposed.at}, ${confirmed?.by ?? null}, ${confirmed?.at ?? null})`,
  );
  await addMembers(tx, id, memberIds);
  return id;
}

const LatestProposal = rowShape({ id: col.int, details: col.text });

/** The plan's latest proposal, by its audit entry (the record of it): the entry's id and what it found. */
async function latestProposal(q: Sql, planId: string): Promise<{ entryId: number; result: ProposeGroupsResult } | null> {
  const found = await q.row(
    LatestProposal,
    sql`SELECT id, details FROM audit_log WHERE plan_id = ${planId} AND action = 'recommendation_group.proposed' ORDER BY id DESC LIMIT 1`,
  );
  if (!found) return null;
  return { entryId: found.id, result: ProposeGroupsResultSchema.parse((JSON.parse(found.details) as { after?: unknown }).after) };
}

/**
 * Plans whose proposals are being computed in this process, per database (`Sql.source`: one for
 * every request of a server): a second request waits for the same run.
 */
const runningOn = new WeakMap<object, Map<string, Promise<ProposeGroupsResult>>>();

/**
 * Proposes groups among the plan's recommendations that are in no confirmed group, replacing the
 * open proposals. The texts are read first; the comparison runs outside any transaction, in steps
 * that let other requests through (findGroupsInSteps); the result is written in one short
 * transaction, leaving out sets a person dismissed and recommendations put into a group or deleted
 * meanwhile. One run per plan at a time: within a server a second request joins the run under way;
 * across servers the later to write answers with what the earlier wrote, if that was written after
 * it began (checked under the plan's lock against the plan's latest proposal entry).
 */
export function proposeGroups(q: Sql, planId: string, who: Actor): Promise<ProposeGroupsResult> {
  let running = runningOn.get(q.source);
  if (!running) runningOn.set(q.source, (running = new Map()));
  const current = running.get(planId);
  if (current) return current;
  const run = (async () => {
    const latestBefore = (await latestProposal(q, planId))?.entryId ?? null;
    const texts = await q.rows(
      InputRow,
      sql`SELECT r.id, r.text, r.recommending_states AS "recommendingStates", r.state_under_review AS "stateUnderReview"
            FROM recommendations r
           WHERE r.plan_id = ${planId} AND ${sql.raw(visibleRecommendation())} AND NOT EXISTS (
             SELECT 1 FROM recommendation_group_members m JOIN recommendation_groups g ON g.id = m.group_id
              WHERE m.recommendation_id = r.id AND g.status = 'confirmed')
           ORDER BY r.sort_key, r.id`,
    );
    const underReview = new Set(texts.map((r) => r.stateUnderReview));
    const inputs: GroupInput[] = texts.map((r) => ({ id: r.id, text: r.text, states: JSON.parse(r.recommendingStates) as string[] }));
    const found = await findGroupsInSteps(inputs, { extraStates: [...underReview] });
    return q.transaction(async (tx) => {
      await lockPlanRecommendations(tx, planId);
      // Another server's run for this plan was written after this one began (proposals are
      // written in turns, under the plan's lock): the two were under way at once, and, as a second
      // request within one server joins the run under way, this one answers with what that one
      // found and writes nothing, rather than replace proposals people may already be deciding on.
      const latest = await latestProposal(tx, planId);
      if (latest && latest.entryId !== latestBefore) return latest.result;
      await tx.run(sql`DELETE FROM recommendation_groups WHERE plan_id = ${planId} AND status = 'proposed'`);
      const dismissed = new Set((await tx.rows(Members, sql`SELECT members FROM recommendation_group_dismissals WHERE plan_id = ${planId}`)).map((r) => r.members));
      const free = new Set(
        (
          await tx.rows(
            MemberId,
            sql`SELECT r.id FROM recommendations r
                 WHERE r.plan_id = ${planId} AND NOT EXISTS (SELECT 1 FROM recommendation_group_members m WHERE m.recommendation_id = r.id)`,
          )
        ).map((r) => r.id),
      );
      const at = nowIso();
      let proposed = 0;
      for (const group of found) {
        const members = group.memberIds.filter((id) => free.has(id));
        if (members.length < 2 || dismissed.has(membersKey(members))) continue;
        await insertGroup(tx, planId, 'proposed', group.score, members, { by: who.principal.userId, at }, null);
        proposed++;
      }
      await recordChange(tx, {
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
    });
  })().finally(() => running.delete(planId));
  running.set(planId, run);
  return run;
}

export function confirmGroup(q: Sql, planId: string, groupId: string, who: Actor): Promise<RecommendationGroup> {
  return q.transaction(async (tx) => {
    await lockPlanRecommendations(tx, planId);
    const before = await getGroup(tx, planId, groupId);
    if (before.status === 'confirmed') return before;
    await tx.run(sql`UPDATE recommendation_groups SET status = 'confirmed', confirmed_by = ${who.principal.userId}, confirmed_at = ${nowIso()} WHERE id = ${groupId}`);
    const after = await getGroup(tx, planId, groupId);
    await recordChange(tx, {
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
  });
}

/** Splits a group into `parts` (see SplitRecommendationGroupSchema); returns the groups that remain. */
export function splitGroup(q: Sql, planId: string, groupId: string, who: Actor, parts: string[][]): Promise<RecommendationGroup[]> {
  return q.transaction(async (tx) => {
    await lockPlanRecommendations(tx, planId);
    const before = await getGroup(tx, planId, groupId);
    const memberIds = new Set(before.members.map((m) => m.id));
    const seen = new Set<string>();
    for (const id of parts.flat()) {
      if (!memberIds.has(id) || seen.has(id)) {
        throw new HttpError(400, 'recommendation_group_parts_invalid', 'Each part must hold members of this group, and no member may be in two parts.');
      }
      seen.add(id);
    }
    const kept = parts.filter((p) => p.length >= 2);
    await tx.run(sql`DELETE FROM recommendation_group_members WHERE group_id = ${groupId}`);
    const proposed = { by: before.proposed.userId, at: before.proposed.at };
    const confirmed = before.confirmed ? { by: who.principal.userId, at: nowIso() } : null;
    const ids: string[] = [];
    if (kept.length === 0) await tx.run(sql`DELETE FROM recommendation_groups WHERE id = ${groupId}`);
    for (const [k, part] of kept.entries()) {
      if (k === 0) {
        await addMembers(tx, groupId, part);
        ids.push(groupId);
      } else {
        ids.push(await insertGroup(tx, planId, before.status, before.score, part, proposed, confirmed));
      }
    }
    const after: RecommendationGroup[] = [];
    for (const id of ids) after.push(await getGroup(tx, planId, id));
    const removed = [...memberIds].filter((id) => !kept.some((p) => p.includes(id)));
    await recordChange(tx, {
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
  });
}

/** Dismisses a group: it is no longer a group, and proposing again does not offer the same set. */
export function dismissGroup(q: Sql, planId: string, groupId: string, who: Actor): Promise<void> {
  return q.transaction(async (tx) => {
    await lockPlanRecommendations(tx, planId);
    const before = await getGroup(tx, planId, groupId);
    await tx.run(sql`DELETE FROM recommendation_groups WHERE id = ${groupId}`);
    await tx.run(
      sql`INSERT INTO recommendation_group_dismissals (plan_id, members, dismissed_by, dismissed_at)
          VALUES (${planId}, ${membersKey(before.members.map((m) => m.id))}, ${who.principal.userId}, ${nowIso()})
          ON CONFLICT (plan_id, members) DO UPDATE SET dismissed_by = excluded.dismissed_by, dismissed_at = excluded.dismissed_at`,
    );
    await recordChange(tx, {
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
  });
}
