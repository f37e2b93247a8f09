import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { counted } from '../../i18n/counted.ts';
import { trustApi, type PlanOrganisation } from '../../api/index.ts';
import { queryKeys, useInvalidate, useMembersQuery, useOrganisationsQuery } from '../../api/queries.ts';
import { useMe } from '../../session/SessionContext.tsx';
import { mayManageSide } from '../../../shared/policy/sides.ts';
import { OrgDot, SideBadge } from '../../ui/badges.tsx';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { Button, FormError, describeError } from '../../ui/forms.tsx';
import { formatDateTime } from '../../i18n/format.ts';
import { TableScroll } from '../../ui/TableScroll.tsx';
import { useOffline } from '../../sync/connectivity.ts';
import { NotLoadedNote, OfflineNote } from '../../sync/OfflineNote.tsx';

/** "Verified" or "Unverified" as a badge with words, never colour alone. */
export function VerificationBadge({ verified, testId }: { verified: boolean; testId?: string }) {
  const { t } = useTranslation();
  return (
    <span
      className={`badge ${verified ? 'badge--verified' : 'badge--unverified'}`}
      data-testid={testId}
      data-verified={verified}
      title={verified ? undefined : t('orgs.unverifiedHelp')}
    >
      {verified ? t('orgs.verified') : t('orgs.unverified')}
    </span>
  );
}

/**
 * The plan's organisations and whether a coordinator vouched for each: only verified
 * organisations' signatures count. Coordinators verify, or withdraw a verification with a reason;
 * nobody verifies their own organisation.
 */
