import { useTranslation } from 'react-i18next';
import { themeLabel } from '../../../shared/themes/uprThemes.ts';
import { Link } from 'react-router';
import { PositionSchema, type Coverage } from '../../../shared/api/index.ts';
import { formatPercent } from '../../i18n/format.ts';
import { mechanismLabel, percent } from '../recommendations/recommendations.tsx';
import { sdgGoalLabel } from '../recommendations/sdgLabels.ts';
import { TableScroll } from '../../ui/TableScroll.tsx';

type Bucket = Coverage['byTheme'][number];

const EMPTY: Record<'theme' | 'mechanism' | 'sdg', string> = { theme: 'coverage.noThemes', mechanism: 'coverage.noBuckets', sdg: 'sdg.coverageNone' };

/**
 * One of the coverage page's tables (by theme, by mechanism, by SDG goal): per bucket, how many
 * recommendations and how many an action addresses, split by the State's position; each bucket
 * links to the list filtered to it.
 */
export function BucketTable({ buckets, title, label, planId, filterKey, testId }: { buckets: Bucket[]; title: string; label: string; planId: string; filterKey: 'theme' | 'mechanism' | 'sdg'; testId: string }) {
  const { t, i18n } = useTranslation();
  if (buckets.length === 0) return <p className="muted">{t(EMPTY[filterKey])}</p>;
  const name = (key: string) => (filterKey === 'mechanism' ? mechanismLabel(t, key) : filterKey === 'sdg' ? sdgGoalLabel(t, Number(key), i18n.language) : filterKey === 'theme' ? themeLabel(key, i18n.language) : key);
  return (
    <>
      <TableScroll label={title}>
        <table className="table table--compact coverage-table" data-testid={testId}>
          <thead>
            <tr>
              <th scope="col">{label}</th>
              <th scope="col" className="num">
                {t('coverage.colTotal')}
              </th>
              <th scope="col" className="num">
                {t('coverage.colAddressed')}
              </th>
              <th scope="col">{t('coverage.colShare')}</th>
              {PositionSchema.options.map((p) => (
                <th scope="col" className="num" key={p}>
                  {t(`position.${p}`)}
                  <span className="visually-hidden"> {t('coverage.addressedOfTotal')}</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {buckets.map((b) => (
              <tr key={b.key}>
                <th scope="row">
                  <Link to={`/plans/${planId}/recommendations?${filterKey}=${encodeURIComponent(b.key)}`}>{name(b.key)}</Link>
                </th>
                <td className="num">{b.total}</td>
                <td className="num">{b.addressed}</td>
                <td>
                  <span className="bar" aria-hidden="true">
                    <span className="bar__fill" style={{ width: percent(b.addressed, b.total) }} />
                  </span>{' '}
                  {formatPercent(b.addressed, b.total, i18n.language)}
                </td>
                {PositionSchema.options.map((p) => {
                  const v = b.byPosition[p];
                  return (
                    <td className="num" key={p}>
                      {v && v.total > 0 ? t('coverage.cell', { addressed: v.addressed, total: v.total }) : <span className="muted">—</span>}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      <p className="muted small">{t('coverage.cellHelp')}</p>
    </>
  );
}
