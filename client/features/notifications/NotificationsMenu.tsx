import { useEffect, useId, useRef, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { trustApi } from '../../api/index.ts';
import { queryKeys } from '../../api/queries.ts';
import { formatDateTime } from '../recommendations/recommendations.tsx';

/** How often the header asks for new notices when no plan page is open to announce them. */
const POLL_MS = 30_000;

/**
 * The person's notices (e.g. "your signature was withdrawn when … edited"), with the number not yet
 * read. Opening the list marks them read. On a plan page the live `notifications` event
 * invalidates this query (client/api/liveEvents.ts); elsewhere it polls.
 */
export function NotificationsMenu() {
  const { t, i18n } = useTranslation();
  const listId = useId();
  const [open, setOpen] = useState(false);
  const wrapper = useRef<HTMLDivElement>(null);
  const queryClient = useQueryClient();
  // Signed out or offline: the list stays as it was (a failed refetch keeps the last data).
  const { data: items = [] } = useQuery({
    queryKey: queryKeys.notifications(),
    queryFn: () => trustApi.notifications(),
    refetchInterval: POLL_MS,
  });
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setOpen(false);
    };
    const onClick = (e: MouseEvent) => {
      if (wrapper.current && !wrapper.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('mousedown', onClick);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('mousedown', onClick);
    };
  }, [open]);

  const unread = items.filter((n) => n.readAt === null).length;

  async function toggle() {
    const next = !open;
    setOpen(next);
    if (next && unread > 0) {
      try {
        await trustApi.markNotificationsRead();
      } catch {
        // Stays unread; nothing else depends on it.
      }
    }
    if (!next) void queryClient.invalidateQueries({ queryKey: queryKeys.notifications() });
  }

  return (
    <div className="notifications" ref={wrapper}>
      <button
        type="button"
        className="button button--secondary notifications__button"
        aria-expanded={open}
        aria-controls={listId}
        onClick={() => void toggle()}
        data-testid="notifications-button"
        data-unread={unread}
      >
        {t('notifications.button')}
        {unread > 0 && (
          <span className="notifications__count" data-testid="notifications-count">
            <span aria-hidden="true">{unread}</span>
            <span className="visually-hidden">{t('notifications.unread', { count: unread })}</span>
          </span>
        )}
      </button>
      {open && (
        <div id={listId} className="notifications__list" role="region" aria-label={t('notifications.heading')} data-testid="notifications-list">
          {items.length === 0 ? (
            <p className="muted small">{t('notifications.none')}</p>
          ) : (
            <ul>
              {items.map((n) => (
                <li key={n.id} className={n.readAt ? '' : 'notifications__item--unread'} data-testid="notification">
                  <p>{n.link ? <Link to={n.link} onClick={() => setOpen(false)}>{n.summary}</Link> : n.summary}</p>
                  <span className="muted small">{formatDateTime(n.createdAt, i18n.language)}</span>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
