import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Round } from '../../../shared/api/index.ts';
import { Button, FormError, TextField, useFocusFirstInvalid } from '../../ui/forms.tsx';
import { DayField } from '../../ui/DayField.tsx';
import { useOffline } from '../../sync/connectivity.ts';

/**
 * A coordinator renames a round or moves its due date, in place of its row. The server's field
 * messages (a due date before adoption) arrive through `fields` and are shown beside the field,
 * once: the field takes the focus, so a screen reader reads the message with it.
 */
export function RoundEditForm({
  round,
  busy,
  fields,
  error,
  onSave,
  onCancel,
}: {
  round: Round;
  busy: boolean;
  fields: Record<string, string>;
  error: string | null;
  onSave: (patch: { name: string; dueDate: string }) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  // Saving is the server's to do: offline it waits (the rounds panel says why).
  const offline = useOffline();
  const [name, setName] = useState(round.name);
  const [dueDate, setDueDate] = useState(round.dueDate);
  // False while the field holds what is not a day: saving would send the day it held before.
  const [dueReadable, setDueReadable] = useState(true);
  const form = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(form, fields);

  return (
    <form
      ref={form}
      className="mon-inline-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (dueReadable) onSave({ name: name.trim(), dueDate });
      }}
      aria-label={t('monitoring.rounds.editTitle', { name: round.name })}
      data-testid="round-edit-form"
    >
      <TextField label={t('monitoring.rounds.name')} value={name} onChange={setName} error={fields.name} required testId="round-edit-name" />
      <DayField
        label={t('monitoring.rounds.dueDate')}
        value={dueDate}
        onChange={setDueDate}
        onReadableChange={setDueReadable}
        error={fields.dueDate}
        required
        testId="round-edit-due"
      />
      <Button type="submit" busy={busy} disabled={busy || !name.trim() || !dueDate || !dueReadable || offline} data-testid="round-edit-save">
        {t('monitoring.rounds.save')}
      </Button>
      <Button variant="link" disabled={busy} onClick={onCancel} data-testid="round-edit-cancel">
        {t('monitoring.rounds.cancel')}
      </Button>
      <FormError message={error} saidAtFields={[fields.name, fields.dueDate]} />
    </form>
  );
}
