import type * as Y from 'yjs';
import type { RunningServer } from '../../server/server.ts';

/**
 * A server-side edit of a document (as a decision or a restore makes one): what people typed is
 * stored first, then `edit` runs on the stored text in one write transaction on the server's
 * database (SQLite or PostgreSQL), and people receive it once that commits.
 */
export async function serverEdit<T>(
  server: Pick<RunningServer, 'sql' | 'sync'>,
  name: string,
  planId: string,
  edit: (doc: Y.Doc) => T,
): Promise<T> {
  await server.sync.storeQueued(name);
  return server.sql.transaction((tx) => server.sync.editDocument(tx, name, planId, edit), { write: true });
}
