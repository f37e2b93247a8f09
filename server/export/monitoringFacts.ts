/**
 * What monitoring says about the exported actions (issue #15), for the implementation matrix: each
 * action's reported status in the plan's latest reporting round, and each indicator's latest
 * observed value across all rounds. Read through the monitoring services, so the matrix counts the
 * same reports the progress page does (submitted, and not replaced by a submitted correction), in
 * three set-based queries whatever the size of the plan.
 */
import type { Sql } from '../db/sql/Sql.ts';
import { latestObservedValues, latestReportsInRound } from '../services/monitoring/progress.ts';
import { listRounds } from '../services/monitoring/rounds.ts';
import { schemaProbe } from './schemaProbe.ts';
import type { ModelChapter, ModelRound } from './modelTypes.ts';

/** Fills in `reportedStatus` and `latest` on the exported actions and indicators; returns the latest round, if any. */
export async function addMonitoringFacts(q: Sql, planId: string, chapters: ModelChapter[]): Promise<ModelRound | null> {
  // A database from before monitoring (migration 018) has nothing to report.
  if (!(await schemaProbe(q).hasTable('reporting_rounds'))) return null;
  // Rounds come in due-date order: the last is the one whose status the matrix shows.
  const round = (await listRounds(q, planId)).at(-1) ?? null;
  const reports = round ? await latestReportsInRound(q, planId, round.id) : new Map<string, never>();
  const values = await latestObservedValues(q, planId);
  for (const c of chapters)
    for (const s of c.sections)
      for (const a of s.actions) {
        a.reportedStatus = reports.get(a.id)?.status ?? null;
        for (const i of a.indicators) {
          const v = i.id === undefined ? undefined : values.get(i.id);
          i.latest = v ? { value: v.value, date: v.date, roundName: v.roundName } : null;
        }
      }
  return round ? { id: round.id, name: round.name, dueDate: round.dueDate } : null;
}
