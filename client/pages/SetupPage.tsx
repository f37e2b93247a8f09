import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { isLanguage } from '../i18n/pickLanguage.ts';
import { useNavigate } from 'react-router';
import { SIDES, SetupRequestSchema, type Side } from '../../shared/api/index.ts';
import { api } from '../api/index.ts';
import { Button, FormError, SelectField, TextField, describeError, useFocusFirstInvalid, zodFieldErrors, type FieldErrors } from '../ui/forms.tsx';
import { useDocumentTitle } from '../ui/useDocumentTitle.ts';
import { useSession } from '../session/SessionContext.tsx';

export function SetupPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const { setMe } = useSession();
  useDocumentTitle(t('setup.title'));

  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [orgName, setOrgName] = useState('');
  const [side, setSide] = useState<Side>('government');
  const [loadSample, setLoadSample] = useState(true);
  const [busy, setBusy] = useState(false);
  const [fields, setFields] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(formRef, fields);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    const parsed = SetupRequestSchema.safeParse({
      name,
      email,
      password,
      organisation: { name: orgName, side },
      loadSample,
      language: isLanguage(i18n.language) ? i18n.language : 'en',
    });
    if (!parsed.success) {
      setFields(zodFieldErrors(parsed.error, t));
      setError(t('common.checkFields'));
      return;
    }
    setFields({});
    setBusy(true);
    try {
      const me = await api.setup(parsed.data);
      setMe(me);
      navigate('/', { replace: true });
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
      <h1>{t('setup.title')}</h1>
      <p className="lead">{t('setup.intro')}</p>
      <form ref={formRef} onSubmit={submit} noValidate data-testid="setup-form">
        <FormError message={error} saidAtFields={[fields.name, fields.email, fields.password, fields['organisation.name'], fields['organisation.side']]} />
        <fieldset>
          <legend>{t('setup.you')}</legend>
          <TextField label={t('fields.name')} value={name} onChange={setName} error={fields.name} autoComplete="name" testId="setup-name" required />
          <TextField label={t('fields.email')} type="email" value={email} onChange={setEmail} error={fields.email} autoComplete="email" testId="setup-email" required />
          <TextField
            label={t('fields.password')}
            hint={t('fields.passwordHint', { min: 10 })}
            type="password"
            value={password}
            onChange={setPassword}
            error={fields.password}
            autoComplete="new-password"
            testId="setup-password"
            required
          />
        </fieldset>
        <fieldset>
          <legend>{t('setup.organisation')}</legend>
          <TextField
            label={t('fields.organisationName')}
            hint={t('setup.organisationHint')}
            value={orgName}
            onChange={setOrgName}
            error={fields['organisation.name']}
            autoComplete="organization"
            testId="setup-org-name"
            required
          />
          <SelectField
            label={t('fields.side')}
            hint={t('fields.sideHint')}
            value={side}
            onChange={setSide}
            options={SIDES.map((s) => ({ value: s, label: t(`side.${s}`) }))}
            error={fields['organisation.side']}
            testId="setup-org-side"
          />
        </fieldset>
        <div className="checkbox">
          <input id="setup-load-sample" type="checkbox" checked={loadSample} onChange={(e) => setLoadSample(e.target.checked)} data-testid="setup-load-sample" aria-describedby="setup-load-sample-hint" />
          <label htmlFor="setup-load-sample">{t('setup.loadSample')}</label>
          <p className="field__hint" id="setup-load-sample-hint">
            {t('setup.loadSampleHint')}
          </p>
        </div>
        <Button type="submit" busy={busy} data-testid="setup-submit">
          {busy ? t('setup.submitting') : t('setup.submit')}
        </Button>
      </form>
    </main>
  );
}
