import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError } from '../api/index.ts';
import { usePlanLiveEvents } from '../api/liveEvents.ts';
import { queryKeys, useInvalidate, useInvitesQuery, useMembersQuery, usePlanOutlineQuery } from '../api/queries.ts';
import { useAccessChanges } from '../api/usePlanEvents.ts';
import { FormError, describeError } from '../ui/forms.tsx';
import { useDocumentTitle } from '../ui/useDocumentTitle.ts';
import { NotLoadedNote } from '../sync/OfflineNote.tsx';
import { useMe } from '../session/SessionContext.tsx';
import { SignoffRulePanel } from '../features/agreement/SignoffRulePanel.tsx';
import { InvitePanel } from '../features/members/InvitePanel.tsx';
import { LeavePlan } from '../features/members/LeavePlan.tsx';
import { MembersTable } from '../features/members/MembersTable.tsx';
import { OrganisationsPanel } from '../features/members/OrganisationsPanel.tsx';
import { ResetLinkNotice, ResetPasswordDialog } from '../features/members/PasswordReset.tsx';
import { RemoveMemberDialog } from '../features/members/RemoveMemberDialog.tsx';
import { DemoteCoordinatorDialog } from '../features/members/DemoteCoordinatorDialog.tsx';
import { RoleChangeNotice } from '../features/members/RoleChangeNotice.tsx';
import { useMemberChanges } from '../features/members/useMemberChanges.ts';
import { useMemberPermissions } from '../features/members/useMemberPermissions.ts';
import { usePasswordReset } from '../features/members/usePasswordReset.ts';
import { SuggestionRulePanel } from '../features/suggestions/SuggestionRulePanel.tsx';

export function MembersPage() {
  const { t, i18n } = useTranslation();
  const { planId = '' } = useParams();
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
  const { myUserId, mayReset, mayManage } = useMemberPermissions(members);
  const changes = useMemberChanges(planId, myUserId);
  const reset = usePasswordReset(planId);
  // A coordinator who just lost the role may be refused the invites: that is not an error to show.
  const invitesError = invitesQuery.error instanceof ApiError && invitesQuery.error.status === 403 ? null : invitesQuery.error;
  const loadError = outlineQuery.error ?? membersQuery.error ?? invitesError;
  const error = changes.error ?? (loadError ? describeError(loadError, t).message : null);
  // Undo is offered only while it would be accepted: not once one is no longer a coordinator, nor
  // once the member's side has a coordinator of its own (promoting them may have given it one).
  const changed = changes.lastChange && members?.find((m) => m.userId === changes.lastChange?.member.userId);
  // A removed member is no longer listed: whether they may be brought back is judged on the row as it was.
  const judged = changes.lastChange?.kind === 'removal' ? changes.lastChange.member : changed;
  const lastChange = changes.lastChange && { ...changes.lastChange, canUndo: changes.lastChange.canUndo && isCoordinator && !!judged && mayManage(judged) };
  useDocumentTitle(outline ? t('members.pageTitle', { plan: outline.plan.title }) : t('members.title'));

  const leaving = useRef(false);
  usePlanLiveEvents(planId, useAccessChanges(outline?.plan.title, leaving));

  return (
    <main id="main" className="page">
      <p className="breadcrumb">
        <Link to={`/plans/${planId}`}>{outline ? outline.plan.title : t('members.backToPlan')}</Link>
      </p>
      <h1>{t('members.title')}</h1>
      <p className="lead">{t('members.intro')}</p>
      <FormError message={error} />
      <RoleChangeNotice change={lastChange} busy={changes.rowBusy !== null} onUndo={changes.undo} onDismiss={changes.dismissChange} />
      {reset.link && <ResetLinkNotice link={reset.link} copied={reset.copied} onCopy={(inputId) => void reset.copy(inputId)} onDismiss={reset.dismiss} />}
      {members === null ? (
        !loadError && <NotLoadedNote failure={membersQuery.failureReason} testId="members-not-loaded" />
      ) : (
        <MembersTable
          members={members}
          myUserId={myUserId}
          isCoordinator={isCoordinator}
          mayManage={mayManage}
          mayReset={mayReset}
          rowBusy={changes.rowBusy}
          onChangeRole={changes.changeRole}
          onReset={reset.ask}
          onRemove={changes.askRemove}
        />
      )}
      {isCoordinator && members && (
        <p className="muted small" data-testid="members-side-hint">
          {t('members.sideHint')}
        </p>
      )}
      {outline && !isCoordinator && (
        <LeavePlan
          planId={planId}
          planTitle={outline.plan.title}
          onLeaving={(on) => {
            leaving.current = on;
          }}
        />
      )}
      {outline && <OrganisationsPanel planId={planId} isCoordinator={isCoordinator} myOrganisationId={me.organisation.id} />}
      {outline && <SignoffRulePanel planId={planId} canEdit={isCoordinator} />}
      {outline && <SuggestionRulePanel planId={planId} canEdit={isCoordinator} />}
      {isCoordinator && <InvitePanel planId={planId} invites={invites} onChange={() => void invalidate(queryKeys.plan(planId).invites())} lng={i18n.language} />}
      <ResetPasswordDialog reset={reset} />
      <DemoteCoordinatorDialog
        demoting={changes.demoting}
        isMe={changes.demoting?.member.userId === myUserId}
        busy={changes.rowBusy !== null}
        error={changes.demoteError}
        onConfirm={changes.confirmDemote}
        onCancel={changes.cancelDemote}
      />
      <RemoveMemberDialog
        member={changes.removing}
        busy={changes.rowBusy !== null}
        error={changes.removeError}
        onConfirm={changes.confirmRemove}
        onCancel={changes.cancelRemove}
      />
    </main>
  );
}
