import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { SIDES } from '../../../shared/api/index.ts';
import type { PlanOrganisation } from '../../api/index.ts';
import { SideBadge } from '../../ui/badges.tsx';

/** One organisation of the plan, grouped by side (a lead agency, who proposed an indicator). */
export function OrgSelect({ id, orgs, value, onChange, testId, emptyLabel }: { id: string; orgs: PlanOrganisation[]; value: string; onChange: (v: string) => void; testId?: string; emptyLabel?: string }) {
  const { t } = useTranslation();
  return (
    <select id={id} value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
      <option value="">{emptyLabel ?? t('actions.noneChosen')}</option>
      {SIDES.map((side) => {
        const list = orgs.filter((o) => o.side === side);
        if (list.length === 0) return null;
        return (
          <optgroup key={side} label={t(`side.${side}`)}>
            {list.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </optgroup>
        );
      })}
    </select>
  );
}

/** Any number of the plan's organisations (co-implementers, civil-society partners). */
export function OrgChecklist({ legend, hint, orgs, value, onChange, testId }: { legend: string; hint?: string; orgs: PlanOrganisation[]; value: string[]; onChange: (v: string[]) => void; testId: string }) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <fieldset className="org-checklist" data-testid={testId}>
      <legend>{legend}</legend>
      {hint && <p className="field__hint">{hint}</p>}
      {orgs.length === 0 ? (
        <p className="muted small">{t('actions.noOrgs')}</p>
      ) : (
        <ul>
          {orgs.map((o) => (
            <li key={o.id}>
              <input
                type="checkbox"
                id={`${id}-${o.id}`}
                checked={value.includes(o.id)}
                onChange={(e) => onChange(e.target.checked ? [...value, o.id] : value.filter((x) => x !== o.id))}
              />
              <label htmlFor={`${id}-${o.id}`}>
                {o.name} <SideBadge side={o.side} />
              </label>
            </li>
          ))}
        </ul>
      )}
    </fieldset>
  );
}
