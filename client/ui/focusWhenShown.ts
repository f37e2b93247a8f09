/**
 * Moves focus to the element `selector` names once it is on the page: after a form action the
 * element to continue from (a new thread's reply box, a result heading) is often rendered a frame
 * or two later, after the data it shows has been refetched. Without this, focus falls back to the
 * page's <body> and a keyboard or screen reader user starts again from the top. Gives up quietly
 * after about half a second (the element may have been filtered out).
 */
export function focusWhenShown(selector: string, frames = 30): void {
  const attempt = (left: number) => {
    const el = document.querySelector<HTMLElement>(selector);
    if (el) {
      el.focus();
      return;
    }
    if (left > 0) requestAnimationFrame(() => attempt(left - 1));
  };
  requestAnimationFrame(() => attempt(frames));
}

/** The selector of a comment thread's reply box. */
export const replyBoxOf = (threadId: string) => `[data-testid=thread][data-thread-id="${CSS.escape(threadId)}"] [data-testid=reply-body]`;
