import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate } from 'react-router';
import { CreatePlanSchema, type PlanSummary } from '../../shared/api/index.ts';
import { api } from '../api/index.ts';
import { isLanguage } from '../i18n/pickLanguage.ts';
import { RoleBadge } from '../ui/badges.tsx';
import { Button, FormError, TextField, describeError, useFocusFirstInvalid, zodFieldErrors, type FieldErrors } from '../ui/forms.tsx';
import { useDocumentTitle } from '../ui/useDocumentTitle.ts';

export function PlansPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('plans.title'));
  const [plans, setPlans] = useState<PlanSummary[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const location = useLocation();
  const notice = (location.state as { notice?: string; planTitle?: string } | null) ?? null;
  // Arriving with news (removed from a plan, or left it) from further down a long page: the news
  // is at the top, so that is where the page starts, on a phone too.
  useEffect(() => {
    if (notice?.notice) window.scrollTo(0, 0);
  }, [notice?.notice]);

  const load = useCallback(async () => {
    try {
      setPlans(await api.plans());
      setLoadError(null);
    } catch (err) {
      setLoadError(describeError(err, t).message);
    }
  }, [t]);

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <main id="main" className="page">
      <h1>{t('plans.title')}</h1>
      {notice?.notice === 'removedFromPlan' && (
        <div className="alert alert--warning" role="alert" data-testid="removed-notice">
          {t('plan.removed', { title: notice.planTitle ?? '' })}
        </div>
      )}
      {notice?.notice === 'leftPlan' && (
        <div className="alert alert--success" role="status" data-testid="left-notice">
          {t('plan.left', { title: notice.planTitle ?? '' })}
        </div>
      )}
      <FormError message={loadError} />
      {plans === null && !loadError && <p className="muted" role="status">{t('common.loading')}</p>}
      {plans !== null && plans.length === 0 && (
        <section className="empty-state" data-testid="plans-empty">
          <h2>{t('plans.emptyTitle')}</h2>
          <p>{t('plans.emptyWhat')}</p>
          <p>{t('plans.emptyHow')}</p>
        </section>
      )}
      {plans !== null && plans.length > 0 && (
        <ul className="plan-list" data-testid="plan-list">
          {plans.map((p) => (
            <li key={p.id} className="plan-card" data-testid="plan-item">
              <h2 className="plan-card__title">
                <Link to={`/plans/${p.id}`}>{p.title}</Link>
              </h2>
              <p className="plan-card__meta">
                {t('plans.meta', { country: p.country, start: p.periodStart, end: p.periodEnd })} <RoleBadge role={p.role} />
              </p>
              {p.source && (
                <p className="plan-card__source" data-testid="plan-source">
                  {t('plans.source', { source: p.source })}
                </p>
              )}
            </li>
          ))}
        </ul>
      )}
      <CreatePlanForm />
    </main>
  );
}

function CreatePlanForm() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const year = new Date().getFullYear();
  const [title, setTitle] = useState('');
  const [country, setCountry] = useState('');
  const [start, setStart] = useState(String(year + 1));
  const [end, setEnd] = useState(String(year + 5));
  const [busy, setBusy] = useState(false);
  const [fields, setFields] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(formRef, fields);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    const parsed = CreatePlanSchema.safeParse({
      title,
      country,
      periodStart: Number.parseInt(start, 10),
      periodEnd: Number.parseInt(end, 10),
      // The new plan's first chapter and section are named in the language the person reads.
      language: isLanguage(i18n.language) ? i18n.language : undefined,
    });
    if (!parsed.success) {
      setFields(zodFieldErrors(parsed.error, t));
      return;
    }
    setFields({});
    setBusy(true);
    try {
      const plan = await api.createPlan(parsed.data);
      navigate(`/plans/${plan.id}`);
    } catch (err) {
      const d = describeError(err, t);
      setError(d.message);
      setFields(d.fields);
      setBusy(false);
    }
  }

  return (
    <section className="panel spaced" aria-labelledby="create-plan-heading">
      <h2 id="create-plan-heading">{t('plans.createTitle')}</h2>
      <form ref={formRef} onSubmit={submit} noValidate data-testid="create-plan-form" className="form-grid">
        <FormError message={error} saidAtFields={[fields.title, fields.country, fields.periodStart, fields.periodEnd]} />
        <TextField label={t('fields.planTitle')} hint={t('plans.titleHint')} value={title} onChange={setTitle} error={fields.title} testId="create-plan-title" required />
        <TextField label={t('fields.country')} value={country} onChange={setCountry} error={fields.country} autoComplete="country-name" testId="create-plan-country" required />
        <div className="field-row">
          <TextField label={t('fields.periodStart')} type="number" inputMode="numeric" min={1945} max={2100} value={start} onChange={setStart} error={fields.periodStart} testId="create-plan-start" />
          <TextField label={t('fields.periodEnd')} type="number" inputMode="numeric" min={1945} max={2100} value={end} onChange={setEnd} error={fields.periodEnd} testId="create-plan-end" />
        </div>
        <Button type="submit" busy={busy} data-testid="create-plan-submit">
          {busy ? t('plans.creating') : t('plans.create')}
        </Button>
      </form>
    </section>
  );
}
