import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { NotificationsMenu } from '../features/notifications/NotificationsMenu.tsx';
import { Link, useLocation, useNavigate } from 'react-router';
import { useSession } from '../session/SessionContext.tsx';
import { SideBadge } from './badges.tsx';
import { Button } from './forms.tsx';
import { LanguageSwitch } from './LanguageSwitch.tsx';
import { COMPACT_HEADER_QUERY, useMediaQuery } from './useMediaQuery.ts';

export function Header() {
  const { t } = useTranslation();
  const { state, signOut } = useSession();
  const navigate = useNavigate();
  const [busy, setBusy] = useState(false);
  const me = state.status === 'ready' ? state.me : null;
  // On a phone the header is one line (the app's name, Notices and a Menu button): the language,
  // the person's name and organisation and Sign out wrapped onto four more lines above every page,
  // a third of the screen over the section being written. They are one tap away, under Menu.
  const compact = useMediaQuery(COMPACT_HEADER_QUERY);
  const [menuOpen, setMenuOpen] = useState(false);
  const menuId = useId();
  const { pathname } = useLocation();
  // The Menu belongs to the page it was opened on: moving to another page closes it. That page is
  // the address when it opened, not the page drawn then: the router draws a new page only once its
  // code has arrived, so just after signing in on a slow connection the address already says "/"
  // while the sign-in page still shows. A Menu opened then is the plans list's, and that list
  // appearing must not close it.
  const openedOn = useRef<string | null>(null);
  useEffect(() => {
    if (pathname !== openedOn.current) setMenuOpen(false);
  }, [pathname]);
  const toggleMenu = () => {
    openedOn.current = window.location.pathname;
    setMenuOpen((open) => !open);
  };
  const toolsShown = !compact || menuOpen;

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
        {compact && (
          <div className="site-header__compact">
            {me && <NotificationsMenu />}
            <button
              type="button"
              className="button button--secondary site-header__menu-toggle"
              aria-expanded={menuOpen}
              aria-controls={menuId}
              onClick={toggleMenu}
              data-testid="header-menu-toggle"
            >
              {t('header.menu')}
            </button>
          </div>
        )}
        <div id={menuId} className="site-header__tools" hidden={!toolsShown} data-testid="header-tools">
          <LanguageSwitch />
          {me && (
            <div className="site-header__account" data-testid="header-account">
              {!compact && <NotificationsMenu />}
              <span className="site-header__person">
                <span className="visually-hidden">{t('header.signedInAs')} </span>
                <strong data-testid="header-name">{me.user.name}</strong>
                <span className="site-header__org">
                  {me.organisation.name} <SideBadge side={me.organisation.side} />
                </span>
              </span>
              {/* One's password, sessions and trusted browsers. */}
              <Link to="/account" className="button button--secondary site-header__account-link" data-testid="header-account-link" aria-current={pathname === '/account' ? 'page' : undefined}>
                {t('header.account')}
              </Link>
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
