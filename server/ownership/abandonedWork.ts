import type { Logger } from 'pino';
import type { Sql } from '../db/sql/Sql.ts';
import { failInterruptedExports, runningExportOwners } from '../export/pastExports.ts';
import { busyImports, recoverInterruptedImports } from '../services/imports.ts';
import type { WorkOwners } from './owners.ts';

/**
 * Work a stopped process left half done: an import it was committing or undoing (its rows hidden,
 * and every other import of the plan refused, until it is finished) and exports it was making
 * (shown in progress for ever). Such work is found by its owner having stopped — its heartbeat
 * gone — so a process finds it at start and, with others running, every heartbeat period, whatever
 * else is running: in a rolling restart no process is ever alone, and a crash's leftovers would
 * otherwise wait until every process had stopped once. Work recorded without an owner (before
 * owners were recorded) is taken for abandoned only by a process that starts with no other running.
 */
export async function recoverAbandonedWork(
  q: Sql,
  owners: WorkOwners,
  options: { unownedToo: boolean; logger?: Logger; now?: number },
): Promise<{ imports: string[]; exports: number }> {
  const imports = await busyImports(q);
  const exportOwners = await runningExportOwners(q);
  if (imports.length === 0 && exportOwners.length === 0) return { imports: [], exports: 0 };
  const named = [...imports.map((i) => i.owner), ...exportOwners].filter((o): o is string => o !== null);
  const living = await owners.living(named);
  const stopped = (owner: string | null) => (owner === null ? options.unownedToo : !living.has(owner));
  const recovered = await recoverInterruptedImports(q, imports.filter((i) => stopped(i.owner)), owners.id);
  const failed = await failInterruptedExports(q, options.now ?? Date.now(), exportOwners.filter(stopped));
  if (recovered.length > 0) options.logger?.warn({ imports: recovered }, 'imports a stopped server left half done were reversed or undone');
  if (failed > 0) options.logger?.warn({ exports: failed }, 'exports a stopped server left running were marked failed');
  return { imports: recovered, exports: failed };
}
