import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ProgressStatusSchema, type Action, type ProgressReport } from '../../../shared/api/index.ts';
import { monitoringApi } from '../../api/monitoring.ts';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { Button, FormError, SelectField, TextField, describeError, useFocusFirstInvalid } from '../../ui/forms.tsx';
import { Field } from '../actions/Field.tsx';
import { described } from '../actions/fieldValues.ts';
import { DayField } from '../../ui/DayField.tsx';
import { EvidenceEditor } from './EvidenceEditor.tsx';
import { bodyFrom, draftFrom, formFieldsOf, type ReportDraft } from './reportDraft.ts';
import { indicatorMeasure } from '../../../shared/indicators/yesNo.ts';
import { useOffline } from '../../sync/connectivity.ts';
import { OfflineNote } from '../../sync/OfflineNote.tsx';

interface Props {
  planId: string;
  roundId: string;
  action: Action;
  /** The draft being edited; null for a new report. */
  draft: ProgressReport | null;
  /** The submitted report a new one corrects (its content fills the form). */
  corrects: ProgressReport | null;
  onClose: () => void;
  onChanged: () => void;
}

/**
 * The implementers' report on one action in a round: drafted, saved, then submitted. Evidence is
 * added to a saved draft. A submitted report is never changed: a correction is a new report.
 */
