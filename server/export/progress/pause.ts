/**
 * A loop that draws thousands of images must let the event loop turn now and then: resvg frees an
 * image's native memory only when its JavaScript handle is finalised, and pdfkit decodes each PNG
 * on libuv's thread pool, freeing it when the callback runs. Without pauses a large report queues
 * all of them at once and holds gigabytes.
 */
export function pauser(every: number, ms = 0): () => Promise<void> {
  let count = 0;
  return async () => {
    if (++count % every !== 0) return;
    await new Promise<void>((resolve) => (ms > 0 ? setTimeout(resolve, ms) : setImmediate(resolve)));
  };
}
