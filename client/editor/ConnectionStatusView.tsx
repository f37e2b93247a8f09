import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { CloseCode } from '../../shared/protocol.ts';
import type { ConnectionState, ConnectionStatus } from '../sync/sectionConnection.ts';
import { Button } from '../ui/forms.tsx';
import { LiveRegion, useAnnouncer } from '../ui/LiveRegion.tsx';

const TROUBLE: ReadonlySet<ConnectionState> = new Set(['offline', 'failing', 'closed']);

/**
 * Which changes of the status line are read out. Not "Saving…" → "Saved" after every few
 * keystrokes (a screen reader would talk over the person's typing), but the transitions that
 * matter: the connection or the server's storage failing, the section closing, and "Saved" once
 * everything is safe again after such a problem. `troubled`: a problem was announced and no
 * "Saved" since.
 */
export function connectionAnnouncement(previous: ConnectionState | null, next: ConnectionState, troubled: boolean): 'announce' | 'silent' {
  if (previous === next) return 'silent';
  if (TROUBLE.has(next)) return 'announce';
  return next === 'saved' && troubled ? 'announce' : 'silent';
}

function Icon({ state }: { state: ConnectionStatus['state'] }) {
  const common = { width: 16, height: 16, viewBox: '0 0 16 16', 'aria-hidden': true, focusable: false } as const;
  switch (state) {
    case 'saved':
      return (
        <svg {...common}>
          <path d="M3 8.5l3 3 7-7" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" />
        </svg>
      );
    case 'saving':
    case 'connecting':
      return (
        <svg {...common} className="icon-spin">
          <circle cx="8" cy="8" r="6" fill="none" stroke="currentColor" strokeWidth="2" strokeDasharray="28 10" />
        </svg>
      );
    case 'offline':
      return (
        <svg {...common}>
          <circle cx="8" cy="8" r="6" fill="none" stroke="currentColor" strokeWidth="2" />
          <path d="M3.5 12.5l9-9" stroke="currentColor" strokeWidth="2" />
        </svg>
      );
    case 'failing':
      return (
        <svg {...common}>
          <path d="M8 1.5l7 13H1z" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinejoin="round" />
          <path d="M8 6v4M8 12v.5" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
        </svg>
      );
    case 'closed':
      return (
        <svg {...common}>
          <circle cx="8" cy="8" r="6.5" fill="none" stroke="currentColor" strokeWidth="1.6" />
          <path d="M5.5 5.5l5 5M10.5 5.5l-5 5" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
        </svg>
      );
  }
}

/** The always-visible save/connection line: icon + text; problems and recovery are announced politely. */
export function ConnectionStatusView({ status, onRetry }: { status: ConnectionStatus; onRetry?: () => void }) {
  const { t } = useTranslation();
  const closed = status.closed;
  const text = closed ? t('sync.status.closed', { reason: t(closed.reasonKey) }) : t(`sync.status.${status.state}`);
  const { message, announce } = useAnnouncer();
  const previous = useRef<ConnectionState | null>(null);
  const troubled = useRef(false);
  useEffect(() => {
    if (connectionAnnouncement(previous.current, status.state, troubled.current) === 'announce') {
      announce(text);
      troubled.current = TROUBLE.has(status.state);
    }
    previous.current = status.state;
  }, [status.state, text, announce]);
  return (
    <div className={`conn-status conn-status--${status.state}`} data-testid="connection-status" data-state={status.state}>
      <span className="conn-status__line">
        <Icon state={status.state} />
        <span className="conn-status__text">{text}</span>
      </span>
      <LiveRegion message={message} testId="connection-announcement" />
      {closed && (closed.code === CloseCode.OutdatedClient || closed.code === CloseCode.EditRefused || closed.code === CloseCode.SuggestionLimit) && (
        <Button variant="link" onClick={() => window.location.reload()}>
          {t('sync.reload')}
        </Button>
      )}
      {closed && closed.code === CloseCode.Unauthenticated && (
        <a href={`/sign-in?next=${encodeURIComponent(window.location.pathname)}`}>{t('sync.signInAgain')}</a>
      )}
      {closed && onRetry && closed.code !== CloseCode.OutdatedClient && closed.code !== CloseCode.EditRefused && closed.code !== CloseCode.SuggestionLimit && closed.code !== CloseCode.Unauthenticated && closed.code !== CloseCode.Forbidden && closed.code !== CloseCode.SectionDeleted && (
        <Button variant="link" onClick={onRetry}>
          {t('common.tryAgain')}
        </Button>
      )}
    </div>
  );
}
