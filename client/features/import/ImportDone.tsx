import { useTranslation } from 'react-i18next';
import type { ImportRecord } from '../../../shared/api/index.ts';
import { Button } from '../../ui/forms.tsx';
import { formatDateTime } from '../../i18n/format.ts';

/** Step 3: what the import wrote, that it can be undone, and a way to import another file. */
export function ImportDone({ record, onClose, onAnother }: { record: ImportRecord; onClose: () => void; onAnother: () => void }) {
  const { t, i18n } = useTranslation();
  return (
    <div className="alert alert--success" role="status" data-testid="import-result">
      <h3>{t('import.doneTitle')}</h3>
      <p>
        {t('import.doneBody', {
          created: record.created,
          updated: record.updated,
          filename: record.filename,
          when: formatDateTime(record.createdAt, i18n.language),
        })}
      </p>
      {record.recognised > 0 && (
        <p data-testid="import-result-recognised">{t('import.doneRecognised', { recognised: record.recognised, filled: record.filled })}</p>
      )}
      <p className="muted">{t('import.doneUndo')}</p>
      <div className="button-row">
        <Button variant="secondary" onClick={onClose} data-testid="import-done-close">
          {t('import.close')}
        </Button>
        <Button variant="link" onClick={onAnother} data-testid="import-another">
          {t('import.another')}
        </Button>
      </div>
    </div>
  );
}
