import { useTranslation } from 'react-i18next';
import type { TrustedBrowser } from '../../../shared/api/index.ts';
import { Limits } from '../../../shared/limits.ts';
import { api } from '../../api/index.ts';
import { queryKeys, useInvalidate, useTrustedBrowsersQuery } from '../../api/queries.ts';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { Button, FormError, describeError } from '../../ui/forms.tsx';
import { LiveRegion, useAnnouncer } from '../../ui/LiveRegion.tsx';
import { useFormat } from '../../i18n/format.ts';
import { useOffline } from '../../sync/connectivity.ts';
import { NotLoadedNote, OfflineNote } from '../../sync/OfflineNote.tsx';
import { deviceWords } from './browserName.ts';
import { useConfirmedRemoval } from './useConfirmedRemoval.ts';

/**
 * The browsers Accord recognises for the account (server/auth/trustedDevices.ts): each signed in
 * with the right password before, so someone guessing the password elsewhere does not slow its
 * sign-in. Shown apart from the sessions because it outlives them (a browser signed out is still
 * recognised) and a lost laptop should lose both; said in plain words, with "Forget" asking first.
 * Offline, the list last loaded stays and forgetting waits for the connection, saying so.
 */
export function TrustedBrowsersPanel() {
  const { t } = useTranslation();
  const format = useFormat();
  const invalidate = useInvalidate();
  const offline = useOffline();
  const query = useTrustedBrowsersQuery();
  const browsers = query.data?.browsers ?? null;
  const { message, announce } = useAnnouncer();
  const forgetting = useConfirmedRemoval<TrustedBrowser>(
    async (browser) => {
      await api.forgetTrustedBrowser(browser.id);
      announce(t('account.browsers.forgotten', { device: deviceWords(browser.userAgent, t) }));
    },
    () => invalidate(queryKeys.trustedBrowsers()),
  );
  const asking = forgetting.asking;

  return (
    <section className="panel account-panel" aria-labelledby="account-browsers" data-testid="account-browsers">
      <h2 id="account-browsers">{t('account.browsers.title')}</h2>
      <p className="muted">{t('account.browsers.intro', { days: Limits.trustedDeviceDays })}</p>
      <LiveRegion message={message} testId="browsers-announcer" />
      {query.error && <FormError message={describeError(query.error, t).message} />}
      {!browsers && !query.error && <NotLoadedNote failure={query.failureReason} testId="browsers-not-loaded" />}
      {browsers && browsers.length === 0 && <p className="muted">{t('account.browsers.none')}</p>}
      {browsers && browsers.length > 0 && <OfflineNote testId="browsers-offline" />}
      {browsers && browsers.length > 0 && (
        <ul className="account-list" data-testid="browser-list">
          {browsers.map((b) => (
            <li key={b.id} className="account-list__item" data-testid="trusted-browser">
              <div className="account-list__what">
                <strong>{deviceWords(b.userAgent, t)}</strong>
                {b.current && (
                  <span className="badge badge--role" data-testid="this-trusted-browser">
                    {t('account.sessions.thisBrowser')}
                  </span>
                )}
                <span className="muted small account-list__when">
                  {t('account.browsers.since', { first: format.date(b.createdAt), last: format.dateTime(b.lastUsedAt) })}
                </span>
              </div>
              <Button variant="secondary" className="button--small" disabled={offline} onClick={() => forgetting.ask(b)} data-testid="forget-browser">
                {t('account.browsers.forget')}
              </Button>
            </li>
          ))}
        </ul>
      )}
      <ConfirmDialog {...forgetting.dialog} title={t('account.browsers.confirmTitle')} confirmLabel={t('account.browsers.forget')} testId="forget-browser-dialog">
        <p>{asking && t('account.browsers.confirm', { device: deviceWords(asking.userAgent, t) })}</p>
      </ConfirmDialog>
    </section>
  );
}
