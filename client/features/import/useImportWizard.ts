import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DocumentSymbolSchema, type ImportEncoding, type ImportFormat, type ImportPreview, type Position, type SameAsPlanChoice } from '../../../shared/api/index.ts';
import { api } from '../../api/index.ts';
import { ApiError } from '../../api/http.ts';
import { describeError, zodFieldErrors } from '../../ui/forms.tsx';
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
  const [encoding, setEncoding] = useState<ImportEncoding | ''>('');
  const [documentSymbol, setDocumentSymbol] = useState('');
  const [symbolError, setSymbolError] = useState<string | undefined>();
  /** The server found no document symbol in the report: the field must be shown whatever the file is called. */
  const [symbolMissing, setSymbolMissing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [overrides, setOverrides] = useState<Record<string, Position>>({});
  /** Rows repeating recommendations the plan holds under other references: the same ones (filled in), or new. */
  const [sameAsPlan, setSameAsPlan] = useState<SameAsPlanChoice>('same');

  const upload = async (changed: { format?: ImportFormat | ''; encoding?: ImportEncoding | '' } = {}) => {
    setError(null);
    setSymbolError(undefined);
    const chosen = changed.format ?? format;
    const chosenEncoding = changed.encoding ?? encoding;
    const symbol = documentSymbol.trim() === '' ? undefined : DocumentSymbolSchema.safeParse(documentSymbol);
    if (symbol && !symbol.success) {
      setSymbolError(Object.values(zodFieldErrors(symbol.error, t))[0]);
      return;
    }
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
    const progressId = crypto.randomUUID();
    setStep({ kind: 'uploading', loaded: 0, total: blob.size, progressId });
    try {
      const preview = await api.previewImport(
        planId,
        blob,
        {
          filename,
          // Pasted text goes as ".txt": the server reads it as a UN report, or as treaty-body
          // concluding observations when their title says so.
          format: chosen === '' ? undefined : chosen,
          // Pasted text is always sent as UTF-8: an encoding chosen for a file says nothing of it.
          encoding: chosenEncoding === '' || source === 'paste' ? undefined : chosenEncoding,
          documentSymbol: symbol?.data,
          progressId,
        },
        (loaded, total) => setStep({ kind: 'uploading', loaded, total, progressId }),
      );
      setOverrides({});
      setSameAsPlan('same');
      setStep({ kind: 'preview', preview });
    } catch (err) {
      if (err instanceof ApiError && err.params?.['problem'] === 'no_document_symbol') setSymbolMissing(true);
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
      // Sent only when there are such rows; the server finds them again and decides at commit.
      const record = await api.commitImport(planId, preview.previewId, Object.keys(changed).length ? changed : undefined, preview.sameAsPlan.total > 0 ? sameAsPlan : undefined);
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
    /** Another file starts from detection again: an encoding chosen for the last one says nothing of it. */
    setFile: (f: File | null) => {
      setFile(f);
      setEncoding('');
      setSymbolMissing(false);
    },
    pasted,
    setPasted,
    format,
    setFormat,
    encoding,
    setEncoding,
    documentSymbol,
    setDocumentSymbol,
    symbolError,
    /** A UN report's text may lack its symbol: pasted text, a report chosen as such, a .txt file, or one the server said lacks it. */
    asksForSymbol: source === 'paste' || format === 'un-report-text' || format === 'treaty-body-text' || /\.te?xt$/i.test(file?.name ?? '') || symbolMissing,
    groups,
    overrides,
    setOverrides,
    sameAsPlan,
    setSameAsPlan,
    upload: () => void upload(),
    /** Reads the same file again in another format (from the preview). */
    reformat: (f: ImportFormat) => {
      setFormat(f);
      void upload({ format: f });
    },
    /** Reads the same file again in another encoding (from the preview). */
    reencode: (e: ImportEncoding) => {
      setEncoding(e);
      void upload({ encoding: e });
    },
    commit: (preview: ImportPreview) => void commit(preview),
    back: () => setStep({ kind: 'choose' }),
    another: () => {
      setFile(null);
      setPasted('');
      setEncoding('');
      setDocumentSymbol('');
      setSymbolMissing(false);
      setStep({ kind: 'choose' });
    },
  };
}

export type ImportWizardState = ReturnType<typeof useImportWizard>;
