import { useTranslation } from 'react-i18next';
import { isNetworkError } from '../api/http.ts';
import { useOffline } from './connectivity.ts';

/**
 * Said beside actions that need the server while the page cannot reach it: why they are off.
 * `kept`: the person's words wait here to be sent (a comment being written).
 */
export function OfflineNote({ testId, kept = false, id }: { testId: string; kept?: boolean; id?: string }) {
  const { t } = useTranslation();
  const offline = useOffline();
  if (!offline) return null;
  return (
    <p className="offline-note small" id={id} data-testid={testId}>
      {t('sync.needsConnection')}
      {kept && <> {t('sync.keptUntilOnline')}</>}
    </p>
  );
}

/**
 * Said where something is not loaded yet: "Loading…", or, while the page cannot reach the server
 * (it is offline, or the query's last try did not reach the server), that it will load once the
 * connection is back, which it then does by itself (client/api/queryClient.ts).
 */
export function NotLoadedNote({ failure, testId }: { failure?: unknown; testId?: string }) {
  const { t } = useTranslation();
  const offline = useOffline();
  if (offline || isNetworkError(failure)) {
    return (
      <p className="offline-note small" role="status" data-testid={testId ?? 'loads-when-online'}>
        {t('sync.loadsWhenOnline')}
      </p>
    );
  }
  return (
    <p className="muted" role="status">
      {t('common.loading')}
    </p>
  );
}
