import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { EXPORT_RETENTION_MAX_DAYS } from '../../../shared/api/index.ts';
import { agreementApi } from '../../api/index.ts';
import { queryKeys, useInvalidate } from '../../api/queries.ts';
import { Button, FormError, TextField, useFocusFirstInvalid, useSubmission } from '../../ui/forms.tsx';

/** A coordinator's choice of how many days exports stay downloadable before they are deleted. */
export function RetentionForm({ planId, days }: { planId: string; days: number }) {
  const { t } = useTranslation();
  const invalidate = useInvalidate();
  const [value, setValue] = useState(String(days));
  const [saved, setSaved] = useState(false);
  const { busy, error, fields, send } = useSubmission();
  const form = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(form, fields);
  useEffect(() => setValue(String(days)), [days]);

  return (
    <form
      ref={form}
      className="past-exports__retention"
      noValidate
      data-testid="export-retention-form"
      onSubmit={(e) => {
        e.preventDefault();
        setSaved(false);
        void send(() => agreementApi.setExportRetention(planId, Number(value))).then(async (ok) => {
          if (!ok) return;
          setSaved(true);
          await invalidate(queryKeys.plan(planId).exports(), queryKeys.plan(planId).audit());
        });
      }}
    >
      <TextField
        label={t('export.past.retentionLabel')}
        hint={t('export.past.retentionHint', { max: EXPORT_RETENTION_MAX_DAYS })}
        type="number"
        inputMode="numeric"
        min={1}
        max={EXPORT_RETENTION_MAX_DAYS}
        required
        value={value}
        onChange={(v) => {
          setValue(v);
          setSaved(false);
        }}
        error={fields.days}
        testId="export-retention-days"
      />
      <Button type="submit" busy={busy} data-testid="export-retention-save">
        {t('export.past.retentionSave')}
      </Button>
      <span role="status" className="past-exports__saved">
        {saved ? t('export.past.retentionSaved') : ''}
      </span>
      <FormError message={error} saidAtFields={[fields.days]} />
    </form>
  );
}
