import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { ROLES, type CreatedInvite, type CreatedPasswordReset, type Member, type Role } from '../../shared/api/index.ts';
import { Limits } from '../../shared/limits.ts';
import { mayResetPasswordOf } from '../../shared/policy/passwordResets.ts';
import { mayManageSide, partyOfMember } from '../../shared/policy/sides.ts';
import { api, ApiError, type Invite } from '../api/index.ts';
import { usePlanLiveEvents } from '../api/liveEvents.ts';
import { queryKeys, useInvalidate, useInvitesQuery, useMembersQuery, usePlanOutlineQuery } from '../api/queries.ts';
import { OrgDot, RoleBadge, SideBadge } from '../ui/badges.tsx';
import { OrganisationsPanel, VerificationBadge } from '../features/members/OrganisationsPanel.tsx';
import { ConfirmDialog } from '../ui/ConfirmDialog.tsx';
import { SignoffRulePanel } from '../features/agreement/SignoffRulePanel.tsx';
import { SuggestionRulePanel } from '../features/suggestions/SuggestionRulePanel.tsx';
import { Button, FormError, SelectField, TextField, describeError } from '../ui/forms.tsx';
import { useAccessChanges } from '../api/usePlanEvents.ts';
import { useDocumentTitle } from '../ui/useDocumentTitle.ts';
import { useMe } from '../session/SessionContext.tsx';

