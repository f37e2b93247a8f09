import { Component, lazy, Suspense, type ComponentType, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation } from 'react-router';
import { Button } from './ui/forms.tsx';

/*
 * Route-level code splitting (issue #12). The app shell (App.tsx, the header, the session, the
 * sign-in, set-up and not-found pages) is in the entry chunk; every page behind sign-in or a
 * link token is its own chunk, fetched when its route is first rendered. That keeps TipTap,
 * ProseMirror, Yjs, the import wizard and the export page out of what the sign-in page loads.
 * `bench/chunks.ts` and `tests/unit/bundle-size.test.ts` measure and guard it.
 */

const loaders = {
  // The pages export named components; React.lazy wants a default export.
  PlansPage: () => import('./pages/PlansPage.tsx').then((m) => m.PlansPage),
  PlanPage: () => import('./pages/PlanPage.tsx').then((m) => m.PlanPage),
  PlanHistoryPage: () => import('./pages/PlanHistoryPage.tsx').then((m) => m.PlanHistoryPage),
  AuditPage: () => import('./pages/AuditPage.tsx').then((m) => m.AuditPage),
  BinPage: () => import('./pages/BinPage.tsx').then((m) => m.BinPage),
  ExportPage: () => import('./pages/ExportPage.tsx').then((m) => m.ExportPage),
  MembersPage: () => import('./pages/MembersPage.tsx').then((m) => m.MembersPage),
  RecommendationsPage: () => import('./pages/RecommendationsPage.tsx').then((m) => m.RecommendationsPage),
  CoveragePage: () => import('./pages/CoveragePage.tsx').then((m) => m.CoveragePage),
  ProgressPage: () => import('./pages/ProgressPage.tsx').then((m) => m.ProgressPage),
  AdoptionPage: () => import('./pages/AdoptionPage.tsx').then((m) => m.AdoptionPage),
  PublicRecordPage: () => import('./pages/PublicRecordPage.tsx').then((m) => m.PublicRecordPage),
  InvitePage: () => import('./pages/InvitePage.tsx').then((m) => m.InvitePage),
  ResetPasswordPage: () => import('./pages/ResetPasswordPage.tsx').then((m) => m.ResetPasswordPage),
  AccountPage: () => import('./pages/AccountPage.tsx').then((m) => m.AccountPage),
};

const asLazy = <P,>(load: () => Promise<ComponentType<P>>) => lazy(() => load().then((C) => ({ default: C })));

export const PlansPage = asLazy(loaders.PlansPage);
export const PlanPage = asLazy(loaders.PlanPage);
export const PlanHistoryPage = asLazy(loaders.PlanHistoryPage);
export const AuditPage = asLazy(loaders.AuditPage);
export const BinPage = asLazy(loaders.BinPage);
export const ExportPage = asLazy(loaders.ExportPage);
export const MembersPage = asLazy(loaders.MembersPage);
export const RecommendationsPage = asLazy(loaders.RecommendationsPage);
export const CoveragePage = asLazy(loaders.CoveragePage);
export const ProgressPage = asLazy(loaders.ProgressPage);
export const AdoptionPage = asLazy(loaders.AdoptionPage);
export const PublicRecordPage = asLazy(loaders.PublicRecordPage);
export const InvitePage = asLazy(loaders.InvitePage);
export const ResetPasswordPage = asLazy(loaders.ResetPasswordPage);
export const AccountPage = asLazy(loaders.AccountPage);

let preloaded = false;

/**
 * Fetches the signed-in pages' chunks once the browser is idle, after a signed-in page has painted.
 * Before splitting, one bundle held every page, so someone who lost the connection could still
 * move to any page (the service worker caches every asset it fetched). Warming the chunks keeps
 * that true without putting them back on the sign-in page's critical path. A failure here is
 * ignored: opening that page later shows its own loading state, or "Could not load this page".
 */
export function preloadSignedInPages() {
  if (preloaded || typeof window === 'undefined') return;
  preloaded = true;
  const run = () => {
    for (const load of Object.values(loaders)) load().catch(() => undefined);
  };
  if ('requestIdleCallback' in window) window.requestIdleCallback(run, { timeout: 5_000 });
  else setTimeout(run, 2_000);
}

/** Shown while a page's chunk is fetched: the same place and look as the session's loading state. */
export function PageLoading() {
  const { t } = useTranslation();
  return (
    <main id="main" className="page page--center page-loading" data-testid="page-loading">
      <p className="muted" role="status">
        {t('common.loadingPage')}
      </p>
    </main>
  );
}

/** A page whose chunk cannot be fetched (offline before it was ever opened, or a new version was
 *  deployed and the old file is gone) says so and offers a reload instead of a blank screen. */
function PageLoadFailed() {
  const { t } = useTranslation();
  return (
    <main id="main" className="page page--narrow" data-testid="page-load-failed">
      <h1>{t('errors.loadFailedTitle')}</h1>
      <p role="alert">{t('errors.pageCodeFailed')}</p>
      <Button onClick={() => window.location.reload()} data-testid="page-load-retry">
        {t('common.tryAgain')}
      </Button>
    </main>
  );
}

class ChunkErrorBoundary extends Component<{ children: ReactNode; resetKey: string }, { failed: boolean; key: string }> {
  override state = { failed: false, key: this.props.resetKey };

  static getDerivedStateFromProps(props: { resetKey: string }, state: { failed: boolean; key: string }) {
    // Moving to another page gives that page its own chance to load.
    return props.resetKey === state.key ? null : { failed: false, key: props.resetKey };
  }

  static getDerivedStateFromError() {
    return { failed: true };
  }

  override render() {
    return this.state.failed ? <PageLoadFailed /> : this.props.children;
  }
}

/** Wraps the routes: a fallback while a page's code arrives, and a clear message if it cannot. */
export function LazyPages({ children }: { children: ReactNode }) {
  const location = useLocation();
  return (
    <ChunkErrorBoundary resetKey={location.pathname}>
      <Suspense fallback={<PageLoading />}>{children}</Suspense>
    </ChunkErrorBoundary>
  );
}
