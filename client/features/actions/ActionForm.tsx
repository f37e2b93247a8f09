import { useId, useMemo, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ActionInputSchema, ActionStatusSchema, type Action, type ActionInput, type ActionStatus } from '../../../shared/api/index.ts';
import type { PlanOrganisation } from '../../api/index.ts';
import { Button, FormError, useFocusFirstInvalid, useSubmission, zodFieldErrors } from '../../ui/forms.tsx';
import { useOffline } from '../../sync/connectivity.ts';
import { OfflineNote } from '../../sync/OfflineNote.tsx';
import { timeKey } from './actionText.ts';
import { AddOrganisation } from './AddOrganisation.tsx';
import { Field } from './Field.tsx';
import { described, orEmpty, orNull } from './fieldValues.ts';
import { OrgChecklist, OrgSelect } from './OrgPickers.tsx';
import { typedNumber } from '../../i18n/typedNumber.ts';
import { currencyOptions } from '../../i18n/format.ts';

/** Adding or editing an action: what, who leads and helps, by when, with which money. */
export function ActionForm({
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
  const form = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(form, fields);
  // Offline, saving waits (Enter in a field too); what was typed stays in the form.
  const offline = useOffline();

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (offline) return;
    setError(null);
    const amount = budget.trim() === '' ? null : typedNumber(budget);
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
      setFields(zodFieldErrors(parsed.error, t));
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
    <form ref={form} className="action-form" onSubmit={submit} noValidate data-testid="action-form">
      <FormError
        message={error}
        saidAtFields={[fields.title, fields.description, fields.leadAgencyId, fields.status, fields.start, fields.end, fields.budgetAmount, fields.currency, fields.fundingSource]}
      />
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
              maxLength={20}
              list={`${id}-cur-list`}
              onChange={(e) => setCurrency(e.target.value.toUpperCase())}
              autoCapitalize="characters"
              {...described(`${id}-cur`, false, fields.currency)}
              data-testid="action-currency"
            />
            <CurrencyOptions id={`${id}-cur-list`} />
          </Field>
          <Field id={`${id}-fund`} label={t('actions.field.funding')} error={fields.fundingSource}>
            <input id={`${id}-fund`} type="text" value={funding} onChange={(e) => setFunding(e.target.value)} maxLength={500} {...described(`${id}-fund`, false, fields.fundingSource)} data-testid="action-funding" />
          </Field>
        </div>
      </fieldset>
      <OfflineNote testId="action-form-offline" kept />
      <div className="button-row">
        <Button type="submit" busy={busy} disabled={offline} data-testid="action-save">
          {initial ? t('actions.saveChanges') : t('actions.create')}
        </Button>
        <Button variant="link" onClick={onCancel} disabled={busy}>
          {t('common.cancel')}
        </Button>
      </div>
    </form>
  );
}

/** Every ISO 4217 code the browser knows, named in the reader's language, to pick from as one types. */
function CurrencyOptions({ id }: { id: string }) {
  const { i18n } = useTranslation();
  const options = useMemo(() => currencyOptions(i18n.language), [i18n.language]);
  return (
    <datalist id={id}>
      {options.map(([code, name]) => (
        <option key={code} value={code}>
          {name}
        </option>
      ))}
    </datalist>
  );
}
