import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CreatedPasswordReset, Member } from '../../../shared/api/index.ts';
import { api } from '../../api/index.ts';
import { describeError } from '../../ui/forms.tsx';
import { absolute, copyText } from './linkFormat.ts';

/** A password reset for a member: asking first, then the link made (shown once, to copy and hand on). */
export function usePasswordReset(planId: string) {
  const { t } = useTranslation();
  const [resetFor, setResetFor] = useState<Member | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [link, setLink] = useState<CreatedPasswordReset | null>(null);
  const [copied, setCopied] = useState(false);

  async function confirm() {
    if (!resetFor) return;
    setBusy(true);
    setError(null);
    try {
      setLink(await api.createPasswordReset(planId, resetFor.userId));
      setCopied(false);
      setResetFor(null);
    } catch (err) {
      setError(describeError(err, t).message);
    } finally {
      setBusy(false);
    }
  }

  return {
    resetFor,
    busy,
    error,
    link,
    copied,
    ask: (member: Member) => {
      setError(null);
      setResetFor(member);
    },
    cancel: () => setResetFor(null),
    confirm: () => void confirm(),
    copy: async (inputId: string) => {
      if (link) setCopied(await copyText(absolute(link.url), inputId));
    },
    dismiss: () => setLink(null),
  };
}

export type PasswordResetState = ReturnType<typeof usePasswordReset>;
