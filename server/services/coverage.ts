import { sql } from 'kysely';
import type { z } from 'zod';
import { col, rowShape } from '../db/rows.ts';
import { countWhere, flag } from '../db/sql/portable.ts';
import type { Sql } from '../db/sql/Sql.ts';
import { PositionSchema, type Coverage, type Position } from '../../shared/api/index.ts';
import { visibleRecommendation } from './recommendations.ts';

/** At most this many unaddressed supported recommendations are listed; the totals count them all. */
export const UNADDRESSED_LIST_LIMIT = 1000;

type Bucket = Coverage['byTheme'][number];

const CountRow = rowShape({ key: col.text, position: PositionSchema, total: col.int, addressed: col.int });
/** `themes` is a JSON array. */
const UnaddressedRow = rowShape({ id: col.text, reference: col.text, text: col.text, themes: col.text });
const AsksRow = rowShape({ total: col.int, addressed: col.int, supported: col.int, supportedAddressed: col.int, confirmedGroups: col.int });
const WeakActionRow = rowShape({
  actionId: col.text,
  sectionId: col.text,
  title: col.text,
  noIndicator: col.bool,
  noLead: col.bool,
  noTimeline: col.bool,
});

function emptyBucket(key: string): Bucket {
  const byPosition = Object.fromEntries(PositionSchema.options.map((p) => [p, { total: 0, addressed: 0 }])) as Bucket['byPosition'];
  return { key, total: 0, addressed: 0, byPosition };
}

function buckets(rows: Array<z.output<typeof CountRow>>): Bucket[] {
  const byKey = new Map<string, Bucket>();
  for (const r of rows) {
    let b = byKey.get(r.key);
    if (!b) byKey.set(r.key, (b = emptyBucket(r.key)));
    b.total += r.total;
    b.addressed += r.addressed;
    b.byPosition[r.position] = { total: r.total, addressed: r.addressed };
  }
  return [...byKey.values()];
}

const SUPPORTED: ReadonlySet<Position> = new Set(['supported', 'supported_in_part']);

/**
 * How well the plan's actions cover its recommendations (per theme, per mechanism, split by the
 * State's position), which supported recommendations no action addresses yet, and which actions
 * are too weak to monitor (no indicator, no lead agency, no start or end) — the failings of the
 * 2016–2019 plan, made visible. Read from one snapshot, so the totals add up on either engine.
 */
export function planCoverage(db: Sql, planId: string): Promise<Coverage> {
  return db.transaction(async (tx) => {
    const visible = sql.raw(visibleRecommendation());
    const addressed = countWhere(sql`r.action_count > 0`);
    // Theme keys are UPR theme names (ASCII): lower() orders them alike on both engines.
    const byTheme = await tx.rows(
      CountRow,
      sql`SELECT t.value AS key, r.position, count(*) AS total, ${addressed} AS addressed
            FROM recommendation_tags t JOIN recommendations r ON r.id = t.recommendation_id
           WHERE t.plan_id = ${planId} AND t.kind = 'theme' AND ${visible}
           GROUP BY t.value, r.position ORDER BY lower(t.value), t.value`,
    );

    const byMechanism = await tx.rows(
      CountRow,
      sql`SELECT mechanism AS key, position, count(*) AS total, ${addressed} AS addressed
            FROM recommendations r WHERE plan_id = ${planId} AND ${visible} GROUP BY mechanism, position ORDER BY mechanism`,
    );

    // A recommendation naming 16.3 and 16.10 counts once for goal 16.
    const bySdg = await tx.rows(
      CountRow,
      sql`SELECT CAST(g.goal AS TEXT) AS key, r.position, count(*) AS total, ${addressed} AS addressed
            FROM (SELECT DISTINCT goal, recommendation_id FROM recommendation_sdgs WHERE plan_id = ${planId}) g
            JOIN recommendations r ON r.id = g.recommendation_id
           WHERE ${visible}
           GROUP BY g.goal, r.position ORDER BY g.goal`,
    );

    const unaddressed = await tx.rows(
      UnaddressedRow,
      sql`SELECT r.id, r.reference, r.text, r.themes FROM recommendations r
           WHERE r.plan_id = ${planId} AND r.action_count = 0 AND r.position IN ('supported', 'supported_in_part') AND ${visible}
           ORDER BY r.sort_key LIMIT ${UNADDRESSED_LIST_LIMIT}`,
    );

    const weak = await tx.rows(
      WeakActionRow,
      sql`SELECT a.id AS "actionId", a.section_id AS "sectionId", a.title,
                 ${flag(sql`NOT EXISTS (SELECT 1 FROM indicators i WHERE i.action_id = a.id)`)} AS "noIndicator",
                 ${flag(sql`a.lead_agency_id IS NULL`)} AS "noLead",
                 ${flag(sql`a.start_at IS NULL OR a.end_at IS NULL`)} AS "noTimeline"
            FROM actions a JOIN sections s ON s.id = a.section_id JOIN chapters c ON c.id = s.chapter_id
           WHERE a.plan_id = ${planId} AND s.deleted_at IS NULL
           ORDER BY c.position, s.position, a.position`,
    );

    // A confirmed group is one ask: its members fold into one unit, supported or addressed when any
    // member is. Every other recommendation is its own unit.
    const asks = await tx.theRow(
      AsksRow,
      sql`WITH unit AS (
            SELECT coalesce(g.id, r.id) AS unit, ${flag(sql`count(g.id) > 0`)} AS grouped,
                   max(${flag(sql`r.position IN ('supported', 'supported_in_part')`)}) AS supported,
                   max(${flag(sql`r.action_count > 0`)}) AS addressed
              FROM recommendations r
              LEFT JOIN recommendation_group_members m ON m.recommendation_id = r.id
              LEFT JOIN recommendation_groups g ON g.id = m.group_id AND g.status = 'confirmed'
             WHERE r.plan_id = ${planId} AND ${visible}
             GROUP BY coalesce(g.id, r.id))
          SELECT count(*) AS total, coalesce(sum(addressed), 0) AS addressed, coalesce(sum(supported), 0) AS supported,
                 ${countWhere(sql`supported = 1 AND addressed = 1`)} AS "supportedAddressed", coalesce(sum(grouped), 0) AS "confirmedGroups"
            FROM unit`,
    );

    // Every recommendation has exactly one mechanism, so the totals are sums of those buckets.
    const totals: Coverage['totals'] = { recommendations: 0, addressed: 0, supported: 0, supportedAddressed: 0 };
    for (const b of byMechanism) {
      totals.recommendations += b.total;
      totals.addressed += b.addressed;
      if (SUPPORTED.has(b.position)) {
        totals.supported += b.total;
        totals.supportedAddressed += b.addressed;
      }
    }
    return {
      totals,
      asks,
      byTheme: buckets(byTheme),
      byMechanism: buckets(byMechanism),
      bySdg: buckets(bySdg),
      unaddressedSupported: unaddressed.map((r) => ({ ...r, themes: JSON.parse(r.themes) as string[] })),
      weakActions: weak
        .map((a) => ({
          actionId: a.actionId,
          sectionId: a.sectionId,
          title: a.title,
          problems: [
            ...(a.noIndicator ? (['no_indicator'] as const) : []),
            ...(a.noLead ? (['no_lead_agency'] as const) : []),
            ...(a.noTimeline ? (['no_timeline'] as const) : []),
          ],
        }))
        .filter((a) => a.problems.length > 0),
    };
  }, { snapshot: true });
}
