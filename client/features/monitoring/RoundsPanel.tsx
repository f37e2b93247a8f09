import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Round } from '../../../shared/api/index.ts';
import { monitoringApi } from '../../api/monitoring.ts';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { Button, FormError, TextField, describeError, useFocusFirstInvalid, type FieldErrors } from '../../ui/forms.tsx';
import { DayField } from '../../ui/DayField.tsx';

import { RoundEditForm } from './RoundEditForm.tsx';
import { formatDate } from '../../i18n/format.ts';
import { TableScroll } from '../../ui/TableScroll.tsx';
import { useOffline } from '../../sync/connectivity.ts';
import { OfflineNote } from '../../sync/OfflineNote.tsx';

const NO_FIELDS: FieldErrors = {};

/**
 * The reporting calendar: rounds with their due dates; coordinators open, rename, move, close and
 * reopen them. Closing asks first: reports and assessments stop being written in the round.
 */
export function RoundsPanel({ planId, rounds, isCoordinator, onChanged }: { planId: string; rounds: Round[]; isCoordinator: boolean; onChanged: () => void }) {
  const { t, i18n } = useTranslation();
  // Opening, changing and closing rounds are the server's: offline they wait, and say why.
  const offline = useOffline();
  const [name, setName] = useState('');
  const [dueDate, setDueDate] = useState('');
  // False while the due date field holds what is not a day: nothing is sent until it is corrected.
  const [dueReadable, setDueReadable] = useState(true);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  // Which attempt the field messages belong to, so the edit form's do not appear on the open form.
  const [failed, setFailed] = useState<string | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [closing, setClosing] = useState<Round | null>(null);
  const createForm = useRef<HTMLFormElement>(null);
  const createFields: FieldErrors = failed === 'create' ? fields : NO_FIELDS;
  useFocusFirstInvalid(createForm, createFields);
  // The edit form and the close dialog show their own failures.
  const shownElsewhere = closing !== null || !!failed?.startsWith('edit:');

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
      setFailed(key);
      return false;
    } finally {
      setBusy(null);
    }
  };

  const create = async () => {
    if (!dueReadable) return;
    if (await attempt('create', () => monitoringApi.createRound(planId, { name: name.trim(), dueDate }))) {
      setName('');
      setDueDate('');
    }
  };

  const save = async (round: Round, patch: { name: string; dueDate: string }) => {
    if (await attempt(`edit:${round.id}`, () => monitoringApi.updateRound(planId, round.id, patch))) setEditing(null);
  };

  const close = async (round: Round) => {
    if (await attempt(round.id, () => monitoringApi.updateRound(planId, round.id, { state: 'closed' }))) setClosing(null);
  };

  const startEditing = (roundId: string | null) => {
    setEditing(roundId);
    setError(null);
    setFields({});
  };

  return (
    <div className="mon-rounds" data-testid="rounds-panel">
      <h3>{t('monitoring.rounds.title')}</h3>
      {rounds.length === 0 ? (
        <p className="muted" data-testid="rounds-empty">
          {isCoordinator ? t('monitoring.rounds.emptyCoordinator') : t('monitoring.rounds.empty')}
        </p>
      ) : (
        <TableScroll label={t('monitoring.rounds.title')}>
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
              {rounds.map((r) =>
                editing === r.id ? (
                  <tr key={r.id} data-testid="round-row-editing" data-round-id={r.id}>
                    <td colSpan={4}>
                      <RoundEditForm
                        round={r}
                        busy={busy === `edit:${r.id}`}
                        fields={failed === `edit:${r.id}` ? fields : {}}
                        error={failed === `edit:${r.id}` ? error : null}
                        onSave={(patch) => void save(r, patch)}
                        onCancel={() => startEditing(null)}
                      />
                    </td>
                  </tr>
                ) : (
                  <tr key={r.id} data-testid="round-row" data-round-id={r.id} data-state={r.state}>
                    <th scope="row">{r.name}</th>
                    <td>{formatDate(r.dueDate, i18n.language)}</td>
                    <td>{t(`monitoring.rounds.${r.state}`)}</td>
                    {isCoordinator && (
                      <td>
                        <Button variant="link" className="button--small" disabled={busy !== null} onClick={() => startEditing(r.id)} data-testid="round-edit">
                          {t('monitoring.rounds.edit')}
                          <span className="visually-hidden"> {r.name}</span>
                        </Button>
                        <Button
                          variant="link"
                          className="button--small"
                          busy={busy === r.id}
                          disabled={busy !== null || offline}
                          onClick={() => {
                            setError(null);
                            if (r.state === 'open') setClosing(r);
                            else void attempt(r.id, () => monitoringApi.updateRound(planId, r.id, { state: 'open' }));
                          }}
                          data-testid={r.state === 'open' ? 'round-close' : 'round-reopen'}
                        >
                          {r.state === 'open' ? t('monitoring.rounds.close') : t('monitoring.rounds.reopen')}
                          <span className="visually-hidden"> {r.name}</span>
                        </Button>
                      </td>
                    )}
                  </tr>
                ),
              )}
            </tbody>
          </table>
        </TableScroll>
      )}
      {isCoordinator && (
        <form
          ref={createForm}
          className="mon-inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            void create();
          }}
          aria-label={t('monitoring.rounds.openTitle')}
          data-testid="round-form"
        >
          <TextField label={t('monitoring.rounds.name')} hint={t('monitoring.rounds.nameHint')} value={name} onChange={setName} error={createFields.name} required testId="round-name" />
          <DayField
            label={t('monitoring.rounds.dueDate')}
            value={dueDate}
            onChange={setDueDate}
            onReadableChange={setDueReadable}
            error={createFields.dueDate}
            required
            testId="round-due"
          />
          <Button type="submit" busy={busy === 'create'} disabled={busy !== null || !name.trim() || !dueDate || !dueReadable || offline} data-testid="round-create">
            {t('monitoring.rounds.create')}
          </Button>
          <OfflineNote testId="round-create-offline" />
        </form>
      )}
      <FormError message={shownElsewhere ? null : error} saidAtFields={[createFields.name, createFields.dueDate]} />
      <ConfirmDialog
        open={closing !== null}
        title={t('monitoring.rounds.closeTitle')}
        confirmLabel={t('monitoring.rounds.closeConfirm')}
        busy={closing !== null && busy === closing.id}
        error={closing ? error : null}
        onConfirm={() => closing && void close(closing)}
        onCancel={() => setClosing(null)}
        testId="round-close-dialog"
        confirmTestId="round-close-confirm"
      >
        <p>{t('monitoring.rounds.closeBody')}</p>
      </ConfirmDialog>
    </div>
  );
}
