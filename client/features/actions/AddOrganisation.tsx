import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SIDES, type Side } from '../../../shared/api/index.ts';
import { api, type PlanOrganisation } from '../../api/index.ts';
import { Button, describeError } from '../../ui/forms.tsx';
import { useOffline } from '../../sync/connectivity.ts';

/** A small inline form (not a nested <form>) to make another organisation available to the plan. */
export function AddOrganisation({ planId, onAdded }: { planId: string; onAdded: (o: PlanOrganisation) => void }) {
  const { t } = useTranslation();
  const id = useId();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [side, setSide] = useState<Side>('government');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [added, setAdded] = useState<string | null>(null);
  // Offline, adding waits (the action form around it says why).
  const offline = useOffline();

  async function add() {
    if (!name.trim() || offline) return;
    setBusy(true);
    setError(null);
    try {
      const org = await api.addOrganisation(planId, { name: name.trim(), side });
      onAdded(org);
      setAdded(org.name);
      setName('');
      setOpen(false);
    } catch (err) {
      setError(describeError(err, t).message);
    } finally {
      setBusy(false);
    }
  }

  if (!open) {
    return (
      <p className="add-org-toggle">
        <Button variant="link" className="button--small" onClick={() => setOpen(true)} data-testid="add-org-open">
          + {t('orgs.addOpen')}
        </Button>
        {added && (
          <span className="muted small" role="status">
            {t('orgs.added', { name: added })}
          </span>
        )}
      </p>
    );
  }
  return (
    <div className="add-org" role="group" aria-labelledby={`${id}-h`}>
      <p id={`${id}-h`} className="add-org__title">
        {t('orgs.addTitle')}
      </p>
      {error && (
        <p className="field__error" role="alert">
          {error}
        </p>
      )}
      <div className="inline-form">
        <div className="field">
          <label htmlFor={`${id}-name`}>{t('orgs.name')}</label>
          <input
            id={`${id}-name`}
            type="text"
            value={name}
            maxLength={200}
            onChange={(e) => setName(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                void add();
              }
              if (e.key === 'Escape') setOpen(false);
            }}
            data-testid="add-org-name"
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-side`}>{t('fields.side')}</label>
          <select id={`${id}-side`} value={side} onChange={(e) => setSide(e.target.value as Side)} data-testid="add-org-side">
            {SIDES.map((s) => (
              <option key={s} value={s}>
                {t(`side.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <Button variant="secondary" busy={busy} disabled={!name.trim() || offline} onClick={() => void add()} data-testid="add-org-submit">
          {t('orgs.add')}
        </Button>
        <Button variant="link" onClick={() => setOpen(false)}>
          {t('common.cancel')}
        </Button>
      </div>
    </div>
  );
}
