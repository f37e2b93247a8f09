import type { KeyboardEvent } from 'react';

/**
 * Roving tabindex (the WAI-ARIA toolbar pattern): a group of buttons is one Tab stop, and the
 * arrow keys, Home and End move between them. Call from the group's onKeyDown with the selector
 * of its buttons; the one reached becomes the group's Tab stop (tabIndex 0), the others -1.
 * Disabled buttons are passed over: they cannot take focus.
 */
export function moveRovingFocus(e: KeyboardEvent<HTMLElement>, selector: string): void {
  if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft' && e.key !== 'Home' && e.key !== 'End') return;
  const all = Array.from(e.currentTarget.querySelectorAll<HTMLButtonElement>(selector));
  const items = all.filter((b) => !b.disabled);
  const index = items.indexOf(document.activeElement as HTMLButtonElement);
  if (index < 0) return;
  e.preventDefault();
  const next = e.key === 'Home' ? 0 : e.key === 'End' ? items.length - 1 : (index + (e.key === 'ArrowRight' ? 1 : -1) + items.length) % items.length;
  all.forEach((b) => (b.tabIndex = b === items[next] ? 0 : -1));
  items[next]?.focus();
}
