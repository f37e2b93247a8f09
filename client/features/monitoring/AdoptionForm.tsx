import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { counted } from '../../i18n/counted.ts';
import { AdoptPlanSchema, type PlanOrganisation, type PlanOutline } from '../../../shared/api/index.ts';
import { ApiError } from '../../api/http.ts';
import { monitoringApi } from '../../api/monitoring.ts';
import { errorText } from '../../i18n/errorText.ts';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { Button, FormError, SelectField, TextField, describeError, useFocusFirstInvalid, zodFieldErrors } from '../../ui/forms.tsx';
import { DayField } from '../../ui/DayField.tsx';
import { withWebScheme } from '../../ui/webAddress.ts';
import { useOffline } from '../../sync/connectivity.ts';
import { OfflineNote } from '../../sync/OfflineNote.tsx';

/**
 * Adopting the plan (coordinators): every section agreed, or left out with a reason; the adopting
 * act; the monitoring body. Adoption freezes a version of the whole plan, so it is confirmed first.
 */
export function AdoptionForm({
  planId,
  outline,
  organisations,
  onAdopted,
  onOutlineStale,
}: {
  planId: string;
  outline: PlanOutline;
  organisations: PlanOrganisation[];
  onAdopted: () => void;
  /** The server found sections not agreed that this outline shows agreed: read it again. */
  onOutlineStale: () => void;
}) {
  const { t } = useTranslation();
  // Adopting is the server's to record: offline it waits, and says why; what is filled in stays.
  const offline = useOffline();
  const id = useId();
  const notAgreed = outline.chapters.flatMap((c) => c.sections.filter((s) => s.status !== 'agreed').map((s) => ({ ...s, chapterTitle: c.title })));
  const total = outline.chapters.reduce((n, c) => n + c.sections.length, 0);
  const [leftOut, setLeftOut] = useState<Record<string, string | undefined>>({});
  const [act, setAct] = useState({ title: '', number: '', date: '', url: '' });
  // False while the act's date field holds what is not a day (the field says why): nothing is sent.
  const [dateReadable, setDateReadable] = useState(true);
  const [bodyId, setBodyId] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const form = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(form, fields);

  const pending = notAgreed.filter((s) => leftOut[s.id] === undefined);
  const body = {
    act: { title: act.title, number: act.number, date: act.date, url: withWebScheme(act.url) || null },
    leftOut: notAgreed.filter((s) => leftOut[s.id] !== undefined).map((s) => ({ sectionId: s.id, reason: leftOut[s.id] ?? '' })),
    monitoringBodyId: bodyId || null,
  };

  const check = () => {
    const parsed = AdoptPlanSchema.safeParse(body);
    if (!parsed.success || !dateReadable) {
      const found = parsed.success ? {} : zodFieldErrors(parsed.error, t);
      // What is typed is not a day: the field's own message says why. An empty date asks for one,
      // not for "a date like 2027-05-31": the field shows how this language writes it.
      if (!dateReadable) delete found['act.date'];
      else if (act.date === '') found['act.date'] = t('dayField.required');
      setFields(found);
      setError(t('monitoring.form.fixProblems'));
      return;
    }
    setFields({});
    setError(null);
    if (!offline) setConfirming(true);
  };

  const adopt = async () => {
    setBusy(true);
    setError(null);
    try {
      await monitoringApi.adopt(planId, AdoptPlanSchema.parse(body));
      onAdopted();
    } catch (err) {
      setConfirming(false);
      if (err instanceof ApiError && err.code === 'not_agreed') {
        // A section stopped being agreed since this page was read (a signature withdrawn, a rule
        // changed): say which, and show it in the list above, where it can be left out with a reason.
        setError(errorText(t, err.code, err.params));
        setFields({});
        onOutlineStale();
        return;
      }
      const d = describeError(err, t);
      setError(d.message);
      setFields(d.fields);
    } finally {
      setBusy(false);
    }
  };

  const reasonError = (i: number) => fields[`leftOut.${i}.reason`];
  // The server checks the monitoring body as any organisation of the plan, and names it `organisationId`.
  const bodyError = fields.monitoringBodyId ?? fields.organisationId;
  const saidAtFields = [fields['act.title'], fields['act.number'], fields['act.date'], fields['act.url'], bodyError, ...body.leftOut.map((_, i) => reasonError(i))];
  return (
    <form ref={form} className="mon-adopt" onSubmit={(e) => (e.preventDefault(), check())} noValidate data-testid="adopt-form">
      <section aria-labelledby={`${id}-sections`}>
        <h2 id={`${id}-sections`}>{t('monitoring.adopt.sectionsTitle')}</h2>
        {notAgreed.length === 0 ? (
          <p className="alert alert--success" data-testid="adopt-all-agreed">
            {t('monitoring.adopt.allAgreed', { count: total })}
          </p>
        ) : (
          <>
            <p>{t('monitoring.adopt.notAgreedIntro', counted(notAgreed.length))}</p>
            <ul className="mon-adopt__sections">
              {notAgreed.map((s) => {
                const index = body.leftOut.findIndex((l) => l.sectionId === s.id);
                return (
                  <li key={s.id} data-testid="adopt-not-agreed" data-section-id={s.id}>
                    <p>
                      <span className="muted">{s.chapterTitle} › </span>
                      <strong>{s.title}</strong> <span className="badge badge--status">{t(`monitoring.adopt.sectionStatus.${s.status}`)}</span>
                    </p>
                    <label className="checkbox">
                      <input
                        type="checkbox"
                        checked={leftOut[s.id] !== undefined}
                        onChange={(e) => setLeftOut((m) => ({ ...m, [s.id]: e.target.checked ? '' : undefined }))}
                        data-testid="adopt-leave-out"
                      />{' '}
                      {t('monitoring.adopt.leaveOut')}
                    </label>
                    {leftOut[s.id] !== undefined && (
                      <TextField
                        label={t('monitoring.adopt.leaveOutReason')}
                        value={leftOut[s.id] ?? ''}
                        onChange={(reason) => setLeftOut((m) => ({ ...m, [s.id]: reason }))}
                        error={index >= 0 ? reasonError(index) : undefined}
                        required
                        testId="adopt-leave-out-reason"
                      />
                    )}
                  </li>
                );
              })}
            </ul>
          </>
        )}
      </section>
      <fieldset className="mon-adopt__act">
        <legend>{t('monitoring.adopt.actTitle')}</legend>
        <p className="field__hint">{t('monitoring.adopt.actHint')}</p>
        <TextField label={t('monitoring.adopt.actName')} value={act.title} onChange={(title) => setAct({ ...act, title })} error={fields['act.title']} required testId="adopt-act-title" />
        <TextField label={t('monitoring.adopt.actNumber')} value={act.number} onChange={(number) => setAct({ ...act, number })} error={fields['act.number']} testId="adopt-act-number" />
        <DayField
          label={t('monitoring.adopt.actDate')}
          value={act.date}
          onChange={(date) => setAct({ ...act, date })}
          onReadableChange={setDateReadable}
          error={fields['act.date']}
          required
          testId="adopt-act-date"
        />
        <TextField label={t('monitoring.adopt.actUrl')} type="url" value={act.url} onChange={(url) => setAct({ ...act, url })} error={fields['act.url']} placeholder="https://" testId="adopt-act-url" />
      </fieldset>
      <SelectField
        label={t('monitoring.lifecycle.monitoringBody')}
        hint={t('monitoring.adopt.monitoringBodyHint')}
        value={bodyId}
        onChange={setBodyId}
        options={[{ value: '', label: t('monitoring.lifecycle.noMonitoringBody') }, ...organisations.map((o) => ({ value: o.id, label: o.name }))]}
        error={bodyError}
        testId="adopt-monitoring-body"
      />
      {pending.length > 0 && (
        <p className="alert alert--warning" data-testid="adopt-pending">
          {t('monitoring.adopt.pending', { count: pending.length })}
        </p>
      )}
      <FormError message={error} saidAtFields={saidAtFields} />
      <div className="mon-actions">
        <Button type="submit" disabled={pending.length > 0 || offline} data-testid="adopt-submit">
          {t('monitoring.adopt.submit')}
        </Button>
      </div>
      <OfflineNote testId="adopt-offline" />
      <ConfirmDialog
        open={confirming}
        title={t('monitoring.adopt.confirmTitle')}
        confirmLabel={t('monitoring.adopt.confirm')}
        confirmVariant="primary"
        busy={busy}
        error={error}
        onConfirm={() => void adopt()}
        onCancel={() => setConfirming(false)}
        testId="adopt-dialog"
        confirmTestId="adopt-confirm"
      >
        <p>{t('monitoring.adopt.confirmBody', { act: act.title, count: total - body.leftOut.length })}</p>
        {body.leftOut.length > 0 && <p>{t('monitoring.adopt.confirmLeftOut', { count: body.leftOut.length })}</p>}
      </ConfirmDialog>
    </form>
  );
}
