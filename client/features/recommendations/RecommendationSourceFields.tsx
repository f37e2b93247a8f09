import { useTranslation } from 'react-i18next';
import { MechanismSchema, type Mechanism } from '../../../shared/api/index.ts';
import { useFormat } from '../../i18n/format.ts';
import type { FieldErrors } from '../../ui/forms.tsx';
import { Field } from '../actions/Field.tsx';
import { described } from '../actions/fieldValues.ts';
import { mechanismLabel } from './recommendations.tsx';
import { fieldError, TEXT_LANGUAGES, type SourceValues } from './recommendationEntry.ts';

/**
 * The boxes saying where a recommendation comes from and what it says, shared by the form that
 * adds one by hand and the one that corrects it. `testId` prefixes each control's test id
 * (`rec-add` gives `rec-add-text`).
 */
export function RecommendationSourceFields({
  id,
  testId,
  values,
  onChange,
  fields,
  referenceHint,
}: {
  id: string;
  testId: string;
  values: SourceValues;
  onChange: (change: Partial<SourceValues>) => void;
  fields: FieldErrors;
  referenceHint: string;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const f = (name: string) => fieldError(fields, name);
  const input = (name: Exclude<keyof SourceValues, 'pledge'>, hint: boolean, extra: { maxLength?: number; inputMode?: 'numeric' } = {}) => (
    <input
      id={`${id}-${name}`}
      type="text"
      value={values[name]}
      onChange={(e) => onChange({ [name]: e.target.value })}
      {...described(`${id}-${name}`, hint, f(name))}
      {...extra}
      data-testid={`${testId}-${name}`}
    />
  );
  // A language typed through the API outside the usual ones is still offered, so saving keeps it.
  const languages: readonly string[] = TEXT_LANGUAGES.some((l) => l === values.language) ? TEXT_LANGUAGES : [...TEXT_LANGUAGES, values.language];

  return (
    <>
      <div className="field-row">
        <Field id={`${id}-mechanism`} label={t('recs.field.mechanism')} error={f('mechanism')}>
          <select
            id={`${id}-mechanism`}
            value={values.mechanism}
            onChange={(e) => onChange({ mechanism: e.target.value as Mechanism })}
            {...described(`${id}-mechanism`, false, f('mechanism'))}
            data-testid={`${testId}-mechanism`}
          >
            {MechanismSchema.options.map((m) => (
              <option key={m} value={m}>
                {mechanismLabel(t, m)}
              </option>
            ))}
          </select>
        </Field>
        <Field id={`${id}-reference`} label={t('recs.field.reference')} hint={referenceHint} error={f('reference')}>
          {input('reference', true, { maxLength: 100 })}
        </Field>
      </div>
      <div className="field-row">
        <Field id={`${id}-documentSymbol`} label={t('recs.field.documentSymbol')} hint={t('recs.documentSymbolHint')} error={f('documentSymbol')}>
          {input('documentSymbol', true, { maxLength: 500 })}
        </Field>
        <Field id={`${id}-paragraph`} label={t('recs.field.paragraph')} hint={t('recs.paragraphHint')} error={f('paragraph')}>
          {input('paragraph', true, { maxLength: 50 })}
        </Field>
      </div>
      <div className="field-row">
        <Field id={`${id}-cycle`} label={t('recs.field.cycle')} hint={t('recs.cycleHint')} error={f('cycle')}>
          {input('cycle', true, { inputMode: 'numeric' })}
        </Field>
        <Field id={`${id}-date`} label={t('recs.field.date')} hint={t('recs.dateHint')} error={f('date')}>
          {input('date', true)}
        </Field>
      </div>
      <Field id={`${id}-text`} label={t('recs.field.text')} hint={t('recs.textHint')} error={f('text')}>
        <textarea
          id={`${id}-text`}
          rows={6}
          value={values.text}
          onChange={(e) => onChange({ text: e.target.value })}
          maxLength={20_000}
          lang={values.language}
          required
          {...described(`${id}-text`, true, f('text'))}
          data-testid={`${testId}-text`}
        />
      </Field>
      <div className="field-row">
        <Field id={`${id}-language`} label={t('recs.field.language')} error={f('language')}>
          <select id={`${id}-language`} value={values.language} onChange={(e) => onChange({ language: e.target.value })} {...described(`${id}-language`, false, f('language'))} data-testid={`${testId}-language`}>
            {languages.map((l) => (
              <option key={l} value={l}>
                {format.languageName(l)}
              </option>
            ))}
          </select>
        </Field>
        <Field id={`${id}-stateUnderReview`} label={t('recs.field.stateUnderReview')} error={f('stateUnderReview')}>
          {input('stateUnderReview', false, { maxLength: 200 })}
        </Field>
      </div>
      <Field id={`${id}-states`} label={t('recs.field.recommendingStates')} hint={t('recs.recommendingStatesHint')} error={f('recommendingStates')}>
        <textarea id={`${id}-states`} rows={3} value={values.states} onChange={(e) => onChange({ states: e.target.value })} {...described(`${id}-states`, true, f('recommendingStates'))} data-testid={`${testId}-states`} />
      </Field>
      <div className="checkbox">
        <input
          id={`${id}-pledge`}
          type="checkbox"
          checked={values.pledge}
          onChange={(e) => onChange({ pledge: e.target.checked })}
          aria-describedby={`${id}-pledge-hint`}
          data-testid={`${testId}-pledge`}
        />
        <label htmlFor={`${id}-pledge`}>{t('recs.field.pledge')}</label>
        <p className="field__hint" id={`${id}-pledge-hint`}>
          {t('recs.pledgeHint')}
        </p>
      </div>
    </>
  );
}
