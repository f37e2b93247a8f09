import { useTranslation } from 'react-i18next';
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