export function ReportForm({ planId, roundId, action, draft, corrects, onClose, onChanged }: Props) {
  const { t, i18n } = useTranslation();
  // Saving, submitting and deleting are the server's: offline they wait, and say why; what is written stays.
  const offline = useOffline();
  const id = useId();
  // The button that opened the form is gone: the form's heading takes the focus, so keyboard and screen-reader users land in it.
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);
  const [form, setForm] = useState<ReportDraft>(() => draftFrom(action, draft ?? corrects, i18n.language));
  // What the form held when it opened or was last saved: closing with anything else asks first.
  const [kept, setKept] = useState<ReportDraft>(form);
  const dirty = JSON.stringify(form) !== JSON.stringify(kept);
  const [saved, setSaved] = useState<ProgressReport | null>(draft);
  const [busy, setBusy] = useState<'save' | 'submit' | 'delete' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(formRef, fields);
  // Indicators whose "observed on" field holds what is not a day (the field says why): nothing is
  // sent while any does, since the form still holds the last day that field took.
  const [unreadableDates, setUnreadableDates] = useState<ReadonlySet<string>>(new Set());
  const setDateReadable = (indicatorId: string, readable: boolean) =>
    setUnreadableDates((ids) => {
      if (readable !== ids.has(indicatorId)) return ids;
      const next = new Set(ids);
      if (readable) next.delete(indicatorId);
      else next.add(indicatorId);
      return next;
    });
  const [confirm, setConfirm] = useState<'submit' | 'delete' | 'discard' | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const set = (patch: Partial<ReportDraft>) => setForm((f) => ({ ...f, ...patch }));
  const setValue = (indicatorId: string, patch: Partial<ReportDraft['values'][number]>) =>
    setForm((f) => ({ ...f, values: f.values.map((v) => (v.indicatorId === indicatorId ? { ...v, ...patch } : v)) }));

  /** Saves the form as a draft (creating it the first time); the saved report, or null on failure. */
  /** The request body, or null after marking what keeps the form from being sent. */
  const checked = () => {
    const built = bodyFrom(form);
    if (built.ok && unreadableDates.size === 0) return built.body;
    const found: Record<string, string> = built.ok ? {} : Object.fromEntries(built.problems.map((p) => [p.field, t(p.key)]));
    // A date field holding what is not a day already says why; the day it took before is not checked.
    for (const indicatorId of unreadableDates) delete found[`date.${indicatorId}`];
    setFields(found);
    setError(t('monitoring.form.fixProblems'));
    return null;
  };

  const save = async (): Promise<ProgressReport | null> => {
    const body = checked();
    if (!body) return null;
    setFields({});
    setError(null);
    try {
      const sent = form;
      const report = saved
        ? await monitoringApi.updateReport(planId, saved.id, body)
        : await monitoringApi.createReport(planId, roundId, action.id, { ...body, corrects: corrects?.id ?? null });
      setSaved(report);
      setKept(sent);
      onChanged();
      return report;
    } catch (err) {
      const d = describeError(err, t);
      setError(d.message);
      setFields(formFieldsOf(d.fields, body));
      return null;
    }
  };

  const run = async (kind: 'save' | 'submit' | 'delete') => {
    setBusy(kind);
    try {
      if (kind === 'save') {
        if (await save()) setNotice(t('monitoring.form.savedDraft'));
      } else if (kind === 'submit') {
        const report = await save();
        if (!report) return setConfirm(null);
        await monitoringApi.submitReport(planId, report.id);
        onChanged();
        onClose();
      } else if (saved) {
        await monitoringApi.deleteReport(planId, saved.id);
        onChanged();
        onClose();
      }
    } catch (err) {
      setError(describeError(err, t).message);
      setConfirm(null);
    } finally {
      setBusy(null);
    }
  };

  const needsReason = form.status === 'delayed' || form.status === 'cancelled';
  // Every message the form says at a box, so that a refusal said there is not said again under the form.
  const saidAtFields = [
    fields.status,
    needsReason ? fields.reason : undefined,
    fields.narrative,
    fields.spent,
    ...action.indicators.flatMap((ind) => [fields[`value.${ind.id}`], fields[`date.${ind.id}`], fields[`source.${ind.id}`], ...ind.disaggregation.map((dim) => fields[`disagg.${ind.id}.${dim}`])]),
  ];
  return (
    <form ref={formRef} className="mon-form" aria-labelledby={`${id}-h`} data-testid="report-form" onSubmit={(e) => e.preventDefault()} noValidate>
      <h4 id={`${id}-h`} ref={headingRef} tabIndex={-1}>{corrects ? t('monitoring.form.correctTitle') : t('monitoring.form.title')}</h4>
      {corrects && <p className="alert alert--info">{t('monitoring.form.correctHelp')}</p>}
      <SelectField
        label={t('monitoring.form.status')}
        value={form.status}
        onChange={(status) => set({ status })}
        options={ProgressStatusSchema.options.map((s) => ({ value: s, label: t(`monitoring.status.${s}`) }))}
        error={fields.status}
        testId="report-status-input"
      />
      {needsReason && (
        <TextField label={t('monitoring.form.reason')} hint={t('monitoring.form.reasonHint')} value={form.reason} onChange={(reason) => set({ reason })} error={fields.reason} required testId="report-reason-input" />
      )}
      <Field id={`${id}-narr`} label={t('monitoring.form.narrative')} hint={t('monitoring.form.narrativeHint')} error={fields.narrative}>
        <textarea
          id={`${id}-narr`}
          rows={4}
          value={form.narrative}
          onChange={(e) => set({ narrative: e.target.value })}
          {...described(`${id}-narr`, true, fields.narrative)}
          data-testid="report-narrative-input"
        />
      </Field>
      <TextField
        label={action.currency ? t('monitoring.form.spent', { currency: action.currency }) : t('monitoring.form.spentNoCurrency')}
        hint={action.currency ? undefined : t('monitoring.form.noCurrency')}
        value={form.spent}
        onChange={(spent) => set({ spent })}
        inputMode="text"
        error={fields.spent}
        testId="report-spent-input"
      />
      {action.indicators.length > 0 && (
        <fieldset className="mon-form__values">
          <legend>{t('monitoring.form.values')}</legend>
          {action.indicators.map((ind) => {
            const v = form.values.find((x) => x.indicatorId === ind.id)!;
            return (
              <div key={ind.id} className="mon-form__value" data-testid="report-value" data-indicator-id={ind.id}>
                <p className="mon-form__indicator">
                  {ind.description}
                  <span className="muted small">
                    {' '}
                    {t('monitoring.form.baselineTarget', { baseline: ind.baselineValue ?? '—', target: ind.targetValue ?? '—', unit: ind.unit ?? '' })}
                  </span>
                </p>
                <div className="mon-form__row">
                  {indicatorMeasure(ind) === 'yes_no' ? (
                    // Its baseline and target are "No" and "Yes": the answer is chosen, and stored as 1 or 0.
                    <SelectField
                      label={t('monitoring.form.value')}
                      value={v.value}
                      onChange={(value) => setValue(ind.id, { value })}
                      options={[
                        { value: '', label: t('monitoring.form.notAnswered') },
                        { value: '1', label: t('monitoring.yes') },
                        { value: '0', label: t('monitoring.no') },
                      ]}
                      error={fields[`value.${ind.id}`]}
                      testId="report-value-input"
                    />
                  ) : (
                    <TextField label={t('monitoring.form.value')} value={v.value} onChange={(value) => setValue(ind.id, { value })} error={fields[`value.${ind.id}`]} testId="report-value-input" />
                  )}
                  <DayField
                    label={t('monitoring.form.date')}
                    value={v.date}
                    onChange={(date) => setValue(ind.id, { date })}
                    onReadableChange={(readable) => setDateReadable(ind.id, readable)}
                    error={fields[`date.${ind.id}`]}
                    testId="report-value-date"
                  />
                  <TextField label={t('monitoring.form.source')} value={v.source} onChange={(source) => setValue(ind.id, { source })} error={fields[`source.${ind.id}`]} testId="report-value-source" />
                </div>
                {ind.disaggregation.map((dim) => (
                  <TextField
                    key={dim}
                    label={t('monitoring.form.byDimension', { dimension: dim })}
                    hint={t('monitoring.form.groupsHint')}
                    value={v.disaggregated[dim] ?? ''}
                    onChange={(text) => setValue(ind.id, { disaggregated: { ...v.disaggregated, [dim]: text } })}
                    error={fields[`disagg.${ind.id}.${dim}`]}
                    testId="report-disaggregated-input"
                  />
                ))}
              </div>
            );
          })}
        </fieldset>
      )}
      <fieldset className="mon-form__evidence">
        <legend>{t('monitoring.evidence.title')}</legend>
        {saved ? <EvidenceEditor planId={planId} report={saved} onChanged={(r) => (setSaved(r), onChanged())} /> : <p className="muted">{t('monitoring.evidence.saveFirst')}</p>}
      </fieldset>
      <FormError message={error} saidAtFields={saidAtFields} />
      {notice && !error && (
        <p className="alert alert--success" role="status" data-testid="report-saved">
          {notice}
        </p>
      )}
      <div className="mon-actions">
        <Button variant="secondary" busy={busy === 'save'} disabled={busy !== null || offline} onClick={() => void run('save')} data-testid="report-save">
          {t('monitoring.form.saveDraft')}
        </Button>
        {/* Checked before asking: a problem shows at its field, not after the person confirmed. */}
        <Button busy={busy === 'submit'} disabled={busy !== null || offline} onClick={() => checked() && setConfirm('submit')} data-testid="report-submit">
          {t('monitoring.form.submit')}
        </Button>
        {saved && (
          <Button variant="link" disabled={busy !== null || offline} onClick={() => setConfirm('delete')} data-testid="report-delete">
            {t('monitoring.form.deleteDraft')}
          </Button>
        )}
        <Button variant="link" disabled={busy !== null} onClick={() => (dirty ? setConfirm('discard') : onClose())} data-testid="report-cancel">
          {t('monitoring.form.close')}
        </Button>
      </div>
      <OfflineNote testId="report-offline" kept />
      <ConfirmDialog
        open={confirm === 'submit'}
        title={t('monitoring.form.submitTitle')}
        confirmLabel={t('monitoring.form.submitConfirm')}
        confirmVariant="primary"
        busy={busy === 'submit'}
        onConfirm={() => void run('submit')}
        onCancel={() => setConfirm(null)}
        testId="report-submit-dialog"
        confirmTestId="report-submit-confirm"
      >
        <p>{t('monitoring.form.submitBody')}</p>
      </ConfirmDialog>
      <ConfirmDialog
        open={confirm === 'delete'}
        title={t('monitoring.form.deleteTitle')}
        confirmLabel={t('monitoring.form.deleteConfirm')}
        busy={busy === 'delete'}
        onConfirm={() => void run('delete')}
        onCancel={() => setConfirm(null)}
        testId="report-delete-dialog"
      >
        <p>{t('monitoring.form.deleteBody')}</p>
      </ConfirmDialog>
      <ConfirmDialog
        open={confirm === 'discard'}
        title={t('monitoring.form.discardTitle')}
        confirmLabel={t('monitoring.form.discardConfirm')}
        onConfirm={onClose}
        onCancel={() => setConfirm(null)}
        testId="report-discard-dialog"
        confirmTestId="report-discard-confirm"
      >
        <p>{t('monitoring.form.discardBody')}</p>
      </ConfirmDialog>
    </form>
  );
}
