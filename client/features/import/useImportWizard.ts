import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ImportFormat, ImportPreview, Position } from '../../../shared/api/index.ts';
import { api } from '../../api/index.ts';
import { describeError } from '../../ui/forms.tsx';
import { MAX_BYTES, MAX_MB, paragraphGroups, positionOverrides, type Step } from './importSteps.ts';

export type ImportSource = 'file' | 'paste';

/**
 * The import wizard's state: what the person chose, the preview the server made of it (nothing
 * is written yet), and the commit once they confirm.
 */
export function useImportWizard(planId: string, onImported: () => void) {
  const { t } = useTranslation();
  const [step, setStep] = useState<Step>({ kind: 'choose' });
  const [source, setSource] = useState<ImportSource>('file');
  const [file, setFile] = useState<File | null>(null);
  const [pasted, setPasted] = useState('');
  const [format, setFormat] = useState<ImportFormat | ''>('');
  const [error, setError] = useState<string | null>(null);
  const [overrides, setOverrides] = useState<Record<string, Position>>({});

  const upload = async (formatOverride?: ImportFormat | '') => {
    setError(null);
    const chosen = formatOverride ?? format;
    let blob: Blob;
    let filename: string;
    if (source === 'file') {
      if (!file) {
        setError(t('import.chooseFileFirst'));
        return;
      }
      blob = file;
      filename = file.name;
    } else {
      if (!pasted.trim()) {
        setError(t('import.pasteFirst'));
        return;
      }
      blob = new File([pasted], 'pasted-un-report.txt', { type: 'text/plain' });
      filename = 'pasted-un-report.txt';
    }
    if (blob.size > MAX_BYTES) {
      setError(t('import.tooLarge', { mb: MAX_MB }));
      return;
    }
    setStep({ kind: 'uploading', loaded: 0, total: blob.size });
    try {
      const preview = await api.previewImport(
        planId,
        blob,
        filename,
        chosen === '' ? (source === 'paste' ? 'un-report-text' : undefined) : chosen,
        (loaded, total) => setStep({ kind: 'uploading', loaded, total }),
      );
      setOverrides({});
      setStep({ kind: 'preview', preview });
    } catch (err) {
      setError(describeError(err, t).message);
      setStep({ kind: 'choose' });
    }
  };

  const groups = useMemo(() => (step.kind === 'preview' || step.kind === 'committing' ? paragraphGroups(step.preview) : []), [step]);

  const commit = async (preview: ImportPreview) => {
    setError(null);
    const changed = positionOverrides(groups, overrides);
    setStep({ kind: 'committing', preview });
    try {
      const record = await api.commitImport(planId, preview.previewId, Object.keys(changed).length ? changed : undefined);
      setStep({ kind: 'done', record });
      onImported();
    } catch (err) {
      setError(describeError(err, t).message);
      setStep({ kind: 'preview', preview });
    }
  };

  return {
    step,
    error,
    source,
    setSource,
    setFile,
    pasted,
    setPasted,
    format,
    setFormat,
    groups,
    overrides,
    setOverrides,
    upload: () => void upload(),
    /** Reads the same file again in another format (from the preview). */
    reformat: (f: ImportFormat) => {
      setFormat(f);
      void upload(f);
    },
    commit: (preview: ImportPreview) => void commit(preview),
    back: () => setStep({ kind: 'choose' }),
    another: () => {
      setFile(null);
      setPasted('');
      setStep({ kind: 'choose' });
    },
  };
}

export type ImportWizardState = ReturnType<typeof useImportWizard>;
