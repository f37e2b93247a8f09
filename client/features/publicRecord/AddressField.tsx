import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { publicPath } from './address.ts';
import { AddressText } from './AddressText.tsx';

/**
 * The plan's public address, chosen once: the editable last part after this Accord's own
 * "https://…/p/", and the whole address as it will be printed, so the coordinator sees what people
 * will type.
 */
export function AddressField({ value, onChange, error }: { value: string; onChange: (value: string) => void; error: string | undefined }) {
  const { t } = useTranslation();
  const id = useId();
  const prefix = `${window.location.origin}${publicPath('')}`;
  const full = `${prefix}${value.trim().toLowerCase()}`;
  return (
    <div className={'field pub-address' + (error ? ' field--error' : '')}>
      <label htmlFor={id}>{t('publicRecord.publish.addressLabel')}</label>
      <p className="field__hint" id={`${id}-hint`}>
        {t('publicRecord.publish.addressHint')}
      </p>
      {error && (
        <p className="field__error" id={`${id}-error`} data-testid="publish-slug-error">
          <span className="visually-hidden">{t('common.errorPrefix')} </span>
          {error}
        </p>
      )}
      <div className="pub-address__input">
        <span className="pub-address__prefix" aria-hidden="true">
          {prefix}
        </span>
        <input
          id={id}
          type="text"
          value={value}
          onChange={(e) => onChange(e.target.value)}
          autoComplete="off"
          spellCheck={false}
          maxLength={60}
          aria-invalid={error ? true : undefined}
          aria-describedby={[`${id}-hint`, `${id}-preview`, error ? `${id}-error` : ''].filter(Boolean).join(' ')}
          data-testid="publish-slug"
        />
      </div>
      <p className="pub-address__preview" id={`${id}-preview`} data-testid="publish-address-preview">
        <AddressText i18nKey="publicRecord.publish.addressPreview" address={full} />
      </p>
    </div>
  );
}
