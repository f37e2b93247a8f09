import { useEffect, useId, useRef, useState } from 'react';
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { trustApi } from '../../api/index.ts';
import { queryKeys } from '../../api/queries.ts';

import { NOTIFICATIONS_PAGE, type Notification } from '../../../shared/api/index.ts';
import { formatDateTime } from '../../i18n/format.ts';
import { Button } from '../../ui/forms.tsx';
import { noticeText } from './noticeText.ts';

/** How often the header asks for new notices when no plan page is open to announce them. */
const POLL_MS = 30_000;

/**
 * The person's notices (e.g. "your signature was withdrawn when … edited", "… mentioned you"), with
 * the number not yet read on the button. A notice is marked read when its link is followed, or
 * all at once with "Mark all read"; opening the list only shows them. On a plan page the live
 * `notifications` event invalidates this query (client/api/liveEvents.ts); elsewhere it polls.
 * The newest page comes first; "Show older notices" at the end of the list brings the page before
 * it, so every notice can be reached however many there are.
 */
export function NotificationsMenu() {
  const { t, i18n } = useTranslation();
  const listId = useId();
  const [open, setOpen] = useState(false);
  const [failed, setFailed] = useState(false);
  const [olderFailed, setOlderFailed] = useState(false);
  const wrapper = useRef<HTMLDivElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const queryClient = useQueryClient();
  // Signed out or offline: the list stays as it was (a failed refetch keeps the last data).
  const { data, hasNextPage, fetchNextPage, isFetchingNextPage } = useInfiniteQuery({
    queryKey: queryKeys.notifications(),
    queryFn: ({ pageParam }) => trustApi.notifications(pageParam),
    initialPageParam: undefined as string | undefined,
    // A full page may have older notices after it; a shorter one is the last.
    getNextPageParam: (page) => (page.length < NOTIFICATIONS_PAGE ? undefined : page[page.length - 1]!.id),
    refetchInterval: POLL_MS,
  });
  const items = data?.pages.flat() ?? [];
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
  // The oldest notice shown is unread and older ones are not loaded yet: there may be more unread.
  const atLeast = hasNextPage && items.length > 0 && items[items.length - 1]!.readAt === null;

  // Where reading goes on once an older page is shown: the index of its first notice. Focus moves
  // when those rows are rendered, not when the fetch resolves: the query tells React on a timer of
  // its own, so a frame scheduled after the fetch could still find the rows missing.
  const focusFrom = useRef<number | null>(null);
  useEffect(() => {
    const from = focusFrom.current;
    if (from === null || items.length <= from) return;
    focusFrom.current = null;
    const first = listRef.current?.children[from] as HTMLElement | undefined;
    (first?.querySelector<HTMLElement>('a') ?? first)?.focus();
  }, [items.length]);

  /** The next older page; focus goes to its first notice, where reading goes on. */
  async function showOlder() {
    const from = items.length;
    const pages = data?.pages.length ?? 0;
    focusFrom.current = from;
    let result = await fetchNextPage();
    // A refresh of the list that starts meanwhile (a live notice, the poll) takes the older page's
    // place and brings back only the pages already shown: ask again rather than leave the person
    // pressing a button that did nothing.
    for (let again = 0; again < 3 && !result.isError && result.hasNextPage && (result.data?.pages.length ?? 0) <= pages; again++) {
      result = await fetchNextPage();
    }
    setOlderFailed(result.isFetchNextPageError);
    // Nothing older after all (the last page was exactly full): no focus to move later.
    if (result.isFetchNextPageError || (result.data?.pages.flat().length ?? 0) <= from) focusFrom.current = null;
  }

  async function markRead(ids?: string[]) {
    try {
      await trustApi.markNotificationsRead(ids);
      setFailed(false);
    } catch {
      setFailed(true);
    }
    await queryClient.invalidateQueries({ queryKey: queryKeys.notifications() });
  }

  function follow(n: Notification) {
    setOpen(false);
    if (n.readAt === null) void markRead([n.id]);
  }

  return (
    <div className="notifications" ref={wrapper}>
      <button
        type="button"
        className="button button--secondary notifications__button"
        aria-expanded={open}
        aria-controls={listId}
        onClick={() => setOpen((o) => !o)}
        data-testid="notifications-button"
        data-unread={unread}
      >
        {t('notifications.button')}
        {unread > 0 && (
          <span className="notifications__count" data-testid="notifications-count">
            <span aria-hidden="true">
              {unread}
              {atLeast && '+'}
            </span>
            <span className="visually-hidden">{t(atLeast ? 'notifications.unreadAtLeast' : 'notifications.unread', { count: unread })}</span>
          </span>
        )}
      </button>
      {open && (
        <div id={listId} className="notifications__list" role="region" aria-label={t('notifications.heading')} data-testid="notifications-list">
          <div className="notifications__head">
            <h2 className="notifications__heading">{t('notifications.heading')}</h2>
            {unread > 0 && (
              <button type="button" className="button button--link small" onClick={() => void markRead()} data-testid="notifications-mark-all-read">
                {t('notifications.markAllRead')}
              </button>
            )}
          </div>
          {failed && (
            <p className="field__error" role="alert">
              {t('notifications.markFailed')}
            </p>
          )}
          {items.length === 0 ? (
            <p className="muted small">{t('notifications.none')}</p>
          ) : (
            <ul ref={listRef}>
              {items.map((n) => (
                <li key={n.id} className={n.readAt ? '' : 'notifications__item--unread'} data-testid="notification" data-read={n.readAt !== null} tabIndex={-1}>
                  <p>
                    {n.readAt === null && <span className="visually-hidden">{t('notifications.unreadMark')} </span>}
                    {n.link ? <Link to={n.link} onClick={() => follow(n)}>{noticeText(n, t, i18n.language)}</Link> : noticeText(n, t, i18n.language)}
                  </p>
                  <span className="muted small">{formatDateTime(n.createdAt, i18n.language)}</span>
                </li>
              ))}
            </ul>
          )}
          {olderFailed && (
            <p className="field__error" role="alert">
              {t('notifications.olderFailed')}
            </p>
          )}
          {hasNextPage && (
            <Button variant="link" className="small notifications__older" busy={isFetchingNextPage} onClick={() => void showOlder()} data-testid="notifications-older">
              {t('notifications.older')}
            </Button>
          )}
        </div>
      )}
    </div>
  );
}
