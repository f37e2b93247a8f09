import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { TextAccess } from '../../../shared/api/index.ts';

export type EditMode = 'editing' | 'suggesting' | 'viewing';

/** The modes a person's access allows, in the order the switch shows them. */
export function modesFor(access: TextAccess): EditMode[] {
  if (access === 'edit') return ['editing', 'suggesting', 'viewing'];
  if (access === 'suggest') return ['suggesting', 'viewing'];
  return ['viewing'];
}

/** The chosen mode if the access allows it, else the first it allows (editors edit by default). */
export function effectiveMode(access: TextAccess, chosen: EditMode | null): EditMode {
  const allowed = modesFor(access);
  return chosen && allowed.includes(chosen) ? chosen : allowed[0]!;
}

/**
 * Editing / Suggesting / Viewing, as in a word processor's review mode. People who may only
 * suggest see Suggesting and Viewing; the server holds them to it whatever this shows.
 */
export function ModeSwitch({ access, mode, onChange }: { access: TextAccess; mode: EditMode; onChange: (mode: EditMode) => void }) {
  const { t } = useTranslation();
  const name = useId();
  const modes = modesFor(access);
  return (
    <fieldset className="mode-switch" data-testid="mode-switch" data-mode={mode}>
      <legend className="visually-hidden">{t('mode.label')}</legend>
      {modes.map((m) => (
        <label key={m} className={`mode-switch__option${m === mode ? ' is-active' : ''}`} title={t(`mode.${m}Help`)}>
          <input type="radio" name={name} value={m} checked={m === mode} onChange={() => onChange(m)} data-testid={`mode-${m}`} />
          {t(`mode.${m}`)}
        </label>
      ))}
      {access === 'suggest' && <span className="muted mode-switch__note">{t('mode.suggestOnly')}</span>}
    </fieldset>
  );
}
