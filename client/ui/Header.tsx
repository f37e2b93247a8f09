import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { NotificationsMenu } from '../features/notifications/NotificationsMenu.tsx';
import { Link, useNavigate } from 'react-router';
import { useSession } from '../session/SessionContext.tsx';
import { SideBadge } from './badges.tsx';
import { Button } from './forms.tsx';
import { LanguageSwitch } from './LanguageSwitch.tsx';

export function Header() {
  const { t } = useTranslation();
  const { state, signOut } = useSession();
  const navigate = useNavigate();
  const [busy, setBusy] = useState(false);
  const me = state.status === 'ready' ? state.me : null;

  return (
    <header className="site-header">
      <a className="skip-link" href="#main">
        {t('common.skipToContent')}
      </a>
      <div className="site-header__inner">
        <Link to="/" className="site-header__brand">
          {t('app.name')}
          <span className="site-header__tagline">{t('app.tagline')}</span>
        </Link>
        <div className="site-header__tools">
          <LanguageSwitch />
          {me && (
            <div className="site-header__account" data-testid="header-account">
              <NotificationsMenu />
              <span className="site-header__person">
                <span className="visually-hidden">{t('header.signedInAs')} </span>
                <strong data-testid="header-name">{me.user.name}</strong>
                <span className="site-header__org">
                  {me.organisation.name} <SideBadge side={me.organisation.side} />
                </span>
              </span>
              <Button
                variant="secondary"
                busy={busy}
                data-testid="sign-out"
                onClick={async () => {
                  setBusy(true);
                  try {
                    await signOut();
                  } finally {
                    setBusy(false);
                    navigate('/sign-in');
                  }
                }}
              >
                {t('header.signOut')}
              </Button>
            </div>
          )}
        </div>
      </div>
    </header>
  );
}
