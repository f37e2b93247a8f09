import { useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { IndicatorInputSchema, IndicatorTypeSchema, type Indicator, type IndicatorInput, type IndicatorType } from '../../../shared/api/index.ts';
import type { PlanOrganisation } from '../../api/index.ts';
import { Button, FormError, useFocusFirstInvalid, useSubmission, zodFieldErrors } from '../../ui/forms.tsx';
import { useOffline } from '../../sync/connectivity.ts';
import { OfflineNote } from '../../sync/OfflineNote.tsx';
import { useMe } from '../../session/SessionContext.tsx';
import { Field } from './Field.tsx';
import { described, orEmpty, orNull } from './fieldValues.ts';
import { OrgSelect } from './OrgPickers.tsx';
import { numericValue } from '../../../shared/indicators/numericValue.ts';
import { indicatorMeasure } from '../../../shared/indicators/yesNo.ts';

/** The indicator's fields this form shows, each with its own error. */
const INDICATOR_FIELDS = ['type', 'description', 'unit', 'baselineValue', 'baselineYear', 'targetValue', 'targetYear', 'dataSource', 'frequency', 'disaggregation', 'proposedByOrganisationId'] as const;

/** Adding or editing an indicator: how progress on an action is measured, from where to where. */
export function IndicatorForm({
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
  const form = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(form, fields);
  // Offline, saving waits (Enter in a field too); what was typed stays in the form.
  const offline = useOffline();

  const year = (v: string) => (v.trim() === '' ? null : Number(v));

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (offline) return;
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
      setFields(zodFieldErrors(parsed.error, t));
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

  // Words the progress chart cannot place ("at least twelve"): said while typing, never refused,
  // since a structural indicator may rightly be described in words.
  const notCharted = [baselineValue, targetValue]
    .map((v) => v.trim())
    .find((v) => v !== '' && numericValue(v) === null && indicatorMeasure({ baselineValue, targetValue }) === 'number');
  return (
    <form ref={form} className="indicator-form" onSubmit={submit} noValidate data-testid="indicator-form">
      {/* A refused year is said at its field, in the form's own words for years. */}
      <FormError message={error} saidAtFields={INDICATOR_FIELDS.map((k) => fields[k])} />
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
      {notCharted && (
        <p className="field__hint" role="status" data-testid="indicator-not-charted">
          {t('indicators.notCharted', { value: notCharted })}
        </p>
      )}
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
      <OfflineNote testId="indicator-form-offline" kept />
      <div className="button-row">
        <Button type="submit" busy={busy} disabled={offline} data-testid="indicator-save">
          {initial ? t('actions.saveChanges') : t('indicators.create')}
        </Button>
        <Button variant="link" onClick={onCancel} disabled={busy}>
          {t('common.cancel')}
        </Button>
      </div>
    </form>
  );
}
