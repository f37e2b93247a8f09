import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { EncodingOptions } from './EncodingOptions.tsx';
import { ImportFormatSchema, type ImportEncoding, type ImportFormat } from '../../../shared/api/index.ts';
import { Button, TextField } from '../../ui/forms.tsx';
import { ProgressBar } from '../recommendations/recommendations.tsx';
import { MAX_MB, type ImportProgress } from './importSteps.ts';
import type { ImportWizardState } from './useImportWizard.ts';

/**
 * Step 1: a file or a pasted UN report, the format and encoding to read it in (or "detect"), the
 * document symbol of a report whose text lacks it, then upload. Once the file is sent, `reading`
 * is the server's progress in reading it (from the plan's live events).
 */
export function ChooseSource({ wizard, reading }: { wizard: ImportWizardState; reading: ImportProgress | null }) {
  const { t } = useTranslation();
  const { step, source, setSource, setFile, pasted, setPasted, format, setFormat, encoding, setEncoding } = wizard;
  const fileId = useId();
  const pasteId = useId();
  const formatId = useId();
  const encodingId = useId();

  return (
    <div>
      <p>{t('import.intro')}</p>
      <fieldset>
        <legend className="visually-hidden">{t('import.sourceLegend')}</legend>
        <div className="radio">
          <input type="radio" id={`${fileId}-r`} name="import-source" checked={source === 'file'} onChange={() => setSource('file')} />
          <label htmlFor={`${fileId}-r`}>{t('import.sourceFile')}</label>
        </div>
        <div className="radio">
          <input type="radio" id={`${pasteId}-r`} name="import-source" checked={source === 'paste'} onChange={() => setSource('paste')} data-testid="import-source-paste" />
          <label htmlFor={`${pasteId}-r`}>{t('import.sourcePaste')}</label>
        </div>
      </fieldset>
      {source === 'file' ? (
        <div className="field">
          <label htmlFor={fileId}>{t('import.fileLabel')}</label>
          <p className="field__hint">{t('import.fileHint', { mb: MAX_MB })}</p>
          <input
            id={fileId}
            type="file"
            accept=".csv,.tsv,.json,.txt,text/csv,application/json,text/plain"
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
            data-testid="import-file"
          />
        </div>
      ) : (
        <div className="field">
          <label htmlFor={pasteId}>{t('import.pasteLabel')}</label>
          <p className="field__hint">{t('import.pasteHint')}</p>
          <textarea id={pasteId} rows={10} value={pasted} onChange={(e) => setPasted(e.target.value)} data-testid="import-paste" />
        </div>
      )}
      <div className="field">
        <label htmlFor={formatId}>{t('import.formatLabel')}</label>
        <p className="field__hint">{t('import.formatHint')}</p>
        <select id={formatId} value={format} onChange={(e) => setFormat(e.target.value as ImportFormat | '')} data-testid="import-format">
          <option value="">{t('import.formatAuto')}</option>
          {ImportFormatSchema.options.map((f) => (
            <option key={f} value={f}>
              {t(`importFormat.${f}`)}
            </option>
          ))}
        </select>
      </div>
      {source === 'file' && (
        <div className="field">
          <label htmlFor={encodingId}>{t('import.encodingLabel')}</label>
          <p className="field__hint">{t('import.encodingHint')}</p>
          <select id={encodingId} value={encoding} onChange={(e) => setEncoding(e.target.value as ImportEncoding | '')} data-testid="import-encoding">
            <option value="">{t('import.encodingAuto')}</option>
            <EncodingOptions />
          </select>
        </div>
      )}
      {wizard.asksForSymbol && (
        <TextField
          label={t('import.symbolLabel')}
          hint={t('import.symbolHint')}
          value={wizard.documentSymbol}
          onChange={wizard.setDocumentSymbol}
          error={wizard.symbolError}
          placeholder="A/HRC/15/16"
          maxLength={100}
          testId="import-document-symbol"
        />
      )}
      {step.kind === 'uploading' && reading ? (
        <ProgressBar
          label={reading.total > 0 ? t('importProgress.checking', { done: reading.done, total: reading.total }) : t('importProgress.reading')}
          value={reading.done}
          max={reading.total}
          testId="import-reading-progress"
        />
      ) : step.kind === 'uploading' ? (
        <ProgressBar label={t('import.uploading')} value={step.loaded} max={step.total} testId="import-upload-progress" />
      ) : (
        <Button onClick={wizard.upload} data-testid="import-upload">
          {t('import.previewButton')}
        </Button>
      )}
    </div>
  );
}
