/**
 * Import previews kept in the database, for when several Accord processes serve the same plans
 * (REDIS_URL; docs/decisions/0014-several-processes.md). A preview is made by the process that
 * read the file; the person's commit may reach another, which must find it. A process on its
 * own keeps previews in memory (ImportPreviewStore): turning a 40,000-row preview into JSON and
 * back, and checking it, costs about half a second of the event loop (decision 0014) that
 * nothing gains when one process holds both ends.
 *
 * The same rules as in memory: one preview per person, plan and kind (a new upload replaces the
 * last), only its maker takes it, once, within PREVIEW_TTL_MS. Taking is one statement (DELETE …
 * RETURNING), so two processes asked to commit the same preview cannot both have it, on either engine.
 */
import { sql } from 'kysely';
import { z } from 'zod';
import { col, rowShape } from '../db/rows.ts';
import type { Sql } from '../db/sql/Sql.ts';
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
    private readonly q: Sql,
    private readonly kind: PreviewKind,
    /** Checks a stored body (written by an Accord process, possibly of another version) and types it. */
    private readonly read: (body: unknown) => T,
    private readonly orders?: WriteOrders<T>,
    private readonly ttlMs = PREVIEW_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  async put(planId: string, userId: string, preview: T): Promise<void> {
    const order = this.orders?.get(preview);
    const body = JSON.stringify(preview);
    const now = this.now();
    const writeOrder = order ? Buffer.from(order.buffer, order.byteOffset, order.byteLength) : null;
    await this.q.transaction(async (tx) => {
      await tx.run(sql`DELETE FROM import_previews WHERE expires_at <= ${now}`);
      await tx.run(sql`DELETE FROM import_previews WHERE kind = ${this.kind} AND plan_id = ${planId} AND user_id = ${userId}`);
      await tx.run(
        sql`INSERT INTO import_previews (id, kind, plan_id, user_id, expires_at, body, write_order)
            VALUES (${preview.previewId}, ${this.kind}, ${planId}, ${userId}, ${now + this.ttlMs}, ${body}, ${writeOrder})`,
      );
    });
  }

  async take(planId: string, userId: string, previewId: string): Promise<T | null> {
    const stored = await this.q.row(
      Stored,
      sql`DELETE FROM import_previews WHERE id = ${previewId} AND kind = ${this.kind} AND plan_id = ${planId} AND user_id = ${userId}
            AND expires_at > ${this.now()}
          RETURNING body, write_order AS "writeOrder"`,
    );
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
export function sharedPreviews(q: Sql): { recommendations: PreviewStore<ImportPreview>; matrix: PreviewStore<StoredMatrixPreview> } {
  return {
    recommendations: new SharedPreviewStore<ImportPreview>(q, 'recommendations', (body) => ImportPreviewSchema.parse(body), {
      get: writeOrderOf,
      set: rememberWriteOrder,
    }),
    matrix: new SharedPreviewStore<StoredMatrixPreview>(q, 'matrix', (body) => StoredMatrixPreviewSchema.parse(body)),
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
