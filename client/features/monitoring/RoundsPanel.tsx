import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Round } from '../../../shared/api/index.ts';
import { monitoringApi } from '../../api/monitoring.ts';
import { Button, FormError, TextField, describeError } from '../../ui/forms.tsx';
import { formatDate } from './badges.tsx';

/** The reporting calendar: rounds with their due dates; coordinators open, close and reopen them. */
export function RoundsPanel({ planId, rounds, isCoordinator, onChanged }: { planId: string; rounds: Round[]; isCoordinator: boolean; onChanged: () => void }) {
  const { t, i18n } = useTranslation();
  const [name, setName] = useState('');
  const [dueDate, setDueDate] = useState('');
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});

  const attempt = async (key: string, call: () => Promise<unknown>) => {
    setBusy(key);
    setError(null);
    setFields({});
    try {
      await call();
      onChanged();
      return true;
    } catch (err) {
      const d = describeError(err, t);
      setError(d.message);
      setFields(d.fields);
      return false;
    } finally {
      setBusy(null);
    }
  };

  const create = async () => {
    if (await attempt('create', () => monitoringApi.createRound(planId, { name: name.trim(), dueDate }))) {
      setName('');
      setDueDate('');
    }
  };

  return (
    <div className="mon-rounds" data-testid="rounds-panel">
      <h3>{t('monitoring.rounds.title')}</h3>
      {rounds.length === 0 ? (
        <p className="muted" data-testid="rounds-empty">
          {isCoordinator ? t('monitoring.rounds.emptyCoordinator') : t('monitoring.rounds.empty')}
        </p>
      ) : (
        <table className="table table--compact" data-testid="rounds-table">
          <thead>
            <tr>
              <th scope="col">{t('monitoring.rounds.name')}</th>
              <th scope="col">{t('monitoring.rounds.dueDate')}</th>
              <th scope="col">{t('monitoring.rounds.state')}</th>
              {isCoordinator && (
                <th scope="col">
                  <span className="visually-hidden">{t('monitoring.rounds.actions')}</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {rounds.map((r) => (
              <tr key={r.id} data-testid="round-row" data-round-id={r.id} data-state={r.state}>
                <th scope="row">{r.name}</th>
                <td>{formatDate(r.dueDate, i18n.language)}</td>
                <td>{t(`monitoring.rounds.${r.state}`)}</td>
                {isCoordinator && (
                  <td>
                    <Button
                      variant="link"
                      className="button--small"
                      busy={busy === r.id}
                      disabled={busy !== null}
                      onClick={() => void attempt(r.id, () => monitoringApi.updateRound(planId, r.id, { state: r.state === 'open' ? 'closed' : 'open' }))}
                      data-testid={r.state === 'open' ? 'round-close' : 'round-reopen'}
                    >
                      {r.state === 'open' ? t('monitoring.rounds.close') : t('monitoring.rounds.reopen')}
                      <span className="visually-hidden"> {r.name}</span>
                    </Button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {isCoordinator && (
        <form
          className="mon-inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            void create();
          }}
          aria-label={t('monitoring.rounds.openTitle')}
          data-testid="round-form"
        >
          <TextField label={t('monitoring.rounds.name')} hint={t('monitoring.rounds.nameHint')} value={name} onChange={setName} error={fields.name} required testId="round-name" />
          <div className={'field' + (fields.dueDate ? ' field--error' : '')}>
            <label htmlFor="mon-round-due">{t('monitoring.rounds.dueDate')}</label>
            {fields.dueDate && <p className="field__error">{fields.dueDate}</p>}
            <input id="mon-round-due" type="date" value={dueDate} onChange={(e) => setDueDate(e.target.value)} required data-testid="round-due" />
          </div>
          <Button type="submit" busy={busy === 'create'} disabled={busy !== null || !name.trim() || !dueDate} data-testid="round-create">
            {t('monitoring.rounds.create')}
          </Button>
        </form>
      )}
      <FormError message={error} />
    </div>
  );
}
