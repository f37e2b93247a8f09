import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { AcceptInviteSchema, SIDES, type InviteInfo, type Side } from '../../shared/api/index.ts';
import { api } from '../api/index.ts';
import { RoleBadge } from '../ui/badges.tsx';
import { Button, FormError, SelectField, TextField, describeError, useFocusFirstInvalid, zodFieldErrors, type FieldErrors } from '../ui/forms.tsx';
import { fieldErrorText } from '../i18n/errorText.ts';
import { useDocumentTitle } from '../ui/useDocumentTitle.ts';
import { asApiError, useInviteInfoQuery } from '../api/queries.ts';
import { useSession } from '../session/SessionContext.tsx';

export function InvitePage() {
  const { t } = useTranslation();
  const { token = '' } = useParams();
  const { state } = useSession();
  const infoQuery = useInviteInfoQuery(token);
  const info = infoQuery.data ?? null;
  const loadError = asApiError(infoQuery.error);
  useDocumentTitle(t('invite.title'));


  if (loadError) {
    return (
      <main id="main" className="page page--narrow">
        <h1>{t('invite.invalidTitle')}</h1>
        <p data-testid="invite-invalid">{loadError.status === 404 ? t('invite.invalidBody') : describeError(loadError, t).message}</p>
      </main>
    );
  }
  if (!info || state.status !== 'ready') {
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
      <h1>{t('invite.heading', { plan: info.planTitle })}</h1>
      <dl className="summary-list" data-testid="invite-info">
        <div>
          <dt>{t('invite.plan')}</dt>
          <dd>{t('invite.planValue', { plan: info.planTitle, country: info.country })}</dd>
        </div>
        <div>
          <dt>{t('invite.role')}</dt>
          <dd>
            <RoleBadge role={info.role} /> <span className="muted">{t(`roleHelp.${info.role}`)}</span>
          </dd>
        </div>
        <div>
          <dt>{t('invite.invitedBy')}</dt>
          <dd>{t('invite.invitedByValue', { name: info.invitedBy, organisation: info.invitedByOrganisation })}</dd>
        </div>
      </dl>
      {state.me && info.organisation && info.organisation.id !== state.me.organisation.id ? (
        // A seat for another organisation: joining as oneself would take it in one's own organisation's name.
        <div className="alert alert--warning spaced" role="alert" data-testid="invite-other-organisation">
          {t('invite.otherOrganisation', { organisation: info.organisation.name, name: state.me.user.name, mine: state.me.organisation.name })}
        </div>
      ) : state.me ? (
        <JoinAsMe token={token} name={state.me.user.name} organisation={state.me.organisation.name} />
      ) : (
        <NewAccountForm token={token} info={info} />
      )}
    </main>
  );
}

function JoinAsMe({ token, name, organisation }: { token: string; name: string; organisation: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <section className="spaced">
      <p>{t('invite.joinAs', { name, organisation })}</p>
      <FormError message={error} />
      <Button
        busy={busy}
        data-testid="invite-join"
        onClick={async () => {
          setBusy(true);
          setError(null);
          try {
            const { planId } = await api.acceptInvite(token, {});
            navigate(`/plans/${planId}`, { replace: true });
          } catch (err) {
            setError(describeError(err, t).message);
            setBusy(false);
          }
        }}
      >
        {t('invite.join')}
      </Button>
    </section>
  );
}

