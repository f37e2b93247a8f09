import { useTranslation } from 'react-i18next';
import { Button } from '../../ui/forms.tsx';

/** Previous / next page of the list; shown only when there is more than one page. */
export function RecommendationsPager({ pageNo, pages, onPage }: { pageNo: number; pages: number; onPage: (pageNo: number) => void }) {
  const { t } = useTranslation();
  if (pages <= 1) return null;
  return (
    <nav className="pager" aria-label={t('recs.pagerLabel')}>
      <Button variant="secondary" disabled={pageNo <= 1} onClick={() => onPage(pageNo - 1)} data-testid="rec-prev">
        {t('recs.prev')}
      </Button>
      <span>{t('recs.pageOf', { page: pageNo, pages })}</span>
      <Button variant="secondary" disabled={pageNo >= pages} onClick={() => onPage(pageNo + 1)} data-testid="rec-next">
        {t('recs.next')}
      </Button>
    </nav>
  );
}
