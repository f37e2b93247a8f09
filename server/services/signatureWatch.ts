import type { Logger } from 'pino';
import type { Db } from '../db/database.ts';
import type { EventBus } from '../events.ts';
import type { DocumentAccess } from '../sync/DocumentAccess.ts';
import { withdrawStaleSignatures } from './agreement.ts';

/** Edits come keystroke by keystroke: one check per burst, not per keystroke. */
const SETTLE_MS = 300;

/**
 * Signatures end visibly. When a section's signed text changes (as stored by the sync server; a
 * change of actions is handled by their routes, which know who made it), the signatures on the old content are withdrawn at once, as events: an
 * audit entry naming whose change ended them, a notice to each signer, and a live update of the
 * section for everyone. Registered where the app is composed (server/server.ts); returns the
 * unregister function.
 */
export function registerSignatureWatch(deps: { db: Db; sync: DocumentAccess; events: EventBus; logger?: Logger }): () => void {
  const pending = new Map<string, { planId: string; timer: NodeJS.Timeout }>();
  // Prepared once: this runs on every stored batch of keystrokes, and preparing cost more than the query.
  const signedStmt = deps.db.prepare('SELECT 1 FROM section_signoffs WHERE section_id = ? AND withdrawn_at IS NULL');

  const check = (sectionId: string) => {
    const entry = pending.get(sectionId);
    pending.delete(sectionId);
    if (!entry) return;
    try {
      // Whose edits they were is read from the stored authorship of the text since each signature.
      const withdrawn = withdrawStaleSignatures(deps, entry.planId, sectionId, null);
      if (withdrawn > 0) {
        deps.events.emit('plan', entry.planId, { type: 'agreement', sectionId });
        deps.events.emit('plan', entry.planId, { type: 'outline' });
        deps.events.emit('plan', entry.planId, { type: 'notifications' });
      }
    } catch (err) {
      // E.g. the section was deleted meanwhile: the next read of it withdraws what is stale.
      deps.logger?.warn({ err, sectionId }, 'checking signatures after a change failed');
    }
  };

  const onChanged = (planId: string, sectionId: string) => {
    // Cheap test first: most changes happen in sections nobody has signed.
    if (pending.has(sectionId)) return;
    const signed = signedStmt.get(sectionId);
    if (!signed) return;
    const timer = setTimeout(() => check(sectionId), SETTLE_MS);
    timer.unref();
    pending.set(sectionId, { planId, timer });
  };

  deps.events.on('contentChanged', onChanged);
  return () => {
    deps.events.off('contentChanged', onChanged);
    for (const { timer } of pending.values()) clearTimeout(timer);
    pending.clear();
  };
}
