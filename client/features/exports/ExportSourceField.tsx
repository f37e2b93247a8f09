import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { PlanVersion } from '../../api/index.ts';
import { formatDateTime } from '../../i18n/format.ts';
import { labelledName } from '../versions/versionNames.ts';

/**
 * "What to export": the current state or a saved whole-plan version ('' = the current state).
 * With no saved version there is nothing to choose, so the one answer is stated as text rather
 * than offered as a one-option dropdown that looks like a choice.
 */
export function ExportSourceField({ versions, source, onChange }: { versions: Array<Pick<PlanVersion, 'id' | 'name' | 'label' | 'createdAt'>>; source: string; onChange: (source: string) => void }) {
  const { t, i18n } = useTranslation();
  const id = useId();

  if (versions.length === 0) {
    return (
      <div className="field" role="group" aria-labelledby={id}>
        <p id={id} className="field__label">
          {t('export.source')}
        </p>
        <p className="field__value" data-testid="export-source-fixed">
          {t('export.sourceCurrent')}
        </p>
        <p className="field__hint">{t('export.sourceOnlyCurrentHint')}</p>
      </div>
    );
  }

  return (
    <div className="field">
      <label htmlFor={id}>{t('export.source')}</label>
      <select id={id} value={source} onChange={(e) => onChange(e.target.value)} data-testid="export-source">
        <option value="">{t('export.sourceCurrent')}</option>
        {versions.map((v) => (
          <option key={v.id} value={v.id}>
            {t('export.sourceVersion', { name: labelledName(v, t, i18n.language), date: formatDateTime(v.createdAt, i18n.language) })}
          </option>
        ))}
      </select>
      <p className="field__hint">{source === '' ? t('export.sourceCurrentHint') : t('export.sourceVersionHint')}</p>
    </div>
  );
}
