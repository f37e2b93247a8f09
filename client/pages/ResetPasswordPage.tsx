import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { UsePasswordResetSchema } from '../../shared/api/index.ts';
import { Limits } from '../../shared/limits.ts';
import { api } from '../api/index.ts';
import { Button, FormError, TextField, describeError, useFocusFirstInvalid, zodFieldErrors, type FieldErrors } from '../ui/forms.tsx';
import { useDocumentTitle } from '../ui/useDocumentTitle.ts';
import { asApiError, usePasswordResetInfoQuery } from '../api/queries.ts';
import { useSession } from '../session/SessionContext.tsx';

/**
 * Opened from a password reset link a coordinator made: the person sets a new password; every
 * session of theirs ends, and they sign in again.
 */
export function ResetPasswordPage() {
  const { t } = useTranslation();
  const { token = '' } = useParams();
  const { reload } = useSession();
  const infoQuery = usePasswordResetInfoQuery(token);
  const info = infoQuery.data ?? null;
  const loadError = asApiError(infoQuery.error);
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [fields, setFields] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(formRef, fields);
  useDocumentTitle(t('resetPassword.title'));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    const parsed = UsePasswordResetSchema.safeParse({ password });
    const f: FieldErrors = parsed.success ? {} : zodFieldErrors(parsed.error, t);
    if (parsed.success && password !== again) f.again = t('resetPassword.mismatch');
    setFields(f);
    if (Object.keys(f).length) return;
    setBusy(true);
    try {
      await api.usePasswordReset(token, password);
      setDone(true);
      // This browser may have been signed in as them: that session has ended too.
      void reload();
    } catch (err) {
      const d = describeError(err, t);
      setError(d.message);
      setFields(d.fields);
    } finally {
      setBusy(false);
    }
  }

  if (done) {
    return (
      <main id="main" className="page page--narrow">
        <h1>{t('resetPassword.doneTitle')}</h1>
        <p className="alert alert--success" role="status" data-testid="reset-done">
          {t('resetPassword.doneBody')}
        </p>
        <p>
          <Link to="/sign-in" className="button button--primary" data-testid="reset-sign-in">
            {t('resetPassword.signIn')}
          </Link>
        </p>
      </main>
    );
  }
  if (loadError) {
    return (
      <main id="main" className="page page--narrow">
        <h1>{t('resetPassword.invalidTitle')}</h1>
        <p data-testid="reset-invalid">{loadError.status === 404 ? t('resetPassword.invalidBody') : describeError(loadError, t).message}</p>
      </main>
    );
  }
  if (!info) {
    return (
      <main id="main" className="page page--narrow">
        <p className="muted" role="status">
          {t('common.loading')}
        </p>
      </main>
    );
  }
  return (
    <main id="main" className="page page--narrow">
      <h1>{t('resetPassword.heading')}</h1>
      <p className="lead" data-testid="reset-for">
        {t('resetPassword.forWhom', { name: info.name, email: info.email, plan: info.planTitle })}
      </p>
      <p>{t('resetPassword.intro')}</p>
      <form ref={formRef} onSubmit={submit} noValidate data-testid="reset-form">
        <FormError message={error} saidAtFields={[fields.password, fields.again]} />
        {/* The account's address, for password managers to file the new password under. */}
        <input type="email" autoComplete="username" value={info.email} readOnly hidden />
        <TextField
          label={t('resetPassword.password')}
          hint={t('resetPassword.passwordHint', { min: Limits.passwordMinLength })}
          type="password"
          value={password}
          onChange={setPassword}
          error={fields.password}
          autoComplete="new-password"
          testId="reset-password"
          required
          autoFocus
        />
        <TextField
          label={t('resetPassword.confirm')}
          type="password"
          value={again}
          onChange={setAgain}
          error={fields.again}
          autoComplete="new-password"
          testId="reset-password-again"
          required
        />
        <Button type="submit" busy={busy} data-testid="reset-submit">
          {t('resetPassword.submit')}
        </Button>
      </form>
    </main>
  );
}
