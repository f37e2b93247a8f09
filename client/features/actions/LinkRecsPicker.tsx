import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Action, Recommendation } from '../../../shared/api/index.ts';
import { api } from '../../api/index.ts';
import { Button, describeError } from '../../ui/forms.tsx';
import { useOffline } from '../../sync/connectivity.ts';
import { PositionBadge } from '../recommendations/recommendations.tsx';
import { useRecommendationSearch } from './useRecommendationSearch.ts';

/** Search the plan's recommendations and attach or detach each with one click. */
export function LinkRecsPicker({ planId, action, onChanged, onClose }: { planId: string; action: Action; onChanged: () => Promise<void>; onClose: () => void }) {
  const { t } = useTranslation();
  const id = useId();
  const [q, setQ] = useState('');
  const [onlyUnaddressed, setOnlyUnaddressed] = useState(false);
  const { results, total, error, setError } = useRecommendationSearch(planId, action.sectionId, q, onlyUnaddressed);
  const [busyId, setBusyId] = useState<string | null>(null);
  const linked = new Set(action.recommendations.map((r) => r.id));
  // Offline, linking waits; the actions panel says why.
  const offline = useOffline();

  async function toggle(r: Recommendation) {
    setBusyId(r.id);
    setError(null);
    try {
      if (linked.has(r.id)) await api.unlinkRecommendation(planId, action.id, r.id);
      else await api.linkRecommendation(planId, action.id, r.id);
      await onChanged();
    } catch (err) {
      setError(describeError(err, t).message);
    } finally {
      setBusyId(null);
    }
  }

  return (
    <div className="link-picker" role="group" aria-labelledby={`${id}-h`} data-testid="link-recs">
      <div className="panel__head">
        <p id={`${id}-h`} className="link-picker__title">
          {t('linkRecs.title', { title: action.title })}
        </p>
        <Button variant="link" className="button--small" onClick={onClose} data-testid="link-recs-close">
          {t('linkRecs.done')}
        </Button>
      </div>
      <div className="field">
        <label htmlFor={`${id}-q`}>{t('linkRecs.search')}</label>
        <p className="field__hint">{t('linkRecs.searchHint')}</p>
        <input id={`${id}-q`} type="search" value={q} onChange={(e) => setQ(e.target.value)} autoFocus data-testid="link-recs-search" />
      </div>
      <div className="checkbox">
        <input id={`${id}-un`} type="checkbox" checked={onlyUnaddressed} onChange={(e) => setOnlyUnaddressed(e.target.checked)} />
        <label htmlFor={`${id}-un`}>{t('recs.filter.unaddressed')}</label>
      </div>
      {error && (
        <p className="alert alert--error" role="alert">
          {error}
        </p>
      )}
      {results === null ? (
        <p className="muted" role="status">
          {t('common.loading')}
        </p>
      ) : results.length === 0 ? (
        <p className="muted">{t('linkRecs.none')}</p>
      ) : (
        <>
          <p className="muted small" role="status">
            {t('linkRecs.count', { shown: results.length, total })}
            {!q.trim() && <span data-testid="link-recs-near-section"> {t('linkRecs.nearSection')}</span>}
          </p>
          <ul className="link-picker__results">
            {results.map((r) => {
              const isLinked = linked.has(r.id);
              return (
                <li key={r.id} className={isLinked ? 'is-linked' : undefined} data-testid="link-recs-result" data-rec-id={r.id}>
                  <div className="link-picker__rec">
                    <p className="link-picker__ref">
                      <strong>{r.reference}</strong> <PositionBadge position={r.position} kind={r.kind} />
                      {isLinked && <span className="linked-mark"> ✓ {t('linkRecs.linked')}</span>}
                      {r.actionCount > 0 && <span className="muted small"> · {t('linkRecs.actionCount', { count: r.actionCount })}</span>}
                    </p>
                    <p className="link-picker__text">{r.text}</p>
                  </div>
                  <Button
                    variant={isLinked ? 'secondary' : 'primary'}
                    className="button--small"
                    busy={busyId === r.id}
                    aria-pressed={isLinked}
                    disabled={offline}
                    onClick={() => void toggle(r)}
                    data-testid="link-recs-attach"
                  >
                    {isLinked ? t('linkRecs.detach') : t('linkRecs.attach')}
                    <span className="visually-hidden"> {r.reference}</span>
                  </Button>
                </li>
              );
            })}
          </ul>
        </>
      )}
    </div>
  );
}
