import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, type Language } from '../../shared/api/index.ts';
import { chooseLanguage, type LanguageProblem } from '../session/accountLanguage.ts';
import { useSession } from '../session/SessionContext.tsx';

/**
 * Each language named in itself, not through t(): someone who cannot read the current language
 * still finds their own in the list.
 */
const ENDONYMS: Record<Language, string> = { be: 'Беларуская', ru: 'Русский', en: 'English' };

/** The header's choice of language, for signed-in people and visitors alike. */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const { state, setMe } = useSession();
  const [problem, setProblem] = useState<LanguageProblem | null>(null);
  const [busy, setBusy] = useState(false);
  const me = state.status === 'ready' ? state.me : null;
  const current = (LANGUAGES as readonly string[]).includes(i18n.language) ? i18n.language : 'en';

  async function choose(language: Language) {
    setBusy(true);
    setProblem(null);
    const result = await chooseLanguage(language, !!me);
    setBusy(false);
    setProblem(result.problem);
    if (result.me) setMe(result.me);
  }

  return (
    <div className="language-switch">
      <label className="language-switch__label" htmlFor="language-switch">
        {t('header.language')}
      </label>
      <select
        id="language-switch"
        className="language-switch__select"
        data-testid="language-switch"
        value={current}
        aria-busy={busy}
        onChange={(e) => void choose(e.target.value as Language)}
      >
        {LANGUAGES.map((language) => (
          <option key={language} value={language} lang={language}>
            {ENDONYMS[language]}
          </option>
        ))}
      </select>
      {problem && (
        <p className="language-switch__error" role="alert" data-testid="language-switch-problem">
          {t(problem === 'notLoaded' ? 'header.languageNotLoaded' : 'header.languageNotSaved')}
        </p>
      )}
    </div>
  );
}
