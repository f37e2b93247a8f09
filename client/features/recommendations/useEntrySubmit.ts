import { useState, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError, useFocusFirstInvalid, type FieldErrors } from '../../ui/forms.tsx';
import { cycleNotWhole, refusedFields, type SourceValues } from './recommendationEntry.ts';

/**
 * Sending a recommendation form (adding one, or correcting one entered by hand): the one check made
 * in the browser (a cycle must be a whole number), then the server's answer, its refusals shown on
 * the fields they concern with focus on the first, and nothing typed lost.
 */
export function useEntrySubmit(formRef: RefObject<HTMLFormElement | null>) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<FieldErrors>({});
  useFocusFirstInvalid(formRef, fields);

  /** `source` is checked when the form sends one (null: it sends no source fields). */
  async function submit(source: SourceValues | null, send: () => Promise<void>): Promise<void> {
    setError(null);
    if (source && cycleNotWhole(source)) {
      setFields({ cycle: t('fieldErrors.not_integer') });
      setError(t('common.checkFields'));
      return;
    }
    setFields({});
    setBusy(true);
    try {
      await send();
    } catch (err) {
      const d = describeError(err, t);
      setError(d.message);
      setFields(refusedFields(err, d));
    } finally {
      setBusy(false);
    }
  }

  return { busy, error, fields, submit };
}
