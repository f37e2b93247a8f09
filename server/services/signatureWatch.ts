import type { Logger } from 'pino';
import type { Sql } from '../db/sql/Sql.ts';
import type { EventBus } from '../events.ts';
import type { DocumentAccess } from '../sync/DocumentAccess.ts';
import { withdrawStaleSignatures } from './agreement.ts';

/** Edits come keystroke by keystroke: one check per section per burst, not per keystroke. */
const SETTLE_MS = 300;

/**
 * Signatures end visibly. When a section's signed text changes (as stored by the sync server; a
 * change of actions is handled by their routes, which know who made it), the signatures on the old content are withdrawn at once, as events: an
 * audit entry naming whose change ended them, a notice to each signer, and a live update of the
 * section for everyone. Registered where the app is composed (server/server.ts); returns the
 * unregister function.
 */
export function registerSignatureWatch(deps: { sql: Sql; sync: DocumentAccess; events: EventBus; logger?: Logger }): () => void {
  // Sections changed since the last look, with their plan: looked at together once the edits of
  // the moment have settled, so a burst of keystrokes costs one query per section, not one each.
  const changed = new Map<string, string>();
  let timer: NodeJS.Timeout | null = null;

  const check = async (planId: string, sectionId: string) => {
    try {
      // Whose edits they were is read from the stored authorship of the text since each signature
      // (a section nobody has signed costs one query).
      const withdrawn = await withdrawStaleSignatures(deps, planId, sectionId, null);
      if (withdrawn > 0) {
        deps.events.emit('plan', planId, { type: 'agreement', sectionId });
        deps.events.emit('plan', planId, { type: 'outline' });
        deps.events.emit('plan', planId, { type: 'notifications' });
      }
    } catch (err) {
      // E.g. the section was deleted meanwhile: the next read of it withdraws what is stale.
      deps.logger?.warn({ err, sectionId }, 'checking signatures after a change failed');
    }
  };

  const settle = () => {
    timer = null;
    const sections = [...changed];
    changed.clear();
    void (async () => {
      for (const [sectionId, planId] of sections) await check(planId, sectionId);
    })();
  };

  const onChanged = (planId: string, sectionId: string) => {
    changed.set(sectionId, planId);
    if (timer) return;
    timer = setTimeout(settle, SETTLE_MS);
    timer.unref();
  };

  deps.events.on('contentChanged', onChanged);
  return () => {
    deps.events.off('contentChanged', onChanged);
    if (timer) clearTimeout(timer);
    timer = null;
    changed.clear();
  };
}
