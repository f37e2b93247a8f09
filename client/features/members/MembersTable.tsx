import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { Member, Role } from '../../../shared/api/index.ts';
import { OrgDot, RoleBadge, SideBadge } from '../../ui/badges.tsx';
import { Button } from '../../ui/forms.tsx';
import { VerificationBadge } from './OrganisationsPanel.tsx';
import { RoleSelect } from './RoleSelect.tsx';
import { TableScroll } from '../../ui/TableScroll.tsx';
import { useOffline } from '../../sync/connectivity.ts';
import { OfflineNote } from '../../sync/OfflineNote.tsx';

/**
 * The plan's members: name, organisation (marked when unverified), side and role. A coordinator
 * changes roles, resets passwords and removes members where the rules let them. The plan's only
 * coordinator can be neither demoted nor removed (the server refuses: last_coordinator), so their
 * row says why instead of offering it. On a phone each member is a block of their own, each value
 * under its column's name (.table--stack), so nothing is off the screen.
 */
export function MembersTable({
  members,
  myUserId,
  isCoordinator,
  mayManage,
  mayReset,
  rowBusy,
  onChangeRole,
  onReset,
  onRemove,
}: {
  members: Member[];
  myUserId: string;
  isCoordinator: boolean;
  mayManage: (m: Member) => boolean;
  mayReset: (m: Member) => boolean;
  /** The member whose row waits for the server, if any. */
  rowBusy: string | null;
  onChangeRole: (m: Member, role: Role) => void;
  onReset: (m: Member) => void;
  onRemove: (m: Member) => void;
}) {
  const { t } = useTranslation();
  const hintId = useId();
  // Changing who is in the plan is the server's to record: offline, these wait (the note above says why).
  const offline = useOffline();
  const coordinators = members.filter((m) => m.role === 'coordinator').length;
  const isSoleCoordinator = (m: Member) => m.role === 'coordinator' && coordinators === 1;
  return (
    <>
      {isCoordinator && <OfflineNote testId="members-offline" />}
      <TableScroll label={t('members.caption')}>
        <table className="table table--stack" data-testid="members-table">
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
                  {m.userId === myUserId && <span className="muted"> {t('presence.you')}</span>}
                  {m.email !== null && (
                    <>
                      <br />
                      <span className="muted small" data-testid="member-email">
                        {m.email}
                      </span>
                    </>
                  )}
                </td>
                <td data-label={t('members.colOrganisation')}>
                  <OrgDot color={m.organisation.color} /> {m.organisation.name}
                  {!m.organisationVerified && (
                    <>
                      {' '}
                      <VerificationBadge verified={false} testId="member-unverified" />
                    </>
                  )}
                </td>
                <td data-label={t('members.colSide')}>
                  <SideBadge side={m.organisation.side} />
                </td>
                <td data-label={t('members.colRole')}>
                  {isCoordinator && mayManage(m) ? (
                    <RoleSelect
                      member={m}
                      disabled={rowBusy === m.userId || isSoleCoordinator(m) || offline}
                      describedBy={isSoleCoordinator(m) ? `${hintId}-${m.userId}` : undefined}
                      onChange={(r) => onChangeRole(m, r)}
                    />
                  ) : (
                    <RoleBadge role={m.role} />
                  )}
                  {isCoordinator && mayManage(m) && isSoleCoordinator(m) && (
                    <p className="muted small" id={`${hintId}-${m.userId}`} data-testid="member-sole-coordinator">
                      {t('members.soleCoordinator')}
                    </p>
                  )}
                </td>
                {isCoordinator && (
                  <td className="table__actions">
                    {mayReset(m) && (
                      <Button variant="link" disabled={offline} onClick={() => onReset(m)} data-testid="member-reset-password">
                        {t('members.resetPassword')}
                        <span className="visually-hidden"> {m.name}</span>
                      </Button>
                    )}
                    {mayManage(m) ? (
                      <Button
                        variant="link"
                        disabled={rowBusy === m.userId || isSoleCoordinator(m) || offline}
                        aria-describedby={isSoleCoordinator(m) ? `${hintId}-${m.userId}` : undefined}
                        onClick={() => onRemove(m)}
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
      </TableScroll>
    </>
  );
}
