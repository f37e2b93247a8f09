import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { PlanLifecycle, PlanOrganisation, PlanStage } from '../../../shared/api/index.ts';
import { monitoringApi } from '../../api/monitoring.ts';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { Button, FormError, SelectField, TextField, describeError } from '../../ui/forms.tsx';
import { StageBadge } from './badges.tsx';
import { RoundsPanel } from './RoundsPanel.tsx';
import { formatDate } from '../../i18n/format.ts';
import { bareActNumber } from '../../../shared/monitoring/actNumber.ts';
import { useOffline } from '../../sync/connectivity.ts';
import { OfflineNote } from '../../sync/OfflineNote.tsx';

type NextStage = 'in_implementation' | 'midterm_review' | 'completed' | 'superseded';
const NEXT: NextStage[] = ['in_implementation', 'midterm_review', 'completed', 'superseded'];

/** The plan's stage, its adoption, monitoring body and rounds; coordinators move it on. */
export function LifecyclePanel({
  planId,
  lifecycle,
  isCoordinator,
  organisations,
  onChanged,
}: {
  planId: string;
  lifecycle: PlanLifecycle;
  isCoordinator: boolean;
  organisations: PlanOrganisation[];
  onChanged: () => void;
}) {
  const { t, i18n } = useTranslation();
  const adoption = lifecycle.adoption;
  return (
    <section className="panel mon-lifecycle" aria-labelledby="mon-lifecycle-h" data-testid="lifecycle-panel">
      <h2 id="mon-lifecycle-h">
        {t('monitoring.lifecycle.title')} <StageBadge stage={lifecycle.stage} testId="lifecycle-stage" />
      </h2>
      {lifecycle.stage === 'drafting' ? (
        <div className="empty-state" data-testid="lifecycle-drafting">
          <p>{t('monitoring.lifecycle.drafting')}</p>
          {isCoordinator && (
            <p>
              <Link className="button" to={`/plans/${planId}/adopt`} data-testid="adopt-plan-link">
                {t('monitoring.adopt.open')}
              </Link>
            </p>
          )}
        </div>
      ) : (
        adoption && (
          <dl className="facts mon-facts" data-testid="adoption-facts">
            <dt>{t('monitoring.lifecycle.act')}</dt>
            <dd>
              {adoption.act.url ? (
                <a href={adoption.act.url} target="_blank" rel="noopener noreferrer nofollow">
                  {adoption.act.title}
                </a>
              ) : (
                adoption.act.title
              )}
              {bareActNumber(adoption.act.number) && <span className="muted"> · {t('monitoring.actNumber', { number: bareActNumber(adoption.act.number) })}</span>} · {formatDate(adoption.act.date, i18n.language)}
            </dd>
            <dt>{t('monitoring.lifecycle.adoptedBy')}</dt>
            <dd>
              {adoption.adoptedBy} · {formatDate(adoption.adoptedAt, i18n.language)}
            </dd>
            <dt>{t('monitoring.lifecycle.hash')}</dt>
            <dd>
              <code title={adoption.contentHash} data-testid="adoption-hash">
                {adoption.contentHash.slice(0, 16)}…
              </code>{' '}
              <Link to={`/plans/${planId}/history`}>{t('monitoring.lifecycle.adoptedVersion')}</Link>
            </dd>
            {adoption.leftOut.length > 0 && (
              <>
                <dt>{t('monitoring.lifecycle.leftOut')}</dt>
                <dd>
                  <ul>
                    {adoption.leftOut.map((l) => (
                      <li key={l.sectionId}>
                        {l.title}: <span className="muted">{l.reason}</span>
                      </li>
                    ))}
                  </ul>
                </dd>
              </>
            )}
          </dl>
        )
      )}
      <MonitoringBody planId={planId} lifecycle={lifecycle} isCoordinator={isCoordinator} organisations={organisations} onChanged={onChanged} />
      {isCoordinator && lifecycle.stage !== 'drafting' && lifecycle.stage !== 'superseded' && lifecycle.stage !== 'completed' && (
        <StageChange planId={planId} stage={lifecycle.stage} onChanged={onChanged} />
      )}
      {lifecycle.stage !== 'drafting' && <RoundsPanel planId={planId} rounds={lifecycle.rounds} isCoordinator={isCoordinator} onChanged={onChanged} />}
    </section>
  );
}

