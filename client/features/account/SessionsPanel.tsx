import { useTranslation } from 'react-i18next';
import type { AccountSession } from '../../../shared/api/index.ts';
import { api } from '../../api/index.ts';
import { queryKeys, useInvalidate, useSessionsQuery } from '../../api/queries.ts';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { Button, FormError, describeError } from '../../ui/forms.tsx';
import { LiveRegion, useAnnouncer } from '../../ui/LiveRegion.tsx';
import { useFormat } from '../../i18n/format.ts';
import { useOffline } from '../../sync/connectivity.ts';
import { NotLoadedNote, OfflineNote } from '../../sync/OfflineNote.tsx';
import { deviceWords } from './browserName.ts';
import { useConfirmedRemoval } from './useConfirmedRemoval.ts';

type Ending = { kind: 'one'; session: AccountSession } | { kind: 'others'; count: number };

/**
 * Where the account is signed in now: each session with its browser, when it signed in and was
 * last used; this browser marked. Signing one out, or all but this one, asks first and takes
 * effect at once: their open pages lose their connection and ask for the password. Offline, the
 * list last loaded stays and signing out waits for the connection, saying so.
 */
export function SessionsPanel() {
  const { t } = useTranslation();
  const format = useFormat();
  const invalidate = useInvalidate();
  const offline = useOffline();
  const query = useSessionsQuery();
  const sessions = query.data?.sessions ?? null;
  const { message, announce } = useAnnouncer();
  const others = sessions?.filter((s) => !s.current) ?? [];
  const ending = useConfirmedRemoval<Ending>(
    async (what) => {
      if (what.kind === 'one') {
        await api.endSession(what.session.id);
        announce(t('account.sessions.endedOne', { device: deviceWords(what.session.userAgent, t) }));
      } else {
        const { ended } = await api.endOtherSessions();
        announce(t('account.sessions.endedOthers', { count: ended }));
      }
    },
    () => invalidate(queryKeys.sessions()),
  );
  const asking = ending.asking;

  return (
    <section className="panel account-panel" aria-labelledby="account-sessions" data-testid="account-sessions">
      <h2 id="account-sessions">{t('account.sessions.title')}</h2>
      <p className="muted">{t('account.sessions.intro')}</p>
      <LiveRegion message={message} testId="sessions-announcer" />
      {query.error && <FormError message={describeError(query.error, t).message} />}
      {!sessions && !query.error && <NotLoadedNote failure={query.failureReason} testId="sessions-not-loaded" />}
      {others.length > 0 && <OfflineNote testId="sessions-offline" />}
      {sessions && (
        <ul className="account-list" data-testid="session-list">
          {sessions.map((s) => (
            <li key={s.id} className="account-list__item" data-testid="session" data-current={s.current || undefined}>
              <div className="account-list__what">
                <strong>{deviceWords(s.userAgent, t)}</strong>
                {s.current && (
                  <span className="badge badge--role account-list__this" data-testid="this-browser">
                    {t('account.sessions.thisBrowser')}
                  </span>
                )}
                <span className="muted small account-list__when">
                  {t('account.sessions.signedIn', { when: format.dateTime(s.createdAt) })}
                  {' · '}
                  {s.lastUsedAt ? t('account.sessions.lastUsed', { when: format.dateTime(s.lastUsedAt) }) : t('account.sessions.lastUsedUnknown')}
                </span>
              </div>
              {!s.current && (
                <Button variant="secondary" className="button--small" disabled={offline} onClick={() => ending.ask({ kind: 'one', session: s })} data-testid="end-session">
                  {t('account.sessions.signOut')}
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
      {others.length > 0 && (
        <p>
          <Button variant="danger" disabled={offline} onClick={() => ending.ask({ kind: 'others', count: others.length })} data-testid="end-other-sessions">
            {t('account.sessions.signOutOthers')}
          </Button>
        </p>
      )}
      {sessions && others.length === 0 && (
        <p className="muted" data-testid="no-other-sessions">
          {t('account.sessions.noOthers')}
        </p>
      )}
      <ConfirmDialog
        {...ending.dialog}
        title={asking?.kind === 'others' ? t('account.sessions.confirmOthersTitle') : t('account.sessions.confirmOneTitle')}
        confirmLabel={asking?.kind === 'others' ? t('account.sessions.signOutOthers') : t('account.sessions.signOut')}
        testId="end-session-dialog"
      >
        <p>
          {asking?.kind === 'one' && t('account.sessions.confirmOne', { device: deviceWords(asking.session.userAgent, t), when: format.dateTime(asking.session.createdAt) })}
          {asking?.kind === 'others' && t('account.sessions.confirmOthers', { count: asking.count })}
        </p>
        <p>{t('account.sessions.confirmWhy')}</p>
      </ConfirmDialog>
    </section>
  );
}
