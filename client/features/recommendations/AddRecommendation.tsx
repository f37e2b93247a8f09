import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { MechanismSchema, PositionSchema, type Mechanism, type Position, type Recommendation } from '../../../shared/api/index.ts';
import { ApiError, api } from '../../api/index.ts';
import { useFormat } from '../../i18n/format.ts';
import { Button, FormError, describeError, useFocusFirstInvalid, type FieldErrors } from '../../ui/forms.tsx';
import { Field } from '../actions/Field.tsx';
import { described, orNull } from '../actions/fieldValues.ts';
import { mechanismLabel } from './recommendations.tsx';
import { fieldError, lines, TEXT_LANGUAGES } from './recommendationEntry.ts';

/**
 * Entering a recommendation that no importable file holds: a treaty body's concluding observations
 * on paper, a special procedure's letter. Only the mechanism, the State and the text are needed; the
 * server assigns a reference when none is given.
 */
export function AddRecommendation({
  planId,
  country,
  onAdded,
  onCancel,
}: {
  planId: string;
  /** The plan's country: the State under review unless the person says otherwise. */
  country: string;
  onAdded: (r: Recommendation) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const id = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const [mechanism, setMechanism] = useState<Mechanism>('UPR');
  const [reference, setReference] = useState('');
  const [documentSymbol, setDocumentSymbol] = useState('');
  const [paragraph, setParagraph] = useState('');
  const [cycle, setCycle] = useState('');
  const [date, setDate] = useState('');
  const [text, setText] = useState('');
  const [language, setLanguage] = useState('en');
  const [stateUnderReview, setStateUnderReview] = useState(country);
  const [states, setStates] = useState('');
  const [position, setPosition] = useState<Position>('pending');
  const [themes, setThemes] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<FieldErrors>({});
  useFocusFirstInvalid(formRef, fields);

  // The form opens above the list: reading starts at its heading.
  useEffect(() => headingRef.current?.focus(), []);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    if (cycle.trim() !== '' && !/^\d+$/.test(cycle.trim())) {
      setFields({ cycle: t('fieldErrors.not_integer') });
      setError(t('common.checkFields'));
      return;
    }
    setFields({});
    setBusy(true);
    try {
      // The server checks everything (the same schema as imports) and says which field is wrong.
      const created = await api.createRecommendation(planId, {
        mechanism,
        reference: orNull(reference),
        documentSymbol: orNull(documentSymbol),
        paragraph: orNull(paragraph),
        cycle: cycle.trim() === '' ? null : Number(cycle),
        date: orNull(date),
        text,
        language,
        stateUnderReview,
        recommendingStates: lines(states),
        position,
        themes: lines(themes),
      });
      onAdded(created);
    } catch (err) {
      const d = describeError(err, t);
      setError(d.message);
      // A reference used by another recommendation is a conflict, not a field problem, to the server; here it is the field to change.
      setFields(err instanceof ApiError && err.code === 'reference_taken' ? { reference: d.message } : d.fields);
    } finally {
      setBusy(false);
    }
  }

  const f = (name: string) => fieldError(fields, name);
  const input = (name: string, value: string, set: (v: string) => void, hint: boolean, extra: { maxLength?: number; inputMode?: 'numeric' } = {}) => (
    <input id={`${id}-${name}`} type="text" value={value} onChange={(e) => set(e.target.value)} {...described(`${id}-${name}`, hint, f(name))} {...extra} data-testid={`rec-add-${name}`} />
  );

  return (
    <section className="panel rec-add" aria-labelledby={`${id}-h`} data-testid="rec-add">
      <h2 id={`${id}-h`} ref={headingRef} tabIndex={-1}>
        {t('recs.addTitle')}
      </h2>
      <p className="muted">{t('recs.addIntro')}</p>
      <form ref={formRef} onSubmit={submit} noValidate data-testid="rec-add-form">
        <FormError message={error} />
        <div className="field-row">
          <Field id={`${id}-mechanism`} label={t('recs.field.mechanism')} error={f('mechanism')}>
            <select id={`${id}-mechanism`} value={mechanism} onChange={(e) => setMechanism(e.target.value as Mechanism)} {...described(`${id}-mechanism`, false, f('mechanism'))} data-testid="rec-add-mechanism">
              {MechanismSchema.options.map((m) => (
                <option key={m} value={m}>
                  {mechanismLabel(t, m)}
                </option>
              ))}
            </select>
          </Field>
          <Field id={`${id}-reference`} label={t('recs.field.reference')} hint={t('recs.referenceHint')} error={f('reference')}>
            {input('reference', reference, setReference, true, { maxLength: 100 })}
          </Field>
        </div>
        <div className="field-row">
          <Field id={`${id}-documentSymbol`} label={t('recs.field.documentSymbol')} hint={t('recs.documentSymbolHint')} error={f('documentSymbol')}>
            {input('documentSymbol', documentSymbol, setDocumentSymbol, true, { maxLength: 500 })}
          </Field>
          <Field id={`${id}-paragraph`} label={t('recs.field.paragraph')} hint={t('recs.paragraphHint')} error={f('paragraph')}>
            {input('paragraph', paragraph, setParagraph, true, { maxLength: 50 })}
          </Field>
        </div>
        <div className="field-row">
          <Field id={`${id}-cycle`} label={t('recs.field.cycle')} hint={t('recs.cycleHint')} error={f('cycle')}>
            {input('cycle', cycle, setCycle, true, { inputMode: 'numeric' })}
          </Field>
          <Field id={`${id}-date`} label={t('recs.field.date')} hint={t('recs.dateHint')} error={f('date')}>
            {input('date', date, setDate, true)}
          </Field>
        </div>
        <Field id={`${id}-text`} label={t('recs.field.text')} hint={t('recs.textHint')} error={f('text')}>
          <textarea id={`${id}-text`} rows={6} value={text} onChange={(e) => setText(e.target.value)} maxLength={20_000} lang={language} required {...described(`${id}-text`, true, f('text'))} data-testid="rec-add-text" />
        </Field>
        <div className="field-row">
          <Field id={`${id}-language`} label={t('recs.field.language')} error={f('language')}>
            <select id={`${id}-language`} value={language} onChange={(e) => setLanguage(e.target.value)} {...described(`${id}-language`, false, f('language'))} data-testid="rec-add-language">
              {TEXT_LANGUAGES.map((l) => (
                <option key={l} value={l}>
                  {format.languageName(l)}
                </option>
              ))}
            </select>
          </Field>
          <Field id={`${id}-stateUnderReview`} label={t('recs.field.stateUnderReview')} error={f('stateUnderReview')}>
            {input('stateUnderReview', stateUnderReview, setStateUnderReview, false, { maxLength: 200 })}
          </Field>
        </div>
        <Field id={`${id}-states`} label={t('recs.field.recommendingStates')} hint={t('recs.recommendingStatesHint')} error={f('recommendingStates')}>
          <textarea id={`${id}-states`} rows={3} value={states} onChange={(e) => setStates(e.target.value)} {...described(`${id}-states`, true, f('recommendingStates'))} data-testid="rec-add-states" />
        </Field>
        <Field id={`${id}-position`} label={t('recs.field.position')} hint={t('recs.addPositionHint')} error={f('position')}>
          <select id={`${id}-position`} value={position} onChange={(e) => setPosition(e.target.value as Position)} {...described(`${id}-position`, true, f('position'))} data-testid="rec-add-position">
            {PositionSchema.options.map((p) => (
              <option key={p} value={p}>
                {t(`position.${p}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field id={`${id}-themes`} label={t('recs.field.themes')} hint={t('recs.themesHint')} error={f('themes')}>
          <textarea id={`${id}-themes`} rows={3} value={themes} onChange={(e) => setThemes(e.target.value)} {...described(`${id}-themes`, true, f('themes'))} data-testid="rec-add-themes" />
        </Field>
        <div className="button-row">
          <Button type="submit" busy={busy} data-testid="rec-add-save">
            {t('recs.addSubmit')}
          </Button>
          <Button variant="link" onClick={onCancel} disabled={busy} data-testid="rec-add-cancel">
            {t('common.cancel')}
          </Button>
        </div>
      </form>
    </section>
  );
}
