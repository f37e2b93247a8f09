import { useLayoutEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, NavLink, useLocation } from 'react-router';
import type { ActionStatus, Position, RecommendationKind, Role } from '../../../shared/api/index.ts';
import { asApiError, usePlanOutlineQuery } from '../../api/queries.ts';
import { ProgressNavItem } from '../monitoring/ProgressNavItem.tsx';

/** Glyphs so a position is never told by colour alone (the text is always there too). */
const POSITION_GLYPH: Record<Position, string> = {
  supported: '✓',
  supported_in_part: '◐',
  noted: '–',
  pending: '…',
};

/** The State's position; for a voluntary pledge (the State's own commitment), that it is one. */
export function PositionBadge({ position, kind = 'recommendation' }: { position: Position; kind?: RecommendationKind }) {
  const { t } = useTranslation();
  return (
    <>
      {kind === 'pledge' && (
        <span className="badge badge--pledge" data-kind="pledge">
          {t('recs.kind.pledge')}
        </span>
      )}{' '}
      <span className={`badge badge--pos badge--pos-${position}`} data-position={position}>
        <span aria-hidden="true">{POSITION_GLYPH[position]} </span>
        {t(`position.${position}`)}
      </span>
    </>
  );
}

export function StatusBadge({ status }: { status: ActionStatus }) {
  const { t } = useTranslation();
  return <span className={`badge badge--status badge--status-${status}`}>{t(`actionStatus.${status}`)}</span>;
}

export function mechanismLabel(t: (k: string, o?: Record<string, unknown>) => string, mechanism: string): string {
  return t(`mechanism.${mechanism}`, { defaultValue: mechanism });
}

/** A labelled progress bar (native <progress>, announced politely). */
export function ProgressBar({ label, value, max, testId }: { label: string; value: number; max: number; testId?: string }) {
  const pct = max > 0 ? Math.min(100, Math.round((value / max) * 100)) : 0;
  return (
    <div className="progress" data-testid={testId}>
      <div className="progress__label" aria-live="polite">
        {label} <span className="muted">({pct}%)</span>
      </div>
      <progress value={max > 0 ? value : undefined} max={max > 0 ? max : undefined} aria-label={label} />
    </div>
  );
}

/** Tabs between the plan's views, for pages outside the drafting layout. */
/** What a plan page shows when the plan does not exist or the person is not (or no longer) a member. */
export function PlanNotFound() {
  const { t } = useTranslation();
  return (
    <main id="main" className="page page--narrow">
      <h1>{t('plan.notFoundTitle')}</h1>
      <p>{t('plan.notFoundBody')}</p>
      <p>
        <Link to="/">{t('plan.backToPlans')}</Link>
      </p>
    </main>
  );
}

export function PlanTabs({ planId, title, role }: { planId: string; title: string | undefined; role?: Role | undefined }) {
  const { t } = useTranslation();
  // On a phone the tabs are one row that scrolls sideways (wrapped, they took six lines above every
  // page of the plan): the page's own tab is scrolled into that row's view.
  const list = useRef<HTMLUListElement>(null);
  const { pathname } = useLocation();
  useLayoutEffect(() => {
    const row = list.current;
    const active = row?.querySelector<HTMLElement>('a.active');
    if (!row || !active || row.scrollWidth <= row.clientWidth) return;
    const left = active.getBoundingClientRect().left - row.getBoundingClientRect().left + row.scrollLeft;
    if (left < row.scrollLeft || left + active.offsetWidth > row.scrollLeft + row.clientWidth) row.scrollLeft = Math.max(0, left - row.clientWidth / 3);
  }, [pathname]);
  return (
    <nav className="plan-tabs" aria-label={t('planNav.label')}>
      <p className="breadcrumb plan-tabs__plan">
        <NavLink to={`/plans/${planId}`} title={title}>
          {title ?? t('members.backToPlan')}
        </NavLink>
      </p>
      <ul className="plan-tabs__list" ref={list} data-testid="plan-tabs">
        <li>
          <NavLink to={`/plans/${planId}`} end>
            {t('planNav.text')}
          </NavLink>
        </li>
        <li>
          <NavLink to={`/plans/${planId}/recommendations`}>{t('planNav.recommendations')}</NavLink>
        </li>
        <li>
          <NavLink to={`/plans/${planId}/coverage`}>{t('planNav.coverage')}</NavLink>
        </li>
        <ProgressNavItem planId={planId} />
        <li>
          <NavLink to={`/plans/${planId}/public-record`}>{t('planNav.publicRecord')}</NavLink>
        </li>
        <li>
          <NavLink to={`/plans/${planId}/members`}>{role === 'coordinator' ? t('plan.members') : t('plan.membersReader')}</NavLink>
        </li>
        <li>
          <NavLink to={`/plans/${planId}/history`}>{t('planNav.history')}</NavLink>
        </li>
        {role === 'coordinator' && (
          <li>
            <NavLink to={`/plans/${planId}/audit`}>{t('planNav.audit')}</NavLink>
          </li>
        )}
        {role === 'coordinator' && (
          <li>
            <NavLink to={`/plans/${planId}/bin`}>{t('planNav.bin')}</NavLink>
          </li>
        )}
        <li>
          <NavLink to={`/plans/${planId}/export`}>{t('planNav.export')}</NavLink>
        </li>
      </ul>
    </nav>
  );
}

/** The plan's outline and the person's role in it (one shared query, kept fresh by the live events). */
export function usePlanOutline(planId: string) {
  const query = usePlanOutlineQuery(planId);
  return { outline: query.data ?? null, error: asApiError(query.error) };
}

export function percent(part: number, whole: number): string {
  if (whole === 0) return '0%';
  return `${Math.round((part / whole) * 100)}%`;
}
