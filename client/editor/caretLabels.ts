import { useEffect, type RefObject } from 'react';
import type { Editor } from '@tiptap/react';

const LABEL = '.collab-caret__label';
const BELOW = 'collab-caret__label--below';

/**
 * Keeps every other person's caret label inside the editor's text area: a label that would stick
 * out above the first line goes under the caret instead, and one that would run past the right
 * (or left) edge is slid back in. Labels are placed above the caret, running right, by CSS; this
 * only corrects the ones at an edge, measured after each change to the text or the carets.
 */
export function fitCaretLabels(host: HTMLElement): void {
  const box = host.getBoundingClientRect();
  for (const label of host.querySelectorAll<HTMLElement>(LABEL)) {
    label.classList.remove(BELOW);
    label.style.transform = '';
    let rect = label.getBoundingClientRect();
    if (rect.top < box.top) {
      label.classList.add(BELOW);
      rect = label.getBoundingClientRect();
    }
    let dx = 0;
    if (rect.right > box.right) dx = box.right - rect.right;
    if (rect.left + dx < box.left) dx = box.left - rect.left;
    if (dx !== 0) label.style.transform = `translateX(${Math.round(dx)}px)`;
  }
}

/** Fits the caret labels after every editor transaction (carets arrive as one) and on resize. */
export function useFittedCaretLabels(editor: Editor | null, hostRef: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    const host = hostRef.current;
    if (!editor || !host) return;
    let frame = 0;
    const schedule = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => fitCaretLabels(host));
    };
    editor.on('transaction', schedule);
    const resize = new ResizeObserver(schedule);
    resize.observe(host);
    schedule();
    return () => {
      cancelAnimationFrame(frame);
      editor.off('transaction', schedule);
      resize.disconnect();
    };
  }, [editor, hostRef]);
}
