import type { Logger } from 'pino';
import * as Y from 'yjs';
import type { DocumentLog } from '../storage/documentLog.ts';
import type { Room } from './Room.ts';
import type { RoomMember } from './RoomMember.ts';

/**
 * Keeps a document's stored log short: once it holds `afterUpdates` rows (or when its room is
 * unloaded), the log is replaced by the document's state. Only while nothing is queued, so the
 * state written is exactly what is stored.
 *
 * `fromStorage`: other processes append to the same logs, so the state written is read from the
 * log itself inside the transaction that replaces it, never taken from the room (which may not
 * have received the rows another process appended a moment ago).
 */
export class Compaction {
  /** Rooms being compacted now: one compaction per document at a time. */
  private readonly running = new Set<string>();

  constructor(
    private readonly log: DocumentLog,
    private readonly afterUpdates: number,
    private readonly logger: Logger,
    private readonly options: { fromStorage: boolean } = { fromStorage: false },
  ) {}

  /** Compacts when the log has grown to the threshold and nothing is queued. */
  ifLong<M extends RoomMember>(room: Room<M>): Promise<void> {
    if (room.storedRows < this.afterUpdates || room.pending.length > 0) return Promise.resolve();
    return this.now(room);
  }

  /**
   * Replaces a document's stored log by its state (only while nothing is queued). Never rejects.
   * The room's state is taken when called: on a log that answers later (PostgreSQL), edits stored
   * meanwhile wait for the document's lock and are appended after the state, so none is lost.
   */
  async now<M extends RoomMember>(room: Room<M>): Promise<void> {
    if (this.running.has(room.name)) return;
    this.running.add(room.name);
    try {
      if (this.options.fromStorage) await this.log.compactLog(room.name);
      else await this.log.replaceAll(room.name, Y.encodeStateAsUpdate(room.doc));
      room.storedRows = 1;
    } catch (err) {
      // The log stays as it is: nothing is lost, it is only longer.
      this.logger.warn({ err, doc: room.name }, 'compaction failed');
    } finally {
      this.running.delete(room.name);
    }
  }
}
