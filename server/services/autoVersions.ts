import { sql } from 'kysely';
import type { Logger } from 'pino';
import { col, rowShape } from '../db/rows.ts';
import type { Sql } from '../db/sql/Sql.ts';
import type { EventBus } from '../events.ts';
import type { DocumentAccess } from '../sync/DocumentAccess.ts';
import { recordAudit } from './audit.ts';
import { insertVersion, keptText, sectionRow } from './versions.ts';
import { hashLines } from './contentHash.ts';
import { sectionDocName } from '../../shared/doc/schema.ts';

/** What the service reads the time from: the real clock, or one a test moves forward by a day at once. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export interface AutoVersionOptions {
  /** Keep a version once nobody has edited the section for this long. */
  pauseMs: number;
  /** ...and at least this often while edits keep coming without such a pause. */
  maxIntervalMs: number;
  clock?: Clock;
}

/** A section changed since its last automatic version: since when, and by whom (ids, in order of first edit). */
interface Unsaved {
  planId: string;
  since: number;
  editorIds: Set<string>;
  timer: NodeJS.Timeout | null;
}

export interface AutoVersions {
  /**
   * Stops listening; waits for versions being kept, and with `keepPending` keeps what is waiting
   * for its pause now (when the server stops).
   */
  stop(options?: { keepPending?: boolean }): Promise<void>;
}

/** Made under this name rather than a person's: nobody chose to keep it. */
export const AUTOMATIC_MAKER = 'Automatic';

export interface AutoVersionDeps {
  sql: Sql;
  sync: DocumentAccess;
  events: EventBus;
  logger?: Logger;
}

/**
 * Automatic versions. A section's text is kept as a version of kind `automatic` once nobody has
 * edited it for a while (a pause: five minutes by default), and at the latest a day after the first
 * edit not yet kept while edits keep coming without a pause, so a mistaken or malicious change can
 * always be compared and rolled back like any other version. It learns of changes from the sync
 * server's `contentChanged` event (sent once a change is stored, naming whose connections made it).
 * Nothing is kept when the text is the same as the section's latest version of any kind (a manual
 * version, a restore, the agreed text, an earlier automatic one): the list stays a list of changes.
 * Each automatic version names the people whose edits it holds, and is on the audit log as
 * Accord's, "after edits by" them. Versions kept by hand are untouched by any of this.
 *
 * Keeping is asynchronous (Sql): a section's waiting edits are taken out of the list when keeping
 * starts, so edits that arrive meanwhile wait for a version of their own; should keeping fail,
 * they go back in with those.
 */
export function registerAutoVersions(deps: AutoVersionDeps, options: AutoVersionOptions): AutoVersions {
  const clock = options.clock ?? systemClock;
  const unsaved = new Map<string, Unsaved>();
  const keeping = new Set<Promise<void>>();

  const schedule = (sectionId: string, entry: Unsaved, delayMs: number) => {
    if (entry.timer) clearTimeout(entry.timer);
    entry.timer = setTimeout(() => keep(sectionId), delayMs);
    entry.timer.unref();
  };

  /** Puts edits whose version could not be kept back with any that arrived since, to try again after another pause. */
  const putBack = (sectionId: string, entry: Unsaved) => {
    const newer = unsaved.get(sectionId);
    if (newer) {
      newer.since = entry.since;
      newer.editorIds = new Set([...entry.editorIds, ...newer.editorIds]);
      return;
    }
    unsaved.set(sectionId, entry);
    schedule(sectionId, entry, options.pauseMs);
  };

  const keep = (sectionId: string) => {
    const entry = unsaved.get(sectionId);
    if (!entry) return;
    if (entry.timer) clearTimeout(entry.timer);
    entry.timer = null;
    unsaved.delete(sectionId);
    const kept = keepAutomaticVersion(deps, entry.planId, sectionId, [...entry.editorIds]).then(
      () => undefined,
      (err: unknown) => {
        if (isGone(err)) return;
        // E.g. storage failing, so the text in memory is not stored yet: try again after another pause.
        deps.logger?.warn({ err, sectionId }, 'keeping an automatic version failed; trying again later');
        putBack(sectionId, entry);
      },
    );
    keeping.add(kept);
    void kept.finally(() => keeping.delete(kept));
  };

  const onChanged = (planId: string, sectionId: string, editorIds: string[]) => {
    const now = clock.now();
    let entry = unsaved.get(sectionId);
    if (!entry) {
      entry = { planId, since: now, editorIds: new Set(), timer: null };
      unsaved.set(sectionId, entry);
    }
    for (const id of editorIds) entry.editorIds.add(id);
    // Edits that never pause are still kept at least once per interval. Not at once: this runs
    // inside the sync server's write, and keeping a version reads the document back from it.
    const due = now - entry.since >= options.maxIntervalMs;
    schedule(sectionId, entry, due ? 0 : options.pauseMs);
  };

  deps.events.on('contentChanged', onChanged);
  return {
    async stop({ keepPending = false } = {}) {
      deps.events.off('contentChanged', onChanged);
      await Promise.all(keeping);
      const pending = [...unsaved];
      unsaved.clear();
      for (const [sectionId, entry] of pending) {
        if (entry.timer) clearTimeout(entry.timer);
        entry.timer = null;
        if (!keepPending) continue;
        try {
          await keepAutomaticVersion(deps, entry.planId, sectionId, [...entry.editorIds]);
        } catch (err) {
          deps.logger?.warn({ err, sectionId }, 'keeping an automatic version at shutdown failed');
        }
      }
    },
  };
}

