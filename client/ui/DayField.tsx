import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { dayPatternHint, formatDayFigures, parseDayFigures } from '../i18n/dayFigures.ts';

interface Props {
  label: string;
  /** The day as ISO ("2026-12-05"), or '' for none. */
  value: string;
  /** Called with an ISO day, or '' once the field is emptied; never with what cannot be read. */
  onChange: (iso: string) => void;
  /**
   * Told whether what is typed is a day (or nothing) each time it changes. A form refuses to send
   * while it is not: the last day taken is then not the day the field shows.
   */
  onReadableChange?: (readable: boolean) => void;
  /** A day must be given: emptying the field and leaving it says so. */
  required?: boolean;
  /** A problem found elsewhere (the server's, the form's own check), shown as the field's. */
  error?: string | undefined;
  testId?: string;
}

type Problem = 'format' | 'impossible' | 'required';
const PROBLEM_KEYS: Record<Problem, string> = { format: 'dayField.unreadable', impossible: 'dayField.impossible', required: 'dayField.required' };

/**
 * A day typed as the interface language writes it ("05.12.2026" in Russian and Belarusian), with
 * the pattern shown under the label. A complete day is taken as soon as it is typed; what cannot be
 * read as one is said when the person leaves the field (or presses Enter) and stays there to be
 * corrected, while the last day taken keeps applying (forms learn of it through `onReadableChange`).
 */
export function DayField({ label, value, onChange, onReadableChange, required, error, testId }: Props) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const id = useId();
  const [text, setText] = useState(() => formatDayFigures(value, lng));
  // What is typed, for the effect below to compare with a day given from outside.
  const typed = useRef(text);
  const [problem, setProblem] = useState<Problem | null>(null);
  // Emptying a required field says so only once someone has typed in it, not as they tab past.
  const edited = useRef(false);

  // The day changed from elsewhere (a form cleared after sending, filters cleared, the address
  // edited) or the language did: show it as this language writes it, unless what is typed already
  // says that day (then it is this field's own change coming back, and what it said still stands).
  useEffect(() => {
    const read = parseDayFigures(typed.current, lng);
    if (value === '' ? typed.current.trim() === '' : read.ok && read.iso === value) return;
    typed.current = formatDayFigures(value, lng);
    setText(typed.current);
    setProblem(null);
    onReadableChange?.(true);
    edited.current = false;
    // Only the day and the language decide; onReadableChange may be a new function every render.
  }, [value, lng]);

  const pattern = dayPatternHint(lng, { day: t('dayField.day'), month: t('dayField.month'), year: t('dayField.year') });
  const example = formatDayFigures('2026-12-05', lng);

  function take(text: string, final: boolean) {
    if (text.trim() === '') {
      setProblem(final && required && edited.current ? 'required' : null);
      onReadableChange?.(true);
      if (value !== '') onChange('');
      return;
    }
    const read = parseDayFigures(text, lng);
    onReadableChange?.(read.ok);
    if (read.ok) {
      setProblem(null);
      if (read.iso !== value) onChange(read.iso);
    } else if (final) {
      setProblem(read.reason);
    }
  }

  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const shown = problem ? t(PROBLEM_KEYS[problem], { value: text.trim(), pattern, example }) : error;
  return (
    <div className={'field day-field' + (shown ? ' field--error' : '')}>
      <label htmlFor={id}>{label}</label>
      <p className="field__hint" id={hintId} data-testid={testId ? `${testId}-hint` : undefined}>
        {t('dayField.hint', { pattern })}
      </p>
      {shown && (
        <p className="field__error" id={errorId} data-testid={testId ? `${testId}-error` : undefined}>
          <span className="visually-hidden">{t('common.errorPrefix')} </span>
          {shown}
        </p>
      )}
      <input
        id={id}
        type="text"
        inputMode="numeric"
        autoComplete="off"
        spellCheck={false}
        size={12}
        value={text}
        required={required}
        aria-invalid={shown ? true : undefined}
        aria-describedby={shown ? `${hintId} ${errorId}` : hintId}
        onChange={(e) => {
          edited.current = true;
          typed.current = e.target.value;
          setText(e.target.value);
          take(e.target.value, false);
        }}
        onBlur={(e) => take(e.target.value, true)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') take(e.currentTarget.value, true);
        }}
        data-testid={testId}
      />
    </div>
  );
}
