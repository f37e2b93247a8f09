import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { Me } from '../../shared/api/index.ts';
import { api, ApiError } from '../api/index.ts';
import { settleLanguage } from './accountLanguage.ts';

export type SessionState =
  | { status: 'loading' }
  | { status: 'error'; error: ApiError }
  | { status: 'ready'; needsSetup: boolean; me: Me | null };

interface SessionValue {
  state: SessionState;
  /** Replaces the signed-in person (after setup, sign-in, accepting an invite). */
  setMe: (me: Me | null) => void;
  reload: () => Promise<void>;
  signOut: () => Promise<void>;
}

const SessionContext = createContext<SessionValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });

  const reload = useCallback(async () => {
    try {
      // One question, answered alike signed in or not: not being signed in is no error. The
      // language is settled before the page shows, so a signed-in person never sees another first.
      const { needsSetup, me } = await api.session();
      setState({ status: 'ready', needsSetup, me: needsSetup || !me ? null : await settleLanguage(me) });
    } catch (err) {
      setState({ status: 'error', error: err instanceof ApiError ? err : new ApiError(0, 'network', String(err)) });
    }
  }, []);

  useEffect(() => {
    void reload();
  }, [reload]);

  const setMe = useCallback((me: Me | null) => {
    setState({ status: 'ready', needsSetup: false, me });
    if (!me) return;
    void settleLanguage(me).then((settled) => {
      // Only when the account took this browser's choice; and only if the same person is still here.
      if (settled !== me) setState((s) => (s.status === 'ready' && s.me?.user.id === me.user.id ? { ...s, me: settled } : s));
    });
  }, []);

  const signOut = useCallback(async () => {
    try {
      await api.signOut();
    } finally {
      // Cached API answers belong to this person: do not replay them to the next one offline.
      navigator.serviceWorker?.controller?.postMessage({ type: 'accord:clear-api-cache' });
      setState({ status: 'ready', needsSetup: false, me: null });
    }
  }, []);

  const value = useMemo(() => ({ state, setMe, reload, signOut }), [state, setMe, reload, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

/** The signed-in person; only call below a route that requires signing in. */
export function useMe(): Me {
  const { state } = useSession();
  if (state.status !== 'ready' || !state.me) throw new Error('useMe without a signed-in person');
  return state.me;
}