function formatDateTime(iso: string, lng: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(lng, { year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

function formatDate(iso: string, lng: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleDateString(lng, { year: 'numeric', month: 'long', day: 'numeric' });
}

export function MembersPage() {
  const { t, i18n } = useTranslation();
  const { planId = '' } = useParams();
  const navigate = useNavigate();
  const me = useMe();
  // Members, invites and the outline (with one's role) are queries the live events keep fresh.
  const outlineQuery = usePlanOutlineQuery(planId);
  const outline = outlineQuery.data ?? null;
  const isCoordinator = outline?.plan.role === 'coordinator';
  const membersQuery = useMembersQuery(planId);
  const members = membersQuery.data ?? null;
  const invitesQuery = useInvitesQuery(planId, isCoordinator);
  const invites = invitesQuery.data ?? [];
  const invalidate = useInvalidate();
  const keys = queryKeys.plan(planId);
  const [actionError, setError] = useState<string | null>(null);
  // A coordinator who just lost the role may be refused the invites: that is not an error to show.
  const invitesError = invitesQuery.error instanceof ApiError && invitesQuery.error.status === 403 ? null : invitesQuery.error;
  const loadError = outlineQuery.error ?? membersQuery.error ?? invitesError;
  const error = actionError ?? (loadError ? describeError(loadError, t).message : null);
  const [rowBusy, setRowBusy] = useState<string | null>(null);
  const [removing, setRemoving] = useState<Member | null>(null);
  const [removeError, setRemoveError] = useState<string | null>(null);
  // Password reset: the member asked about, then the link made (shown once).
  const [resetFor, setResetFor] = useState<Member | null>(null);
  const [resetBusy, setResetBusy] = useState(false);
  const [resetError, setResetError] = useState<string | null>(null);
  const [resetLink, setResetLink] = useState<CreatedPasswordReset | null>(null);
  const [resetCopied, setResetCopied] = useState(false);
  const resetUrlId = useId();
  // Offered only where the server would accept it (the same rule decides on both ends).
  const meAsMember = members?.find((m) => m.userId === me.user.id);
  const mayReset = (m: Member) => meAsMember !== undefined && mayResetPasswordOf(partyOfMember(meAsMember), partyOfMember(m));
  // Each side manages its own people (shared/policy/sides.ts); anyone may change their own role or leave.
  const mayManage = (m: Member) => m.userId === me.user.id || mayManageSide(meAsMember, m.organisation.side, members ?? []);
  useDocumentTitle(outline ? t('members.pageTitle', { plan: outline.plan.title }) : t('members.title'));

  usePlanLiveEvents(planId, useAccessChanges(outline?.plan.title));

  async function changeRole(member: Member, role: Role) {
    setRowBusy(member.userId);
    setError(null);
    try {
      await api.updateMember(planId, member.userId, role);
      await invalidate(keys.members(), ...(member.userId === me.user.id ? [keys.outline()] : []));
    } catch (err) {
      setError(describeError(err, t).message);
    } finally {
      setRowBusy(null);
    }
  }

  async function confirmReset() {
    if (!resetFor) return;
    setResetBusy(true);
    setResetError(null);
    try {
      setResetLink(await api.createPasswordReset(planId, resetFor.userId));
      setResetCopied(false);
      setResetFor(null);
    } catch (err) {
      setResetError(describeError(err, t).message);
    } finally {
      setResetBusy(false);
    }
  }

  async function confirmRemove() {
    if (!removing) return;
    setRowBusy(removing.userId);
    setRemoveError(null);
    try {
      await api.removeMember(planId, removing.userId);
      const self = removing.userId === me.user.id;
      setRemoving(null);
      if (self) navigate('/', { replace: true });
      else await invalidate(keys.members());
    } catch (err) {
      setRemoveError(describeError(err, t).message);
    } finally {
      setRowBusy(null);
    }
  }

  return (
    <main id="main" className="page">
      <p className="breadcrumb">
        <Link to={`/plans/${planId}`}>{outline ? outline.plan.title : t('members.backToPlan')}</Link>
      </p>
      <h1>{t('members.title')}</h1>
      <p className="lead">{t('members.intro')}</p>
      <FormError message={error} />
      {resetLink && (
        <div className="invite-link reset-link" data-testid="reset-created">
          <label htmlFor={resetUrlId}>{t('members.resetLinkLabel', { name: resetLink.name })}</label>
          <div className="invite-link__row">
            <input id={resetUrlId} readOnly value={absolute(resetLink.url)} onFocus={(e) => e.target.select()} data-testid="reset-url" />
            <Button
              variant="secondary"
              onClick={async () => setResetCopied(await copyText(absolute(resetLink.url), resetUrlId))}
              data-testid="reset-copy"
            >
              {t('members.resetCopy')}
            </Button>
            <Button variant="link" onClick={() => setResetLink(null)} data-testid="reset-dismiss">
              {t('members.resetDismiss')}
            </Button>
          </div>
          <p className="field__hint" role="status" aria-live="polite">
            {resetCopied ? t('members.resetCopied') : t('members.resetLinkHint', { name: resetLink.name, date: formatDateTime(resetLink.expiresAt, i18n.language) })}
          </p>
        </div>
      )}
      {members === null ? (
        <p className="muted" role="status">
          {t('common.loading')}
        </p>
      ) : (
        <table className="table" data-testid="members-table">
          <caption className="visually-hidden">{t('members.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('members.colName')}</th>
              <th scope="col">{t('members.colOrganisation')}</th>
              <th scope="col">{t('members.colSide')}</th>
              <th scope="col">{t('members.colRole')}</th>
              {isCoordinator && <th scope="col"><span className="visually-hidden">{t('members.colActions')}</span></th>}
            </tr>
          </thead>
          <tbody>
            {members.map((m) => (
              <tr key={m.userId} data-testid="member-row" data-user-id={m.userId}>
                <td>
                  <strong>{m.name}</strong>
                  {m.userId === me.user.id && <span className="muted"> {t('presence.you')}</span>}
                  {m.email !== null && (
                    <>
                      <br />
                      <span className="muted small" data-testid="member-email">
                        {m.email}
                      </span>
                    </>
                  )}
                </td>
                <td>
                  <OrgDot color={m.organisation.color} /> {m.organisation.name}
                  {!m.organisationVerified && (
                    <>
                      {' '}
                      <VerificationBadge verified={false} testId="member-unverified" />
                    </>
                  )}
                </td>
                <td>
                  <SideBadge side={m.organisation.side} />
                </td>
                <td>
                  {isCoordinator && mayManage(m) ? (
                    <RoleSelect member={m} disabled={rowBusy === m.userId} onChange={(r) => void changeRole(m, r)} />
                  ) : (
                    <RoleBadge role={m.role} />
                  )}
                </td>
                {isCoordinator && (
                  <td className="table__actions">
                    {mayReset(m) && (
                      <Button
                        variant="link"
                        onClick={() => {
                          setResetError(null);
                          setResetFor(m);
                        }}
                        data-testid="member-reset-password"
                      >
                        {t('members.resetPassword')}
                        <span className="visually-hidden"> {m.name}</span>
                      </Button>
                    )}
                    {mayManage(m) ? (
                      <Button
                        variant="link"
                        disabled={rowBusy === m.userId}
                        onClick={() => {
                          setRemoveError(null);
                          setRemoving(m);
                        }}
                        data-testid="member-remove"
                      >
                        {t('members.remove')}
                        <span className="visually-hidden"> {m.name}</span>
                      </Button>
                    ) : (
                      <span className="muted small" data-testid="member-other-side">
                        {t('members.otherSideManages')}
                      </span>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {isCoordinator && members && (
        <p className="muted small" data-testid="members-side-hint">
          {t('members.sideHint')}
        </p>
      )}
      {outline && <OrganisationsPanel planId={planId} isCoordinator={isCoordinator} myOrganisationId={me.organisation.id} />}
      {outline && <SignoffRulePanel planId={planId} canEdit={isCoordinator} />}
      {outline && <SuggestionRulePanel planId={planId} canEdit={isCoordinator} />}
      {isCoordinator && <InvitePanel planId={planId} invites={invites} onChange={() => void invalidate(keys.invites())} lng={i18n.language} />}
      <ConfirmDialog
        open={resetFor !== null}
        title={t('members.resetTitle')}
        confirmLabel={t('members.resetConfirm')}
        confirmVariant="primary"
        confirmTestId="reset-confirm"
        testId="reset-dialog"
        onConfirm={() => void confirmReset()}
        onCancel={() => setResetFor(null)}
        busy={resetBusy}
        error={resetError}
      >
        {resetFor && <p>{t('members.resetBody', { name: resetFor.name, organisation: resetFor.organisation.name })}</p>}
      </ConfirmDialog>
      <ConfirmDialog
        open={removing !== null}
        title={t('members.removeTitle')}
        confirmLabel={t('members.removeConfirm')}
        onConfirm={() => void confirmRemove()}
        onCancel={() => setRemoving(null)}
        busy={rowBusy !== null}
        error={removeError}
      >
        {removing && <p>{t('members.removeBody', { name: removing.name, organisation: removing.organisation.name })}</p>}
      </ConfirmDialog>
    </main>
  );

}

function RoleSelect({ member, disabled, onChange }: { member: Member; disabled: boolean; onChange: (r: Role) => void }) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <>
      <label htmlFor={id} className="visually-hidden">
        {t('members.roleOf', { name: member.name })}
      </label>
      <select id={id} value={member.role} disabled={disabled} onChange={(e) => onChange(e.target.value as Role)} data-testid="member-role-select">
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {t(`role.${r}`)}
          </option>
        ))}
      </select>
    </>
  );
}

/** Copies text to the clipboard, falling back to selecting the input `inputId` and the old copy command. */
async function copyText(text: string, inputId: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const input = document.getElementById(inputId) as HTMLInputElement | null;
    input?.select();
    return document.execCommand?.('copy') ?? false;
  }
}

const absolute = (url: string) => new URL(url, window.location.origin).href;

function InvitePanel({ planId, invites, onChange, lng }: { planId: string; invites: Invite[]; onChange: () => void; lng: string }) {
  const { t } = useTranslation();
  const [role, setRole] = useState<Role>('drafter');
  const [note, setNote] = useState('');
  // '' = the invitee names a new organisation; otherwise one of the plan's organisations.
  const [organisationId, setOrganisationId] = useState('');
  const [organisations, setOrganisations] = useState<Array<{ id: string; name: string; side: string }>>([]);
  useEffect(() => {
    api
      .organisations(planId)
      .then(setOrganisations)
      .catch(() => setOrganisations([]));
  }, [planId]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<CreatedInvite | null>(null);
  // The invite whose link was copied last (its row says so).
  const [copied, setCopied] = useState<string | null>(null);
  const [revoking, setRevoking] = useState<Invite | null>(null);
  const [revokeBusy, setRevokeBusy] = useState(false);
  const [revokeError, setRevokeError] = useState<string | null>(null);
  const urlId = useId();
  const rowUrlId = useId();

  const noteOf = (inv: { note: string }) => inv.note || t('invites.noNote');

  async function create() {
    setBusy(true);
    setError(null);
    setCopied(null);
    try {
      setCreated(await api.createInvite(planId, role, organisationId || undefined, note.trim()));
      setNote('');
      onChange();
    } catch (err) {
      setError(describeError(err, t).message);
    } finally {
      setBusy(false);
    }
  }

  async function copy(id: string, url: string, inputId: string) {
    setCopied((await copyText(absolute(url), inputId)) ? id : null);
  }

  async function confirmRevoke() {
    if (!revoking) return;
    setRevokeBusy(true);
    setRevokeError(null);
    try {
      await api.revokeInvite(planId, revoking.id);
      if (created?.id === revoking.id) setCreated(null);
      setRevoking(null);
      onChange();
    } catch (err) {
      setRevokeError(describeError(err, t).message);
    } finally {
      setRevokeBusy(false);
    }
  }

  return (
    <section className="panel spaced" aria-labelledby="invite-heading">
      <h2 id="invite-heading">{t('invites.title')}</h2>
      <p>{t('invites.intro')}</p>
      <FormError message={error} />
      <div className="invite-form">
        <TextField
          label={t('invites.note')}
          hint={t('invites.noteHint')}
          value={note}
          onChange={setNote}
          placeholder={t('invites.notePlaceholder')}
          maxLength={Limits.inviteNoteLength}
          testId="invite-note"
        />
        <div className="inline-form">
          <SelectField label={t('invites.role')} hint={t('invites.roleHint')} value={role} onChange={setRole} options={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))} testId="invite-role" />
          <SelectField
            label={t('invites.organisation')}
            hint={t('invites.organisationHint')}
            value={organisationId}
            onChange={setOrganisationId}
            options={[
              { value: '', label: t('invites.organisationNew') },
              ...organisations.map((o) => ({ value: o.id, label: `${o.name} (${t(`side.${o.side}`)})` })),
            ]}
            testId="invite-organisation"
          />
          <Button busy={busy} onClick={() => void create()} data-testid="create-invite">
            {t('invites.create')}
          </Button>
        </div>
      </div>
      {created && (
        <div className="invite-link" data-testid="invite-created">
          <label htmlFor={urlId}>
            {created.note ? t('invites.linkLabelFor', { note: created.note, role: t(`role.${created.role}`) }) : t('invites.linkLabel', { role: t(`role.${created.role}`) })}
          </label>
          <div className="invite-link__row">
            <input id={urlId} readOnly value={absolute(created.url)} onFocus={(e) => e.target.select()} data-testid="invite-url" />
            <Button variant="secondary" onClick={() => void copy(created.id, created.url, urlId)} data-testid="invite-copy">
              {t('invites.copy')}
            </Button>
          </div>
          <p className="field__hint" role="status" aria-live="polite">
            {copied === created.id ? t('invites.copied') : t('invites.expires', { date: formatDate(created.expiresAt, lng) })}
          </p>
        </div>
      )}
      <h3>{t('invites.pending')}</h3>
      {invites.length === 0 ? (
        <p className="muted">{t('invites.none')}</p>
      ) : (
        <table className="table invites-table" data-testid="invites-table">
          <caption className="visually-hidden">{t('invites.pending')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('invites.colNote')}</th>
              <th scope="col">{t('invites.colLink')}</th>
              <th scope="col">{t('invites.colMade')}</th>
              <th scope="col"><span className="visually-hidden">{t('members.colActions')}</span></th>
            </tr>
          </thead>
          <tbody>
            {invites.map((inv) => (
              <tr key={inv.id} data-testid="invite-row" data-invite-id={inv.id}>
                <td>
                  <span data-testid="invite-row-note">{inv.note ? <strong>{inv.note}</strong> : <span className="muted">{t('invites.noNote')}</span>}</span>
                  <br />
                  <RoleBadge role={inv.role} />
                  {inv.organisation && <span className="muted small"> {inv.organisation.name}</span>}
                </td>
                <td className="invites-table__link">
                  {inv.url ? (
                    <div className="invite-link__row">
                      <label htmlFor={`${rowUrlId}-${inv.id}`} className="visually-hidden">
                        {t('invites.linkOf', { note: noteOf(inv) })}
                      </label>
                      <input
                        id={`${rowUrlId}-${inv.id}`}
                        readOnly
                        value={absolute(inv.url)}
                        onFocus={(e) => e.target.select()}
                        data-testid="invite-row-url"
                      />
                      <Button variant="secondary" className="button--small" onClick={() => void copy(inv.id, inv.url!, `${rowUrlId}-${inv.id}`)} data-testid="invite-row-copy">
                        {copied === inv.id ? t('invites.copied') : t('invites.copy')}
                        <span className="visually-hidden"> {t('invites.copyFor', { note: noteOf(inv) })}</span>
                      </Button>
                    </div>
                  ) : (
                    <span className="muted small">{t('invites.noLink')}</span>
                  )}
                </td>
                <td className="small">
                  {t('invites.madeBy', { name: inv.createdBy })}
                  <br />
                  <span className="muted">{t('invites.expires', { date: formatDate(inv.expiresAt, lng) })}</span>
                </td>
                <td className="table__actions">
                  <Button
                    variant="link"
                    onClick={() => {
                      setRevokeError(null);
                      setRevoking(inv);
                    }}
                    data-testid="invite-revoke"
                  >
                    {t('invites.revoke')}
                    <span className="visually-hidden"> {noteOf(inv)}</span>
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ConfirmDialog
        open={revoking !== null}
        title={t('invites.revokeTitle')}
        confirmLabel={t('invites.revokeConfirm')}
        confirmTestId="invite-revoke-confirm"
        testId="invite-revoke-dialog"
        onConfirm={() => void confirmRevoke()}
        onCancel={() => setRevoking(null)}
        busy={revokeBusy}
        error={revokeError}
      >
        {revoking && <p>{t('invites.revokeBody', { note: noteOf(revoking), role: t(`role.${revoking.role}`) })}</p>}
      </ConfirmDialog>
    </section>
  );
}