function NewAccountForm({ token, info }: { token: string; info: InviteInfo }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { reload } = useSession();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const hasOrgs = info.organisations.length > 0;
  const [orgMode, setOrgMode] = useState<'existing' | 'new'>(hasOrgs ? 'existing' : 'new');
  const [orgId, setOrgId] = useState(info.organisations[0]?.id ?? '');
  const [orgName, setOrgName] = useState('');
  const [side, setSide] = useState<Side>('civil_society');
  const [busy, setBusy] = useState(false);
  const [fields, setFields] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(formRef, fields);
  const choosingExisting = orgMode === 'existing' && hasOrgs;
  const orgChoiceError = fields['organisation.id'] ?? fields.organisation;
  const orgNameError = fields['organisation.name'] ?? fields.organisation;
  // The messages said at this form's fields: not said again above it.
  const atFields = [fields.name, fields.email, fields.password, ...(info.organisation ? [] : choosingExisting ? [orgChoiceError] : [orgNameError, fields['organisation.side']])];

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    const parsed = AcceptInviteSchema.safeParse({
      account: {
        name,
        email,
        password,
        organisation: info.organisation ? undefined : orgMode === 'existing' ? { id: orgId } : { name: orgName, side },
      },
    });
    if (!parsed.success) {
      const f: FieldErrors = {};
      for (const [k, v] of Object.entries(zodFieldErrors(parsed.error, t))) f[k.replace(/^account\./, '')] = v;
      // A union failure on the organisation names no sub-field: point at the visible one.
      if (Object.keys(f).some((k) => k.startsWith('organisation'))) {
        if (orgMode === 'new' && !orgName.trim()) f['organisation.name'] = fieldErrorText(t, 'required');
      }
      setFields(f);
      setError(t('common.checkFields'));
      return;
    }
    setFields({});
    setBusy(true);
    try {
      const { planId } = await api.acceptInvite(token, parsed.data);
      await reload();
      navigate(`/plans/${planId}`, { replace: true });
    } catch (err) {
      const d = describeError(err, t);
      const f: FieldErrors = {};
      for (const [k, v] of Object.entries(d.fields)) f[k.replace(/^account\./, '')] = v;
      setError(d.message);
      setFields(f);
      setBusy(false);
    }
  }

  const next = `/invite/${encodeURIComponent(token)}`;
  return (
    <section className="spaced">
      <p>
        {t('invite.haveAccount')}{' '}
        <Link to={`/sign-in?next=${encodeURIComponent(next)}`} data-testid="invite-sign-in">
          {t('invite.signInFirst')}
        </Link>
      </p>
      <h2>{t('invite.createAccount')}</h2>
      <form ref={formRef} onSubmit={submit} noValidate data-testid="invite-form">
        <FormError message={error} saidAtFields={atFields} />
        <TextField label={t('fields.name')} value={name} onChange={setName} error={fields.name} autoComplete="name" testId="invite-name" required />
        <TextField label={t('fields.email')} type="email" value={email} onChange={setEmail} error={fields.email} autoComplete="email" testId="invite-email" required />
        <TextField
          label={t('fields.password')}
          hint={t('fields.passwordHint', { min: 10 })}
          type="password"
          value={password}
          onChange={setPassword}
          error={fields.password}
          autoComplete="new-password"
          testId="invite-password"
          required
        />
        {info.organisation ? (
          <p data-testid="invite-org-fixed">
            {t('invite.orgFixed', { name: info.organisation.name, side: t(`side.${info.organisation.side}`) })}
          </p>
        ) : (
        <fieldset>
          <legend>{t('invite.yourOrganisation')}</legend>
          {hasOrgs && (
            <div className="radios">
              <div className="radio">
                <input type="radio" id="org-existing" name="orgMode" checked={orgMode === 'existing'} onChange={() => setOrgMode('existing')} data-testid="invite-org-existing" />
                <label htmlFor="org-existing">{t('invite.orgExisting')}</label>
              </div>
              <div className="radio">
                <input type="radio" id="org-new" name="orgMode" checked={orgMode === 'new'} onChange={() => setOrgMode('new')} data-testid="invite-org-new" />
                <label htmlFor="org-new">{t('invite.orgNew')}</label>
              </div>
            </div>
          )}
          {choosingExisting ? (
            <SelectField
              label={t('fields.organisation')}
              value={orgId}
              onChange={setOrgId}
              options={info.organisations.map((o) => ({ value: o.id, label: `${o.name} (${t(`side.${o.side}`)})` }))}
              error={orgChoiceError}
              testId="invite-org-select"
            />
          ) : (
            <>
              <TextField label={t('fields.organisationName')} value={orgName} onChange={setOrgName} error={orgNameError} autoComplete="organization" testId="invite-org-name" />
              <SelectField
                label={t('fields.side')}
                hint={t('fields.sideHint')}
                value={side}
                onChange={setSide}
                options={SIDES.map((s) => ({ value: s, label: t(`side.${s}`) }))}
                error={fields['organisation.side']}
                testId="invite-org-side"
              />
            </>
          )}
        </fieldset>
        )}
        <Button type="submit" busy={busy} data-testid="invite-submit">
          {busy ? t('invite.joining') : t('invite.createAndJoin')}
        </Button>
      </form>
    </section>
  );
}
