import { useTranslation } from 'react-i18next';
import { themeLabel } from '../../../shared/themes/uprThemes.ts';
import { Link } from 'react-router';
import type { RecommendationPage } from '../../../shared/api/index.ts';
import { PositionBadge, mechanismLabel } from './recommendations.tsx';
import { withParam } from './searchParams.ts';
import { TableScroll } from '../../ui/TableScroll.tsx';

/** Shortens a recommendation's text for a table cell (the detail shows all of it). */
function clip(text: string, n: number): string {
  return text.length > n ? text.slice(0, n).trimEnd() + '…' : text;
}

/**
 * One page of recommendations. A row opens its detail; the reference is also a link (with the
 * rest of the address kept) for keyboards and for opening in a new tab. With a detail open the
 * table narrows: shorter texts, no themes column.
 */
export function RecommendationTable({
  items,
  selectedId,
  params,
  onSelect,
}: {
  items: RecommendationPage['items'];
  selectedId: string | null;
  params: URLSearchParams;
  onSelect: (id: string) => void;
}) {
  const { t, i18n } = useTranslation();
  return (
    <TableScroll label={t('recs.caption')}>
      <table className="table table--compact rec-table" data-testid="rec-table">
        <caption className="visually-hidden">{t('recs.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('recs.colReference')}</th>
            <th scope="col">{t('recs.colText')}</th>
            <th scope="col">{t('recs.colStates')}</th>
            <th scope="col">{t('recs.colPosition')}</th>
            {!selectedId && <th scope="col">{t('recs.colThemes')}</th>}
            <th scope="col" className="num">
              {t('recs.colActions')}
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((r) => (
            <tr key={r.id} className={r.id === selectedId ? 'is-selected' : undefined} onClick={() => onSelect(r.id)} data-testid="rec-row" data-rec-id={r.id}>
              <td className="nowrap">
                <Link to={{ search: withParam(params, 'rec', r.id) }} replace aria-current={r.id === selectedId ? 'true' : undefined} onClick={(e) => e.stopPropagation()}>
                  {r.reference}
                </Link>
                <br />
                <span className="muted small" title={mechanismLabel(t, r.mechanism)}>
                  {t(`mechanismShort.${r.mechanism}`, { defaultValue: r.mechanism })}
                </span>
              </td>
              <td className="clip-text">{clip(r.text, selectedId ? 160 : 260)}</td>
              <td className="small">{r.recommendingStates.join(', ') || '—'}</td>
              <td>
                <PositionBadge position={r.position} kind={r.kind} />
              </td>
              {!selectedId && <td className="small">{r.themes.map((th) => themeLabel(th, i18n.language)).join('; ') || '—'}</td>}
              <td className="num">
                {r.actionCount === 0 ? (
                  <span className="muted" title={t('recs.noActionYet')}>
                    0
                  </span>
                ) : (
                  r.actionCount
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
