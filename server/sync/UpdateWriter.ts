import type { Logger } from 'pino';
import type { DocumentLog, MayStore } from '../storage/documentLog.ts';
import type { PendingBatch, Room } from './Room.ts';
import type { RoomMember } from './RoomMember.ts';

/**
 * With other processes storing edits to the same documents, whether a room's edits may still be
 * stored is asked inside the transaction that stores them, after the document is locked (a section
 * another process agreed a moment ago takes no more edits, though the news has not reached this
 * room yet).
 */
export interface StoreGuard<M extends RoomMember> {
  /** Inside that transaction: whether the document's queued edits may be stored. */
  mayStore: MayStore;
  /** The room's queued edits were not stored and will not be: the room must be dropped. */
  refused(room: Room<M>): void;
}

const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 10_000;

type Batches<M extends RoomMember> = Array<[Room<M>, PendingBatch<M>]>;

/**
 * Stores the updates rooms queue: everything typed in one turn of the event loop in one
 * transaction, and only then are they broadcast and acknowledged (Room.afterStored). If storage
 * fails, the edits stay in memory (not broadcast, not acknowledged) and are retried with back-off.
 *
 * One flush at a time: edits typed while a flush is being stored (PostgreSQL answers a round trip
 * later) wait for the next one, which starts when it ends. Two flushes of one room in flight at
 * once could commit in either order, and a later edit be stored, and broadcast, before an earlier
 * one. SQLite's log answers at once, so there a flush is stored and broadcast in the turn it began.
 */
export class UpdateWriter<M extends RoomMember> {
  private readonly dirty = new Set<Room<M>>();
  private flushScheduled = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private retryDelay = RETRY_MIN_MS;
  /** The flush running now was started by the retry timer (see flush's logging). */
  private retrying = false;
  private stopped = false;
  /** The flush being stored now; settles once its edits are broadcast (or kept for a retry). */
  private inFlight: Promise<void> | null = null;

  constructor(
    private readonly log: DocumentLog,
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
      setImmediate(() => void this.flush());
    }
  }

  /** The room is gone (its section deleted): what it queued is not stored. */
  forget(room: Room<M>): void {
    this.dirty.delete(room);
  }

  /**
   * Stores every queued update, then broadcasts and acknowledges it; settles when that is done
   * (after the flush in flight, if one is). If storage fails, the edits stay in memory (not
   * broadcast, not acknowledged) and are retried with back-off. Never rejects.
   */
  flush(): Promise<void> {
    this.flushScheduled = false;
    if (this.inFlight) {
      // What is queued now goes with the next flush, once this one is stored.
      const after = this.inFlight.then(() => this.flush());
      return after;
    }
    if (this.dirty.size === 0) return Promise.resolve();
    const batches: Batches<M> = [];
    for (const room of this.dirty) {
      const batch = room.deleted ? null : room.takePendingMerged();
      if (batch) batches.push([room, batch]);
    }
    this.dirty.clear();
    if (batches.length === 0) return Promise.resolve();
    const flight = this.store(batches).then(
      ({ failed, refused }) => this.finish(batches, failed, refused),
      (err: unknown) => this.logger.error({ err }, 'finishing a flush of edits failed'),
    );
    this.inFlight = flight.finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  /** Stores the batches in one transaction, or, when that fails, room by room. */
  private async store(batches: Batches<M>): Promise<{ failed: Set<Room<M>>; refused: Set<Room<M>> }> {
    const append = async (some: Batches<M>) => {
      const { refused } = await this.log.appendMany(
        some.map(([room, b]) => ({ name: room.name, update: b.merged, owners: b.owners })),
        this.guard?.mayStore,
      );
      return new Set(some.filter(([room]) => refused.includes(room.name)).map(([room]) => room));
    };
    try {
      return { failed: new Set(), refused: await append(batches) };
    } catch {
      // Store rooms one by one, so one document's problem does not hold back the others.
      const failed = new Set<Room<M>>();
      const refused = new Set<Room<M>>();
      for (const entry of batches) {
        const room = entry[0];
        try {
          for (const r of await append([entry])) refused.add(r);
        } catch (err) {
          // Once when a document starts failing (with the error) and once per retry after that;
          // a flush asked for by someone in between (a newcomer, a reader) adds no line.
          if (!room.storageFailing) this.logger.error({ err, doc: room.name }, 'storing updates failed: edits kept in memory, retrying');
          else if (this.retrying) this.logger.warn({ doc: room.name, pending: room.pending.length, error: (err as Error).message }, 'storing updates still fails');
          failed.add(room);
        }
      }
      return { failed, refused };
    }
  }

  private finish(batches: Batches<M>, failed: Set<Room<M>>, refused: Set<Room<M>>): void {
    for (const [room, batch] of batches) {
      if (refused.has(room)) {
        this.guard!.refused(room);
        continue;
      }
      if (failed.has(room)) {
        room.storageFailed(batch.origins);
        this.dirty.add(room);
        continue;
      }
      // Moved to the bin while its batch was being stored: what was stored stays with the section.
      if (room.deleted) continue;
      if (room.storageFailing) this.logger.info({ doc: room.name }, 'storing updates works again');
      room.afterStored(batch);
      this.onStored(room, batch);
    }
    // (Edits typed while this flush was stored were scheduled by markDirty: the next flush.)
    if (failed.size > 0) this.scheduleRetry();
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
      void this.flush().finally(() => {
        this.retrying = false;
      });
    }, this.retryDelay);
    this.retryDelay = Math.min(this.retryDelay * 2, RETRY_MAX_MS);
  }
}
