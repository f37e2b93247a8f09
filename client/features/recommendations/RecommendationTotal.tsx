import { useTranslation } from 'react-i18next';
import { Button } from '../../ui/forms.tsx';
import { PAGE_SIZE } from './searchParams.ts';

/** How many recommendations match, which of them are shown, and (when filtered) a way back to all. */
export function RecommendationTotal({ total, pageNo, hasFilters, onClear }: { total: number; pageNo: number; hasFilters: boolean; onClear: () => void }) {
  const { t } = useTranslation();
  return (
    <p className="rec-total" role="status" aria-live="polite">
      <span data-testid="rec-total">{total}</span> {t('recs.totalLabel', { count: total })}
      {total > 0 && (
        <span className="muted">
          {' · '}
          {t('recs.showing', { from: (pageNo - 1) * PAGE_SIZE + 1, to: Math.min(total, pageNo * PAGE_SIZE) })}
        </span>
      )}
      {hasFilters && (
        <>
          {' · '}
          <Button variant="link" className="button--small" onClick={onClear} data-testid="rec-clear-filters">
            {t('recs.clearFilters')}
          </Button>
        </>
      )}
    </p>
  );
}
