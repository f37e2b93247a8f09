/**
 * A publication never changes once written, so what is rendered from it can be kept: the parsed
 * snapshot per publication, and each response (page, CSV, JSON) per publication, address and
 * language (router.tsx builds the key). A
 * busy day then costs one lookup of the slug in the database and a copy from memory per request.
 * The slug lookup is never cached: unpublishing must take effect on the next request.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { LRUCache } from 'lru-cache';
import type { PublicSnapshot } from '../services/publicRecord/snapshot.ts';

export interface CachedResponse {
  body: Buffer;
  /** The body gzipped once, for the browsers that accept it (a 200-section plan: 3 MB → 160 KB). */
  gzipped?: Buffer;
  type: string;
  etag: string;
  /** A download's file name, for Content-Disposition. */
  filename?: string;
}

export class PublicCache {
  private readonly snapshots = new LRUCache<string, PublicSnapshot>({ max: 16 });
  private readonly responses = new LRUCache<string, CachedResponse>({
    // Bounded by bytes, so many filtered lists of a large plan cannot use up the server's memory.
    maxSize: 64 * 1024 * 1024,
    sizeCalculation: (r) => r.body.length + (r.gzipped?.length ?? 0) + 200,
  });

  // Loading and rendering read the database: two requests for what is not kept yet may both do it,
  // and the later keeps its copy; either is the same publication's.
  async snapshot(publicationId: string, load: () => Promise<PublicSnapshot>): Promise<PublicSnapshot> {
    let s = this.snapshots.get(publicationId);
    if (!s) {
      s = await load();
      this.snapshots.set(publicationId, s);
    }
    return s;
  }

  async response(key: string, render: () => Omit<CachedResponse, 'etag'> | Promise<Omit<CachedResponse, 'etag'>>): Promise<CachedResponse> {
    let r = this.responses.get(key);
    if (!r) {
      const made = await render();
      r = {
        ...made,
        gzipped: made.body.length > 1024 ? gzipSync(made.body) : undefined,
        etag: `"${createHash('sha256').update(made.body).digest('base64url').slice(0, 27)}"`,
      };
      this.responses.set(key, r);
    }
    return r;
  }
}
