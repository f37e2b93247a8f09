import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { counted } from '../../i18n/counted.ts';

/**
 * Removing another organisation's proposal (an action or an indicator it proposed) takes a reason:
 * the server refuses without one, records it, and tells that organisation's members. This is the
 * part of the delete confirmation that asks for it.
 */

/** The organisations, other than the person's own, whose proposals a removal would take away. */
export function othersProposals(proposerIds: Array<string | null>, ownOrganisationId: string): string[] {
  return [...new Set(proposerIds.filter((id): id is string => id !== null && id !== ownOrganisationId))];
}

export function RemovalReason({
  organisations,
  value,
  onChange,
}: {
  /** Names of the proposing organisations (not the person's own). */
  organisations: string[];
  value: string;
  onChange: (reason: string) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  if (organisations.length === 0) return null;
  return (
    <div className="field removal-reason" data-testid="removal-reason">
      <label htmlFor={id}>{t('proposals.reasonLabel')}</label>
      <p className="field__hint" id={`${id}-hint`}>
        {t('proposals.reasonHint', counted(organisations.length, { organisations: organisations.join(', ') }))}
      </p>
      <textarea
        id={id}
        rows={3}
        maxLength={2000}
        required
        aria-describedby={`${id}-hint`}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        data-testid="removal-reason-input"
      />
    </div>
  );
}
