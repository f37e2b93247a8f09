import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DissentingPosition, Role } from '../../../shared/api/index.ts';
import { trustApi } from '../../api/index.ts';
import { queryKeys, useActionsQuery, useInvalidate, useOrganisationsQuery, usePositionsQuery } from '../../api/queries.ts';
import { useOffline } from '../../sync/connectivity.ts';
import { NotLoadedNote, OfflineNote } from '../../sync/OfflineNote.tsx';
import { SideBadge, UnverifiedMark } from '../../ui/badges.tsx';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { Button, FormError, describeError } from '../../ui/forms.tsx';
import { formatDateTime } from '../../i18n/format.ts';

/**
 * Dissenting positions on a section or its actions: "we do not agree with this provision,
 * because …". Any verified organisation may record one; only it can withdraw it, and a withdrawn
 * position stays in the record, marked. Everyone in the plan reads them, and the exports carry them.
 */
export function PositionsPanel({
  planId,
  sectionId,
  role,
  myOrganisationId,
}: {
  planId: string;
  sectionId: string;
  role: Role;
  myOrganisationId: string;
}) {
  const { t, i18n } = useTranslation();
  const headingId = useId();
  // Refetched on `positions` events, and on `organisations`/`members` ones for the verification marks.
  const positionsQuery = usePositionsQuery(planId, sectionId);
  const positions = positionsQuery.data ?? null;
  const error = positionsQuery.error ? describeError(positionsQuery.error, t).message : null;
  const invalidate = useInvalidate();
  const load = () => invalidate(queryKeys.plan(planId).positions(sectionId));
  // Only a verified organisation may record a position: said before anyone writes one, not after.
  const myOrganisationUnverified = useOrganisationsQuery(planId).data?.find((o) => o.id === myOrganisationId)?.verified === false;
  const [writing, setWriting] = useState(false);
  const [text, setText] = useState('');
  const [actionId, setActionId] = useState('');
  // What a position may be on: the section's actions, as the actions panel below shows them (the
  // same query), so the form opens offline too.
  const actions = useActionsQuery(planId, sectionId).data ?? [];
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const [withdrawing, setWithdrawing] = useState<DissentingPosition | null>(null);
  // Offline, recording waits (what was written stays in the form); withdrawing asks in a dialog
  // that waits too. What was loaded stays shown.
  const offline = useOffline();

  const mayRecord = role !== 'observer';
  const standing = positions?.filter((p) => p.withdrawnAt === null) ?? [];
  const withdrawn = positions?.filter((p) => p.withdrawnAt !== null) ?? [];

  function openForm() {
    setWriting(true);
    setFormError(null);
  }

  async function submit() {
    if (offline) return;
    setBusy(true);
    setFormError(null);
    try {
      await trustApi.recordPosition(planId, sectionId, { text: text.trim(), ...(actionId ? { actionId } : {}) });
      setWriting(false);
      setText('');
      setActionId('');
      await load();
    } catch (err) {
      setFormError(describeError(err, t).message);
    } finally {
      setBusy(false);
    }
  }

  async function withdraw() {
    if (!withdrawing) return;
    setBusy(true);
    setFormError(null);
    try {
      await trustApi.withdrawPosition(planId, withdrawing.id);
      setWithdrawing(null);
      await load();
    } catch (err) {
      setFormError(describeError(err, t).message);
    } finally {
      setBusy(false);
    }
  }

  const item = (p: DissentingPosition) => (
    <li key={p.id} className={`position${p.withdrawnAt ? ' position--withdrawn' : ''}`} data-testid="position">
      <div className="position__head">
        <strong>{p.organisation}</strong> <SideBadge side={p.side} />{' '}
        {!p.organisationVerified && (
          <>
            <UnverifiedMark testId="position-unverified" />{' '}
          </>
        )}
        <span className="muted small">
          {t('positions.by', { name: p.author, when: formatDateTime(p.createdAt, i18n.language) })}
          {p.actionTitle && <> · {t('positions.onAction', { title: p.actionTitle })}</>}
          {p.withdrawnAt && <> · {t('positions.withdrawnOn', { when: formatDateTime(p.withdrawnAt, i18n.language) })}</>}
        </span>
      </div>
      <p className="position__text" data-testid="position-text">
        {p.text}
      </p>
      {!p.withdrawnAt && p.organisationId === myOrganisationId && mayRecord && (
        <Button variant="secondary" className="button--small" disabled={offline} onClick={() => setWithdrawing(p)} data-testid="position-withdraw">
          {t('positions.withdraw')}
        </Button>
      )}
    </li>
  );

  return (
    <section className="positions-panel" aria-labelledby={headingId} data-testid="positions-panel">
      <div className="positions-panel__head">
        <h2 id={headingId} className="positions-panel__heading">
          {t('positions.heading', { count: standing.length })}
        </h2>
        {mayRecord && !writing && (
          <Button
            variant="secondary"
            className="button--small"
            disabled={myOrganisationUnverified}
            onClick={openForm}
            data-testid="position-new"
          >
            {t('positions.record')}
          </Button>
        )}
      </div>
      {mayRecord && myOrganisationUnverified && (
        <p className="muted small" data-testid="position-unverified-note">
          {t('positions.unverifiedCannotRecord')}
        </p>
      )}
      {/* Not loaded yet, the note below says it all; once loaded (or writing), why recording waits. */}
      {mayRecord && (positions || writing) && <OfflineNote testId="positions-offline" />}
      <FormError message={error} />
      {!positions && !error && <NotLoadedNote failure={positionsQuery.failureReason} testId="positions-not-loaded" />}
      {positions && standing.length === 0 && !writing && <p className="muted small">{t('positions.none')}</p>}
      {standing.length > 0 && <ul className="positions">{standing.map(item)}</ul>}
      {writing && (
        <form
          className="position-form"
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <div className="field">
            <label htmlFor={`${headingId}-on`}>{t('positions.on')}</label>
            <select id={`${headingId}-on`} value={actionId} onChange={(e) => setActionId(e.target.value)} data-testid="position-action">
              <option value="">{t('positions.onSection')}</option>
              {actions.map((a) => (
                <option key={a.id} value={a.id}>
                  {t('positions.onAction', { title: a.title })}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${headingId}-text`}>{t('positions.text')}</label>
            <textarea id={`${headingId}-text`} rows={4} maxLength={8000} value={text} onChange={(e) => setText(e.target.value)} data-testid="position-text-input" />
            <p className="muted small">{t('positions.help')}</p>
          </div>
          <FormError message={formError} />
          <div className="form-actions">
            <Button type="submit" busy={busy} disabled={offline} data-testid="position-submit">
              {t('positions.submit')}
            </Button>
            <Button variant="secondary" type="button" onClick={() => setWriting(false)}>
              {t('common.cancel')}
            </Button>
          </div>
        </form>
      )}
      {withdrawn.length > 0 && (
        <details className="positions-withdrawn">
          <summary>{t('positions.withdrawnHeading', { count: withdrawn.length })}</summary>
          <ul className="positions">{withdrawn.map(item)}</ul>
        </details>
      )}
      <ConfirmDialog
        open={withdrawing !== null}
        title={t('positions.withdrawTitle')}
        confirmLabel={t('positions.withdrawConfirm')}
        confirmTestId="position-withdraw-confirm"
        onConfirm={() => void withdraw()}
        onCancel={() => setWithdrawing(null)}
        busy={busy}
        error={formError}
      >
        <p>{t('positions.withdrawBody')}</p>
      </ConfirmDialog>
    </section>
  );
}
