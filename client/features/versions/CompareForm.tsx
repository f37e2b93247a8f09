import { useId, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../ui/forms.tsx';

/** The value of the "to" choice that means the current text rather than a saved version. */
export const CURRENT = 'current';

/**
 * Two version pickers and a Compare button, for a section's history and the plan's. "To" can also
 * be the current state, labelled by `currentLabel`.
 */
export function CompareForm(props: {
  options: Array<{ value: string; label: string }>;
  from: string;
  to: string;
  onFrom: (value: string) => void;
  onTo: (value: string) => void;
  currentLabel: string;
  comparing: boolean;
  disabled?: boolean;
  onSubmit: (e: FormEvent) => void;
}) {
  const { t } = useTranslation();
  const fromId = useId();
  const toId = useId();
  const choices = props.options.map((o) => (
    <option key={o.value} value={o.value}>
      {o.label}
    </option>
  ));
  return (
    <form className="inline-form history__compare" onSubmit={props.onSubmit}>
      <div className="field">
        <label htmlFor={fromId}>{t('history.from')}</label>
        <select id={fromId} value={props.from} onChange={(e) => props.onFrom(e.target.value)} data-testid="compare-from">
          {choices}
        </select>
      </div>
      <div className="field">
        <label htmlFor={toId}>{t('history.to')}</label>
        <select id={toId} value={props.to} onChange={(e) => props.onTo(e.target.value)} data-testid="compare-to">
          <option value={CURRENT}>{props.currentLabel}</option>
          {choices}
        </select>
      </div>
      <Button type="submit" variant="secondary" busy={props.comparing} disabled={props.disabled} data-testid="version-compare">
        {t('history.compare')}
      </Button>
    </form>
  );
}
