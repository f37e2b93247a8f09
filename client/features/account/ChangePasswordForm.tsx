import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ChangePasswordSchema } from '../../../shared/api/index.ts';
import { Limits } from '../../../shared/limits.ts';
import { api } from '../../api/index.ts';
import { queryKeys, useInvalidate } from '../../api/queries.ts';
import { Button, FormError, TextField, useFocusFirstInvalid, useSubmission, zodFieldErrors, type FieldErrors } from '../../ui/forms.tsx';
import { useOffline } from '../../sync/connectivity.ts';
import { OfflineNote } from '../../sync/OfflineNote.tsx';

/**
 * Changing one's own password: the current one first (someone at an unlocked laptop must not
 * lock the owner out), then the new one twice, by the same rules as at set-up. Every other session
 * of the account is signed out; this browser stays signed in. Only the server can check the
 * current password, so offline the form waits for the connection, saying so.
 */
export function ChangePasswordForm({ email }: { email: string }) {
  const { t } = useTranslation();
  const invalidate = useInvalidate();
  const offline = useOffline();
  const form = useRef<HTMLFormElement>(null);
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [done, setDone] = useState<number | null>(null);
  const { busy, error, setError, fields, setFields, send } = useSubmission();
  useFocusFirstInvalid(form, fields);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setDone(null);
    const body = { currentPassword: current, newPassword: next };
    const parsed = ChangePasswordSchema.safeParse(body);
    const f: FieldErrors = parsed.success ? {} : zodFieldErrors(parsed.error, t);
    if (!f.newPassword && next !== again) f.again = t('account.password.mismatch');
    if (Object.keys(f).length) {
      setFields(f);
      return;
    }
    let ended = 0;
    const ok = await send(async () => {
      ended = (await api.changePassword(body)).endedSessions;
    });
    if (!ok) return;
    setCurrent('');
    setNext('');
    setAgain('');
    setDone(ended);
    await invalidate(queryKeys.sessions());
  }

  return (
    <form ref={form} onSubmit={submit} noValidate data-testid="change-password-form">
      <FormError message={error} saidAtFields={[fields.currentPassword, fields.newPassword, fields.again]} />
      {done !== null && (
        <p className="alert alert--success" role="status" data-testid="password-changed">
          {done === 0 ? t('account.password.doneAlone') : t('account.password.done', { count: done })}
        </p>
      )}
      {/* The account's address, for password managers to file the new password under. */}
      <input type="email" autoComplete="username" value={email} readOnly hidden />
      <TextField
        label={t('account.password.current')}
        type="password"
        value={current}
        onChange={setCurrent}
        error={fields.currentPassword}
        autoComplete="current-password"
        testId="current-password"
        required
      />
      <TextField
        label={t('account.password.new')}
        hint={t('account.password.newHint', { min: Limits.passwordMinLength })}
        type="password"
        value={next}
        onChange={setNext}
        error={fields.newPassword}
        autoComplete="new-password"
        testId="new-password"
        required
      />
      <TextField
        label={t('account.password.again')}
        type="password"
        value={again}
        onChange={setAgain}
        error={fields.again}
        autoComplete="new-password"
        testId="new-password-again"
        required
      />
      <OfflineNote testId="change-password-offline" />
      <Button type="submit" busy={busy} disabled={offline} data-testid="change-password-submit">
        {t('account.password.submit')}
      </Button>
    </form>
  );
}
