import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { Me, Role, TextAccess } from '../../../shared/api/index.ts';
import { CloseCode, type AwarenessUser } from '../../../shared/protocol.ts';
import { queryKeys } from '../../api/queries.ts';
import { SectionConnection, type ConnectionStatus } from '../../sync/sectionConnection.ts';
import { useCallbackRef } from './useCallbackRef.ts';

/** Waits this long after the last change to the text before refetching the content hash. */
const HASH_REFRESH_MS = 1200;
/** After a refused edit the section starts over by itself at most this many times in a minute. */
const MAX_RESTARTS = 3;
const RESTART_WINDOW_MS = 60_000;

export interface SectionSessionOptions {
  planId: string;
  sectionId: string;
  me: Me;
  role: Role;
  /** What the person's edits may do now: says why an edit the server refused was refused. */
  access: TextAccess;
  /** The server closed the section because it was moved to the bin: the outline is refetched. */
  onMovedToBin: () => void;
  /** The server reconnected with new permissions: resolves once the role has been refetched. */
  onPermissionsChanged: () => Promise<void>;
  /** The text changed and then settled: the content hash is refetched. */
  onTextChanged: () => void;
}

export interface SectionSession {
  /** The live document with its local (offline) copy and provider; null until created. */
  connection: SectionConnection | null;
  /** Connecting / offline / saving / saved / failing / closed, with the close code. */
  status: ConnectionStatus;
  /** What the person's caret shows others (presence). */
  user: AwarenessUser;
  /** The editor may be shown; once shown it stays through reconnects. */
  show: boolean;
  /** New permissions are being fetched: the editor takes nothing meanwhile. */
  roleStale: boolean;
  /** i18n key of why the server refused an edit (the section started over); null if none. */
  refusedReason: string | null;
  /** The words of this page's that the refusal took away (empty when none are known). */
  refusedText: string;
  dismissRefused: () => void;
}

/**
 * One open section's live session: the Yjs document with its offline copy and WebSocket
 * provider, save state, presence, and what the page does on the server's close codes (moved to
 * the bin, permissions changed, edit refused).
 */
export function useSectionSession({ planId, sectionId, me, role, access, onMovedToBin, onPermissionsChanged, onTextChanged }: SectionSessionOptions): SectionSession {
  // Identity without role: a role change must not recreate the document (the server reconnects).
  const identity = useMemo(
    () => ({
      id: me.user.id,
      name: me.user.name,
      organisation: me.organisation.name,
      side: me.organisation.side,
      color: me.organisation.color,
      role: '',
    }),
    [me],
  );
  const user: AwarenessUser = useMemo(() => ({ ...identity, role }), [identity, role]);
  // Bumped to start over with a fresh document after the server refused an edit.
  const [generation, setGeneration] = useState(0);
  const connection = useConnection(sectionId, identity, generation);
  const status = useConnectionStatus(connection);

  useEffect(() => {
    if (!connection) return;
    connection.provider.awareness.setLocalStateField('user', user);
  }, [connection, user]);

  // Moved to the bin while open: the outline no longer has it, and the page says who moved it.
  const movedToBinRef = useCallbackRef(onMovedToBin);
  const closedCode = status.closed?.code;
  useEffect(() => {
    if (closedCode === CloseCode.SectionDeleted) movedToBinRef();
  }, [closedCode, movedToBinRef]);

  const roleStale = useRoleRefetchOnPermissionChange(connection, planId, onPermissionsChanged);

  // Once shown, the editor stays mounted through reconnects (ready flips while re-syncing).
  const [shownFor, setShownFor] = useState<object | null>(null);
  useEffect(() => {
    if (connection && status.ready && shownFor !== connection) setShownFor(connection);
  }, [connection, status.ready, shownFor]);
  const show = connection !== null && (status.ready || shownFor === connection);

  // The content hash follows the text: refetch it shortly after the text stops changing, so the
  // hash a person signs is the hash of what they are reading (the server refuses a stale one).
  const textChangedRef = useCallbackRef(onTextChanged);
  useEffect(() => {
    if (!connection) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onUpdate = () => {
      clearTimeout(timer);
      timer = setTimeout(() => textChangedRef(), HASH_REFRESH_MS);
    };
    connection.doc.on('update', onUpdate);
    return () => {
      clearTimeout(timer);
      connection.doc.off('update', onUpdate);
    };
  }, [connection, textChangedRef]);

  const startOver = useCallback(() => setGeneration((g) => g + 1), []);
  const { refusedReason, refusedText, dismissRefused } = useRestartAfterRefusedEdit(connection, access, startOver);

  return { connection, status, user, show, roleStale, refusedReason, refusedText, dismissRefused };
}

