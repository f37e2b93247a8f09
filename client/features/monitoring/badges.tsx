import { useTranslation } from 'react-i18next';
import type { AssessmentRating, PlanStage, ProgressStatus } from '../../../shared/api/index.ts';

/*
 * The words of monitoring, always as text: colour only repeats what the words say.
 */

export function StageBadge({ stage, testId = 'plan-stage' }: { stage: PlanStage; testId?: string }) {
  const { t } = useTranslation();
  return (
    <span className={`badge mon-stage mon-stage--${stage}`} data-testid={testId} data-stage={stage}>
      {t(`monitoring.stage.${stage}`)}
    </span>
  );
}

/** A report's status, with the action-status look of the plan page (same words for the same idea). */
export function ReportStatusBadge({ status }: { status: ProgressStatus }) {
  const { t } = useTranslation();
  return (
    <span className={`badge badge--status badge--status-${status}`} data-testid="report-status" data-status={status}>
      {t(`monitoring.status.${status}`)}
    </span>
  );
}

const RATING_GLYPH: Record<AssessmentRating, string> = {
  fully_implemented: '●',
  partially_implemented: '◐',
  not_implemented: '○',
  no_information: '?',
};

export function RatingBadge({ rating, testId = 'rating' }: { rating: AssessmentRating; testId?: string }) {
  const { t } = useTranslation();
  return (
    <span className={`badge mon-rating mon-rating--${rating}`} data-testid={testId} data-rating={rating}>
      <span aria-hidden="true">{RATING_GLYPH[rating]} </span>
      {t(`monitoring.rating.${rating}`)}
    </span>
  );
}

export function DisputedBadge() {
  const { t } = useTranslation();
  return (
    <span className="badge mon-disputed" data-testid="disputed-badge" title={t('monitoring.disputedHelp')}>
      <span aria-hidden="true">⚑ </span>
      {t('monitoring.disputed')}
    </span>
  );
}
