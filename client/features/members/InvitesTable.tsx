import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { Invite } from '../../api/index.ts';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { RoleBadge } from '../../ui/badges.tsx';
import { Button } from '../../ui/forms.tsx';
import { absolute } from './linkFormat.ts';
import { useRevokeInvite } from './useRevokeInvite.ts';
import { formatDate } from '../../i18n/format.ts';
import { TableScroll } from '../../ui/TableScroll.tsx';
import { useOffline } from '../../sync/connectivity.ts';

/**
 * Invitations not used yet: whom each is for, its link (while the server still has it) to copy
 * again, who made it and when it expires; a coordinator revokes one after confirming.
 */
export function InvitesTable({
  planId,
  invites,
  copied,
  onCopy,
  onRevoked,
  lng,
}: {
  planId: string;
  invites: Invite[];
  /** The invite whose link was copied last (its row says so). */
  copied: string | null;
  onCopy: (inviteId: string, url: string, inputId: string) => void;
  onRevoked: (inviteId: string) => void;
  lng: string;
}) {
  const { t } = useTranslation();
  // Revoking is the server's to do: offline it waits (the invite panel says why).
  const offline = useOffline();
  const rowUrlId = useId();
  const revoke = useRevokeInvite(planId, onRevoked);
  const { revoking } = revoke;
  const noteOf = (inv: { note: string }) => inv.note || t('invites.noNote');

  return (
    <>
      {invites.length === 0 ? (
        <p className="muted">{t('invites.none')}</p>
      ) : (
        <TableScroll label={t('invites.pending')}>
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
                        <input id={`${rowUrlId}-${inv.id}`} readOnly value={absolute(inv.url)} onFocus={(e) => e.target.select()} data-testid="invite-row-url" />
                        <Button variant="secondary" className="button--small" onClick={() => onCopy(inv.id, inv.url!, `${rowUrlId}-${inv.id}`)} data-testid="invite-row-copy">
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
                    <Button variant="link" disabled={offline} onClick={() => revoke.ask(inv)} data-testid="invite-revoke">
                      {t('invites.revoke')}
                      <span className="visually-hidden"> {noteOf(inv)}</span>
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <ConfirmDialog
        open={revoking !== null}
        title={t('invites.revokeTitle')}
        confirmLabel={t('invites.revokeConfirm')}
        confirmTestId="invite-revoke-confirm"
        testId="invite-revoke-dialog"
        onConfirm={revoke.confirm}
        onCancel={revoke.cancel}
        busy={revoke.busy}
        error={revoke.error}
      >
        {revoking && <p>{t('invites.revokeBody', { note: noteOf(revoking), role: t(`role.${revoking.role}`) })}</p>}
      </ConfirmDialog>
    </>
  );
}
