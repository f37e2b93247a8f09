import { useTranslation } from 'react-i18next';
import { useGroupOfQuery } from './groupsApi.ts';

/** On a recommendation's detail: the group it is in, if any, and the others that say the same thing. */
export function GroupOfRecommendation({ planId, recId }: { planId: string; recId: string }) {
  const { t } = useTranslation();
  const { data } = useGroupOfQuery(planId, recId);
  const group = data?.group;
  if (!group) return null;
  const others = group.members.filter((m) => m.id !== recId);
  return (
    <div className="rec-groups__of" data-testid="rec-detail-group">
      <h3>{t('recGroups.detailTitle')}</h3>
      <p className="muted small">
        {group.status === 'confirmed' && group.confirmed
          ? t('recGroups.detailConfirmed', { name: group.confirmed.name })
          : t('recGroups.detailProposed')}
      </p>
      <ul>
        {others.map((m) => (
          <li key={m.id}>
            <strong>{m.reference}</strong>
            {m.recommendingStates.length > 0 && <span className="muted small"> — {m.recommendingStates.join(', ')}</span>}
          </li>
        ))}
      </ul>
    </div>
  );
}
