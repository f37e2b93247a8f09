import { useEffect, useRef } from 'react';
import { useLocation } from 'react-router';
import type { Action } from '../../../shared/api/index.ts';

/** Arriving from a link to one action (#action-<id>): bring it into view once it is loaded. */
export function useScrollToAction(actions: Action[] | null) {
  const location = useLocation();
  const scrolledTo = useRef<string | null>(null);
  useEffect(() => {
    if (!actions || !location.hash.startsWith('#action-') || scrolledTo.current === location.hash) return;
    const el = document.getElementById(location.hash.slice(1));
    if (el) {
      scrolledTo.current = location.hash;
      el.scrollIntoView({ block: 'start' });
      el.focus({ preventScroll: true });
    }
  }, [actions, location.hash]);
}
