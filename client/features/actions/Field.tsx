import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** A labelled field of the action and indicator forms, with its hint and its error. */
export function Field({ label, hint, error, children, id }: { label: string; hint?: string; error?: string; children: ReactNode; id: string }) {
  const { t } = useTranslation();
  return (
    <div className={'field' + (error ? ' field--error' : '')}>
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p className="field__hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field__error" id={`${id}-error`}>
          <span className="visually-hidden">{t('common.errorPrefix')} </span>
          {error}
        </p>
      )}
      {children}
    </div>
  );
}
