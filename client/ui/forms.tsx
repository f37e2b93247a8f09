import { useCallback, useEffect, useId, useState, type ChangeEvent, type ReactNode, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { ApiError } from '../api/index.ts';
import { fieldIssues } from '../../shared/api/index.ts';
import { errorText, fieldErrorText, type Translate } from '../i18n/errorText.ts';

/** Field path → a message in the reader's language. */
export type FieldErrors = Record<string, string>;

/**
 * Turns a failed call into a form-level message and per-field messages, from the server's codes in
 * the reader's language (its English `message` is never shown).
 */
export function describeError(err: unknown, t: Translate) {
  if (err instanceof ApiError) {
    const fields: FieldErrors = {};
    for (const [path, code] of Object.entries(err.fields ?? {})) fields[path] = fieldErrorText(t, code, err.fieldParams?.[path]);
    // A refusal about fields is told by its first field's message: a form that shows no field of
    // the problem (a dialog with one box) still says what it is, and a form that shows the field
    // says it there only (FormError's saidAtFields), not in other words under the form as well.
    const first = Object.values(fields)[0];
    return { message: first ?? errorText(t, err.code, err.params), fields };
  }
  return { message: t('errors.unexpected'), fields: {} as FieldErrors };
}

/**
 * The state every form keeps while it talks to the server: busy, a form-level error and
 * per-field errors. `send` clears both errors, marks the form busy, and on failure shows the
 * server's message and field errors; it resolves true when the call succeeded. Both are cleared,
 * not only the fields: an error left from an earlier try would otherwise stay over a form that has
 * since been saved (and one said at a field would reappear under the form once the field is clear).
 */
export function useSubmission() {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<FieldErrors>({});
  const send = useCallback(
    async (call: () => Promise<unknown>): Promise<boolean> => {
      setError(null);
      setFields({});
      setBusy(true);
      try {
        await call();
        return true;
      } catch (err) {
        const d = describeError(err, t);
        setError(d.message);
        setFields(d.fields);
        return false;
      } finally {
        setBusy(false);
      }
    },
    [t],
  );
  return { busy, error, setError, fields, setFields, send };
}

/**
 * After a submit that came back with field errors, focus moves to the first field to fix (its
 * error is read out with it through aria-describedby), instead of staying on the submit button
 * at the end of the form. `fields` is a new object after every submit, so each failure moves it.
 */
export function useFocusFirstInvalid(form: RefObject<HTMLElement | null>, fields: FieldErrors) {
  useEffect(() => {
    if (Object.keys(fields).length === 0) return;
    form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [form, fields]);
}

/**
 * Client-side check with the same zod schema the server uses, with the same field error codes
 * (shared/api/errors.ts), in the reader's language; field keys are dotted paths.
 */
export function zodFieldErrors(error: z.ZodError, t: Translate): FieldErrors {
  const out: FieldErrors = {};
  for (const [path, issue] of Object.entries(fieldIssues(error))) out[path === '_' ? '' : path] = fieldErrorText(t, issue.code, issue.params);
  return out;
}

interface TextFieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
  hint?: string;
  type?: 'text' | 'email' | 'password' | 'number' | 'url';
  autoComplete?: string;
  required?: boolean;
  testId?: string;
  name?: string;
  min?: number;
  max?: number;
  inputMode?: 'numeric' | 'text' | 'email';
  autoFocus?: boolean;
  placeholder?: string;
  maxLength?: number;
  minLength?: number;
}

export function TextField(props: TextFieldProps) {
  const { t } = useTranslation();
  const id = useId();
  const hintId = props.hint ? `${id}-hint` : undefined;
  const errorId = props.error ? `${id}-error` : undefined;
  return (
    <div className={'field' + (props.error ? ' field--error' : '')}>
      <label htmlFor={id}>{props.label}</label>
      {props.hint && (
        <p className="field__hint" id={hintId}>
          {props.hint}
        </p>
      )}
      {props.error && (
        <p className="field__error" id={errorId}>
          <span className="visually-hidden">{t('common.errorPrefix')} </span>
          {props.error}
        </p>
      )}
      <input
        id={id}
        name={props.name}
        type={props.type ?? 'text'}
        value={props.value}
        onChange={(e: ChangeEvent<HTMLInputElement>) => props.onChange(e.target.value)}
        autoComplete={props.autoComplete}
        required={props.required}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={[hintId, errorId].filter(Boolean).join(' ') || undefined}
        data-testid={props.testId}
        min={props.min}
        max={props.max}
        inputMode={props.inputMode}
        autoFocus={props.autoFocus}
        placeholder={props.placeholder}
        maxLength={props.maxLength}
        minLength={props.minLength}
      />
    </div>
  );
}

interface SelectFieldProps<V extends string> {
  label: string;
  value: V;
  onChange: (value: V) => void;
  options: readonly { value: V; label: string }[];
  error?: string | undefined;
  hint?: string;
  testId?: string;
}

export function SelectField<V extends string>(props: SelectFieldProps<V>) {
  const { t } = useTranslation();
  const id = useId();
  const hintId = props.hint ? `${id}-hint` : undefined;
  const errorId = props.error ? `${id}-error` : undefined;
  return (
    <div className={'field' + (props.error ? ' field--error' : '')}>
      <label htmlFor={id}>{props.label}</label>
      {props.hint && (
        <p className="field__hint" id={hintId}>
          {props.hint}
        </p>
      )}
      {props.error && (
        <p className="field__error" id={errorId}>
          <span className="visually-hidden">{t('common.errorPrefix')} </span>
          {props.error}
        </p>
      )}
      <select
        id={id}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value as V)}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={[hintId, errorId].filter(Boolean).join(' ') || undefined}
        data-testid={props.testId}
      >
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/**
 * A form-level error, announced when it appears. `saidAtFields` lists the messages the form shows
 * at its fields: a refusal about one of them is said there, once (the field is marked invalid and
 * takes the focus, so a screen reader reads the message with it), not again here. A refusal that
 * names no field shown in the form, and the form's own "check the fields" summary, still show here.
 */
export function FormError({ message, saidAtFields = [] }: { message: string | null; saidAtFields?: readonly (string | undefined)[] }) {
  if (!message || saidAtFields.includes(message)) return null;
  return (
    <div className="alert alert--error" role="alert">
      {message}
    </div>
  );
}

export function Button({
  children,
  busy,
  variant = 'primary',
  ...rest
}: React.ButtonHTMLAttributes<HTMLButtonElement> & {
  /** React 19 passes a ref to a function component as a prop: it reaches the <button>. */
  ref?: React.Ref<HTMLButtonElement>;
  busy?: boolean;
  variant?: 'primary' | 'secondary' | 'danger' | 'link';
  children: ReactNode;
}) {
  return (
    <button
      type="button"
      {...rest}
      className={`button button--${variant}${rest.className ? ' ' + rest.className : ''}`}
      disabled={rest.disabled || busy}
      aria-busy={busy || undefined}
    >
      {children}
    </button>
  );
}
