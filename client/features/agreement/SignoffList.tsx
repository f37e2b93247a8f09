import { useTranslation } from 'react-i18next';
import type { SectionStatus, Signoff } from '../../../shared/api/index.ts';
import { SideBadge } from '../../ui/badges.tsx';

import { shortHash } from './hash.ts';
import { StatusIcon } from './StatusIcon.tsx';
import { formatDateTime } from '../../i18n/format.ts';

/**
 * Who signed the section, with any reservation they signed with; a signature of an older version
 * says so while the section is not yet agreed.
 */
export function SignoffList({ signoffs, currentHash, status }: { signoffs: Signoff[]; currentHash: string; status: SectionStatus }) {
  const { t, i18n } = useTranslation();
  if (signoffs.length === 0) {
    return status !== 'agreed' ? <p className="muted small agreement-panel__none">{t('agreement.noSignoffs')}</p> : null;
  }
  return (
    <ul className="signoff-list" aria-label={t('agreement.signoffsLabel')}>
      {signoffs.map((s) => (
        <li key={s.id} className="signoff-list__item" data-testid="signoff-item">
          <StatusIcon status="lock" />
          <strong>{s.name}</strong>
          <span>{s.organisation}</span>
          <SideBadge side={s.side} />
          {!s.organisationVerified && (
            <span className="badge badge--unverified" data-testid="signoff-unverified" title={t('orgs.unverifiedHelp')}>
              {t('orgs.unverifiedCounts')}
            </span>
          )}
          <span className="muted small">
            {t('agreement.signedAt', { when: formatDateTime(s.signedAt, i18n.language) })}
            {s.contentHash !== currentHash && status !== 'agreed' && <> · {t('agreement.signedOlder', { hash: shortHash(s.contentHash) })}</>}
          </span>
          {s.reservation && <Reservation text={s.reservation} />}
        </li>
      ))}
    </ul>
  );
}

/** The reservation a signature was given with, shown under it. */
function Reservation({ text }: { text: string }) {
  const { t } = useTranslation();
  return (
    <p className="signoff-list__reservation" data-testid="signoff-reservation">
      <strong>{t('agreement.reservation')}</strong> {text}
    </p>
  );
}
