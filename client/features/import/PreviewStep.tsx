import { useId, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { EncodingOptions } from './EncodingOptions.tsx';
import { ImportFormatSchema, type ImportEncoding, type ImportFormat, type ImportPreview, type Position, type SameAsPlanChoice } from '../../../shared/api/index.ts';
import { Button } from '../../ui/forms.tsx';
import { ProgressBar } from '../recommendations/recommendations.tsx';
import { importWarningText } from './importText.ts';
import type { ImportProgress, ParagraphGroup } from './importSteps.ts';
import { PositionOverrides } from './PositionOverrides.tsx';
import { PreviewRows, RejectedRows } from './PreviewRows.tsx';
import { SameAsPlan } from './SameAsPlan.tsx';

/**
 * What the import would do with the choice made for rows repeating recommendations of the plan:
 * the server counts them as new; treated as the same, those that add something update the plan's
 * copy and the others change nothing.
 */
function countsFor(preview: ImportPreview, choice: SameAsPlanChoice): ImportPreview['counts'] {
  const { counts, sameAsPlan } = preview;
  if (choice === 'new' || sameAsPlan.total === 0) return counts;
  return {
    ...counts,
    create: counts.create - sameAsPlan.total,
    update: counts.update + sameAsPlan.filling,
    unchanged: counts.unchanged + sameAsPlan.total - sameAsPlan.filling,
  };
}

/**
 * Step 2: what the import would change (nothing is written yet): counts, warnings, positions to
 * correct, the first rows and the rejected ones; then confirm, or go back. While writing, progress.
 */
export function PreviewStep({
  preview,
  groups,
  overrides,
  setOverrides,
  sameAsPlan,
  setSameAsPlan,
  committing,
  progress,
  onConfirm,
  onReformat,
  onReencode,
  onBack,
}: {
  preview: ImportPreview;
  groups: ParagraphGroup[];
  overrides: Record<string, Position>;
  setOverrides: (o: Record<string, Position>) => void;
  sameAsPlan: SameAsPlanChoice;
  setSameAsPlan: (c: SameAsPlanChoice) => void;
  committing: boolean;
  progress: ImportProgress | null;
  onConfirm: () => void;
  onReformat: (f: ImportFormat) => void;
  /** Absent for pasted text, which the browser always sends as UTF-8: there is no encoding to choose. */
  onReencode: ((e: ImportEncoding) => void) | undefined;
  onBack: () => void;
}) {
  const { t } = useTranslation();
  const reformatId = useId();
  const encodingId = useId();
  const counts = countsFor(preview, sameAsPlan);
  const sameAs = useMemo(() => new Map(preview.sameAsPlan.rows.map((r) => [r.row, r])), [preview]);
  const toWrite = counts.create + counts.update;

  return (
    <div data-testid="import-preview">
      <p>
        {t('import.previewOf', { filename: preview.filename })}{' '}
        <span className="muted">{t('import.previewNothingYet')}</span>
      </p>
      <div className="inline-form import-reformat">
        <div className="field">
          <label htmlFor={reformatId}>{t('import.readAs')}</label>
          <select id={reformatId} value={preview.format} disabled={committing} onChange={(e) => onReformat(e.target.value as ImportFormat)} data-testid="import-reformat">
            {ImportFormatSchema.options.map((f) => (
              <option key={f} value={f}>
                {t(`importFormat.${f}`)}
              </option>
            ))}
          </select>
        </div>
        {preview.encoding && onReencode && (
          <div className="field">
            <label htmlFor={encodingId}>{t('import.encodingLabel')}</label>
            <select id={encodingId} value={preview.encoding} disabled={committing} onChange={(e) => onReencode(e.target.value as ImportEncoding)} data-testid="import-reencode">
              <EncodingOptions />
            </select>
          </div>
        )}
      </div>
      {preview.encoding && onReencode && (
        <p data-testid="import-encoding-read">{t('import.encodingRead', { encoding: t(`importEncoding.${preview.encoding}`) })}</p>
      )}
      <dl className="stat-row" aria-label={t('import.countsLabel')}>
        {(['create', 'update', 'unchanged', 'rejected'] as const).map((k) => (
          <div key={k} className={`stat stat--${k}`}>
            <dt>{t(`import.count.${k}`)}</dt>
            <dd data-testid={`import-count-${k}`}>{counts[k]}</dd>
          </div>
        ))}
      </dl>

      {preview.warnings.length > 0 && (
        <div className="alert alert--warning" data-testid="import-warnings">
          <h3 className="alert__title">{t('import.warnings', { count: preview.warnings.length })}</h3>
          <ul>
            {preview.warnings.map((w, i) => (
              <li key={i}>{importWarningText(t, w)}</li>
            ))}
          </ul>
        </div>
      )}

      {preview.sameAsPlan.total > 0 && <SameAsPlan same={preview.sameAsPlan} choice={sameAsPlan} setChoice={setSameAsPlan} disabled={committing} />}

      {groups.length > 0 && <PositionOverrides groups={groups} overrides={overrides} setOverrides={setOverrides} disabled={committing} />}

      <PreviewRows preview={preview} sameAs={sameAsPlan === 'same' ? sameAs : undefined} />
      <RejectedRows rejected={preview.rejected} />

      {committing ? (
        <ProgressBar
          label={progress ? t('import.writing', { done: progress.done, total: progress.total }) : t('import.writingStart')}
          value={progress?.done ?? 0}
          max={progress?.total ?? 0}
          testId="import-commit-progress"
        />
      ) : (
        <div className="button-row confirm-bar">
          <Button onClick={onConfirm} disabled={toWrite === 0} data-testid="import-confirm">
            {t('import.confirm', { count: toWrite })}
          </Button>
          <Button variant="secondary" onClick={onBack} data-testid="import-back">
            {t('import.back')}
          </Button>
        </div>
      )}
      {!committing && toWrite === 0 && <p className="muted">{t('import.nothingToWrite')}</p>}
    </div>
  );
}
