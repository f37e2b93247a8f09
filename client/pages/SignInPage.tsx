import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { api } from '../api/index.ts';
import { Button, FormError, TextField, describeError, useFocusFirstInvalid, type FieldErrors } from '../ui/forms.tsx';
import { fieldErrorText } from '../i18n/errorText.ts';
import { useDocumentTitle } from '../ui/useDocumentTitle.ts';
import { useSession } from '../session/SessionContext.tsx';

/** Only same-site paths are followed after signing in. */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function SignInPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const { state, setMe } = useSession();
  useDocumentTitle(t('signIn.title'));

  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [fields, setFields] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const next = safeNext(params.get('next'));
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(formRef, fields);

  if (state.status === 'ready' && state.me && !busy) return <Navigate to={next} replace />;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    const f: FieldErrors = {};
    if (!email.trim()) f.email = fieldErrorText(t, 'required');
    if (!password) f.password = fieldErrorText(t, 'required');
    setFields(f);
    if (Object.keys(f).length) return;
    setBusy(true);
    try {
      const me = await api.signIn({ email: email.trim(), password });
      setMe(me);
      navigate(next, { replace: true });
    } catch (err) {
      const d = describeError(err, t);
      setError(d.message);
      setFields(d.fields);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main id="main" className="page page--narrow">
      <h1>{t('signIn.title')}</h1>
      <form ref={formRef} onSubmit={submit} noValidate data-testid="sign-in-form">
        <FormError message={error} saidAtFields={[fields.email, fields.password]} />
        <TextField label={t('fields.email')} type="email" value={email} onChange={setEmail} error={fields.email} autoComplete="username" testId="sign-in-email" required autoFocus />
        <TextField label={t('fields.password')} type="password" value={password} onChange={setPassword} error={fields.password} autoComplete="current-password" testId="sign-in-password" required />
        <Button type="submit" busy={busy} data-testid="sign-in-submit">
          {busy ? t('signIn.submitting') : t('signIn.submit')}
        </Button>
      </form>
      <p className="muted spaced">{t('signIn.noAccount')}</p>
    </main>
  );
}
