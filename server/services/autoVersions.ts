import type { Logger } from 'pino';
import type { Db } from '../db/database.ts';
import { col, oneRow, rowShape } from '../db/rows.ts';
import type { EventBus } from '../events.ts';
import type { DocumentAccess } from '../sync/DocumentAccess.ts';
import { recordAuditNow } from './audit.ts';
import { insertVersion, sectionRow } from './versions.ts';
import { hashLines } from './contentHash.ts';
import { sectionTextLines } from '../../shared/doc/canonical.ts';
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
  /** Keeps what is waiting for its pause now (when the server stops), then stops listening. */
  stop(options?: { keepPending?: boolean }): void;
}

/** Made under this name rather than a person's: nobody chose to keep it. */
export const AUTOMATIC_MAKER = 'Automatic';

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
 */
export function registerAutoVersions(
  deps: { db: Db; sync: DocumentAccess; events: EventBus; logger?: Logger },
  options: AutoVersionOptions,
): AutoVersions {
  const clock = options.clock ?? systemClock;
  const unsaved = new Map<string, Unsaved>();

  const schedule = (sectionId: string, entry: Unsaved, delayMs: number) => {
    if (entry.timer) clearTimeout(entry.timer);
    entry.timer = setTimeout(() => keep(sectionId), delayMs);
    entry.timer.unref();
  };

  const keep = (sectionId: string) => {
    const entry = unsaved.get(sectionId);
    if (!entry) return;
    if (entry.timer) clearTimeout(entry.timer);
    entry.timer = null;
    try {
      keepAutomaticVersion(deps, entry.planId, sectionId, [...entry.editorIds]);
      unsaved.delete(sectionId);
    } catch (err) {
      if (isGone(err)) {
        unsaved.delete(sectionId);
        return;
      }
      // E.g. storage failing, so the text in memory is not stored yet: try again after another pause.
      deps.logger?.warn({ err, sectionId }, 'keeping an automatic version failed; trying again later');
      schedule(sectionId, entry, options.pauseMs);
    }
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
    stop({ keepPending = false } = {}) {
      deps.events.off('contentChanged', onChanged);
      for (const [sectionId, entry] of [...unsaved]) {
        if (entry.timer) clearTimeout(entry.timer);
        entry.timer = null;
        if (keepPending) {
          try {
            keepAutomaticVersion(deps, entry.planId, sectionId, [...entry.editorIds]);
          } catch (err) {
            deps.logger?.warn({ err, sectionId }, 'keeping an automatic version at shutdown failed');
          }
        }
      }
      unsaved.clear();
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
export function keepAutomaticVersion(
  deps: { db: Db; sync: DocumentAccess; events: EventBus },
  planId: string,
  sectionId: string,
  editorIds: string[],
): string | null {
  const { db, sync, events } = deps;
  const { title } = sectionRow(db, planId, sectionId);
  const doc = sync.readDocument(sectionDocName(sectionId));
  if (!doc) return null;
  try {
    const hash = hashLines(sectionTextLines(doc));
    const latest = oneRow(
      db.prepare('SELECT content_hash AS hash FROM versions WHERE section_id = ? ORDER BY created_at DESC, rowid DESC LIMIT 1'),
      Hash,
      sectionId,
    );
    if (latest?.hash === hash) return null;
    const editors = namesOf(db, editorIds);
    const names = editors.map((e) => e.name);
    const version = db.transaction(() => {
      const v = insertVersion(db, {
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
        doc,
      });
      recordAuditNow(db, {
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
    })();
    events.emit('plan', planId, { type: 'versions', sectionId });
    return version.id;
  } finally {
    doc.destroy();
  }
}

/** The people's names as they are now, in the order given (someone deleted since is left out). */
function namesOf(db: Db, ids: string[]): Array<{ id: string; name: string }> {
  const byId = db.prepare('SELECT id, name FROM users WHERE id = ?');
  return ids.flatMap((id) => {
    const row = oneRow(byId, Person, id);
    return row ? [row] : [];
  });
}
