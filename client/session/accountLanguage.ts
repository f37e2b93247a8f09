import type { Language, Me } from '../../shared/api/index.ts';
import { api } from '../api/index.ts';
import { applyLanguage, rememberLanguage, storedLanguage } from '../i18n/index.ts';

/**
 * Once a person is known, the page and their account agree on one language. A language kept with
 * the account wins (it follows the person to any browser). An account without one adopts the
 * choice made in this browser before signing in, since that choice was the person's own; the
 * browser's mere preference is not written to the account.
 */
export async function settleLanguage(me: Me): Promise<Me> {
  if (me.user.language) {
    rememberLanguage(me.user.language);
    await applyLanguage(me.user.language).catch(() => undefined);
    return me;
  }
  const chosen = storedLanguage();
  if (!chosen) return me;
  try {
    return await api.setLanguage({ language: chosen });
  } catch {
    return me; // kept in this browser; offered to the account again at the next sign-in while it has none
  }
}

export type LanguageProblem = 'notLoaded' | 'notSaved';

/**
 * The header's choice: shown once its catalogue arrives, kept in this browser, and for a
 * signed-in person kept with the account. Says what went wrong, if anything: the catalogue could
 * not be fetched (nothing changed), or the account could not be updated (the browser keeps it).
 */
export async function chooseLanguage(language: Language, signedIn: boolean): Promise<{ me: Me | null; problem: LanguageProblem | null }> {
  try {
    await applyLanguage(language);
  } catch {
    return { me: null, problem: 'notLoaded' };
  }
  rememberLanguage(language);
  if (!signedIn) return { me: null, problem: null };
  try {
    return { me: await api.setLanguage({ language }), problem: null };
  } catch {
    return { me: null, problem: 'notSaved' };
  }
}
