import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api } from '../../api/index.ts';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { Button, describeError } from '../../ui/forms.tsx';
import { useOffline } from '../../sync/connectivity.ts';
import { OfflineNote } from '../../sync/OfflineNote.tsx';

/**
 * "Leave this plan", for a member who is not a coordinator (a coordinator removes themself from
 * their own row). An organisation that withdraws from the consultation must be able to say so
 * itself rather than stay listed as taking part. Asks first; `onLeaving` lets the page tell the
 * live "your access ended" event, which follows, from a removal by someone else.
 */
export function LeavePlan({ planId, planTitle, onLeaving }: { planId: string; planTitle: string; onLeaving: (leaving: boolean) => void }) {
  const { t } = useTranslation();
  // Leaving is the server's to record: offline it waits, and says why.
  const offline = useOffline();
  const navigate = useNavigate();
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function leave() {
    setBusy(true);
    setError(null);
    onLeaving(true);
    try {
      await api.leavePlan(planId);
      navigate('/', { replace: true, state: { notice: 'leftPlan', planTitle } });
    } catch (err) {
      onLeaving(false);
      setError(describeError(err, t).message);
      setBusy(false);
    }
  }

  return (
    <section className="spaced" aria-labelledby="leave-plan-heading" data-testid="leave-plan">
      <h2 id="leave-plan-heading" className="visually-hidden">
        {t('members.leave')}
      </h2>
      <p className="muted small">{t('members.leaveHint')}</p>
      <Button variant="secondary" disabled={offline} onClick={() => setAsking(true)} data-testid="leave-plan-open">
        {t('members.leave')}
      </Button>
      <OfflineNote testId="leave-plan-offline" />
      <ConfirmDialog
        open={asking}
        title={t('members.leaveTitle')}
        confirmLabel={t('members.leaveConfirm')}
        onConfirm={() => void leave()}
        onCancel={() => {
          setAsking(false);
          setError(null);
        }}
        busy={busy}
        error={error}
        testId="leave-plan-dialog"
        confirmTestId="leave-plan-confirm"
      >
        <p>{t('members.leaveBody', { title: planTitle })}</p>
      </ConfirmDialog>
    </section>
  );
}