function MonitoringBody({ planId, lifecycle, isCoordinator, organisations, onChanged }: { planId: string; lifecycle: PlanLifecycle; isCoordinator: boolean; organisations: PlanOrganisation[]; onChanged: () => void }) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState(false);
  const [choice, setChoice] = useState(lifecycle.monitoringBody?.id ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      await monitoringApi.setMonitoringBody(planId, choice || null);
      setEditing(false);
      onChanged();
    } catch (err) {
      setError(describeError(err, t).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="mon-body" data-testid="monitoring-body">
      <p>
        <strong>{t('monitoring.lifecycle.monitoringBody')}:</strong>{' '}
        {lifecycle.monitoringBody ? lifecycle.monitoringBody.name : <span className="muted">{t('monitoring.lifecycle.noMonitoringBody')}</span>}{' '}
        {isCoordinator && !editing && (
          <button type="button" className="button button--link button--small" onClick={() => setEditing(true)} data-testid="monitoring-body-edit">
            {t('monitoring.lifecycle.changeMonitoringBody')}
          </button>
        )}
      </p>
      {editing && (
        <div className="mon-inline-form">
          <SelectField
            label={t('monitoring.lifecycle.monitoringBody')}
            value={choice}
            onChange={setChoice}
            options={[{ value: '', label: t('monitoring.lifecycle.noMonitoringBody') }, ...organisations.map((o) => ({ value: o.id, label: o.name }))]}
            testId="monitoring-body-select"
          />
          <Button busy={busy} onClick={() => void save()} data-testid="monitoring-body-save">
            {t('common.save')}
          </Button>{' '}
          <Button variant="link" onClick={() => setEditing(false)}>
            {t('common.cancel')}
          </Button>
          <FormError message={error} />
        </div>
      )}
    </div>
  );
}

function StageChange({ planId, stage, onChanged }: { planId: string; stage: PlanStage; onChanged: () => void }) {
  const { t } = useTranslation();
  // Changing the stage is the server's to record: offline it waits, and says why; the note stays.
  const offline = useOffline();
  const options = NEXT.filter((s) => s !== stage);
  const [next, setNext] = useState<NextStage>(options[0]!);
  const [note, setNote] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const change = async () => {
    setBusy(true);
    setError(null);
    try {
      await monitoringApi.changeStage(planId, { stage: next, note: note.trim() });
      setConfirming(false);
      setNote('');
      onChanged();
    } catch (err) {
      setError(describeError(err, t).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="mon-inline-form" data-testid="stage-change">
      <SelectField
        label={t('monitoring.lifecycle.nextStage')}
        value={next}
        onChange={setNext}
        options={options.map((s) => ({ value: s, label: t(`monitoring.stage.${s}`) }))}
        testId="stage-select"
      />
      <TextField label={t('monitoring.lifecycle.stageNote')} value={note} onChange={setNote} testId="stage-note" />
      <Button variant="secondary" disabled={offline} onClick={() => setConfirming(true)} data-testid="stage-change-button">
        {t('monitoring.lifecycle.changeStage')}
      </Button>
      <OfflineNote testId="stage-change-offline" />
      <ConfirmDialog
        open={confirming}
        title={t('monitoring.lifecycle.changeStageTitle')}
        confirmLabel={t('monitoring.lifecycle.changeStageConfirm', { stage: t(`monitoring.stage.${next}`) })}
        confirmVariant={next === 'superseded' ? 'danger' : 'primary'}
        busy={busy}
        error={error}
        onConfirm={() => void change()}
        onCancel={() => setConfirming(false)}
        testId="stage-change-dialog"
        confirmTestId="stage-change-confirm"
      >
        <p>{t(next === 'superseded' ? 'monitoring.lifecycle.supersedeBody' : 'monitoring.lifecycle.changeStageBody', { stage: t(`monitoring.stage.${next}`) })}</p>
      </ConfirmDialog>
    </div>
  );
}
