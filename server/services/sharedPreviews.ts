/**
 * Import previews kept in the database, for when several Accord processes serve the same plans
 * (REDIS_URL; docs/decisions/0014-several-processes.md). A preview is made by the process that
 * read the file; the person's commit may reach another, which must find it. A process on its
 * own keeps previews in memory (ImportPreviewStore): turning a 40,000-row preview into JSON and
 * back, and checking it, costs about half a second of the event loop (decision 0014) that
 * nothing gains when one process holds both ends.
 *
 * The same rules as in memory: one preview per person, plan and kind (a new upload replaces the
 * last), only its maker takes it, once, within PREVIEW_TTL_MS. Taking is one immediate
 * transaction, so two processes asked to commit the same preview cannot both have it.
 */
import { z } from 'zod';
import type { Db } from '../db/database.ts';
import { col, oneRow, rowShape } from '../db/rows.ts';
import { ImportPreviewSchema, MatrixImportPreviewSchema, type ImportPreview } from '../../shared/api/index.ts';
import { PREVIEW_TTL_MS, rememberWriteOrder, writeOrderOf, type PreviewStore } from './imports.ts';
import type { StoredMatrixPreview } from './matrixImport.ts';
import type { ActionPlan, IndicatorPlan } from './matrixMatching.ts';

export type PreviewKind = 'recommendations' | 'matrix';

/** A recommendation import's write order travels beside its preview (imports.ts writeOrderOf). */
export interface WriteOrders<T> {
  get(preview: T): Uint32Array | undefined;
  set(preview: T, order: Uint32Array): void;
}

const Stored = rowShape({ body: col.text, writeOrder: col.blob.nullable() });

export class SharedPreviewStore<T extends { previewId: string }> implements PreviewStore<T> {
  constructor(
    private readonly db: Db,
    private readonly kind: PreviewKind,
    /** Checks a stored body (written by an Accord process, possibly of another version) and types it. */
    private readonly read: (body: unknown) => T,
    private readonly orders?: WriteOrders<T>,
    private readonly ttlMs = PREVIEW_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  put(planId: string, userId: string, preview: T): void {
    const order = this.orders?.get(preview);
    const body = JSON.stringify(preview);
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM import_previews WHERE expires_at <= ?').run(this.now());
      this.db.prepare('DELETE FROM import_previews WHERE kind = ? AND plan_id = ? AND user_id = ?').run(this.kind, planId, userId);
      this.db
        .prepare('INSERT INTO import_previews (id, kind, plan_id, user_id, expires_at, body, write_order) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(preview.previewId, this.kind, planId, userId, this.now() + this.ttlMs, body, order ? Buffer.from(order.buffer, order.byteOffset, order.byteLength) : null);
    })();
  }

  take(planId: string, userId: string, previewId: string): T | null {
    const stored = this.db.transaction(() => {
      const row = oneRow(
        this.db.prepare(
          `SELECT body, write_order AS writeOrder FROM import_previews
            WHERE id = ? AND kind = ? AND plan_id = ? AND user_id = ? AND expires_at > ?`,
        ),
        Stored,
        previewId,
        this.kind,
        planId,
        userId,
        this.now(),
      );
      if (row) this.db.prepare('DELETE FROM import_previews WHERE id = ?').run(previewId);
      return row;
    }).immediate();
    if (!stored) return null;
    // A preview another version of Accord wrote (during a rolling upgrade) that this one cannot
    // read is of no use to anyone: taken and answered like an expired one ("upload the file
    // again"), never a 500 that leaves the person wondering whether anything was imported.
    let preview: T;
    try {
      preview = this.read(JSON.parse(stored.body));
    } catch {
      return null;
    }
    if (stored.writeOrder && this.orders) {
      // Copied: the blob's bytes need not be aligned for 4-byte reads.
      const bytes = Uint8Array.from(stored.writeOrder);
      this.orders.set(preview, new Uint32Array(bytes.buffer, 0, bytes.byteLength / 4));
    }
    return preview;
  }
}

/** The stores for both kinds of import, in this database. */
export function sharedPreviews(db: Db): { recommendations: PreviewStore<ImportPreview>; matrix: PreviewStore<StoredMatrixPreview> } {
  return {
    recommendations: new SharedPreviewStore<ImportPreview>(db, 'recommendations', (body) => ImportPreviewSchema.parse(body), {
      get: writeOrderOf,
      set: rememberWriteOrder,
    }),
    matrix: new SharedPreviewStore<StoredMatrixPreview>(db, 'matrix', (body) => StoredMatrixPreviewSchema.parse(body)),
  };
}

/**
 * A stored matrix preview: what the person saw is checked; the planned changes are Accord's own
 * objects, written by the process that read the file a few minutes ago, and taken as they are.
 */
const StoredMatrixPreviewSchema = z.object({
  previewId: z.string(),
  preview: MatrixImportPreviewSchema,
  actions: z.array(z.custom<ActionPlan>((v) => typeof v === 'object' && v !== null && 'key' in v)),
  indicators: z.array(z.custom<IndicatorPlan>((v) => typeof v === 'object' && v !== null && 'actionKey' in v)),
});