const isGone = (err: unknown) => (err as { status?: number } | null)?.status === 404;

const Hash = rowShape({ hash: col.text });
const Person = rowShape({ id: col.text, name: col.text });

/**
 * Keeps the stored text of a section as an automatic version, unless it is the same as the
 * section's latest version. Returns the version's id, or null when nothing changed.
 */
export async function keepAutomaticVersion(
  deps: { sql: Sql; sync: DocumentAccess; events: EventBus },
  planId: string,
  sectionId: string,
  editorIds: string[],
): Promise<string | null> {
  const { sql: q, sync, events } = deps;
  const { title } = await sectionRow(q, planId, sectionId);
  // Read before the transaction below (decision 0011).
  const doc = await sync.readDocument(sectionDocName(sectionId));
  if (!doc) return null;
  let text;
  try {
    text = keptText(doc);
  } finally {
    doc.destroy();
  }
  const hash = hashLines(text.lines);
  // Ties of time go by id: a restore's two versions take ids in the order they were written.
  const latest = await q.row(Hash, sql`SELECT content_hash AS hash FROM versions WHERE section_id = ${sectionId} ORDER BY created_at DESC, id DESC LIMIT 1`);
  if (latest?.hash === hash) return null;
  const editors = await namesOf(q, editorIds);
  const names = editors.map((e) => e.name);
  const version = await q.transaction(async (tx) => {
    const v = await insertVersion(tx, {
      planId,
      sectionId,
      sectionTitle: title,
      groupId: null,
      name: names.length > 0 ? `After edits by ${names.join(', ')}` : 'After changes',
      label: { key: 'automatic', editors: names },
      kind: 'automatic',
      by: null,
      createdByName: AUTOMATIC_MAKER,
      editedBy: names,
      text,
    });
    await recordAudit(tx, {
      planId,
      actor: null,
      role: null,
      action: 'version.created',
      targetType: 'section',
      targetId: sectionId,
      summary:
        names.length > 0
          ? `A version of “${title}” was saved automatically after edits by ${names.join(', ')}`
          : `A version of “${title}” was saved automatically after changes`,
      details: { versionId: v.id, automatic: true, editorIds: editors.map((e) => e.id), editors: names, title, contentHash: v.contentHash },
    });
    return v;
  });
  events.emit('plan', planId, { type: 'versions', sectionId });
  return version.id;
}

/** The people's names as they are now, in the order given (someone deleted since is left out). */
async function namesOf(q: Sql, ids: string[]): Promise<Array<{ id: string; name: string }>> {
  if (ids.length === 0) return [];
  const found = new Map((await q.rows(Person, sql`SELECT id, name FROM users WHERE id IN (${sql.join(ids)})`)).map((p) => [p.id, p]));
  return ids.flatMap((id) => {
    const person = found.get(id);
    return person ? [person] : [];
  });
}
