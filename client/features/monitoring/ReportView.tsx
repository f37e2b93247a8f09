import { useTranslation } from 'react-i18next';
import type { Action, Evidence, ProgressReport } from '../../../shared/api/index.ts';
import { ReportStatusBadge } from './badges.tsx';
import { useFormat } from '../../i18n/format.ts';
import { indicatorMeasure, measuredText } from '../../../shared/indicators/yesNo.ts';
import { TableScroll } from '../../ui/TableScroll.tsx';

/** A government report as read by everyone: what was done, money spent, observed values, evidence. */
export function ReportView({ report, action }: { report: ProgressReport; action: Action }) {
  const { t } = useTranslation();
  const format = useFormat();
  const indicator = (id: string) => action.indicators.find((i) => i.id === id);
  // "Yes" for a yes/no indicator's 1; a number with its unit otherwise.
  const valueText = (id: string, value: number) => {
    const ind = indicator(id);
    const measure = ind ? indicatorMeasure(ind) : 'number';
    const text = measuredText(value, measure, { yes: t('monitoring.yes'), no: t('monitoring.no') }, format.number);
    return measure === 'yes_no' ? text : `${text} ${ind?.unit ?? ''}`;
  };
  return (
    <div className="mon-report" data-testid="report-view" data-report-id={report.id} data-state={report.state}>
      <p className="mon-report__head">
        <ReportStatusBadge status={report.status} />{' '}
        {report.state === 'draft' ? (
          <span className="badge mon-draft" data-testid="report-draft-badge">
            {t('monitoring.report.draft')}
          </span>
        ) : (
          <span className="muted small">
            {t('monitoring.report.submittedBy', {
              name: report.author.name,
              organisation: report.author.organisation,
              date: format.date(report.submittedAt ?? report.createdAt),
            })}
          </span>
        )}
        {report.corrects && <span className="muted small"> · {t('monitoring.report.isCorrection')}</span>}
      </p>
      {report.reason && (
        <p data-testid="report-reason">
          <strong>{t('monitoring.report.reason')}:</strong> {report.reason}
        </p>
      )}
      {report.narrative && <p className="mon-report__narrative" data-testid="report-narrative">{report.narrative}</p>}
      {report.spentAmount !== null && (
        <p data-testid="report-spent">
          <strong>{t('monitoring.report.spent')}:</strong> {format.money(report.spentAmount, report.currency)}
        </p>
      )}
      {report.values.length > 0 && (
        <TableScroll label={t('monitoring.report.valuesCaption')}>
          <table className="table table--compact" data-testid="report-values">
            <caption className="visually-hidden">{t('monitoring.report.valuesCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('monitoring.report.indicator')}</th>
                <th scope="col" className="num">
                  {t('monitoring.report.value')}
                </th>
                <th scope="col">{t('monitoring.report.date')}</th>
                <th scope="col">{t('monitoring.report.source')}</th>
              </tr>
            </thead>
            <tbody>
              {report.values.map((v) => (
                <tr key={v.id}>
                  <th scope="row">{indicator(v.indicatorId)?.description ?? t('monitoring.report.unknownIndicator')}</th>
                  <td className="num">
                    {valueText(v.indicatorId, v.value)}
                    {v.disaggregated.length > 0 && (
                      <span className="muted small mon-report__disagg">
                        {disaggregationText(v.disaggregated, format.number)}
                      </span>
                    )}
                  </td>
                  <td>{format.date(v.date)}</td>
                  <td>{v.source || <span className="muted">—</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <EvidenceList evidence={report.evidence} />
    </div>
  );
}

/** "sex: women 11, men 14; age: under 18 3" */
function disaggregationText(values: { dimension: string; group: string; value: number }[], number: (n: number) => string): string {
  const byDimension = new Map<string, string[]>();
  for (const d of values) byDimension.set(d.dimension, [...(byDimension.get(d.dimension) ?? []), `${d.group} ${number(d.value)}`]);
  return [...byDimension].map(([dimension, groups]) => `${dimension}: ${groups.join(', ')}`).join('; ');
}

export function EvidenceList({ evidence, onRemove, removeDisabled = false, showTitle = true }: { evidence: Evidence[]; onRemove?: (e: Evidence) => void; removeDisabled?: boolean; showTitle?: boolean }) {
  const { t } = useTranslation();
  const format = useFormat();
  if (evidence.length === 0) return null;
  return (
    <div className="mon-evidence">
      {showTitle && <p className="mon-evidence__title">{t('monitoring.evidence.title')}</p>}
      <ul data-testid="evidence-list">
        {evidence.map((e) => (
          <li key={e.id} data-testid="evidence-item" data-kind={e.kind}>
            {e.kind === 'file' ? (
              // Files are served as attachments with safe headers; `download` says so before the click.
              <a href={e.url} download={e.label}>
                {e.label}
              </a>
            ) : (
              <a href={e.url} target="_blank" rel="noopener noreferrer nofollow">
                {e.label || e.url}
              </a>
            )}
            {e.kind === 'file' && e.size !== null && <span className="muted small"> ({format.fileSize(e.size)})</span>}
            {onRemove && (
              <>
                {' '}
                <button type="button" className="button button--link button--small" disabled={removeDisabled} onClick={() => onRemove(e)} data-testid="evidence-remove">
                  {t('monitoring.evidence.remove')}
                  <span className="visually-hidden"> {e.label}</span>
                </button>
              </>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
