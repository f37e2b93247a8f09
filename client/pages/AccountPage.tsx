import { useTranslation } from 'react-i18next';
import { useMe } from '../session/SessionContext.tsx';
import { useDocumentTitle } from '../ui/useDocumentTitle.ts';
import { ChangePasswordForm } from '../features/account/ChangePasswordForm.tsx';
import { SessionsPanel } from '../features/account/SessionsPanel.tsx';
import { TrustedBrowsersPanel } from '../features/account/TrustedBrowsersPanel.tsx';

/**
 * The signed-in person's own account: their password, where they are signed in, and which
 * browsers Accord recognises for them. For someone whose laptop may be taken or whose password
 * may leak, this is where they shut others out.
 */
export function AccountPage() {
  const { t } = useTranslation();
  const me = useMe();
  useDocumentTitle(t('account.title'));
  return (
    <main id="main" className="page page--narrow account-page">
      <h1>{t('account.title')}</h1>
      <p className="lead" data-testid="account-who">
        {t('account.who', { name: me.user.name, email: me.user.email, organisation: me.organisation.name })}
      </p>
      <section className="panel account-panel" aria-labelledby="account-password">
        <h2 id="account-password">{t('account.password.title')}</h2>
        <p className="muted">{t('account.password.intro')}</p>
        <ChangePasswordForm email={me.user.email} />
      </section>
      <SessionsPanel />
      <TrustedBrowsersPanel />
    </main>
  );
}
