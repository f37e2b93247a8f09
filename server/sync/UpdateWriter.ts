import type { Logger } from 'pino';
import type { DocumentStore } from '../storage/DocumentStore.ts';
import type { PendingBatch, Room } from './Room.ts';
import type { RoomMember } from './RoomMember.ts';

/**
 * With other processes storing edits to the same documents, whether a room's edits may still be
 * stored is asked inside the write transaction (a section another process agreed a moment ago
 * takes no more edits, though the news has not reached this room yet).
 */
export interface StoreGuard<M extends RoomMember> {
  /** Runs `work` in one transaction that holds the database's write lock from its start. */
  transact(work: () => void): void;
  /** Inside that transaction: whether the room's queued edits may be stored. */
  mayStore(room: Room<M>): boolean;
  /** The room's queued edits were not stored and will not be: the room must be dropped. */
  refused(room: Room<M>): void;
}

const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 10_000;

/**
 * Stores the updates rooms queue: everything typed in one turn of the event loop in one SQLite
 * transaction, and only then are they broadcast and acknowledged (Room.afterStored). If storage
 * fails, the edits stay in memory (not broadcast, not acknowledged) and are retried with back-off.
 */
export class UpdateWriter<M extends RoomMember> {
  private readonly dirty = new Set<Room<M>>();
  private flushScheduled = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private retryDelay = RETRY_MIN_MS;
  /** The flush running now was started by the retry timer (see flush's logging). */
  private retrying = false;
  private stopped = false;

  constructor(
    private readonly store: DocumentStore,
    private readonly logger: Logger,
    /** After a room's batch is stored, broadcast and acknowledged. */
    private readonly onStored: (room: Room<M>, batch: PendingBatch<M>) => void,
    private readonly guard?: StoreGuard<M>,
  ) {}

  /** A room has queued updates: they are stored at the end of this turn of the event loop. */
  markDirty(room: Room<M>): void {
    this.dirty.add(room);
    // While storing this document fails, the retry timer stores what is queued: every keystroke
    // trying (and failing) again would only load a disk that is full already.
    if (room.storageFailing && this.retryTimer) return;
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      // One transaction for everything typed in this turn of the event loop.
      setImmediate(() => this.flush());
    }
  }

  /** The room is gone (its section deleted): what it queued is not stored. */
  forget(room: Room<M>): void {
    this.dirty.delete(room);
  }

  /**
   * Stores every queued update, then broadcasts and acknowledges it. If storage fails, the edits
   * stay in memory (not broadcast, not acknowledged) and are retried with back-off.
   */
  flush(): void {
    this.flushScheduled = false;
    if (this.dirty.size === 0) return;
    const batches: Array<[Room<M>, PendingBatch<M>]> = [];
    for (const room of this.dirty) {
      const batch = room.deleted ? null : room.takePendingMerged();
      if (batch) batches.push([room, batch]);
    }
    this.dirty.clear();
    if (batches.length === 0) return;

    let failed: Array<[Room<M>, PendingBatch<M>]> = [];
    const refused = new Set<Room<M>>();
    const append = (some: Array<[Room<M>, PendingBatch<M>]>) => {
      const write = () => {
        const kept = some.filter(([room]) => {
          if (!this.guard || this.guard.mayStore(room)) return true;
          refused.add(room);
          return false;
        });
        if (kept.length > 0) this.store.appendMany(kept.map(([room, b]) => ({ name: room.name, update: b.merged, owners: b.owners })));
      };
      if (this.guard) this.guard.transact(write);
      else write();
    };
    try {
      append(batches);
    } catch {
      refused.clear();
      // Store rooms one by one, so one document's problem does not hold back the others.
      failed = batches.filter(([room, b]) => {
        try {
          append([[room, b]]);
          return false;
        } catch (err) {
          // Once when a document starts failing (with the error) and once per retry after that;
          // a flush asked for by someone in between (a newcomer, a reader) adds no line.
          if (!room.storageFailing) this.logger.error({ err, doc: room.name }, 'storing updates failed: edits kept in memory, retrying');
          else if (this.retrying) this.logger.warn({ doc: room.name, pending: room.pending.length, error: (err as Error).message }, 'storing updates still fails');
          return true;
        }
      });
    }
    const failedRooms = new Set(failed.map(([room]) => room));
    for (const [room, batch] of batches) {
      if (refused.has(room)) {
        this.guard!.refused(room);
        continue;
      }
      if (failedRooms.has(room)) {
        room.storageFailed(batch.origins);
        this.dirty.add(room);
        continue;
      }
      if (room.storageFailing) this.logger.info({ doc: room.name }, 'storing updates works again');
      room.afterStored(batch);
      this.onStored(room, batch);
    }
    if (failedRooms.size > 0) this.scheduleRetry();
    else this.retryDelay = RETRY_MIN_MS;
  }

  /** No more retries (the server is closing); flush still stores what it can. */
  stop(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
  }

  private scheduleRetry(): void {
    if (this.retryTimer || this.stopped) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.retrying = true;
      try {
        this.flush();
      } finally {
        this.retrying = false;
      }
    }, this.retryDelay);
    this.retryDelay = Math.min(this.retryDelay * 2, RETRY_MAX_MS);
  }
}
