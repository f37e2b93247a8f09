import { createHash } from 'node:crypto';
import { z } from 'zod';
import { sql } from 'kysely';
import { col, rowShape } from '../../db/rows.ts';
import type { Sql } from '../../db/sql/Sql.ts';
import { badRequest, HttpError } from '../../errors.ts';
import { nowIso } from '../../ids.ts';
import type { DocumentAccess } from '../../sync/DocumentAccess.ts';
import { fixActionNumbers } from '../actionNumbers.ts';
import { recordAudit } from '../audit.ts';
import type { Actor } from '../history.ts';
import { keepPlanVersion, storedPlanTexts } from '../versions.ts';
import { planStage, requirePlanOrganisation } from './lifecycle.ts';
import type { AdoptPlan, PlanAdoption } from '../../../shared/api/index.ts';

/**
 * Adopting a plan: the record of the act that made the agreed plan official. Every section that is
 * not in the bin must be agreed, or left out by the coordinator with a reason. Adoption keeps a
 * whole-plan version ("Adopted: <act>", text, actions and indicators) and a hash over the agreed
 * sections' signed content hashes in outline order, so anyone can later show that the plan being
 * implemented is the one that was signed.
 *
 * On Sql (decision 0011). The sections' stored texts are read before the adoption's transaction,
 * and the whole-plan version is kept inside it: an adoption refused there keeps no version.
 */

const OutlineSectionRow = rowShape({ id: col.text, title: col.text, status: col.text, agreedHash: col.nullableText });
type OutlineSection = z.output<typeof OutlineSectionRow>;

// Ties of position (which the services do not make) go by id, the same way on both engines.
function outlineSections(q: Sql, planId: string): Promise<OutlineSection[]> {
  return q.rows(
    OutlineSectionRow,
    sql`SELECT s.id, s.title, s.status, s.agreed_hash AS "agreedHash" FROM sections s JOIN chapters c ON c.id = s.chapter_id
         WHERE s.plan_id = ${planId} AND s.deleted_at IS NULL AND c.deleted_at IS NULL ORDER BY c.position, c.id, s.position, s.id`,
  );
}

const notDrafting = () => new HttpError(409, 'already_adopted', 'The plan is already adopted.');

/** sha256 hex over the signed content hashes, one a line, in outline order. */
export function adoptedContentHash(signedHashes: readonly string[]): string {
  return createHash('sha256').update(signedHashes.join('\n'), 'utf8').digest('hex');
}

export async function adoptPlan(deps: { sql: Sql; sync: DocumentAccess }, planId: string, who: Actor, input: AdoptPlan): Promise<PlanAdoption> {
  const { sql: q, sync } = deps;
  if ((await planStage(q, planId)) !== 'drafting') throw notDrafting();
  const sections = await outlineSections(q, planId);
  const byId = new Map(sections.map((s) => [s.id, s]));
  const reasons = new Map<string, string>();
  for (const { sectionId, reason } of input.leftOut) {
    if (!byId.has(sectionId)) throw badRequest('A section left out is not a section of this plan.', { leftOut: { code: 'not_in_plan' } });
    reasons.set(sectionId, reason);
  }
  const notAgreed = sections.filter((s) => s.status !== 'agreed' && !reasons.has(s.id));
  if (notAgreed.length > 0) {
    throw new HttpError(
      409,
      'not_agreed',
      `Some sections are not agreed: ${notAgreed.map((s) => `“${s.title}”`).join(', ')}. Agree them, or leave them out with a reason.`,
      Object.fromEntries(notAgreed.map((s) => [s.id, { code: 'section_not_agreed' as const }])),
      { sections: notAgreed.map((s) => s.title).join('; ') },
    );
  }
  if (input.monitoringBodyId) await requirePlanOrganisation(q, planId, input.monitoringBodyId);

  const adopted = sections.filter((s) => !reasons.has(s.id));
  const contentHash = adoptedContentHash(adopted.map((s) => s.agreedHash ?? ''));
  const leftOut = sections.filter((s) => reasons.has(s.id)).map((s) => ({ sectionId: s.id, title: s.title, reason: reasons.get(s.id)! }));
  // Every section's stored document is read first, outside the transaction below (decision 0011).
  const texts = await storedPlanTexts(q, sync, planId);
  const adoptedAt = nowIso();
  const group = await q.transaction(async (tx) => {
    // Another request (or server) may have adopted it since the checks above.
    if ((await planStage(tx, planId)) !== 'drafting') throw notDrafting();
    const kept = await keepPlanVersion(tx, texts, { planId, name: `Adopted: ${input.act.title}`, label: { key: 'adopted', act: input.act.title }, by: who.principal });
    await tx.run(
      sql`INSERT INTO plan_adoptions (plan_id, act_title, act_number, act_date, act_url, adopted_by, adopted_by_name, adopted_at, version_group_id,
            content_hash, left_out)
          VALUES (${planId}, ${input.act.title}, ${input.act.number}, ${input.act.date}, ${input.act.url}, ${who.principal.userId}, ${who.principal.name},
            ${adoptedAt}, ${kept.groupId}, ${contentHash}, ${JSON.stringify(leftOut)})`,
    );
    // From here on "measure 12" is always the same action, whatever is added or removed later.
    await fixActionNumbers(tx, planId);
    await tx.run(sql`UPDATE plans SET stage = 'adopted', monitoring_body_id = coalesce(${input.monitoringBodyId}, monitoring_body_id) WHERE id = ${planId}`);
    await recordAudit(tx, {
      planId,
      actor: who.principal,
      role: who.role,
      action: 'plan.adopted',
      targetType: 'plan',
      targetId: planId,
      summary: `${who.principal.name} recorded the plan's adoption by “${input.act.title}”${input.act.number ? ` (${input.act.number})` : ''} of ${input.act.date}`,
      details: { act: input.act, versionGroupId: kept.groupId, contentHash, leftOut, sections: adopted.length },
    });
    return kept;
  });
  return {
    act: input.act,
    adoptedAt,
    adoptedBy: who.principal.name,
    versionGroupId: group.groupId,
    contentHash,
    leftOut,
  };
}
