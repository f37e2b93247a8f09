import { useCallback, useEffect, useId, useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useLocation } from 'react-router';
import {
  ActionInputSchema,
  ActionStatusSchema,
  IndicatorInputSchema,
  IndicatorTypeSchema,
  SIDES,
  type Action,
  type ActionInput,
  type ActionStatus,
  type Indicator,
  type IndicatorInput,
  type IndicatorType,
  type Recommendation,
  type Side,
} from '../../../shared/api/index.ts';
import { api, type PlanOrganisation } from '../../api/index.ts';
import { queryKeys, useActionsQuery, useInvalidate, useOrganisationsQuery } from '../../api/queries.ts';
import { OrgDot, SideBadge } from '../../ui/badges.tsx';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { Button, FormError, describeError, useSubmission, zodFieldErrors } from '../../ui/forms.tsx';
import { PositionBadge, StatusBadge } from '../recommendations/recommendations.tsx';
import { HistoryButton } from '../history/ItemHistory.tsx';
import { RemovalReason, othersProposals } from './ProposalRemoval.tsx';
import { useMe } from '../../session/SessionContext.tsx';

/** "2027" → "2027", "2027-Q2" → "Q2 2027", "2027-05-31" → a local date. */
export function formatTimePoint(value: string | null, lng: string): string | null {
  if (!value) return null;
  const q = /^(\d{4})-Q([1-4])$/.exec(value);
  if (q) return `Q${q[2]} ${q[1]}`;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const d = new Date(value + 'T00:00:00Z');
    if (!Number.isNaN(d.getTime())) return d.toLocaleDateString(lng, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });
  }
  return value;
}

export function formatBudget(amount: number | null, currency: string | null, lng: string): string | null {
  if (amount === null) return null;
  if (currency) {
    try {
      return new Intl.NumberFormat(lng, { style: 'currency', currency, currencyDisplay: 'code', maximumFractionDigits: 2 }).format(amount);
    } catch {
      /* unknown code: fall through */
    }
  }
  return `${new Intl.NumberFormat(lng, { maximumFractionDigits: 2 }).format(amount)}${currency ? ' ' + currency : ''}`;
}

export function actionProblems(a: Action): Array<'no_indicator' | 'no_lead_agency' | 'no_timeline'> {
  return [
    ...(a.indicators.length === 0 ? (['no_indicator'] as const) : []),
    ...(a.leadAgencyId === null ? (['no_lead_agency'] as const) : []),
    ...(a.start === null || a.end === null ? (['no_timeline'] as const) : []),
  ];
}

const NO_ORGS: PlanOrganisation[] = [];

/**
 * The section's actions: who does what by when, with which money, for which recommendations, and
 * how progress will be measured. Writers add and edit; everyone else reads.
 */
