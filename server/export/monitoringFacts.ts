/**
 * What monitoring says about the exported actions (issue #15), for the implementation matrix: each
 * action's reported status in the plan's latest reporting round, and each indicator's latest
 * observed value across all rounds. Read through the monitoring services, so the matrix counts the
 * same reports the progress page does (submitted, and not replaced by a submitted correction), in
 * three set-based queries whatever the size of the plan.
 */
import type { Db } from '../db/database.ts';
import { latestObservedValuesNow, latestReportsInRoundNow } from '../services/monitoring/progress.ts';
import { listRoundsNow } from '../services/monitoring/rounds.ts';
import type { ModelChapter, ModelRound } from './modelTypes.ts';

/** Fills in `reportedStatus` and `latest` on the exported actions and indicators; returns the latest round, if any. */
export function addMonitoringFacts(db: Db, planId: string, chapters: ModelChapter[]): ModelRound | null {
  // A database from before monitoring (migration 018) has nothing to report.
  if (db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'reporting_rounds'").get() === undefined) return null;
  // Rounds come in due-date order: the last is the one whose status the matrix shows.
  const round = listRoundsNow(db, planId).at(-1) ?? null;
  const reports = round ? latestReportsInRoundNow(db, planId, round.id) : new Map<string, never>();
  const values = latestObservedValuesNow(db, planId);
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
