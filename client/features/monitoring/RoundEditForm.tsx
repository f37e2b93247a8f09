import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Round } from '../../../shared/api/index.ts';
import { Button, FormError, TextField } from '../../ui/forms.tsx';
import { useOffline } from '../../sync/connectivity.ts';

/**
 * A coordinator renames a round or moves its due date, in place of its row. The server's field
 * messages (a due date before adoption) arrive through `fields` and are shown beside the field.
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
  const dueId = `mon-round-due-${round.id}`;

  return (
    <form
      className="mon-inline-form"
      onSubmit={(e) => {
        e.preventDefault();
        onSave({ name: name.trim(), dueDate });
      }}
      aria-label={t('monitoring.rounds.editTitle', { name: round.name })}
      data-testid="round-edit-form"
    >
      <TextField label={t('monitoring.rounds.name')} value={name} onChange={setName} error={fields.name} required testId="round-edit-name" />
      <div className={'field' + (fields.dueDate ? ' field--error' : '')}>
        <label htmlFor={dueId}>{t('monitoring.rounds.dueDate')}</label>
        {fields.dueDate && (
          <p className="field__error" data-testid="round-edit-due-error">
            {fields.dueDate}
          </p>
        )}
        <input id={dueId} type="date" value={dueDate} onChange={(e) => setDueDate(e.target.value)} required data-testid="round-edit-due" />
      </div>
      <Button type="submit" busy={busy} disabled={busy || !name.trim() || !dueDate || offline} data-testid="round-edit-save">
        {t('monitoring.rounds.save')}
      </Button>
      <Button variant="link" disabled={busy} onClick={onCancel} data-testid="round-edit-cancel">
        {t('monitoring.rounds.cancel')}
      </Button>
      <FormError message={error} />
    </form>
  );
}
