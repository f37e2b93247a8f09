/** Room left between the words and the edge of what can be seen, in px. */
const ROOM = 16;

/**
 * How far down the screen the sticky bars above `el` reach (a section's status bar, the editor's
 * toolbar): each sticky or fixed element before it in the page, stuck to the top, and above it
 * rather than beside it (the plan's outline is sticky too, but to its left).
 */
function stickyCover(el: Element, box: DOMRect): number {
  let cover = 0;
  for (let node: Element | null = el; node; node = node.parentElement) {
    for (let before = node.previousElementSibling; before; before = before.previousElementSibling) {
      const style = getComputedStyle(before);
      if (style.position !== 'sticky' && style.position !== 'fixed') continue;
      const top = parseFloat(style.top);
      if (Number.isNaN(top)) continue;
      const bar = before.getBoundingClientRect();
      if (bar.right <= box.left || bar.left >= box.right) continue;
      cover = Math.max(cover, top + bar.height);
    }
  }
  return cover;
}

/**
 * Scrolls the page so `el` can be seen below the sticky bars above it, a third of the way down
 * what is left so the words before it show too; leaves the page still when it can be seen already.
 * scrollIntoView alone would put it at the top of the screen, under those bars.
 */
export function revealBelowSticky(el: Element): void {
  const box = el.getBoundingClientRect();
  const top = stickyCover(el, box) + ROOM;
  const bottom = window.innerHeight - ROOM;
  if (box.top >= top && box.bottom <= bottom) return;
  const target = top + Math.max(0, (bottom - top - box.height) / 3);
  const still = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  window.scrollBy({ top: box.top - target, behavior: still ? 'auto' : 'smooth' });
}

/**
 * Scrolls the box `el` scrolls in (the comments panel beside a section's text) so `el` can be seen
 * in the part of the box on the screen, and never the page: a thread opened from the text is
 * brought into view beside it without the text the person is reading jumping away. Leaves
 * everything still when `el` is in no such box (the panels under the text on a narrower screen):
 * the person stays where they are in the text.
 */
export function revealInItsBox(el: Element): void {
  for (let box = el.parentElement; box && box !== document.body; box = box.parentElement) {
    const { overflowY } = getComputedStyle(box);
    if (overflowY !== 'auto' && overflowY !== 'scroll') continue;
    if (box.scrollHeight <= box.clientHeight) return;
    const frame = box.getBoundingClientRect();
    const shown = { top: Math.max(frame.top, 0), bottom: Math.min(frame.bottom, window.innerHeight) };
    const at = el.getBoundingClientRect();
    if (at.top >= shown.top && at.bottom <= shown.bottom) return;
    // Its top near the top of what can be seen of the box (a tall thread shows from its quote).
    box.scrollTop += at.top - shown.top - ROOM / 2;
    return;
  }
}