export function OrganisationsPanel({
  planId,
  isCoordinator,
  myOrganisationId,
}: {
  planId: string;
  isCoordinator: boolean;
  myOrganisationId: string;
}) {
  const { t, i18n } = useTranslation();
  // Verifying is the server's to record: offline it waits, and says why.
  const offline = useOffline();
  const headingId = useId();
  // Refetched on `organisations` and `members` events (client/api/liveEvents.ts).
  const orgsQuery = useOrganisationsQuery(planId);
  const members = useMembersQuery(planId).data ?? [];
  const me = useMe();
  const meAsMember = members.find((m) => m.userId === me.user.id);
  // Once a side has its own verified coordinator, only that side vouches for its organisations (shared/policy/sides.ts).
  const mayManage = (o: PlanOrganisation) => mayManageSide(meAsMember, o.side, members);
  const organisations = orgsQuery.data ?? null;
  const error = orgsQuery.error ? describeError(orgsQuery.error, t).message : null;
  const invalidate = useInvalidate();
  const [verifying, setVerifying] = useState<PlanOrganisation | null>(null);
  const [unverifying, setUnverifying] = useState<PlanOrganisation | null>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [dialogError, setDialogError] = useState<string | null>(null);

  async function run(action: () => Promise<unknown>) {
    setBusy(true);
    setDialogError(null);
    try {
      await action();
      setVerifying(null);
      setUnverifying(null);
      setReason('');
      // Verification marks show on members, signatures, comments and positions too.
      const p = queryKeys.plan(planId);
      await invalidate(p.organisations(), p.members());
    } catch (err) {
      setDialogError(describeError(err, t).message);
    } finally {
      setBusy(false);
    }
  }

  const unverifiedCount = organisations?.filter((o) => !o.verified).length ?? 0;

  return (
    <section className="panel" aria-labelledby={headingId} data-testid="organisations-panel">
      <h2 id={headingId}>{t('orgs.heading')}</h2>
      <p className="muted">{t('orgs.intro')}</p>
      <FormError message={error} />
      {!organisations && !error && <NotLoadedNote failure={orgsQuery.failureReason} testId="organisations-not-loaded" />}
      {organisations && organisations.length === 0 && <p className="muted">{t('orgs.none')}</p>}
      {isCoordinator && organisations && organisations.length > 0 && <OfflineNote testId="organisations-offline" />}
      {organisations && organisations.length > 0 && (
        <TableScroll label={t('orgs.heading')}>
          <table className="table" data-testid="organisations-table">
            <caption className="visually-hidden">{t('orgs.heading')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('orgs.colName')}</th>
                <th scope="col">{t('members.colSide')}</th>
                <th scope="col">{t('orgs.colVerification')}</th>
                {isCoordinator && (
                  <th scope="col">
                    <span className="visually-hidden">{t('members.colActions')}</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {organisations.map((o) => (
                <tr key={o.id} data-testid="organisation-row" data-name={o.name}>
                  <td>
                    <OrgDot color={o.color} /> {o.name}
                  </td>
                  <td>
                    <SideBadge side={o.side} />
                  </td>
                  <td>
                    <VerificationBadge verified={o.verified} testId="organisation-verification" />{' '}
                    {o.verified && (
                      <span className="muted small">
                        {o.verifiedBy === 'set-up'
                          ? t('orgs.verifiedAtSetUp')
                          : t('orgs.verifiedBy', { name: o.verifiedBy, when: formatDateTime(o.verifiedAt!, i18n.language) })}
                      </span>
                    )}
                  </td>
                  {isCoordinator && (
                    <td className="table__actions">
                      {o.id === myOrganisationId ? (
                        <span className="muted small">{o.verified ? t('orgs.ownOrganisationVerified') : t('orgs.ownOrganisation')}</span>
                      ) : !mayManage(o) ? (
                        <span className="muted small" data-testid="organisation-other-side">
                          {t('orgs.otherSideManages', { side: t(`side.${o.side}`) })}
                        </span>
                      ) : o.verified ? (
                        <Button variant="secondary" className="button--small" disabled={offline} onClick={() => setUnverifying(o)} data-testid="organisation-unverify">
                          {t('orgs.unverify')}
                        </Button>
                      ) : (
                        <Button className="button--small" disabled={offline} onClick={() => setVerifying(o)} data-testid="organisation-verify">
                          {t('orgs.verify')}
                        </Button>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      {isCoordinator && unverifiedCount > 0 && <p className="notice small">{t('orgs.unverifiedWaiting', counted(unverifiedCount))}</p>}

      <ConfirmDialog
        open={verifying !== null}
        title={t('orgs.verifyTitle', { name: verifying?.name ?? '' })}
        confirmLabel={t('orgs.verifyConfirm')}
        confirmVariant="primary"
        confirmTestId="organisation-verify-confirm"
        testId="organisation-verify-dialog"
        onConfirm={() => void run(() => trustApi.verifyOrganisation(planId, verifying!.id))}
        onCancel={() => setVerifying(null)}
        busy={busy}
        error={dialogError}
      >
        <p>{t('orgs.verifyBody', { name: verifying?.name ?? '', side: verifying ? t(`side.${verifying.side}`) : '' })}</p>
      </ConfirmDialog>

      <ConfirmDialog
        open={unverifying !== null}
        title={t('orgs.unverifyTitle', { name: unverifying?.name ?? '' })}
        confirmLabel={t('orgs.unverifyConfirm')}
        confirmTestId="organisation-unverify-confirm"
        testId="organisation-unverify-dialog"
        onConfirm={() => {
          if (reason.trim().length < 3) setDialogError(t('orgs.unverifyReasonRequired'));
          else void run(() => trustApi.unverifyOrganisation(planId, unverifying!.id, reason.trim()));
        }}
        onCancel={() => setUnverifying(null)}
        busy={busy}
        error={dialogError}
      >
        <p>{t('orgs.unverifyBody', { name: unverifying?.name ?? '' })}</p>
        <div className="field">
          <label htmlFor="unverify-reason">{t('orgs.unverifyReason')}</label>
          <textarea id="unverify-reason" rows={3} maxLength={2000} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="organisation-unverify-reason" />
        </div>
      </ConfirmDialog>
    </section>
  );
}
