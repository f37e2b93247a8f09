import { useEffect, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { Header } from './ui/Header.tsx';
import { Button } from './ui/forms.tsx';
import { errorText } from './i18n/errorText.ts';
import {
  AccountPage,
  AuditPage,
  BinPage,
  CoveragePage,
  ExportPage,
  InvitePage,
  LazyPages,
  MembersPage,
  PlanHistoryPage,
  PlanPage,
  PlansPage,
  ProgressPage,
  AdoptionPage,
  PublicRecordPage,
  RecommendationsPage,
  ResetPasswordPage,
  preloadSignedInPages,
} from './lazyPages.tsx';
// The pages someone sees before signing in stay in the entry chunk: they are small, and the
// sign-in page should paint without a second round trip.
import { NotFoundPage } from './pages/NotFoundPage.tsx';
import { SetupPage } from './pages/SetupPage.tsx';
import { SignInPage } from './pages/SignInPage.tsx';
import { SessionProvider, useSession } from './session/SessionContext.tsx';

export function App() {
  return (
    <SessionProvider>
      <Header />
      <Gate>
        <Routes>
          <Route path="/setup" element={<SetupPage />} />
          <Route path="/sign-in" element={<SignInPage />} />
          <Route path="/invite/:token" element={<InvitePage />} />
          <Route path="/reset-password/:token" element={<ResetPasswordPage />} />
          <Route path="/" element={<RequireSignIn><PlansPage /></RequireSignIn>} />
          <Route path="/account" element={<RequireSignIn><AccountPage /></RequireSignIn>} />
          <Route path="/plans/:planId" element={<RequireSignIn><PlanPage /></RequireSignIn>} />
          <Route path="/plans/:planId/sections/:sectionId" element={<RequireSignIn><PlanPage /></RequireSignIn>} />
          <Route path="/plans/:planId/sections/:sectionId/history" element={<RequireSignIn><PlanPage view="history" /></RequireSignIn>} />
          <Route path="/plans/:planId/history" element={<RequireSignIn><PlanHistoryPage /></RequireSignIn>} />
          <Route path="/plans/:planId/audit" element={<RequireSignIn><AuditPage /></RequireSignIn>} />
          <Route path="/plans/:planId/bin" element={<RequireSignIn><BinPage /></RequireSignIn>} />
          <Route path="/plans/:planId/export" element={<RequireSignIn><ExportPage /></RequireSignIn>} />
          <Route path="/plans/:planId/members" element={<RequireSignIn><MembersPage /></RequireSignIn>} />
          <Route path="/plans/:planId/recommendations" element={<RequireSignIn><RecommendationsPage /></RequireSignIn>} />
          <Route path="/plans/:planId/coverage" element={<RequireSignIn><CoveragePage /></RequireSignIn>} />
          <Route path="/plans/:planId/progress" element={<RequireSignIn><ProgressPage /></RequireSignIn>} />
          <Route path="/plans/:planId/adopt" element={<RequireSignIn><AdoptionPage /></RequireSignIn>} />
          <Route path="/plans/:planId/public-record" element={<RequireSignIn><PublicRecordPage /></RequireSignIn>} />
          <Route path="*" element={<NotFoundPage />} />
        </Routes>
      </Gate>
    </SessionProvider>
  );
}

/** Loads the session; while the instance needs setup, every route leads to /setup. */
function Gate({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const { state, reload } = useSession();
  const location = useLocation();

  if (state.status === 'loading') {
    return (
      <main id="main" className="page page--center">
        <p className="muted" role="status">
          {t('common.loading')}
        </p>
      </main>
    );
  }
  if (state.status === 'error') {
    return (
      <main id="main" className="page page--narrow">
        <h1>{t('errors.loadFailedTitle')}</h1>
        <p>{errorText(t, state.error.code, state.error.params)}</p>
        <Button onClick={() => void reload()}>{t('common.tryAgain')}</Button>
      </main>
    );
  }
  if (state.needsSetup && location.pathname !== '/setup') return <Navigate to="/setup" replace />;
  if (!state.needsSetup && location.pathname === '/setup') return <Navigate to="/" replace />;
  // Most pages are fetched on demand (lazyPages.tsx): a loading state while their code arrives.
  return <LazyPages>{children}</LazyPages>;
}

function RequireSignIn({ children }: { children: ReactNode }) {
  const { state } = useSession();
  const location = useLocation();
  const signedIn = state.status === 'ready' && !!state.me;
  useEffect(() => {
    if (signedIn) preloadSignedInPages();
  }, [signedIn]);
  if (state.status === 'ready' && !state.me) {
    const next = location.pathname + location.search;
    return <Navigate to={`/sign-in?next=${encodeURIComponent(next)}`} replace />;
  }
  return <>{children}</>;
}
