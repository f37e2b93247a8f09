import { useTranslation } from 'react-i18next';
import { CloseCode } from '../../shared/protocol.ts';
import type { ConnectionStatus } from '../sync/sectionConnection.ts';
import { Button } from '../ui/forms.tsx';

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

/** The always-visible save/connection line: icon + text, announced politely when it changes. */
export function ConnectionStatusView({ status, onRetry }: { status: ConnectionStatus; onRetry?: () => void }) {
  const { t } = useTranslation();
  const closed = status.closed;
  return (
    <div className={`conn-status conn-status--${status.state}`} data-testid="connection-status" data-state={status.state}>
      <span className="conn-status__line" role="status" aria-live="polite">
        <Icon state={status.state} />
        <span className="conn-status__text">
          {closed ? t('sync.status.closed', { reason: t(closed.reasonKey) }) : t(`sync.status.${status.state}`)}
        </span>
      </span>
      {closed && (closed.code === CloseCode.OutdatedClient || closed.code === CloseCode.EditRefused) && (
        <Button variant="link" onClick={() => window.location.reload()}>
          {t('sync.reload')}
        </Button>
      )}
      {closed && closed.code === CloseCode.Unauthenticated && (
        <a href={`/sign-in?next=${encodeURIComponent(window.location.pathname)}`}>{t('sync.signInAgain')}</a>
      )}
      {closed && onRetry && closed.code !== CloseCode.OutdatedClient && closed.code !== CloseCode.EditRefused && closed.code !== CloseCode.Unauthenticated && closed.code !== CloseCode.Forbidden && closed.code !== CloseCode.SectionDeleted && (
        <Button variant="link" onClick={onRetry}>
          {t('common.tryAgain')}
        </Button>
      )}
    </div>
  );
}
