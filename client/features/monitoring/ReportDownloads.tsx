import { useState, type MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Me } from '../../../shared/api/index.ts';
import { exportLanguageOf } from '../exports/exportLanguage.ts';
import { downloadReport, reportFailureText } from './reportDownload.ts';

/**
 * The round's reports to download: the progress report (the shape of a State's voluntary UPR
 * mid-term report, both sides' assessments beside it) and the assessment report of each
 * civil-society organisation that assessed in the round, for everyone (every member can already
 * read all of it: a coordinator or an observer compares them), and a member of an assessing
 * organisation always has their own. The server builds the file while the page says so; a refusal
 * or failure is said in the reader's language, worded as a plan export's.
 */
export function ReportDownloads({
  planId,
  roundId,
  me,
  canAssess,
  assessors,
}: {
  planId: string;
  roundId: string;
  me: Me;
  canAssess: boolean;
  /** Civil-society organisations with an assessment in this round. */
  assessors: ReadonlyArray<{ id: string; name: string }>;
}) {
  const { t, i18n } = useTranslation();
  // The reports' own words in the language the person reads Accord in.
  const base = `/api/plans/${encodeURIComponent(planId)}/rounds/${encodeURIComponent(roundId)}/progress-report`;
  const language = `language=${exportLanguageOf(i18n.language)}`;
  const organisations = [...(canAssess ? [{ id: me.organisation.id, name: me.organisation.name }] : []), ...assessors.filter((o) => !canAssess || o.id !== me.organisation.id)];
  const [making, setMaking] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const save = (e: MouseEvent<HTMLAnchorElement>) => {
    e.preventDefault();
    if (making) return;
    const href = e.currentTarget.href;
    setMaking(true);
    setFailure(null);
    downloadReport(href)
      .catch((err: unknown) => setFailure(reportFailureText(t, err)))
      .finally(() => setMaking(false));
  };
  return (
    <div className="mon-downloads" data-testid="report-downloads">
      <h3>{t('monitoring.downloads.heading')}</h3>
      <p className="muted">{t('monitoring.downloads.help')}</p>
      <ul className="mon-downloads__links">
        <li>
          <a href={`${base}?format=docx&${language}`} download onClick={save} data-testid="download-report-docx">
            {t('monitoring.downloads.reportDocx')}
          </a>
        </li>
        <li>
          <a href={`${base}?format=pdf&${language}`} download onClick={save} data-testid="download-report-pdf">
            {t('monitoring.downloads.reportPdf')}
          </a>
        </li>
        {organisations.map((o) => {
          const of = `organisationId=${encodeURIComponent(o.id)}`;
          return (
            <li key={o.id} className="mon-downloads__pair">
              <a href={`${base}?format=docx&${language}&${of}`} download onClick={save} data-testid="download-assessment-docx">
                {t('monitoring.downloads.assessmentDocx', { organisation: o.name })}
              </a>
              {' · '}
              <a href={`${base}?format=pdf&${language}&${of}`} download onClick={save} data-testid="download-assessment-pdf">
                {t('monitoring.downloads.assessmentPdf', { organisation: o.name })}
              </a>
            </li>
          );
        })}
      </ul>
      {making && (
        <p className="muted" role="status" data-testid="report-making">
          {t('monitoring.downloads.making')}
        </p>
      )}
      {failure && (
        <p className="alert alert--error" role="alert" data-testid="report-failed">
          {failure}
        </p>
      )}
    </div>
  );
}
