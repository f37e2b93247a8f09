import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ROLES, type CreatedInvite, type Role } from '../../../shared/api/index.ts';
import { Limits } from '../../../shared/limits.ts';
import { api } from '../../api/index.ts';
import { useMembersQuery, useOrganisationsQuery } from '../../api/queries.ts';
import { useMe } from '../../session/SessionContext.tsx';
import { mayInviteIntoAmong } from '../../../shared/policy/sides.ts';
import { Button, FormError, SelectField, TextField, describeError } from '../../ui/forms.tsx';
import { useOffline } from '../../sync/connectivity.ts';
import { OfflineNote } from '../../sync/OfflineNote.tsx';

/**
 * Making an invitation link: a note saying whom it is for, the role, and the organisation the
 * invitee joins (or one they name themselves).
 */
export function InviteForm({ planId, onCreating, onCreated }: { planId: string; onCreating: () => void; onCreated: (invite: CreatedInvite) => void }) {
  const { t } = useTranslation();
  // Making an invitation is the server's to do: offline it waits, and says why; the choices stay.
  const offline = useOffline();
  const [role, setRole] = useState<Role>('drafter');
  const [note, setNote] = useState('');
  // '' = the invitee names a new organisation; otherwise one of the plan's organisations.
  const [organisationId, setOrganisationId] = useState('');
  const me = useMe();
  const members = useMembersQuery(planId).data ?? [];
  const meAsMember = members.find((m) => m.userId === me.user.id);
  // Only the organisations the server would let this coordinator name (shared/policy/sides.ts):
  // the invitee will speak for it, so another side's organisations are that side's to fill.
  const organisations = (useOrganisationsQuery(planId).data ?? []).filter((o) => mayInviteIntoAmong(meAsMember, o, members));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function create() {
    setBusy(true);
    setError(null);
    onCreating();
    try {
      const created = await api.createInvite(planId, role, organisationId || undefined, note.trim());
      setNote('');
      onCreated(created);
    } catch (err) {
      setError(describeError(err, t).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
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
          <Button busy={busy} disabled={offline} onClick={() => void create()} data-testid="create-invite">
            {t('invites.create')}
          </Button>
          <OfflineNote testId="invite-offline" />
        </div>
      </div>
    </>
  );
}
