import { useSyncExternalStore } from 'react';

/**
 * Whether the screen matches a CSS media query, kept current as the window is resized or a phone
 * turned. For layouts where the ORDER of things differs by screen size: CSS can only reorder what
 * is seen, not what the keyboard and screen readers follow, so such parts are placed in the DOM
 * where they are shown.
 */
export function useMediaQuery(query: string): boolean {
  return useSyncExternalStore(
    (onChange) => {
      const list = window.matchMedia(query);
      list.addEventListener('change', onChange);
      return () => list.removeEventListener('change', onChange);
    },
    () => window.matchMedia(query).matches,
    () => false,
  );
}

/** Phones: the width below which the plan page shows one column (client/pages/plan-page.css). */
export const PHONE_QUERY = '(max-width: 800px)';

/** Phones: the width below which the site header folds its tools behind a Menu button (client/ui/header.css). */
export const COMPACT_HEADER_QUERY = '(max-width: 600px)';
