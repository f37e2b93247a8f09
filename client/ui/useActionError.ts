import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isNetworkError } from '../api/http.ts';
import { useBackOnline } from '../sync/connectivity.ts';
import { describeError } from './forms.tsx';

/**
 * The error an action (posting a comment, signing off, deciding a suggestion) shows after it
 * failed. "The server could not be reached" stops being true once the page reaches it again: that
 * one goes by itself then, rather than staying until the person tries again. Others stay.
 */
export function useActionError() {
  const { t } = useTranslation();
  const [state, setState] = useState<{ message: string; network: boolean } | null>(null);
  useBackOnline(() => setState((s) => (s?.network ? null : s)));
  /** Shows why `err` failed, in the reader's language. */
  const fail = useCallback((err: unknown) => setState({ message: describeError(err, t).message, network: isNetworkError(err) }), [t]);
  /** Shows a message of the page's own (a field left empty), or clears it with null. */
  const say = useCallback((message: string | null) => setState(message === null ? null : { message, network: false }), []);
  return { error: state?.message ?? null, fail, say };
}