/**
 * Creates the section's connection in an effect and destroys it in the cleanup, so React
 * StrictMode's double mount leaves exactly one live provider. A new `generation` starts over with
 * a fresh connection and document (after the server refused an edit, once the local copy is gone).
 */
function useConnection(sectionId: string, user: AwarenessUser, generation: number): SectionConnection | null {
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
    // Only the serialised identity decides when to reconnect (`user.id` is part of it).
  }, [sectionId, userKey, generation]);

  return connection;
}

const INITIAL: ConnectionStatus = { state: 'connecting', localSynced: false, remoteSynced: false, ready: false, closed: null };
const noopSubscribe = () => () => undefined;

function useConnectionStatus(connection: SectionConnection | null): ConnectionStatus {
  return useSyncExternalStore(connection ? connection.subscribe : noopSubscribe, connection ? connection.getStatus : () => INITIAL);
}

/**
 * After the server reconnected with new permissions, the editor takes nothing until the role
 * and the suggestion rule are refetched: an edit made under the old mode would be sent under the
 * new rights, and may be refused. Returns whether that refetch is under way.
 */
function useRoleRefetchOnPermissionChange(connection: SectionConnection | null, planId: string, onPermissionsChanged: () => Promise<void>): boolean {
  const queryClient = useQueryClient();
  const [roleStale, setRoleStale] = useState(false);
  const permissionsRef = useCallbackRef(onPermissionsChanged);
  const latestPermissionsChange = useRef(0);
  useEffect(
    () =>
      connection?.onPermissionsChanged(() => {
        const change = ++latestPermissionsChange.current;
        // Forget the rule until it is refetched, so nothing is decided on the old one meanwhile.
        void queryClient.resetQueries({ queryKey: queryKeys.plan(planId).suggestionRule() });
        setRoleStale(true);
        void permissionsRef().finally(() => {
          if (latestPermissionsChange.current === change) setRoleStale(false);
        });
      }),
    [connection, permissionsRef, queryClient, planId],
  );
  return roleStale;
}

/**
 * The server refused an edit (it closes with EditRefused; the local copy is then dropped):
 * start over from the shared text with a fresh document, and say what happened. Should that
 * keep happening, stop and leave the closed state with its Reload button.
 */
function useRestartAfterRefusedEdit(connection: SectionConnection | null, access: TextAccess, startOver: () => void) {
  const [refusedReason, setRefusedReason] = useState<string | null>(null);
  const [refusedText, setRefusedText] = useState('');
  const restarts = useRef<number[]>([]);
  const accessRef = useRef(access);
  accessRef.current = access;
  useEffect(
    () =>
      connection?.onEditRefused((notKept) => {
        const now = Date.now();
        restarts.current = restarts.current.filter((at) => now - at < RESTART_WINDOW_MS);
        if (restarts.current.length >= MAX_RESTARTS) return;
        restarts.current.push(now);
        const held = accessRef.current;
        setRefusedText(notKept);
        setRefusedReason(held === 'suggest' ? 'sync.refused.suggestOnly' : held === 'edit' ? 'sync.refused.othersSuggestion' : 'sync.refused.either');
        startOver();
      }),
    [connection, startOver],
  );
  const dismissRefused = useCallback(() => setRefusedReason(null), []);
  return { refusedReason, refusedText, dismissRefused };
}
