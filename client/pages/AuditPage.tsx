import { useId } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useParams, useSearchParams } from 'react-router';
import { AuditActionSchema, ChangeDetailsSchema, HistoryTargetTypeSchema, type AuditAction, type AuditEntry } from '../../shared/api/index.ts';
import { WITHOUT_CHANGE_TABLE, auditNote, auditSummary } from '../features/audit/auditSummary.ts';
import { agreementApi, type AuditFilters } from '../api/index.ts';
import { usePlanLiveEvents } from '../api/liveEvents.ts';
import { queryKeys, useMembersQuery, useOrganisationsQuery } from '../api/queries.ts';
import { RoleBadge } from '../ui/badges.tsx';
import { Button, FormError, describeError } from '../ui/forms.tsx';
import { PlanNotFound, PlanTabs, usePlanOutline } from '../features/recommendations/recommendations.tsx';
import { useAccessChanges } from '../api/usePlanEvents.ts';
import { useDocumentTitle } from '../ui/useDocumentTitle.ts';
import { ChangeTable } from '../features/history/ItemHistory.tsx';
import { formatDateTime } from '../i18n/format.ts';
import { TableScroll } from '../ui/TableScroll.tsx';
import { NotLoadedNote } from '../sync/OfflineNote.tsx';
import { DayField } from '../ui/DayField.tsx';

/** Kinds of item the log names (target types written by the server), for the "Kind of item" filter. */
const TARGET_TYPES = [...HistoryTargetTypeSchema.options, 'comment', 'thread', 'invite', 'import', 'export', 'plan', 'round', 'report', 'assessment'] as const;
const ITEM_TYPES: readonly string[] = HistoryTargetTypeSchema.options;

const PAGE_SIZE = 50;

/** A date input (YYYY-MM-DD) as the start or the end of that day, in UTC ISO form. */
function dayBound(value: string, end: boolean): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
  return end ? `${value}T23:59:59.999Z` : `${value}T00:00:00.000Z`;
}

