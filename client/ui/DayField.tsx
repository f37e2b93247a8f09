import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { dayPatternHint, formatDayFigures, parseDayFigures } from '../i18n/dayFigures.ts';

interface Props {
  label: string;
  /** The day as ISO ("2026-12-05"), or '' for none. */
  value: string;
  /** Called with an ISO day, or '' once the field is emptied; never with what cannot be read. */
  onChange: (iso: string) => void;
  testId?: string;
}

/**
 * A day typed as the interface language writes it ("05.12.2026" in Russian and Belarusian), with
 * the pattern shown under the label. A complete day is taken as soon as it is typed; what cannot be
 * read as one is said when the person leaves the field (or presses Enter) and stays there to be
 * corrected, while the last day taken keeps applying.
 */
export function DayField({ label, value, onChange, testId }: Props) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const id = useId();
  const [text, setText] = useState(() => formatDayFigures(value, lng));
  const [problem, setProblem] = useState<'format' | 'impossible' | null>(null);

  // The day changed from elsewhere (filters cleared, the address edited) or the language did: show it
  // as this language writes it, unless what is typed already says that day.
  useEffect(() => {
    setText((typed) => {
      const read = parseDayFigures(typed, lng);
      if (value === '' ? typed.trim() === '' : read.ok && read.iso === value) return typed;
      return formatDayFigures(value, lng);
    });
    setProblem(null);
  }, [value, lng]);

  const pattern = dayPatternHint(lng, { day: t('dayField.day'), month: t('dayField.month'), year: t('dayField.year') });
  const example = formatDayFigures('2026-12-05', lng);

  function take(typed: string, final: boolean) {
    if (typed.trim() === '') {
      setProblem(null);
      if (value !== '') onChange('');
      return;
    }
    const read = parseDayFigures(typed, lng);
    if (read.ok) {
      setProblem(null);
      if (read.iso !== value) onChange(read.iso);
    } else if (final) {
      setProblem(read.reason);
    }
  }

  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  return (
    <div className={'field day-field' + (problem ? ' field--error' : '')}>
      <label htmlFor={id}>{label}</label>
      <p className="field__hint" id={hintId} data-testid={testId ? `${testId}-hint` : undefined}>
        {t('dayField.hint', { pattern })}
      </p>
      {problem && (
        <p className="field__error" id={errorId} data-testid={testId ? `${testId}-error` : undefined}>
          <span className="visually-hidden">{t('common.errorPrefix')} </span>
          {t(problem === 'impossible' ? 'dayField.impossible' : 'dayField.unreadable', { value: text.trim(), pattern, example })}
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
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? `${hintId} ${errorId}` : hintId}
        onChange={(e) => {
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
