import { useEffect, useRef, useState, type ReactNode, type RefObject } from 'react';

/**
 * The box a table sits in when it may be wider than the screen (a phone, or long Belarusian
 * words): the table scrolls sideways inside the box, never the page. While it does, the box is
 * a region named `label` in the tab order, so a keyboard user can reach it and scroll it with the
 * arrow keys and a screen reader says what it holds; while the table fits, it is a plain box
 * (no extra tab stop, no extra landmark).
 */
export function TableScroll({ label, className, children, busy }: { label: string; className?: string; children: ReactNode; busy?: boolean }) {
  const ref = useRef<HTMLDivElement>(null);
  const scrolls = useScrollsSideways(ref);
  return (
    <div
      ref={ref}
      className={className ? `table-scroll ${className}` : 'table-scroll'}
      aria-busy={busy || undefined}
      {...(scrolls ? { role: 'region', 'aria-label': label, tabIndex: 0 } : {})}
      data-scrolls={scrolls || undefined}
    >
      {children}
    </div>
  );
}

/** Whether what is in the box is wider than the box, kept current as either changes size. */
function useScrollsSideways(ref: RefObject<HTMLDivElement | null>): boolean {
  const [scrolls, setScrolls] = useState(false);
  useEffect(() => {
    const box = ref.current;
    if (!box) return;
    const check = () => setScrolls(box.scrollWidth > box.clientWidth + 1);
    const sizes = new ResizeObserver(check);
    const watch = () => {
      sizes.disconnect();
      sizes.observe(box);
      for (const child of box.children) sizes.observe(child);
    };
    // A table that appears, or is replaced, in the box is watched too.
    const contents = new MutationObserver(watch);
    contents.observe(box, { childList: true });
    watch();
    return () => {
      sizes.disconnect();
      contents.disconnect();
    };
  }, [ref]);
  return scrolls;
}