/** Who did what and when: the plan's audit log, for coordinators. Filters live in the address. */
export function AuditPage() {
  const { t, i18n } = useTranslation();
  const { planId = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const ids = { action: useId(), person: useId(), kind: useId(), organisation: useId() };
  const { outline, error: outlineError } = usePlanOutline(planId);
  useDocumentTitle(outline ? t('audit.pageTitle', { plan: outline.plan.title }) : t('audit.title'));

  const action = (AuditActionSchema.options as readonly string[]).includes(params.get('action') ?? '') ? (params.get('action') as AuditAction) : '';
  const actorId = params.get('actor') ?? '';
  const fromDay = params.get('from') ?? '';
  const toDay = params.get('to') ?? '';
  const targetType = (TARGET_TYPES as readonly string[]).includes(params.get('kind') ?? '') ? params.get('kind')! : '';
  // One item (with what belongs to it): set from a row's "Only this item".
  const targetId = targetType ? (params.get('item') ?? '') : '';
  const organisation = params.get('organisation') ?? '';
  const pageNo = Math.max(1, Number(params.get('page') ?? '1') || 1);
  const filters: AuditFilters = {
    action,
    actorId: actorId || undefined,
    from: dayBound(fromDay, false),
    to: dayBound(toDay, true),
    targetType: targetType || undefined,
    targetId: targetId || undefined,
    organisation: organisation || undefined,
    limit: PAGE_SIZE,
    offset: (pageNo - 1) * PAGE_SIZE,
  };
  // Keyed by the filters; the previous page stays shown (marked busy) while the next one loads.
  // Refetched on the events that write to the log (client/api/liveEvents.ts).
  const auditQuery = useQuery({
    queryKey: queryKeys.plan(planId).audit(filters),
    queryFn: () => agreementApi.audit(planId, filters),
    placeholderData: keepPreviousData,
  });
  const data = auditQuery.data ?? null;
  const loading = auditQuery.isFetching;
  const error = auditQuery.error ? describeError(auditQuery.error, t).message : null;
  const members = useMembersQuery(planId).data ?? [];
  const organisations = useOrganisationsQuery(planId).data ?? [];

  usePlanLiveEvents(planId, useAccessChanges(outline?.plan.title));

  const update = (changes: Record<string, string>) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        for (const [k, v] of Object.entries(changes)) {
          if (v) next.set(k, v);
          else next.delete(k);
        }
        if (!('page' in changes)) next.delete('page');
        return next;
      },
      { replace: true },
    );

  if (outlineError && (outlineError.status === 403 || outlineError.status === 404)) return <PlanNotFound />;
  if (outline && outline.plan.role !== 'coordinator') {
    return (
      <main id="main" className="page page--wide">
        <PlanTabs planId={planId} title={outline.plan.title} role={outline.plan.role} />
        <h1>{t('audit.title')}</h1>
        <p className="alert alert--info">{t('audit.coordinatorsOnly')}</p>
      </main>
    );
  }

  const total = data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const hasFilters = Boolean(action || actorId || fromDay || toDay || targetType || organisation);

  return (
    <main id="main" className="page page--wide">
      <PlanTabs planId={planId} title={outline?.plan.title} role={outline?.plan.role} />
      <div className="page-head">
        <div>
          <h1>{t('audit.title')}</h1>
          <p className="lead">{t('audit.intro')}</p>
        </div>
        <a className="button button--secondary" href={agreementApi.auditCsvUrl(planId, filters)} download data-testid="audit-csv">
          {t('audit.downloadCsv')}
        </a>
      </div>

      <form className="filters inline-form" role="search" aria-label={t('audit.filtersLabel')} onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor={ids.action}>{t('audit.filterAction')}</label>
          <select id={ids.action} value={action} onChange={(e) => update({ action: e.target.value })} data-testid="audit-filter-action">
            <option value="">{t('audit.allActions')}</option>
            {AuditActionSchema.options.map((a) => (
              <option key={a} value={a}>
                {t(`audit.action.${a}`, { defaultValue: a })}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.person}>{t('audit.filterPerson')}</label>
          <select id={ids.person} value={actorId} onChange={(e) => update({ actor: e.target.value })} data-testid="audit-filter-person">
            <option value="">{t('audit.everyone')}</option>
            {members.map((m) => (
              <option key={m.userId} value={m.userId}>
                {m.name} ({m.organisation.name})
              </option>
            ))}
          </select>
        </div>
        {/* Typed as the interface language writes days (05.12.2026 in Russian); the address keeps ISO days. */}
        <DayField label={t('audit.filterFrom')} value={fromDay} onChange={(day) => update({ from: day })} testId="audit-filter-from" />
        <DayField label={t('audit.filterTo')} value={toDay} onChange={(day) => update({ to: day })} testId="audit-filter-to" />
        <div className="field">
          <label htmlFor={ids.kind}>{t('audit.filterKind')}</label>
          <select id={ids.kind} value={targetType} onChange={(e) => update({ kind: e.target.value, item: '' })} data-testid="audit-filter-kind">
            <option value="">{t('audit.allKinds')}</option>
            {TARGET_TYPES.map((k) => (
              <option key={k} value={k}>
                {t(`audit.kind.${k}`, { defaultValue: k })}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.organisation}>{t('audit.filterOrganisation')}</label>
          <select id={ids.organisation} value={organisation} onChange={(e) => update({ organisation: e.target.value })} data-testid="audit-filter-organisation">
            <option value="">{t('audit.allOrganisations')}</option>
            {organisations.map((o) => (
              <option key={o.id} value={o.name}>
                {o.name}
              </option>
            ))}
          </select>
        </div>
        {hasFilters && (
          <Button variant="link" onClick={() => update({ action: '', actor: '', from: '', to: '', kind: '', item: '', organisation: '' })}>
            {t('audit.clearFilters')}
          </Button>
        )}
      </form>

      {targetId && (
        <p className="alert alert--info audit-item-filter" data-testid="audit-item-filter">
          {t('audit.oneItem', { kind: t(`audit.kind.${targetType}`, { defaultValue: targetType }) })}{' '}
          <Button variant="link" onClick={() => update({ item: '' })} data-testid="audit-item-clear">
            {t('audit.allItems')}
          </Button>
        </p>
      )}
      <FormError message={error} />
      {data && (
        <p className="muted" role="status" aria-live="polite" data-testid="audit-count">
          {t('audit.count', { count: total })}
        </p>
      )}
      {!data && !error && <NotLoadedNote failure={auditQuery.failureReason} testId="audit-not-loaded" />}
      {data && data.items.length === 0 && <p className="empty-state">{hasFilters ? t('audit.noMatches') : t('audit.empty')}</p>}
      {data && data.items.length > 0 && (
        <TableScroll label={t('audit.caption')} busy={loading}>
          {/* On a phone each entry is a card (.table--cards), each value under its column's name. */}
          <table className="table table--compact table--stack table--cards audit-table" data-testid="audit-table">
            <caption className="visually-hidden">{t('audit.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('audit.colTime')}</th>
                <th scope="col">{t('audit.colPerson')}</th>
                <th scope="col">{t('audit.colOrganisation')}</th>
                <th scope="col">{t('audit.colRole')}</th>
                <th scope="col">{t('audit.colAction')}</th>
                <th scope="col">{t('audit.colSummary')}</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((e) => (
                <tr key={e.id} data-testid="audit-row" data-action={e.action}>
                  <td className="nowrap" data-testid="audit-time">
                    <time dateTime={e.at}>{formatDateTime(e.at, i18n.language)}</time>
                  </td>
                  <td data-label={t('audit.colPerson')} data-testid="audit-person">
                    {e.actorName}
                  </td>
                  <td data-label={t('audit.colOrganisation')} data-testid="audit-organisation">
                    {e.actorOrganisation}
                  </td>
                  <td data-label={t('audit.colRole')} data-testid="audit-role">
                    {e.actorRole ? <RoleBadge role={e.actorRole} /> : <span className="muted">—</span>}
                  </td>
                  <td data-label={t('audit.colAction')} data-testid="audit-action">
                    <span className="badge badge--role">{t(`audit.action.${e.action}`, { defaultValue: e.action })}</span>
                  </td>
                  <td data-label={t('audit.colSummary')}>
                    <span data-testid="audit-summary">{auditSummary(e, t, i18n.language)}</span>
                    <AuditNote entry={e} />
                    {!WITHOUT_CHANGE_TABLE.includes(e.action) && <AuditChanges details={e.details} />}
                    {e.targetId && ITEM_TYPES.includes(e.targetType) && e.targetId !== targetId && (
                      <Button variant="link" className="button--small" onClick={() => update({ kind: e.targetType, item: e.targetId! })} data-testid="audit-only-item">
                        {t('audit.onlyThisItem')}
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      {data && pages > 1 && (
        <nav className="pager" aria-label={t('audit.paging')}>
          <Button variant="secondary" className="button--small" disabled={pageNo <= 1} onClick={() => update({ page: String(pageNo - 1) })} data-testid="audit-prev">
            {t('audit.previous')}
          </Button>
          <span>{t('audit.pageOf', { page: pageNo, pages })}</span>
          <Button variant="secondary" className="button--small" disabled={pageNo >= pages} onClick={() => update({ page: String(pageNo + 1) })} data-testid="audit-next">
            {t('audit.next')}
          </Button>
        </nav>
      )}
    </main>
  );
}

/** What a person wrote with the entry (a reason, a reservation, a position), as written. */
function AuditNote({ entry }: { entry: AuditEntry }) {
  const { t } = useTranslation();
  const note = auditNote(entry);
  if (!note) return null;
  return (
    <p className="audit-note" data-testid="audit-note">
      <strong>{t(`audit.note.${note.label}`)}</strong> {note.text}
    </p>
  );
}

/** Before → after of an entry that has them, folded away so the log stays readable. */
function AuditChanges({ details }: { details: Record<string, unknown> }) {
  const { t } = useTranslation();
  const parsed = ChangeDetailsSchema.safeParse(details);
  if (!parsed.success || (parsed.data.before === undefined && parsed.data.after === undefined)) return null;
  return (
    <details className="audit-changes" data-testid="audit-changes">
      <summary>{t('audit.showChanges')}</summary>
      {/* The reason is shown with the sentence (AuditNote). */}
      <ChangeTable details={{ ...parsed.data, reason: null }} />
    </details>
  );
}
