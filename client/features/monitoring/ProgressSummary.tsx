import { useTranslation } from 'react-i18next';
import { themeLabel } from '../../../shared/themes/uprThemes.ts';
import type { PlanProgress } from '../../../shared/api/index.ts';
import { mechanismLabel } from '../recommendations/recommendations.tsx';
import { formatDate } from '../../i18n/format.ts';
import { TableScroll } from '../../ui/TableScroll.tsx';

type Counts = PlanProgress['byChapter'][number]['actions'];
const COLUMNS = ['total', 'done', 'onTrack', 'delayed', 'cancelled', 'notReported'] as const satisfies readonly (keyof Counts)[];

/** Where the plan stands in the round: counts in tables with headers (never colour alone). */
export function ProgressSummary({ progress }: { progress: PlanProgress }) {
  const { t, i18n } = useTranslation();
  const recs = progress.recommendations;
  return (
    <>
      <dl className="stat-row" data-testid="progress-recommendation-counts">
        <div className="stat">
          <dt>{t('monitoring.summary.recommendations')}</dt>
          <dd data-testid="recs-followed">
            {recs.total}
            <span className="stat__of"> {t('monitoring.summary.ofInPlan', { count: recs.inPlan })}</span>
          </dd>
        </div>
        <div className="stat">
          <dt>{t('monitoring.summary.implementedByGovernment')}</dt>
          <dd data-testid="recs-implemented-government">{recs.implementedByGovernment}</dd>
        </div>
        <div className="stat">
          <dt>{t('monitoring.summary.implementedByCivilSociety')}</dt>
          <dd data-testid="recs-implemented-civil-society">{recs.implementedByCivilSociety}</dd>
        </div>
        <div className={'stat' + (recs.disputed > 0 ? ' stat--attention' : '')}>
          <dt>{t('monitoring.summary.disputed')}</dt>
          <dd data-testid="recs-disputed">{recs.disputed}</dd>
        </div>
      </dl>
      <p className="muted small">{t('monitoring.summary.implementedHelp')}</p>

      <section className="spaced" aria-labelledby="mon-by-chapter">
        <h3 id="mon-by-chapter">{t('monitoring.summary.byChapter')}</h3>
        <CountsTable title={t('monitoring.summary.byChapter')} label={t('monitoring.summary.colChapter')} rows={progress.byChapter.map((c) => ({ key: c.id, name: c.title, counts: c.actions }))} testId="progress-by-chapter" />
      </section>
      <section className="spaced" aria-labelledby="mon-by-theme">
        <h3 id="mon-by-theme">{t('monitoring.summary.byTheme')}</h3>
        <CountsTable title={t('monitoring.summary.byTheme')} label={t('monitoring.summary.colTheme')} rows={progress.byTheme.map((c) => ({ key: c.theme, name: themeLabel(c.theme, i18n.language), counts: c.actions }))} testId="progress-by-theme" />
      </section>
      <section className="spaced" aria-labelledby="mon-by-mechanism">
        <h3 id="mon-by-mechanism">{t('monitoring.summary.byMechanism')}</h3>
        <CountsTable
          title={t('monitoring.summary.byMechanism')}
          label={t('monitoring.summary.colMechanism')}
          rows={progress.byMechanism.map((c) => ({ key: c.mechanism, name: mechanismLabel(t, c.mechanism), counts: c.actions }))}
          testId="progress-by-mechanism"
        />
      </section>
    </>
  );
}

function CountsTable({ title, label, rows, testId }: { title: string; label: string; rows: { key: string; name: string; counts: Counts }[]; testId: string }) {
  const { t } = useTranslation();
  if (rows.length === 0) return <p className="muted">{t('monitoring.summary.none')}</p>;
  return (
    <TableScroll label={title}>
      <table className="table table--compact" data-testid={testId}>
        <thead>
          <tr>
            <th scope="col">{label}</th>
            {COLUMNS.map((c) => (
              <th scope="col" className="num" key={c}>
                {t(`monitoring.summary.col.${c}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key}>
              <th scope="row">{r.name}</th>
              {COLUMNS.map((c) => (
                <td className="num" key={c}>
                  {r.counts[c]}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

/** Actions past their end date that are not done, and actions still without a report this round. */
export function AttentionLists({ progress, onOpenAction }: { progress: PlanProgress; onOpenAction: (actionId: string) => void }) {
  const { t, i18n } = useTranslation();
  return (
    <div className="mon-attention">
      <section aria-labelledby="mon-overdue" data-testid="progress-overdue">
        <h3 id="mon-overdue">{t('monitoring.overdue.title', { count: progress.overdueActions.length })}</h3>
        {progress.overdueActions.length === 0 ? (
          <p className="muted">{t('monitoring.overdue.none')}</p>
        ) : (
          <ul>
            {progress.overdueActions.map((a) => (
              <li key={a.actionId}>
                <button type="button" className="button button--link" onClick={() => onOpenAction(a.actionId)}>
                  {a.title}
                </button>{' '}
                <span className="muted small">{t('monitoring.overdue.ended', { end: a.end })}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="mon-due" data-testid="progress-reports-due">
        <h3 id="mon-due">{t('monitoring.due.title', { count: progress.reportsDue.length })}</h3>
        {progress.reportsDue.length === 0 ? (
          <p className="muted">{t('monitoring.due.none')}</p>
        ) : (
          <ul>
            {progress.reportsDue.map((a) => (
              <li key={a.actionId}>
                <button type="button" className="button button--link" onClick={() => onOpenAction(a.actionId)}>
                  {a.title}
                </button>{' '}
                <span className="muted small">{t('monitoring.due.by', { date: formatDate(a.dueDate, i18n.language) })}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
