import type { z } from 'zod';
import type { Db } from '../db/database.ts';
import { allRows, col, rowShape } from '../db/rows.ts';
import { PositionSchema, type Coverage, type Position } from '../../shared/api/index.ts';
import { visibleRecommendation } from './recommendations.ts';

/** At most this many unaddressed supported recommendations are listed; the totals count them all. */
export const UNADDRESSED_LIST_LIMIT = 1000;

type Bucket = Coverage['byTheme'][number];

const CountRow = rowShape({ key: col.text, position: PositionSchema, total: col.int, addressed: col.int });
/** `themes` is a JSON array. */
const UnaddressedRow = rowShape({ id: col.text, reference: col.text, text: col.text, themes: col.text });
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
 * 2016–2019 plan, made visible.
 */
export function planCoverage(db: Db, planId: string): Coverage {
  return db.transaction(() => {
    const byTheme = allRows(
      db.prepare(
        `SELECT t.value AS key, r.position, count(*) AS total, sum(r.action_count > 0) AS addressed
           FROM recommendation_tags t JOIN recommendations r ON r.id = t.recommendation_id
          WHERE t.plan_id = @planId AND t.kind = 'theme' AND ${visibleRecommendation()}
          GROUP BY t.value, r.position ORDER BY t.value COLLATE NOCASE`,
      ),
      CountRow,
      { planId },
    );

    const byMechanism = allRows(
      db.prepare(
        `SELECT mechanism AS key, position, count(*) AS total, sum(action_count > 0) AS addressed
           FROM recommendations r WHERE plan_id = @planId AND ${visibleRecommendation()} GROUP BY mechanism, position ORDER BY mechanism`,
      ),
      CountRow,
      { planId },
    );

    const unaddressed = allRows(
      db.prepare(
        `SELECT r.id, r.reference, r.text, r.themes FROM recommendations r
          WHERE r.plan_id = @planId AND r.action_count = 0 AND r.position IN ('supported', 'supported_in_part') AND ${visibleRecommendation()}
          ORDER BY r.sort_key LIMIT @limit`,
      ),
      UnaddressedRow,
      { planId, limit: UNADDRESSED_LIST_LIMIT },
    );

    const weak = allRows(
      db.prepare(
        `SELECT a.id AS actionId, a.section_id AS sectionId, a.title,
                NOT EXISTS (SELECT 1 FROM indicators i WHERE i.action_id = a.id) AS noIndicator,
                a.lead_agency_id IS NULL AS noLead,
                (a.start_at IS NULL OR a.end_at IS NULL) AS noTimeline
           FROM actions a JOIN sections s ON s.id = a.section_id JOIN chapters c ON c.id = s.chapter_id
          WHERE a.plan_id = @planId AND s.deleted_at IS NULL
          ORDER BY c.position, s.position, a.position`,
      ),
      WeakActionRow,
      { planId },
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
      byTheme: buckets(byTheme),
      byMechanism: buckets(byMechanism),
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
  })();
}
