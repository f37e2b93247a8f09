import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CreatedInvite } from '../../../shared/api/index.ts';
import type { Invite } from '../../api/index.ts';
import { CreatedInviteLink } from './CreatedInviteLink.tsx';
import { InviteForm } from './InviteForm.tsx';
import { InvitesTable } from './InvitesTable.tsx';
import { absolute, copyText } from './linkFormat.ts';

/** A coordinator's invitations: make one, copy its link, see and revoke those not used yet. */
export function InvitePanel({ planId, invites, onChange, lng }: { planId: string; invites: Invite[]; onChange: () => void; lng: string }) {
  const { t } = useTranslation();
  const [created, setCreated] = useState<CreatedInvite | null>(null);
  // The invite whose link was copied last (the new link and its row say so).
  const [copied, setCopied] = useState<string | null>(null);

  async function copy(id: string, url: string, inputId: string) {
    setCopied((await copyText(absolute(url), inputId)) ? id : null);
  }

  return (
    <section className="panel spaced" aria-labelledby="invite-heading">
      <h2 id="invite-heading">{t('invites.title')}</h2>
      <p>{t('invites.intro')}</p>
      <InviteForm
        planId={planId}
        onCreating={() => setCopied(null)}
        onCreated={(invite) => {
          setCreated(invite);
          onChange();
        }}
      />
      {created && <CreatedInviteLink invite={created} copied={copied === created.id} onCopy={(inputId) => void copy(created.id, created.url, inputId)} lng={lng} />}
      <h3>{t('invites.pending')}</h3>
      <InvitesTable
        planId={planId}
        invites={invites}
        copied={copied}
        onCopy={(id, url, inputId) => void copy(id, url, inputId)}
        onRevoked={(id) => {
          if (created?.id === id) setCreated(null);
          onChange();
        }}
        lng={lng}
      />
    </section>
  );
}
