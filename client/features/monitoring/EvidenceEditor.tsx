import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ProgressReport } from '../../../shared/api/index.ts';
import { monitoringApi } from '../../api/monitoring.ts';
import { Button, FormError, TextField, describeError, useFocusFirstInvalid } from '../../ui/forms.tsx';
import { withWebScheme } from '../../ui/webAddress.ts';
import { ProgressBar } from '../recommendations/recommendations.tsx';
import { EvidenceList } from './ReportView.tsx';
import { useOffline } from '../../sync/connectivity.ts';
import { OfflineNote } from '../../sync/OfflineNote.tsx';

/**
 * Evidence on a draft report: files (sent as raw bytes, checked by the server for their type and
 * size) and links. A submitted report's evidence is fixed with it.
 */
export function EvidenceEditor({ planId, report, onChanged }: { planId: string; report: ProgressReport; onChanged: (report: ProgressReport) => void }) {
  const { t } = useTranslation();
  // Adding and removing evidence are the server's: offline they wait, and say why; the chosen file and typed link stay.
  const offline = useOffline();
  const id = useId();
  const fileRef = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<{ loaded: number; total: number } | null>(null);
  const [url, setUrl] = useState('');
  const [label, setLabel] = useState('');
  const [busy, setBusy] = useState<'file' | 'link' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const editor = useRef<HTMLDivElement>(null);
  useFocusFirstInvalid(editor, fields);

  const attempt = async (kind: 'file' | 'link', call: () => Promise<void>) => {
    setBusy(kind);
    setError(null);
    setFields({});
    try {
      await call();
    } catch (err) {
      const d = describeError(err, t);
      setError(d.message);
      setFields(d.fields);
    } finally {
      setBusy(null);
      setProgress(null);
    }
  };

  const uploadFile = () =>
    attempt('file', async () => {
      if (!file) return;
      const evidence = await monitoringApi.uploadEvidence(planId, report.id, file, (loaded, total) => setProgress({ loaded, total }));
      onChanged({ ...report, evidence: [...report.evidence, evidence] });
      setFile(null);
      if (fileRef.current) fileRef.current.value = '';
    });

  const addLink = () =>
    attempt('link', async () => {
      // "example.org/report" is sent as https://example.org/report, and shown so, should the server refuse it.
      const address = withWebScheme(url);
      setUrl(address);
      const evidence = await monitoringApi.addEvidenceLink(planId, report.id, { url: address, label: label.trim() });
      onChanged({ ...report, evidence: [...report.evidence, evidence] });
      setUrl('');
      setLabel('');
    });

  return (
    <div ref={editor} className="mon-evidence-editor" data-testid="evidence-editor">
      <EvidenceList
        evidence={report.evidence}
        showTitle={false}
        removeDisabled={offline}
        onRemove={(e) =>
          void attempt('link', async () => {
            await monitoringApi.removeEvidence(planId, e.id);
            onChanged({ ...report, evidence: report.evidence.filter((x) => x.id !== e.id) });
          })
        }
      />
      <div className="field">
        <label htmlFor={`${id}-file`}>{t('monitoring.evidence.file')}</label>
        <p className="field__hint" id={`${id}-file-hint`}>
          {t('monitoring.evidence.fileHint')}
        </p>
        <input
          ref={fileRef}
          id={`${id}-file`}
          type="file"
          aria-describedby={`${id}-file-hint`}
          accept=".pdf,.png,.jpg,.jpeg,.webp,.docx,.xlsx,.odt,.ods,.txt,.csv"
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          data-testid="evidence-file-input"
        />
      </div>
      {progress && <ProgressBar label={t('monitoring.evidence.uploading')} value={progress.loaded} max={progress.total} />}
      <p>
        <Button variant="secondary" className="button--small" disabled={!file || busy !== null || offline} busy={busy === 'file'} onClick={() => void uploadFile()} data-testid="evidence-upload">
          {t('monitoring.evidence.upload')}
        </Button>
      </p>
      <div className="mon-form__row">
        <TextField label={t('monitoring.evidence.linkUrl')} type="url" value={url} onChange={setUrl} error={fields.url} placeholder="https://" testId="evidence-link-url" />
        <TextField label={t('monitoring.evidence.linkLabel')} value={label} onChange={setLabel} error={fields.label} testId="evidence-link-label" />
      </div>
      <p>
        <Button variant="secondary" className="button--small" disabled={!url.trim() || busy !== null || offline} busy={busy === 'link'} onClick={() => void addLink()} data-testid="evidence-add-link">
          {t('monitoring.evidence.addLink')}
        </Button>
      </p>
      <FormError message={error} saidAtFields={[fields.url, fields.label]} />
      <OfflineNote testId="evidence-offline" />
    </div>
  );
}
