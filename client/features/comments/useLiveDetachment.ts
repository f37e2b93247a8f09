import { useEffect, useMemo, useState } from 'react';
import type * as Y from 'yjs';
import type { Thread } from '../../../shared/api/index.ts';
import { anchorState, layoutBody } from '../../../shared/doc/anchors.ts';
import { getSectionBody } from '../../../shared/doc/schema.ts';
import { base64ToBytes } from '../../editor/commentHighlights.ts';

/** Waits this long after the last change to the text before checking anchors again. */
const RECHECK_MS = 200;

/**
 * The threads with detachment kept current from the live document: a thread whose words someone is
 * deleting shows as detached at once, not at the next refresh (the server computes it the same
 * way, shared/doc/anchors.ts, whenever threads are read).
 */
export function useLiveDetachment(doc: Y.Doc | null, threads: Thread[] | null): Thread[] | null {
  // Counts settled changes to the local document (nothing is fetched): the Y.Doc is mutable, so
  // this number is what tells the memo below that its content changed.
  const [docRevision, setDocRevision] = useState(0);
  useEffect(() => {
    if (!doc) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onUpdate = () => {
      clearTimeout(timer);
      timer = setTimeout(() => setDocRevision((r) => r + 1), RECHECK_MS);
    };
    doc.on('update', onUpdate);
    return () => {
      clearTimeout(timer);
      doc.off('update', onUpdate);
    };
  }, [doc]);
  return useMemo(() => {
    if (!doc || !threads) return threads;
    const layout = layoutBody(getSectionBody(doc));
    return threads.map((th) => {
      if (th.status !== 'open') return th;
      const { detached } = anchorState(doc, layout, base64ToBytes(th.anchor.start), base64ToBytes(th.anchor.end));
      return detached === th.detached ? th : { ...th, detached };
    });
    // `docRevision` stands for the document's content, which the memo reads.
  }, [doc, threads, docRevision]);
}
