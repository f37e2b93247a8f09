import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { ExportLanguageSchema, type ExportLanguage } from '../../../shared/api/index.ts';

/** The language an export's own words are written in; the plan's text stays as written. */
export function ExportLanguageField({ value, onChange }: { value: ExportLanguage; onChange: (language: ExportLanguage) => void }) {
  const { t } = useTranslation();
  const id = useId();
  const hintId = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{t('export.language')}</label>
      <select
        id={id}
        value={value}
        onChange={(e) => onChange(ExportLanguageSchema.parse(e.target.value))}
        aria-describedby={hintId}
        data-testid="export-language"
      >
        {ExportLanguageSchema.options.map((l) => (
          // Each language named in itself, so a reader finds their own whatever the interface language.
          <option key={l} value={l} lang={l}>
            {t(`export.languages.${l}`)}
          </option>
        ))}
      </select>
      <p className="field__hint" id={hintId}>
        {t('export.languageHint')}
      </p>
    </div>
  );
}
