import * as Y from 'yjs';
import type { Db } from '../../server/db/database.ts';
import type { Sql } from '../../server/db/sql/Sql.ts';
import type { EventBus } from '../../server/events.ts';
import { DocumentStore } from '../../server/storage/DocumentStore.ts';
import type { DocumentAccess } from '../../server/sync/DocumentAccess.ts';
import { DocumentLockedError } from '../../server/sync/errors.ts';
import { getSectionBody, sectionDocName } from '../../shared/doc/schema.ts';

/**
 * Section documents in memory, for testing the domain's rules without a sync server: the contract
 * of DocumentAccess and nothing more. A document is read from the database's document log the
 * first time it is asked for (sections write their seed there when they are created) and kept in
 * a Map from then on. Every edit is "stored" at once: there are never unsaved edits.
 *
 * A server edit runs on a copy inside the caller's transaction, and reaches the document only after
 * that commits; `serverEdits` lists each one applied, so a test can say "one
 * server edit". While a section is agreed (the `sectionAgreed` event, until `sectionReopened`) its
 * document is locked: a server edit throws DocumentLockedError, as the sync server's would.
 */
export class MemoryDocuments implements DocumentAccess {
  private readonly docs = new Map<string, Y.Doc>();
  private readonly locked = new Set<string>();
  /** The name of the document each applied server edit changed, in order. */
  readonly serverEdits: string[] = [];

  constructor(
    private readonly db: Db,
    events: EventBus,
  ) {
    events.on('sectionAgreed', (_planId, sectionId) => this.locked.add(sectionDocName(sectionId)));
    events.on('sectionReopened', (_planId, sectionId) => this.locked.delete(sectionDocName(sectionId)));
  }

  /** The number of server edits applied to a section's document. */
  serverEditsOf(sectionId: string): number {
    return this.serverEdits.filter((name) => name === sectionDocName(sectionId)).length;
  }

  /** Changes a section's text as a person typing would (never a server edit, never locked out). */
  type(sectionId: string, edit: (body: Y.XmlFragment) => void): void {
    const doc = this.held(sectionDocName(sectionId));
    if (!doc) throw new Error(`no document for section ${sectionId}`);
    doc.transact(() => edit(getSectionBody(doc)));
  }

  async readDocument(name: string): Promise<Y.Doc | null> {
    const doc = this.held(name);
    return doc ? copyOf(doc) : null;
  }

  readLiveDocument(name: string): Promise<Y.Doc | null> {
    return this.readDocument(name);
  }

  async storeQueued(_name: string): Promise<void> {}

  async openStoredStates(names: Iterable<string>): Promise<Map<string, Uint8Array>> {
    const states = new Map<string, Uint8Array>();
    for (const name of names) {
      const doc = this.docs.get(name);
      if (doc) states.set(name, Y.encodeStateAsUpdate(doc));
    }
    return states;
  }

  async editDocument<T>(tx: Sql, name: string, _planId: string, edit: (doc: Y.Doc) => T): Promise<T> {
    const doc = this.held(name);
    if (!doc) throw new Error(`no document ${name}`);
    if (this.locked.has(name)) throw new DocumentLockedError(name);
    const copy = copyOf(doc);
    try {
      const updates: Uint8Array[] = [];
      copy.on('update', (update: Uint8Array) => updates.push(update));
      const result = copy.transact(() => edit(copy));
      // Committed with the caller's records: only then does the document change.
      if (updates.length > 0) {
        const update = Y.mergeUpdates(updates);
        tx.afterCommit(() => {
          Y.applyUpdate(doc, update);
          this.serverEdits.push(name);
        });
      }
      return result;
    } finally {
      copy.destroy();
    }
  }

  private held(name: string): Y.Doc | null {
    const held = this.docs.get(name);
    if (held) return held;
    const stored = new DocumentStore(this.db).load(name);
    if (!stored) return null;
    const doc = new Y.Doc();
    Y.transact(doc, () => stored.updates.forEach((u) => Y.applyUpdate(doc, u)));
    this.docs.set(name, doc);
    return doc;
  }
}

function copyOf(doc: Y.Doc): Y.Doc {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  return copy;
}
