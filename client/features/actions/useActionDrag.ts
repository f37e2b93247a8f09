import { useCallback, useEffect, useRef, useState, type PointerEvent as ReactPointerEvent, type RefObject } from 'react';

/** An action being dragged: where it was and the place among the others it would drop at. */
export interface ActionDrag {
  actionId: string;
  from: number;
  to: number;
}

/**
 * Dragging an action by its handle with a mouse (or pen, or finger): pointer events rather than
 * HTML drag and drop, so the drop place is computed the same way everywhere and Escape cancels.
 * `to` counts the other actions whose middle is above the pointer, which is exactly the place the
 * server puts the action at. Each list item carries `data-action-id`.
 */
export function useActionDrag(listRef: RefObject<HTMLOListElement | null>, onDrop: (actionId: string, to: number) => void) {
  const [drag, setDrag] = useState<ActionDrag | null>(null);
  const stop = useRef<(() => void) | null>(null);
  useEffect(() => () => stop.current?.(), []);

  const begin = useCallback(
    (actionId: string, event: ReactPointerEvent) => {
      const list = listRef.current;
      if (event.button !== 0 || !list) return;
      event.preventDefault();
      const items = () => [...list.children].filter((el): el is HTMLElement => el instanceof HTMLElement);
      const from = items().findIndex((li) => li.dataset.actionId === actionId);
      if (from < 0) return;
      let to = from;
      const placeAt = (y: number) =>
        items().filter((li) => {
          if (li.dataset.actionId === actionId) return false;
          const box = li.getBoundingClientRect();
          return box.top + box.height / 2 < y;
        }).length;
      let pointerY = event.clientY;
      const update = () => {
        const next = placeAt(pointerY);
        if (next !== to) {
          to = next;
          setDrag({ actionId, from, to });
        }
      };
      const onMove = (e: PointerEvent) => {
        pointerY = e.clientY;
        update();
      };
      // Cards are tall: held near the top or bottom edge of the window, the page scrolls, so an
      // action can be carried past what fits on the screen.
      let frame = 0;
      const scroll = () => {
        const speed = edgeSpeed(pointerY, window.innerHeight);
        if (speed !== 0) {
          window.scrollBy(0, speed);
          update();
        }
        frame = requestAnimationFrame(scroll);
      };
      frame = requestAnimationFrame(scroll);
      const finish = (drop: boolean) => {
        cancelAnimationFrame(frame);
        window.removeEventListener('pointermove', onMove);
        window.removeEventListener('pointerup', onUp);
        window.removeEventListener('pointercancel', onCancel);
        window.removeEventListener('keydown', onKey, true);
        stop.current = null;
        setDrag(null);
        if (drop && to !== from) onDrop(actionId, to);
      };
      const onUp = () => finish(true);
      const onCancel = () => finish(false);
      const onKey = (e: KeyboardEvent) => {
        if (e.key !== 'Escape') return;
        e.preventDefault();
        finish(false);
      };
      window.addEventListener('pointermove', onMove);
      window.addEventListener('pointerup', onUp);
      window.addEventListener('pointercancel', onCancel);
      window.addEventListener('keydown', onKey, true);
      stop.current = () => finish(false);
      setDrag({ actionId, from, to });
    },
    [listRef, onDrop],
  );

  return { drag, begin };
}

/** The band at each edge of the window where a held card scrolls the page, and the fastest step. */
const EDGE = 80;
const MAX_STEP = 24;

/** How far to scroll per frame with the pointer at `y`: faster the nearer the edge, 0 away from it. */
export function edgeSpeed(y: number, height: number): number {
  if (y < EDGE) return -Math.ceil(((EDGE - Math.max(y, 0)) / EDGE) * MAX_STEP);
  if (y > height - EDGE) return Math.ceil(((Math.min(y, height) - (height - EDGE)) / EDGE) * MAX_STEP);
  return 0;
}

/** Where a list item shows the drop line while another is dragged: before it, after it, or nowhere. */
export function dropMark(drag: ActionDrag | null, ids: string[], id: string): 'before' | 'after' | null {
  if (!drag || drag.to === drag.from || id === drag.actionId) return null;
  const others = ids.filter((other) => other !== drag.actionId);
  const index = others.indexOf(id);
  if (index === drag.to) return 'before';
  if (drag.to === others.length && index === others.length - 1) return 'after';
  return null;
}
