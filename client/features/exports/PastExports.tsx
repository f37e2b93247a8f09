import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { PastExport } from '../../../shared/api/index.ts';
import { agreementApi } from '../../api/index.ts';
import { queryKeys } from '../../api/queries.ts';
import { describeError } from '../../ui/forms.tsx';

import { RetentionForm } from './RetentionForm.tsx';
import { failureReason } from './failureReason.ts';
import { formatDateTime, formatFileSize } from '../../i18n/format.ts';
import { TableScroll } from '../../ui/TableScroll.tsx';

/**
 * The plan's exports so far, newest first: who made each, when, of what, its size, and a download
 * until it expires. A coordinator sets how long they are kept.
 */
export function PastExports({ planId, isCoordinator }: { planId: string; isCoordinator: boolean }) {
  const { t } = useTranslation();
  const query = useQuery({ queryKey: queryKeys.plan(planId).exports(), queryFn: () => agreementApi.pastExports(planId) });
  const data = query.data;

  return (
    <section className="past-exports spaced" aria-labelledby="past-exports-heading" data-testid="past-exports">
      <h2 id="past-exports-heading">{t('export.past.title')}</h2>
      {query.error && (
        <p className="alert alert--error" role="alert">
          {describeError(query.error, t).message}
        </p>
      )}
      {data && (
        <>
          <p className="muted" data-testid="past-exports-retention">
            {t('export.past.kept', { count: data.retentionDays })}
          </p>
          {isCoordinator && <RetentionForm planId={planId} days={data.retentionDays} />}
          {data.items.length === 0 ? (
            <p className="muted" data-testid="past-exports-empty">
              {t('export.past.empty')}
            </p>
          ) : (
            <PastExportsTable planId={planId} items={data.items} />
          )}
        </>
      )}
    </section>
  );
}

function PastExportsTable({ planId, items }: { planId: string; items: PastExport[] }) {
  const { t, i18n } = useTranslation();
  const when = (iso: string) => formatDateTime(iso, i18n.language);
  return (
    <TableScroll label={t('export.past.caption')}>
      <table className="table table--compact past-exports__table">
        <caption className="visually-hidden">{t('export.past.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('export.past.made')}</th>
            <th scope="col">{t('export.past.by')}</th>
            <th scope="col">{t('export.past.format')}</th>
            <th scope="col">{t('export.past.contents')}</th>
            <th scope="col">{t('export.past.language')}</th>
            <th scope="col">{t('export.past.size')}</th>
            <th scope="col">{t('export.past.expires')}</th>
            <th scope="col">{t('export.past.file')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((e) => (
            <tr key={e.id} data-testid="past-export-row" data-export-id={e.id} data-state={e.state}>
              <td data-testid="past-export-when">{when(e.createdAt)}</td>
              <td data-testid="past-export-by">{e.createdBy.name}</td>
              <td data-testid="past-export-format">{t(`export.formats.${e.format}`)}</td>
              <td data-testid="past-export-scope">
                {e.scope === 'agreed' ? t('export.past.scopeAgreed') : t('export.past.scopeCurrent')}
                <br />
                <span className="muted small">{e.versionName ? t('export.past.version', { name: e.versionName }) : t('export.past.currentText')}</span>
              </td>
              <td data-testid="past-export-language" data-language={e.language} lang={e.language}>
                {t(`export.languages.${e.language}`)}
              </td>
              <td data-testid="past-export-size">{e.sizeBytes === null ? '—' : formatFileSize(e.sizeBytes, i18n.language)}</td>
              <td>{when(e.expiresAt)}</td>
              <td>
                {e.state === 'done' && (
                  <a href={agreementApi.exportFileUrl(planId, e.id)} download={e.filename ?? true} data-testid="past-export-download">
                    {t('export.past.download', { name: e.filename ?? t(`export.formats.${e.format}`) })}
                  </a>
                )}
                {e.state === 'running' && <span className="muted">{t('export.past.running')}</span>}
                {e.state === 'failed' && (
                  <span title={failureReason(t, e.errorCode) || undefined} data-testid="past-export-failed">
                    {t('export.past.failed')}
                  </span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
