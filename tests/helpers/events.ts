import type { ApiClient } from './api.ts';
import { PlanEventSchema, type PlanEvent } from '../../shared/api/index.ts';

/** Opens a plan's event stream as `client` and collects events until it ends or is closed. */
export async function openPlanEvents(baseUrl: string, client: ApiClient, planId: string) {
  const abort = new AbortController();
  const open = () =>
    fetch(`${baseUrl}/api/plans/${planId}/events`, {
      headers: client.cookie ? { cookie: client.cookie } : {},
      signal: abort.signal,
    });
  // A kept-alive connection the server closed while a test held the event loop (building a large
  // plan in the same process) is reset as the request goes out: a fresh one is the browser's answer too.
  const res = await open().catch((err: Error & { cause?: { code?: string } }) => {
    if (err.cause?.code === 'ECONNRESET') return open();
    throw err;
  });
  const received: PlanEvent[] = [];
  let ended = false;
  const done = (async () => {
    if (!res.body) return;
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const data = block.split('\n').find((line) => line.startsWith('data: '));
          if (data) received.push(PlanEventSchema.parse(JSON.parse(data.slice(6))));
        }
      }
    } catch {
      // Aborted by the test.
    }
    ended = true;
  })();
  return {
    res,
    received,
    isEnded: () => ended,
    async close() {
      abort.abort();
      await done;
    },
  };
}
