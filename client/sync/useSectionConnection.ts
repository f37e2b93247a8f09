import { useEffect, useState, useSyncExternalStore } from 'react';
import type { AwarenessUser } from '../../shared/protocol.ts';
import { SectionConnection, type ConnectionStatus } from './sectionConnection.ts';

/**
 * Creates the section's connection in an effect and destroys it in the cleanup, so React
 * StrictMode's double mount leaves exactly one live provider. A new `generation` starts over with
 * a fresh connection and document (after the server refused an edit, once the local copy is gone).
 */
export function useSectionConnection(sectionId: string, user: AwarenessUser, generation = 0): SectionConnection | null {
  const [connection, setConnection] = useState<SectionConnection | null>(null);
  // The identity fields rarely change; serialise them so a new object each render does not reconnect.
  const userKey = JSON.stringify(user);

  useEffect(() => {
    const conn = new SectionConnection({ sectionId, userId: user.id, user: JSON.parse(userKey) as AwarenessUser });
    setConnection(conn);
    return () => {
      setConnection((current) => (current === conn ? null : current));
      conn.destroy();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [sectionId, userKey, generation]);

  return connection;
}

const INITIAL: ConnectionStatus = { state: 'connecting', localSynced: false, remoteSynced: false, ready: false, closed: null };
const noopSubscribe = () => () => undefined;

export function useConnectionStatus(connection: SectionConnection | null): ConnectionStatus {
  return useSyncExternalStore(
    connection ? connection.subscribe : noopSubscribe,
    connection ? connection.getStatus : () => INITIAL,
  );
}
