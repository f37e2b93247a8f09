import { useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { RecommendationGroup } from '../../../shared/api/index.ts';
import { Button, FormError, describeError } from '../../ui/forms.tsx';
import { CoverageAsks } from './CoverageAsks.tsx';
import { groupsApi, useGroupsQuery } from './groupsApi.ts';
import './recommendationGroups.css';
import { useOffline } from '../../sync/connectivity.ts';
import { OfflineNote } from '../../sync/OfflineNote.tsx';

/**
 * The recommendations page's review of groups Accord proposes: recommendations from different
 * States, cycles or mechanisms that say the same thing. A writer asks for proposals, then for each
 * confirms it, splits off the members they untick, or dismisses it; readers see what is proposed
 * and confirmed. Every decision is on the record (the audit log and each member's history).
 */
export function GroupReview({ planId, mayWrite, onChanged }: { planId: string; mayWrite: boolean; onChanged: () => void }) {
  const { t } = useTranslation();
  // Proposing, confirming, splitting and dismissing are the server's: offline they wait, and say why.
  const offline = useOffline();
  const proposedQuery = useGroupsQuery(planId, 'proposed');
  const confirmedQuery = useGroupsQuery(planId, 'confirmed');
  const [status, setStatus] = useState<string | null>(null);
  const proposed = proposedQuery.data;
  const confirmed = confirmedQuery.data;
  // One decision at a time: its sentence for the status line when it is done.
  const decision = useMutation({
    mutationFn: (work: () => Promise<string | null>) => work(),
    onSuccess: (message) => {
      setStatus(message);
      onChanged();
    },
  });
  const busy = decision.isPending;
  const error = decision.error ? describeError(decision.error, t).message : null;
  const act = <T,>(work: () => Promise<T>, done: (result: T) => string) => decision.mutate(async () => done(await work()));

  return (
    <section className="panel rec-groups" aria-labelledby="rec-groups-title" data-testid="rec-groups">
      <div className="panel__head">
        <h2 id="rec-groups-title">{t('recGroups.title')}</h2>
        {mayWrite && (
          <Button
            variant="secondary"
            disabled={busy || offline}
            data-testid="rec-groups-propose"
            onClick={() => act(() => groupsApi.propose(planId), (r) => t('recGroups.proposedResult', { count: r.proposed }))}
          >
            {busy ? t('recGroups.working') : t('recGroups.propose')}
          </Button>
        )}
      </div>
      <p className="muted">{t('recGroups.intro')}</p>
      {mayWrite && <OfflineNote testId="rec-groups-offline" />}
      <FormError message={error ?? (proposedQuery.error ? describeError(proposedQuery.error, t).message : null)} />
      <p role="status" className="muted" data-testid="rec-groups-status">
        {status ?? ''}
      </p>
      {confirmed && confirmed.total > 0 && <p data-testid="rec-groups-confirmed-count">{t('recGroups.confirmedCount', { count: confirmed.total })}</p>}
      <CoverageAsks planId={planId} />
      {proposed && proposed.total === 0 && (
        <p className="empty-state" data-testid="rec-groups-empty">
          {mayWrite ? t('recGroups.emptyWriter') : t('recGroups.emptyReader')}
        </p>
      )}
      {proposed && proposed.total > 0 && (
        <>
          <p>{t('recGroups.proposedCount', { count: proposed.total })}</p>
          <ol className="rec-groups__list">
            {proposed.items.map((group) => (
              <ProposedGroup
                key={group.id + group.members.map((m) => m.id).join()}
                group={group}
                mayWrite={mayWrite}
                busy={busy || offline}
                onConfirm={(kept) =>
                  act(async () => {
                    // Unticked members leave the group first; the rest is then confirmed as one ask.
                    if (kept.length < group.members.length) await groupsApi.split(planId, group.id, [kept]);
                    if (kept.length >= 2) await groupsApi.confirm(planId, group.id);
                  }, () => t('recGroups.confirmedDone'))
                }
                onSplit={(kept, rest) => act(() => groupsApi.split(planId, group.id, [kept, rest]), () => t('recGroups.splitDone'))}
                onDismiss={() => act(() => groupsApi.dismiss(planId, group.id), () => t('recGroups.dismissedDone'))}
              />
            ))}
          </ol>
        </>
      )}
    </section>
  );
}

function ProposedGroup({
  group,
  mayWrite,
  busy,
  onConfirm,
  onSplit,
  onDismiss,
}: {
  group: RecommendationGroup;
  mayWrite: boolean;
  busy: boolean;
  onConfirm: (kept: string[]) => void;
  onSplit: (kept: string[], rest: string[]) => void;
  onDismiss: () => void;
}) {
  const { t } = useTranslation();
  const [unticked, setUnticked] = useState<ReadonlySet<string>>(new Set());
  const kept = group.members.filter((m) => !unticked.has(m.id)).map((m) => m.id);
  const rest = group.members.filter((m) => unticked.has(m.id)).map((m) => m.id);
  const toggle = (id: string) => setUnticked((s) => (s.has(id) ? new Set([...s].filter((x) => x !== id)) : new Set([...s, id])));
  return (
    <li className="rec-groups__group" data-testid="rec-group">
      <p className="muted small">{t('recGroups.memberCount', { count: group.members.length })}</p>
      <ul className="rec-groups__members">
        {group.members.map((m) => (
          <li key={m.id}>
            {mayWrite ? (
              <label>
                <input type="checkbox" checked={!unticked.has(m.id)} onChange={() => toggle(m.id)} aria-describedby={`rec-group-text-${m.id}`} />{' '}
                <strong>{m.reference}</strong>
              </label>
            ) : (
              <strong>{m.reference}</strong>
            )}
            {m.recommendingStates.length > 0 && <span className="muted small"> — {m.recommendingStates.join(', ')}</span>}
            <span id={`rec-group-text-${m.id}`} className="rec-groups__text">
              {m.text}
            </span>
          </li>
        ))}
      </ul>
      {mayWrite && (
        <div className="button-row">
          <Button disabled={busy || kept.length < 2} onClick={() => onConfirm(kept)} data-testid="rec-group-confirm">
            {rest.length > 0 ? t('recGroups.confirmTicked') : t('recGroups.confirm')}
          </Button>
          <Button variant="secondary" disabled={busy || rest.length === 0 || kept.length === 0} onClick={() => onSplit(kept, rest)} data-testid="rec-group-split">
            {t('recGroups.split')}
          </Button>
          <Button variant="secondary" disabled={busy} onClick={onDismiss} data-testid="rec-group-dismiss">
            {t('recGroups.dismiss')}
          </Button>
        </div>
      )}
    </li>
  );
}
