import { useCallback, useState } from 'react';

/**
 * A polite live region for things a screen reader user should hear without moving there (someone
 * joined the section, the connection dropped, a new comment). The region is on the page from the
 * start, empty, because screen readers only read changes to a region they already know. The same
 * words twice (two people leaving) are read twice: each message is a new element.
 */
export function useAnnouncer(): { message: { text: string; n: number } | null; announce: (text: string) => void } {
  const [message, setMessage] = useState<{ text: string; n: number } | null>(null);
  const announce = useCallback((text: string) => setMessage((m) => ({ text, n: (m?.n ?? 0) + 1 })), []);
  return { message, announce };
}

export function LiveRegion({ message, testId }: { message: { text: string; n: number } | null; testId?: string }) {
  return (
    <div className="visually-hidden" role="status" aria-live="polite" aria-atomic="true" data-testid={testId}>
      {message && <span key={message.n}>{message.text}</span>}
    </div>
  );
}
