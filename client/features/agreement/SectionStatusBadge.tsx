import { useTranslation } from 'react-i18next';
import type { SectionStatus } from '../../../shared/api/index.ts';
import { StatusIcon } from './StatusIcon.tsx';

/** "Drafting" / "In review" / "Agreed" with an icon; `data-status` carries the machine value. */
export function SectionStatusBadge({ status, testId }: { status: SectionStatus; testId?: string }) {
  const { t } = useTranslation();
  return (
    <span className={`section-status section-status--${status}`} data-status={status} data-testid={testId}>
      <StatusIcon status={status} />
      {t(`agreement.status.${status}`)}
    </span>
  );
}