export function ActionsPanel({
  planId,
  sectionId,
  sectionTitle,
  mayWrite,
}: {
  planId: string;
  sectionId: string;
  sectionTitle: string;
  mayWrite: boolean;
}) {
  const { t } = useTranslation();
  const location = useLocation();
  const queryClient = useQueryClient();
  // Refetched on `actions`, `recommendations` and `organisations` events (client/api/liveEvents.ts).
  const actionsQuery = useActionsQuery(planId, sectionId);
  const orgsQuery = useOrganisationsQuery(planId);
  const actions = useMemo(() => (actionsQuery.data ? [...actionsQuery.data].sort((x, y) => x.position - y.position) : null), [actionsQuery.data]);
  const orgs = orgsQuery.data ?? NO_ORGS;
  const loadError = actionsQuery.error ?? orgsQuery.error;
  const error = loadError ? describeError(loadError, t).message : null;
  const [adding, setAdding] = useState(false);
  const scrolledTo = useRef<string | null>(null);
  const invalidate = useInvalidate();
  // What changing an action changes here: its list, the section's agreement (actions are signed
  // with the text) and coverage.
  const reload = useCallback(() => {
    const p = queryKeys.plan(planId);
    return invalidate(p.actions(sectionId), p.agreement(sectionId), p.coverage());
  }, [invalidate, planId, sectionId]);

  // Arriving from a link to one action (#action-<id>): bring it into view once it is loaded.
  useEffect(() => {
    if (!actions || !location.hash.startsWith('#action-') || scrolledTo.current === location.hash) return;
    const el = document.getElementById(location.hash.slice(1));
    if (el) {
      scrolledTo.current = location.hash;
      el.scrollIntoView({ block: 'start' });
      el.focus({ preventScroll: true });
    }
  }, [actions, location.hash]);

  // An organisation added from the form is in the list at once (the `organisations` event refetches it too).
  const addOrg = (org: PlanOrganisation) =>
    queryClient.setQueryData<PlanOrganisation[]>(queryKeys.plan(planId).organisations(), (prev = []) =>
      prev.some((o) => o.id === org.id) ? prev : [...prev, org].sort((a, b) => a.name.localeCompare(b.name)),
    );

  return (
    <section className="actions-panel" aria-labelledby="actions-heading" data-testid="actions-panel">
      <div className="actions-panel__head">
        <div>
          <h2 id="actions-heading">{t('actions.title')}</h2>
          <p className="muted">{t('actions.intro', { section: sectionTitle })}</p>
        </div>
        {mayWrite && !adding && (
          <Button onClick={() => setAdding(true)} data-testid="add-action">
            {t('actions.add')}
          </Button>
        )}
      </div>
      <FormError message={error} />
      {adding && (
        <div className="panel action-form-panel">
          <h3>{t('actions.newTitle')}</h3>
          <ActionForm
            planId={planId}
            orgs={orgs}
            onOrgAdded={addOrg}
            onCancel={() => setAdding(false)}
            onSubmit={async (input) => {
              await api.createAction(planId, sectionId, input);
              setAdding(false);
              await reload();
            }}
          />
        </div>
      )}
      {actions === null && !error && (
        <p className="muted" role="status">
          {t('common.loading')}
        </p>
      )}
      {actions !== null && actions.length === 0 && !adding && (
        <div className="empty-state" data-testid="actions-empty">
          <p>{t('actions.empty')}</p>
          <p className="muted small">{t('actions.emptyWhy')}</p>
        </div>
      )}
      {actions !== null && actions.length > 0 && (
        <ol className="action-list">
          {actions.map((a, i) => (
            <li key={a.id}>
              <ActionCard number={i + 1} count={actions.length} planId={planId} action={a} orgs={orgs} mayWrite={mayWrite} onOrgAdded={addOrg} reload={reload} />
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function ActionCard({
  number,
  count,
  planId,
  action,
  orgs,
  mayWrite,
  onOrgAdded,
  reload,
}: {
  number: number;
  /** How many actions the section has (to offer moving this one up or down). */
  count: number;
  planId: string;
  action: Action;
  orgs: PlanOrganisation[];
  mayWrite: boolean;
  onOrgAdded: (o: PlanOrganisation) => void;
  reload: () => Promise<void>;
}) {
  const { t, i18n } = useTranslation();
  const [editing, setEditing] = useState(false);
  const [linking, setLinking] = useState(false);
  const [addingIndicator, setAddingIndicator] = useState(false);
  const [editingIndicator, setEditingIndicator] = useState<Indicator | null>(null);
  const [confirm, setConfirm] = useState<{ kind: 'action' } | { kind: 'indicator'; indicator: Indicator } | null>(null);
  // Removing another organisation's proposal asks why (ProposalRemoval.tsx).
  const [reason, setReason] = useState('');
  const me = useMe();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [openRec, setOpenRec] = useState<string | null>(null);
  const orgById = new Map(orgs.map((o) => [o.id, o]));
  const problems = actionProblems(action);
  const lng = i18n.language;

  const orgName = (id: string) => {
    const o = orgById.get(id);
    return o ? (
      <span className="org-name" key={id}>
        <OrgDot color={o.color} /> {o.name}
      </span>
    ) : (
      <span key={id} className="muted">
        {t('actions.unknownOrg')}
      </span>
    );
  };
  const orgList = (ids: string[]) => (ids.length === 0 ? null : <span className="org-list">{ids.map(orgName)}</span>);

  async function run(fn: () => Promise<unknown>) {
    setBusy(true);
    setError(null);
    try {
      await fn();
      await reload();
      return true;
    } catch (err) {
      setError(describeError(err, t).message);
      return false;
    } finally {
      setBusy(false);
    }
  }

  const start = formatTimePoint(action.start, lng);
  const end = formatTimePoint(action.end, lng);
  const timeline = start || end ? `${start ?? t('actions.open')} – ${end ?? t('actions.open')}` : null;
  const budget = formatBudget(action.budgetAmount, action.currency, lng);
  const open = action.recommendations.find((r) => r.id === openRec);
  const removing = othersProposals(
    confirm === null ? [] : confirm.kind === 'action' ? [action.proposedByOrganisationId, ...action.indicators.map((i) => i.proposedByOrganisationId)] : [confirm.indicator.proposedByOrganisationId],
    me.organisation.id,
  ).map((id) => orgById.get(id)?.name ?? t('actions.unknownOrg'));

  return (
    <article className={`action-card${problems.length ? ' action-card--weak' : ''}`} id={`action-${action.id}`} tabIndex={-1} aria-labelledby={`action-${action.id}-title`} data-testid="action-card" data-action-id={action.id}>
      {editing ? (
        <>
          <h3>{t('actions.editTitle', { title: action.title })}</h3>
          <ActionForm
            planId={planId}
            orgs={orgs}
            initial={action}
            onOrgAdded={onOrgAdded}
            onCancel={() => setEditing(false)}
            onSubmit={async (input) => {
              const { recommendationIds: _ignored, ...changes } = input;
              await api.updateAction(planId, action.id, changes);
              setEditing(false);
              await reload();
            }}
          />
        </>
      ) : (
        <>
          <header className="action-card__head">
            <h3 id={`action-${action.id}-title`} className="action-card__title" data-testid="action-card-title">
              <span className="action-card__number">{t('actions.number', { n: number })}</span> {action.title}
            </h3>
            <StatusBadge status={action.status} />
          </header>
          {problems.length > 0 && (
            <div className="alert alert--warning action-card__warnings" data-testid="action-warnings">
              <p className="alert__title">{t('actions.weakTitle')}</p>
              <ul>
                {problems.map((p) => (
                  <li key={p} data-testid="action-warning" data-problem={p}>
                    {t(`actions.problem.${p}`)}
                  </li>
                ))}
              </ul>
            </div>
          )}
          {action.description && <p className="action-card__description pre-wrap">{action.description}</p>}
          <dl className="summary-list summary-list--compact action-card__facts">
            <Fact label={t('actions.field.lead')} testId="action-card-lead">
              {action.leadAgencyId ? orgName(action.leadAgencyId) : null}
            </Fact>
            <Fact label={t('actions.field.coImplementers')}>{orgList(action.coImplementerIds)}</Fact>
            <Fact label={t('actions.field.partners')}>{orgList(action.civilSocietyPartnerIds)}</Fact>
            <Fact label={t('actions.field.timeline')} testId="action-card-timeline">
              {timeline}
            </Fact>
            <Fact label={t('actions.field.proposedBy')} testId="action-card-proposed-by">
              {action.proposedByOrganisationId ? orgName(action.proposedByOrganisationId) : null}
            </Fact>
            <Fact label={t('actions.field.budget')}>
              {budget || action.fundingSource ? (
                <>
                  {budget ?? t('actions.noAmount')}
                  {action.fundingSource && <span className="muted"> · {t('actions.fundedBy', { source: action.fundingSource })}</span>}
                </>
              ) : null}
            </Fact>
          </dl>

          <div className="action-card__block">
            <h4>{t('actions.recsHeading', { count: action.recommendations.length })}</h4>
            {action.recommendations.length === 0 ? (
              <p className="muted small">{t('actions.noRecs')}</p>
            ) : (
              <ul className="rec-badges">
                {action.recommendations.map((r) => (
                  <li key={r.id}>
                    <button
                      type="button"
                      className={`rec-badge${openRec === r.id ? ' is-open' : ''}`}
                      title={r.text}
                      aria-expanded={openRec === r.id}
                      onClick={() => setOpenRec(openRec === r.id ? null : r.id)}
                      data-testid="action-rec-badge"
                    >
                      {r.reference}
                      <span className="visually-hidden"> ({t(`position.${r.position}`)})</span>
                    </button>
                    {mayWrite && (
                      <button
                        type="button"
                        className="icon-button"
                        aria-label={t('actions.unlink', { reference: r.reference })}
                        title={t('actions.unlink', { reference: r.reference })}
                        disabled={busy}
                        onClick={() => void run(() => api.unlinkRecommendation(planId, action.id, r.id))}
                        data-testid="action-rec-unlink"
                      >
                        <span aria-hidden="true">✕</span>
                      </button>
                    )}
                  </li>
                ))}
              </ul>
            )}
            {open && (
              <div className="rec-quote" data-testid="action-rec-text">
                <p className="rec-quote__head">
                  <strong>{open.reference}</strong> <PositionBadge position={open.position} />
                </p>
                <blockquote className="rec-text">{open.text}</blockquote>
              </div>
            )}
            {mayWrite && !linking && (
              <Button variant="secondary" className="button--small" onClick={() => setLinking(true)} data-testid="link-recs-open">
                {t('actions.linkOpen')}
              </Button>
            )}
            {mayWrite && linking && <LinkRecsPicker planId={planId} action={action} onChanged={reload} onClose={() => setLinking(false)} />}
          </div>

          <div className="action-card__block">
            <h4>{t('actions.indicatorsHeading', { count: action.indicators.length })}</h4>
            {action.indicators.length === 0 ? (
              <p className="muted small">{t('actions.noIndicators')}</p>
            ) : (
              <IndicatorsTable
                planId={planId}
                indicators={action.indicators}
                orgName={(id) => orgById.get(id)?.name ?? t('actions.unknownOrg')}
                mayWrite={mayWrite}
                busy={busy}
                onEdit={(i) => {
                  setAddingIndicator(false);
                  setEditingIndicator(i);
                }}
                onDelete={(i) => {
                  setReason('');
                  setConfirm({ kind: 'indicator', indicator: i });
                }}
              />
            )}
            {mayWrite && editingIndicator && (
              <div className="panel panel--inset">
                <h5>{t('indicators.editTitle')}</h5>
                <IndicatorForm
                  orgs={orgs}
                  initial={editingIndicator}
                  onCancel={() => setEditingIndicator(null)}
                  onSubmit={async (input) => {
                    await api.updateIndicator(planId, editingIndicator.id, input);
                    setEditingIndicator(null);
                    await reload();
                  }}
                />
              </div>
            )}
            {mayWrite && addingIndicator && (
              <div className="panel panel--inset">
                <h5>{t('indicators.newTitle')}</h5>
                <IndicatorForm
                  orgs={orgs}
                  onCancel={() => setAddingIndicator(false)}
                  onSubmit={async (input) => {
                    await api.addIndicator(planId, action.id, input);
                    setAddingIndicator(false);
                    await reload();
                  }}
                />
              </div>
            )}
            {mayWrite && !addingIndicator && !editingIndicator && (
              <Button variant="secondary" className="button--small" onClick={() => setAddingIndicator(true)} data-testid="add-indicator">
                {t('indicators.add')}
              </Button>
            )}
          </div>

          <FormError message={error} />
          <div className="button-row action-card__foot">
            {mayWrite && (
              <>
                <Button variant="secondary" className="button--small" onClick={() => setEditing(true)} data-testid="action-edit">
                  {t('actions.edit')}
                </Button>
                <Button
                  variant="link"
                  className="button--small button--danger-link"
                  onClick={() => {
                    setReason('');
                    setConfirm({ kind: 'action' });
                  }}
                  data-testid="action-delete"
                >
                  {t('actions.delete')}
                </Button>
                {/* Positions are 0-based; `number` is this action's 1-based place. */}
                {number > 1 && (
                  <Button variant="link" className="button--small" disabled={busy} onClick={() => void run(() => api.updateAction(planId, action.id, { position: number - 2 }))} data-testid="action-move-up">
                    {t('actions.moveUp')}
                  </Button>
                )}
                {number < count && (
                  <Button variant="link" className="button--small" disabled={busy} onClick={() => void run(() => api.updateAction(planId, action.id, { position: number }))} data-testid="action-move-down">
                    {t('actions.moveDown')}
                  </Button>
                )}
              </>
            )}
            <HistoryButton planId={planId} targetType="action" targetId={action.id} title={action.title} testId="action-history" />
          </div>
        </>
      )}
      <ConfirmDialog
        open={confirm !== null}
        title={confirm?.kind === 'indicator' ? t('indicators.deleteTitle') : t('actions.deleteTitle')}
        confirmLabel={confirm?.kind === 'indicator' ? t('indicators.deleteConfirm') : t('actions.deleteConfirm')}
        busy={busy}
        error={error}
        confirmDisabled={removing.length > 0 && reason.trim() === ''}
        onCancel={() => setConfirm(null)}
        onConfirm={() => {
          if (!confirm) return;
          const why = reason.trim() || undefined;
          void run(() => (confirm.kind === 'action' ? api.deleteAction(planId, action.id, why) : api.deleteIndicator(planId, confirm.indicator.id, why))).then((ok) => {
            if (ok) setConfirm(null);
          });
        }}
      >
        {confirm?.kind === 'action' && (
          <p>{t('actions.deleteBody', { title: action.title, indicators: action.indicators.length, recs: action.recommendations.length })}</p>
        )}
        {confirm?.kind === 'indicator' && <p>{t('indicators.deleteBody', { description: confirm.indicator.description })}</p>}
        <RemovalReason organisations={removing} value={reason} onChange={setReason} />
      </ConfirmDialog>
    </article>
  );
}

function Fact({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  const { t } = useTranslation();
  return (
    <div>
      <dt>{label}</dt>
      <dd data-testid={testId}>{children ?? <span className="muted">{t('actions.notSet')}</span>}</dd>
    </div>
  );
}

function IndicatorsTable({
  planId,
  indicators,
  orgName,
  mayWrite,
  busy,
  onEdit,
  onDelete,
}: {
  planId: string;
  indicators: Indicator[];
  orgName: (id: string) => string;
  mayWrite: boolean;
  busy: boolean;
  onEdit: (i: Indicator) => void;
  onDelete: (i: Indicator) => void;
}) {
  const { t } = useTranslation();
  const point = (value: string | null, year: number | null) =>
    value === null && year === null ? <span className="muted">{t('actions.notSet')}</span> : [value, year !== null ? `(${year})` : null].filter(Boolean).join(' ');
  return (
    <div className="table-scroll">
      <table className="table table--compact indicator-table">
        <thead>
          <tr>
            <th scope="col">{t('indicators.colType')}</th>
            <th scope="col">{t('indicators.colDescription')}</th>
            <th scope="col">{t('indicators.colBaseline')}</th>
            <th scope="col">{t('indicators.colTarget')}</th>
            <th scope="col">{t('indicators.colSource')}</th>
            <th scope="col">{t('indicators.colDisaggregation')}</th>
            <th scope="col">{t('indicators.colProposedBy')}</th>
            <th scope="col">
              <span className="visually-hidden">{t('members.colActions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {[...indicators]
            .sort((a, b) => a.position - b.position)
            .map((i) => (
              <tr key={i.id} data-testid="indicator-row">
                <td>
                  <span className={`badge badge--ind badge--ind-${i.type}`} title={t(`indicators.typeHelp.${i.type}`)}>
                    {t(`indicators.type.${i.type}`)}
                  </span>
                </td>
                <td>
                  {i.description}
                  {i.unit && <span className="muted small"> · {t('indicators.unitValue', { unit: i.unit })}</span>}
                </td>
                <td>{point(i.baselineValue, i.baselineYear)}</td>
                <td>{point(i.targetValue, i.targetYear)}</td>
                <td className="small">
                  {i.dataSource ?? <span className="muted">{t('actions.notSet')}</span>}
                  {i.frequency && <span className="muted"> · {i.frequency}</span>}
                </td>
                <td className="small">{i.disaggregation.length ? i.disaggregation.join(', ') : <span className="muted">—</span>}</td>
                <td className="small">{i.proposedByOrganisationId ? orgName(i.proposedByOrganisationId) : <span className="muted">—</span>}</td>
                <td className="table__actions nowrap">
                  {mayWrite && (
                    <>
                      <Button variant="link" className="button--small" disabled={busy} onClick={() => onEdit(i)} data-testid="indicator-edit">
                        {t('actions.edit')}
                        <span className="visually-hidden"> {i.description}</span>
                      </Button>
                      <Button variant="link" className="button--small button--danger-link" disabled={busy} onClick={() => onDelete(i)} data-testid="indicator-delete">
                        {t('actions.delete')}
                        <span className="visually-hidden"> {i.description}</span>
                      </Button>
                    </>
                  )}
                  <HistoryButton planId={planId} targetType="indicator" targetId={i.id} title={i.description} testId="indicator-history" />
                </td>
              </tr>
            ))}
        </tbody>
      </table>
    </div>
  );
}

// ----- Forms -----

function Field({ label, hint, error, children, id }: { label: string; hint?: string; error?: string; children: ReactNode; id: string }) {
  const { t } = useTranslation();
  return (
    <div className={'field' + (error ? ' field--error' : '')}>
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p className="field__hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field__error" id={`${id}-error`}>
          <span className="visually-hidden">{t('common.errorPrefix')} </span>
          {t(`fieldErrors.${error}`, { defaultValue: error })}
        </p>
      )}
      {children}
    </div>
  );
}

const described = (id: string, hint: boolean, error: string | undefined) =>
  ({
    'aria-describedby': [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined,
    'aria-invalid': error ? true : undefined,
  }) as const;

const orEmpty = (v: string | number | null | undefined) => (v === null || v === undefined ? '' : String(v));
const orNull = (v: string) => (v.trim() === '' ? null : v.trim());

function ActionForm({
  planId,
  orgs,
  initial,
  onOrgAdded,
  onSubmit,
  onCancel,
}: {
  planId: string;
  orgs: PlanOrganisation[];
  initial?: Action;
  onOrgAdded: (o: PlanOrganisation) => void;
  onSubmit: (input: ActionInput) => Promise<void>;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [title, setTitle] = useState(initial?.title ?? '');
  const [description, setDescription] = useState(initial?.description ?? '');
  const [status, setStatus] = useState<ActionStatus>(initial?.status ?? 'planned');
  const [lead, setLead] = useState(initial?.leadAgencyId ?? '');
  const [co, setCo] = useState<string[]>(initial?.coImplementerIds ?? []);
  const [partners, setPartners] = useState<string[]>(initial?.civilSocietyPartnerIds ?? []);
  const [start, setStart] = useState(orEmpty(initial?.start));
  const [end, setEnd] = useState(orEmpty(initial?.end));
  const [budget, setBudget] = useState(orEmpty(initial?.budgetAmount));
  const [currency, setCurrency] = useState(orEmpty(initial?.currency));
  const [funding, setFunding] = useState(orEmpty(initial?.fundingSource));
  const { busy, error, setError, fields, setFields, send } = useSubmission();

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    const amount = budget.trim() === '' ? null : Number(budget.replace(/[\s,]/g, ''));
    if (amount !== null && Number.isNaN(amount)) {
      setFields({ budgetAmount: t('actions.budgetNumber') });
      setError(t('common.checkFields'));
      return;
    }
    const candidate = {
      title,
      description,
      status,
      leadAgencyId: lead || null,
      coImplementerIds: co,
      civilSocietyPartnerIds: partners,
      start: orNull(start),
      end: orNull(end),
      budgetAmount: amount,
      currency: orNull(currency)?.toUpperCase() ?? null,
      fundingSource: orNull(funding),
      recommendationIds: initial?.recommendations.map((r) => r.id) ?? [],
    };
    const parsed = ActionInputSchema.safeParse(candidate);
    if (!parsed.success) {
      setFields(zodFieldErrors(parsed.error));
      setError(t('common.checkFields'));
      return;
    }
    if (parsed.data.start && parsed.data.end && timeKey(parsed.data.end) < timeKey(parsed.data.start)) {
      setFields({ end: t('actions.endBeforeStart') });
      setError(t('common.checkFields'));
      return;
    }
    await send(() => onSubmit(parsed.data));
  }

  const timeHint = t('actions.timeHint');
  return (
    <form className="action-form" onSubmit={submit} noValidate data-testid="action-form">
      <FormError message={error} />
      <Field id={`${id}-title`} label={t('actions.field.title')} hint={t('actions.titleHint')} error={fields.title}>
        <input id={`${id}-title`} type="text" value={title} onChange={(e) => setTitle(e.target.value)} maxLength={300} {...described(`${id}-title`, true, fields.title)} data-testid="action-title" />
      </Field>
      <Field id={`${id}-desc`} label={t('actions.field.description')} hint={t('actions.descriptionHint')} error={fields.description}>
        <textarea id={`${id}-desc`} rows={3} value={description} onChange={(e) => setDescription(e.target.value)} {...described(`${id}-desc`, true, fields.description)} data-testid="action-description" />
      </Field>
      <div className="field-row">
        <Field id={`${id}-lead`} label={t('actions.field.lead')} hint={t('actions.leadHint')} error={fields.leadAgencyId}>
          <OrgSelect id={`${id}-lead`} orgs={orgs} value={lead} onChange={setLead} testId="action-lead" />
        </Field>
        <Field id={`${id}-status`} label={t('actions.field.status')} error={fields.status}>
          <select id={`${id}-status`} value={status} onChange={(e) => setStatus(e.target.value as ActionStatus)} data-testid="action-status">
            {ActionStatusSchema.options.map((s) => (
              <option key={s} value={s}>
                {t(`actionStatus.${s}`)}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <div className="field-row">
        <OrgChecklist legend={t('actions.field.coImplementers')} orgs={orgs} value={co} onChange={setCo} testId="action-co" />
        <OrgChecklist
          legend={t('actions.field.partners')}
          hint={t('actions.partnersHint')}
          orgs={orgs.filter((o) => o.side !== 'government' || partners.includes(o.id))}
          value={partners}
          onChange={setPartners}
          testId="action-partners"
        />
      </div>
      <AddOrganisation planId={planId} onAdded={onOrgAdded} />
      <fieldset className="field-group">
        <legend>{t('actions.field.timeline')}</legend>
        <p className="field__hint">{timeHint}</p>
        <div className="field-row">
          <Field id={`${id}-start`} label={t('actions.field.start')} error={fields.start}>
            <input id={`${id}-start`} type="text" className="input--short" value={start} onChange={(e) => setStart(e.target.value)} {...described(`${id}-start`, false, fields.start)} data-testid="action-start" />
          </Field>
          <Field id={`${id}-end`} label={t('actions.field.end')} error={fields.end}>
            <input id={`${id}-end`} type="text" className="input--short" value={end} onChange={(e) => setEnd(e.target.value)} {...described(`${id}-end`, false, fields.end)} data-testid="action-end" />
          </Field>
        </div>
      </fieldset>
      <fieldset className="field-group">
        <legend>{t('actions.field.budget')}</legend>
        <p className="field__hint">{t('actions.budgetHint')}</p>
        <div className="field-row">
          <Field id={`${id}-budget`} label={t('actions.field.amount')} error={fields.budgetAmount}>
            <input id={`${id}-budget`} type="text" inputMode="decimal" className="input--short" value={budget} onChange={(e) => setBudget(e.target.value)} {...described(`${id}-budget`, false, fields.budgetAmount)} data-testid="action-budget" />
          </Field>
          <Field id={`${id}-cur`} label={t('actions.field.currency')} error={fields.currency}>
            <input
              id={`${id}-cur`}
              type="text"
              className="input--code"
              value={currency}
              maxLength={3}
              onChange={(e) => setCurrency(e.target.value.toUpperCase())}
              autoCapitalize="characters"
              {...described(`${id}-cur`, false, fields.currency)}
              data-testid="action-currency"
            />
          </Field>
          <Field id={`${id}-fund`} label={t('actions.field.funding')} error={fields.fundingSource}>
            <input id={`${id}-fund`} type="text" value={funding} onChange={(e) => setFunding(e.target.value)} maxLength={500} {...described(`${id}-fund`, false, fields.fundingSource)} data-testid="action-funding" />
          </Field>
        </div>
      </fieldset>
      <div className="button-row">
        <Button type="submit" busy={busy} data-testid="action-save">
          {initial ? t('actions.saveChanges') : t('actions.create')}
        </Button>
        <Button variant="link" onClick={onCancel} disabled={busy}>
          {t('common.cancel')}
        </Button>
      </div>
    </form>
  );
}

/** Sortable key for a time point: start of the year, quarter or day. */
function timeKey(v: string): string {
  const q = /^(\d{4})-Q([1-4])$/.exec(v);
  if (q) return `${q[1]}-${String((Number(q[2]) - 1) * 3 + 1).padStart(2, '0')}-01`;
  if (/^\d{4}$/.test(v)) return `${v}-01-01`;
  return v;
}

function OrgSelect({ id, orgs, value, onChange, testId, emptyLabel }: { id: string; orgs: PlanOrganisation[]; value: string; onChange: (v: string) => void; testId?: string; emptyLabel?: string }) {
  const { t } = useTranslation();
  return (
    <select id={id} value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
      <option value="">{emptyLabel ?? t('actions.noneChosen')}</option>
      {SIDES.map((side) => {
        const list = orgs.filter((o) => o.side === side);
        if (list.length === 0) return null;
        return (
          <optgroup key={side} label={t(`side.${side}`)}>
            {list.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </optgroup>
        );
      })}
    </select>
  );
}

function OrgChecklist({ legend, hint, orgs, value, onChange, testId }: { legend: string; hint?: string; orgs: PlanOrganisation[]; value: string[]; onChange: (v: string[]) => void; testId: string }) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <fieldset className="org-checklist" data-testid={testId}>
      <legend>{legend}</legend>
      {hint && <p className="field__hint">{hint}</p>}
      {orgs.length === 0 ? (
        <p className="muted small">{t('actions.noOrgs')}</p>
      ) : (
        <ul>
          {orgs.map((o) => (
            <li key={o.id}>
              <input
                type="checkbox"
                id={`${id}-${o.id}`}
                checked={value.includes(o.id)}
                onChange={(e) => onChange(e.target.checked ? [...value, o.id] : value.filter((x) => x !== o.id))}
              />
              <label htmlFor={`${id}-${o.id}`}>
                {o.name} <SideBadge side={o.side} />
              </label>
            </li>
          ))}
        </ul>
      )}
    </fieldset>
  );
}

/** A small inline form (not a nested <form>) to make another organisation available to the plan. */
function AddOrganisation({ planId, onAdded }: { planId: string; onAdded: (o: PlanOrganisation) => void }) {
  const { t } = useTranslation();
  const id = useId();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [side, setSide] = useState<Side>('government');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [added, setAdded] = useState<string | null>(null);

  async function add() {
    if (!name.trim()) return;
    setBusy(true);
    setError(null);
    try {
      const org = await api.addOrganisation(planId, { name: name.trim(), side });
      onAdded(org);
      setAdded(org.name);
      setName('');
      setOpen(false);
    } catch (err) {
      setError(describeError(err, t).message);
    } finally {
      setBusy(false);
    }
  }

  if (!open) {
    return (
      <p className="add-org-toggle">
        <Button variant="link" className="button--small" onClick={() => setOpen(true)} data-testid="add-org-open">
          + {t('orgs.addOpen')}
        </Button>
        {added && (
          <span className="muted small" role="status">
            {t('orgs.added', { name: added })}
          </span>
        )}
      </p>
    );
  }
  return (
    <div className="add-org" role="group" aria-labelledby={`${id}-h`}>
      <p id={`${id}-h`} className="add-org__title">
        {t('orgs.addTitle')}
      </p>
      {error && (
        <p className="field__error" role="alert">
          {error}
        </p>
      )}
      <div className="inline-form">
        <div className="field">
          <label htmlFor={`${id}-name`}>{t('orgs.name')}</label>
          <input
            id={`${id}-name`}
            type="text"
            value={name}
            maxLength={200}
            onChange={(e) => setName(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                void add();
              }
              if (e.key === 'Escape') setOpen(false);
            }}
            data-testid="add-org-name"
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-side`}>{t('fields.side')}</label>
          <select id={`${id}-side`} value={side} onChange={(e) => setSide(e.target.value as Side)} data-testid="add-org-side">
            {SIDES.map((s) => (
              <option key={s} value={s}>
                {t(`side.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <Button variant="secondary" busy={busy} disabled={!name.trim()} onClick={() => void add()} data-testid="add-org-submit">
          {t('orgs.add')}
        </Button>
        <Button variant="link" onClick={() => setOpen(false)}>
          {t('common.cancel')}
        </Button>
      </div>
    </div>
  );
}

function IndicatorForm({
  orgs,
  initial,
  onSubmit,
  onCancel,
}: {
  orgs: PlanOrganisation[];
  initial?: Indicator;
  onSubmit: (input: IndicatorInput) => Promise<void>;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [type, setType] = useState<IndicatorType>(initial?.type ?? 'process');
  const [description, setDescription] = useState(initial?.description ?? '');
  const [unit, setUnit] = useState(orEmpty(initial?.unit));
  const [baselineValue, setBaselineValue] = useState(orEmpty(initial?.baselineValue));
  const [baselineYear, setBaselineYear] = useState(orEmpty(initial?.baselineYear));
  const [targetValue, setTargetValue] = useState(orEmpty(initial?.targetValue));
  const [targetYear, setTargetYear] = useState(orEmpty(initial?.targetYear));
  const [dataSource, setDataSource] = useState(orEmpty(initial?.dataSource));
  const [frequency, setFrequency] = useState(orEmpty(initial?.frequency));
  const [disaggregation, setDisaggregation] = useState(initial?.disaggregation.join(', ') ?? '');
  // A new indicator is proposed by the organisation of the person entering it, unless they say otherwise.
  const ownOrganisationId = useMe().organisation.id;
  const [proposedBy, setProposedBy] = useState(initial ? (initial.proposedByOrganisationId ?? '') : ownOrganisationId);
  const { busy, error, setError, fields, setFields, send } = useSubmission();

  const year = (v: string) => (v.trim() === '' ? null : Number(v));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    const parsed = IndicatorInputSchema.safeParse({
      type,
      description,
      unit: orNull(unit),
      baselineValue: orNull(baselineValue),
      baselineYear: year(baselineYear),
      targetValue: orNull(targetValue),
      targetYear: year(targetYear),
      dataSource: orNull(dataSource),
      frequency: orNull(frequency),
      disaggregation: disaggregation
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
      proposedByOrganisationId: proposedBy || null,
    });
    if (!parsed.success) {
      setFields(zodFieldErrors(parsed.error));
      setError(t('common.checkFields'));
      return;
    }
    if (parsed.data.baselineYear !== null && parsed.data.targetYear !== null && parsed.data.targetYear < parsed.data.baselineYear) {
      setFields({ targetYear: t('indicators.targetBeforeBaseline') });
      setError(t('common.checkFields'));
      return;
    }
    await send(() => onSubmit(parsed.data));
  }

  const yearError = (k: string) => (fields[k] ? t('indicators.yearInvalid') : undefined);

  return (
    <form className="indicator-form" onSubmit={submit} noValidate data-testid="indicator-form">
      <FormError message={error} />
      <Field id={`${id}-type`} label={t('indicators.field.type')} error={fields.type}>
        <p className="field__hint" id={`${id}-type-hint`}>
          {t(`indicators.typeHelp.${type}`)}
        </p>
        <select id={`${id}-type`} value={type} onChange={(e) => setType(e.target.value as IndicatorType)} aria-describedby={`${id}-type-hint`} data-testid="indicator-type">
          {IndicatorTypeSchema.options.map((k) => (
            <option key={k} value={k}>
              {t(`indicators.type.${k}`)}
            </option>
          ))}
        </select>
      </Field>
      <Field id={`${id}-desc`} label={t('indicators.field.description')} hint={t('indicators.descriptionHint')} error={fields.description}>
        <textarea id={`${id}-desc`} rows={2} value={description} onChange={(e) => setDescription(e.target.value)} {...described(`${id}-desc`, true, fields.description)} data-testid="indicator-description" />
      </Field>
      <Field id={`${id}-unit`} label={t('indicators.field.unit')} hint={t('indicators.unitHint')} error={fields.unit}>
        <input id={`${id}-unit`} type="text" value={unit} onChange={(e) => setUnit(e.target.value)} maxLength={100} {...described(`${id}-unit`, true, fields.unit)} data-testid="indicator-unit" />
      </Field>
      <div className="field-row">
        <fieldset className="field-group">
          <legend>{t('indicators.baseline')}</legend>
          <div className="field-row">
            <Field id={`${id}-bv`} label={t('indicators.field.value')} error={fields.baselineValue}>
              <input id={`${id}-bv`} type="text" className="input--short" value={baselineValue} onChange={(e) => setBaselineValue(e.target.value)} data-testid="indicator-baseline-value" />
            </Field>
            <Field id={`${id}-by`} label={t('indicators.field.year')} error={yearError('baselineYear')}>
              <input id={`${id}-by`} type="number" min={1945} max={2100} className="input--year" value={baselineYear} onChange={(e) => setBaselineYear(e.target.value)} data-testid="indicator-baseline-year" />
            </Field>
          </div>
        </fieldset>
        <fieldset className="field-group">
          <legend>{t('indicators.target')}</legend>
          <div className="field-row">
            <Field id={`${id}-tv`} label={t('indicators.field.value')} error={fields.targetValue}>
              <input id={`${id}-tv`} type="text" className="input--short" value={targetValue} onChange={(e) => setTargetValue(e.target.value)} data-testid="indicator-target-value" />
            </Field>
            <Field id={`${id}-ty`} label={t('indicators.field.year')} error={fields.targetYear === t('indicators.targetBeforeBaseline') ? fields.targetYear : yearError('targetYear')}>
              <input id={`${id}-ty`} type="number" min={1945} max={2100} className="input--year" value={targetYear} onChange={(e) => setTargetYear(e.target.value)} data-testid="indicator-target-year" />
            </Field>
          </div>
        </fieldset>
      </div>
      <div className="field-row">
        <Field id={`${id}-src`} label={t('indicators.field.dataSource')} hint={t('indicators.dataSourceHint')} error={fields.dataSource}>
          <input id={`${id}-src`} type="text" value={dataSource} onChange={(e) => setDataSource(e.target.value)} {...described(`${id}-src`, true, fields.dataSource)} data-testid="indicator-data-source" />
        </Field>
        <Field id={`${id}-freq`} label={t('indicators.field.frequency')} hint={t('indicators.frequencyHint')} error={fields.frequency}>
          <input id={`${id}-freq`} type="text" className="input--short" value={frequency} onChange={(e) => setFrequency(e.target.value)} {...described(`${id}-freq`, true, fields.frequency)} data-testid="indicator-frequency" />
        </Field>
      </div>
      <div className="field-row">
        <Field id={`${id}-dis`} label={t('indicators.field.disaggregation')} hint={t('indicators.disaggregationHint')} error={fields.disaggregation}>
          <input id={`${id}-dis`} type="text" value={disaggregation} onChange={(e) => setDisaggregation(e.target.value)} {...described(`${id}-dis`, true, fields.disaggregation)} data-testid="indicator-disaggregation" />
        </Field>
        <Field id={`${id}-by-org`} label={t('indicators.field.proposedBy')} hint={t('indicators.proposedByHint')} error={fields.proposedByOrganisationId}>
          <OrgSelect id={`${id}-by-org`} orgs={orgs} value={proposedBy} onChange={setProposedBy} testId="indicator-proposed-by" emptyLabel={t('indicators.notRecorded')} />
        </Field>
      </div>
      <div className="button-row">
        <Button type="submit" busy={busy} data-testid="indicator-save">
          {initial ? t('actions.saveChanges') : t('indicators.create')}
        </Button>
        <Button variant="link" onClick={onCancel} disabled={busy}>
          {t('common.cancel')}
        </Button>
      </div>
    </form>
  );
}

/** Search the plan's recommendations and attach or detach each with one click. */
function LinkRecsPicker({ planId, action, onChanged, onClose }: { planId: string; action: Action; onChanged: () => Promise<void>; onClose: () => void }) {
  const { t } = useTranslation();
  const id = useId();
  const [q, setQ] = useState('');
  const [onlyUnaddressed, setOnlyUnaddressed] = useState(false);
  const [results, setResults] = useState<Recommendation[] | null>(null);
  const [total, setTotal] = useState(0);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const linked = new Set(action.recommendations.map((r) => r.id));

  useEffect(() => {
    let cancelled = false;
    const timer = setTimeout(() => {
      api
        .recommendations(planId, { q: q.trim() || undefined, unaddressed: onlyUnaddressed || undefined, limit: 20 })
        .then((p) => {
          if (cancelled) return;
          setResults(p.items);
          setTotal(p.total);
          setError(null);
        })
        .catch((err: unknown) => {
          if (!cancelled) setError(describeError(err, t).message);
        });
    }, 250);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [planId, q, onlyUnaddressed, t]);

  async function toggle(r: Recommendation) {
    setBusyId(r.id);
    setError(null);
    try {
      if (linked.has(r.id)) await api.unlinkRecommendation(planId, action.id, r.id);
      else await api.linkRecommendation(planId, action.id, r.id);
      await onChanged();
    } catch (err) {
      setError(describeError(err, t).message);
    } finally {
      setBusyId(null);
    }
  }

  return (
    <div className="link-picker" role="group" aria-labelledby={`${id}-h`} data-testid="link-recs">
      <div className="panel__head">
        <p id={`${id}-h`} className="link-picker__title">
          {t('linkRecs.title', { title: action.title })}
        </p>
        <Button variant="link" className="button--small" onClick={onClose} data-testid="link-recs-close">
          {t('linkRecs.done')}
        </Button>
      </div>
      <div className="field">
        <label htmlFor={`${id}-q`}>{t('linkRecs.search')}</label>
        <p className="field__hint">{t('linkRecs.searchHint')}</p>
        <input id={`${id}-q`} type="search" value={q} onChange={(e) => setQ(e.target.value)} autoFocus data-testid="link-recs-search" />
      </div>
      <div className="checkbox">
        <input id={`${id}-un`} type="checkbox" checked={onlyUnaddressed} onChange={(e) => setOnlyUnaddressed(e.target.checked)} />
        <label htmlFor={`${id}-un`}>{t('recs.filter.unaddressed')}</label>
      </div>
      {error && (
        <p className="alert alert--error" role="alert">
          {error}
        </p>
      )}
      {results === null ? (
        <p className="muted" role="status">
          {t('common.loading')}
        </p>
      ) : results.length === 0 ? (
        <p className="muted">{t('linkRecs.none')}</p>
      ) : (
        <>
          <p className="muted small" role="status">
            {t('linkRecs.count', { shown: results.length, total })}
          </p>
          <ul className="link-picker__results">
            {results.map((r) => {
              const isLinked = linked.has(r.id);
              return (
                <li key={r.id} className={isLinked ? 'is-linked' : undefined} data-testid="link-recs-result" data-rec-id={r.id}>
                  <div className="link-picker__rec">
                    <p className="link-picker__ref">
                      <strong>{r.reference}</strong> <PositionBadge position={r.position} />
                      {isLinked && <span className="linked-mark"> ✓ {t('linkRecs.linked')}</span>}
                      {r.actionCount > 0 && <span className="muted small"> · {t('linkRecs.actionCount', { count: r.actionCount })}</span>}
                    </p>
                    <p className="link-picker__text">{r.text}</p>
                  </div>
                  <Button
                    variant={isLinked ? 'secondary' : 'primary'}
                    className="button--small"
                    busy={busyId === r.id}
                    aria-pressed={isLinked}
                    onClick={() => void toggle(r)}
                    data-testid="link-recs-attach"
                  >
                    {isLinked ? t('linkRecs.detach') : t('linkRecs.attach')}
                    <span className="visually-hidden"> {r.reference}</span>
                  </Button>
                </li>
              );
            })}
          </ul>
        </>
      )}
    </div>
  );
}
