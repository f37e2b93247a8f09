import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, NavLink, useNavigate, useParams } from 'react-router';
import {
  canEditText,
  textAccess,
  type CommentAnchor,
  type Me,
  type PlanEvent,
  type PlanOutline,
  type Role,
  type BinnedSection,
  type Section,
  type TextAccess,
} from '../../shared/api/index.ts';
import { CloseCode, type AwarenessUser } from '../../shared/protocol.ts';
import { api, type Agreement } from '../api/index.ts';
import { usePlanLiveEvents } from '../api/liveEvents.ts';
import {
  asApiError,
  queryKeys,
  useAgreementQuery,
  useDecisionsQuery,
  useInvalidate,
  useMembersQuery,
  usePlanOutlineQuery,
  useSuggestionRuleQuery,
} from '../api/queries.ts';
import { ActionsPanel } from '../features/actions/ActionsPanel.tsx';
import { agreedCount } from '../features/agreement/agreedCount.ts';
import { AgreedNotice, AgreementPanel } from '../features/agreement/agreement.tsx';
import { PositionsPanel } from '../features/agreement/PositionsPanel.tsx';
import { CommentsPanel, mayComment, useLiveDetachment, useThreads } from '../features/comments/CommentsPanel.tsx';
import { SectionHistory } from '../features/versions/SectionHistory.tsx';
import { ModeSwitch, effectiveMode, type EditMode } from '../features/suggestions/ModeSwitch.tsx';
import { SuggestionsPanel, useOpenSuggestions } from '../features/suggestions/SuggestionsPanel.tsx';
import { RoleBadge } from '../ui/badges.tsx';
import { formatDateTime } from '../features/recommendations/recommendations.tsx';
import { describeError } from '../ui/forms.tsx';
import { Outline } from '../features/outline/Outline.tsx';
import { useDocumentTitle } from '../ui/useDocumentTitle.ts';
import { ConnectionStatusView } from '../editor/ConnectionStatusView.tsx';
import { PresenceList } from '../editor/PresenceList.tsx';
import { SectionEditor } from '../editor/SectionEditor.tsx';
import { useMe } from '../session/SessionContext.tsx';
import { useConnectionStatus, useSectionConnection } from '../sync/useSectionConnection.ts';
import { useThreadLink } from '../features/comments/useThreadLink.ts';

/** The open section's agreement (status, sign-offs, content hash), kept fresh by the live events. */
function useSectionAgreement(planId: string, sectionId: string | undefined) {
  const { t } = useTranslation();
  const query = useAgreementQuery(planId, sectionId);
  const agreement = query.data && query.data.sectionId === sectionId ? query.data : null;
  return { agreement, error: query.error ? describeError(query.error, t).message : null };
}

export function PlanPage({ view = 'text' }: { view?: 'text' | 'history' }) {
  const { t } = useTranslation();
  const { planId = '', sectionId } = useParams();
  const navigate = useNavigate();
  const me = useMe();
  const queryClient = useQueryClient();
  const invalidate = useInvalidate();
  const keys = useMemo(() => queryKeys.plan(planId), [planId]);
  // The outline is one query for every component of the plan; the live events keep it fresh.
  const outlineQuery = usePlanOutlineQuery(planId);
  const outline = outlineQuery.data ?? null;
  const loadError = asApiError(outlineQuery.error);
  const setOutline = useCallback((next: PlanOutline) => queryClient.setQueryData(keys.outline(), next), [queryClient, keys]);
  const reloadOutline = useCallback(() => invalidate(keys.outline()), [invalidate, keys]);
  const [notice, setNotice] = useState<string | null>(null);
  const { agreement, error: agreementError } = useSectionAgreement(planId, sectionId);
  const reloadAgreement = useCallback(() => invalidate(keys.agreement(sectionId)), [invalidate, keys, sectionId]);

  // Everything that is a query is refetched through the table in client/api/liveEvents.ts; what
  // remains here is what the page itself says or does when one's own access changes.
  const onEvent = useCallback(
    (event: PlanEvent) => {
      if (event.type !== 'access') return;
      if (event.role === null) {
        navigate('/', { replace: true, state: { notice: 'removedFromPlan', planTitle: outline?.plan.title ?? '' } });
        return;
      }
      setNotice(t('plan.roleChanged', { role: t(`role.${event.role}`) }));
    },
    [navigate, outline?.plan.title, t],
  );
  usePlanLiveEvents(planId, onEvent);

  const section = useMemo(() => {
    if (!outline || !sectionId) return null;
    for (const c of outline.chapters) {
      const s = c.sections.find((x) => x.id === sectionId);
      if (s) return { section: s, chapterTitle: c.title };
    }
    return null;
  }, [outline, sectionId]);

  useDocumentTitle(section?.section.title ?? outline?.plan.title ?? t('common.loading'));

  if (loadError) {
    const gone = loadError.status === 403 || loadError.status === 404;
    return (
      <main id="main" className="page page--narrow">
        <h1>{gone ? t('plan.notFoundTitle') : t('errors.loadFailedTitle')}</h1>
        <p>{gone ? t('plan.notFoundBody') : describeError(loadError, t).message}</p>
        <p>
          <Link to="/">{t('plan.backToPlans')}</Link>
        </p>
      </main>
    );
  }
  if (!outline) {
    return (
      <main id="main" className="page">
        <p className="muted" role="status">
          {t('common.loading')}
        </p>
      </main>
    );
  }

  const role = outline.plan.role;
  const counts = agreedCount(outline);
  const agreed = (agreement ? agreement.status : section?.section.status) === 'agreed';
  return (
    <div className="plan-layout">
      <aside className="plan-layout__sidebar">
        <div className="plan-head">
          <p className="plan-head__back">
            <Link to="/">{t('plan.allPlans')}</Link>
          </p>
          <p className="plan-head__title">{outline.plan.title}</p>
          <p className="plan-head__meta">
            {t('plans.meta', { country: outline.plan.country, start: outline.plan.periodStart, end: outline.plan.periodEnd })}
          </p>
          <p className="plan-head__meta">
            {t('plan.yourRole')} <RoleBadge role={role} />
          </p>
          <p className="plan-head__agreed" data-testid="plan-agreed-count" data-agreed={counts.agreed} data-total={counts.total}>
            {t('plan.agreedCount', { agreed: counts.agreed, count: counts.total })}
          </p>
          {counts.total > 0 && (
            <div className="meter meter--small" aria-hidden="true">
              <div className="meter__fill" style={{ width: `${Math.round((counts.agreed / counts.total) * 100)}%` }} />
            </div>
          )}
          <ul className="plan-head__links">
            <li>
              <Link to={`/plans/${planId}/recommendations`} data-testid="recommendations-link">
                {t('planNav.recommendations')}
              </Link>
            </li>
            <li>
              <Link to={`/plans/${planId}/coverage`} data-testid="coverage-link">
                {t('planNav.coverage')}
              </Link>
            </li>
            <li>
              <Link to={`/plans/${planId}/members`} data-testid="members-link">
                {role === 'coordinator' ? t('plan.members') : t('plan.membersReader')}
              </Link>
            </li>
            <li>
              <Link to={sectionId && section ? `/plans/${planId}/sections/${sectionId}/history` : `/plans/${planId}/history`} data-testid="history-link">
                {sectionId && section ? t('planNav.sectionHistory') : t('planNav.history')}
              </Link>
            </li>
            {role === 'coordinator' && (
              <li>
                <Link to={`/plans/${planId}/audit`} data-testid="audit-link">
                  {t('planNav.audit')}
                </Link>
              </li>
            )}
            {role === 'coordinator' && (
              <li>
                <Link to={`/plans/${planId}/bin`} data-testid="bin-link">
                  {t('planNav.bin')}
                </Link>
              </li>
            )}
            <li>
              <Link to={`/plans/${planId}/export`} data-testid="export-link">
                {t('planNav.export')}
              </Link>
            </li>
          </ul>
        </div>
        <Outline outline={outline} canManage={role === 'coordinator'} activeSectionId={sectionId} onOutline={setOutline} />
      </aside>
      <main id="main" className="plan-layout__main">
        {notice && (
          <div className="alert alert--info" role="status">
            {notice}{' '}
            <button type="button" className="button button--link button--small" onClick={() => setNotice(null)}>
              {t('common.dismiss')}
            </button>
          </div>
        )}
        {sectionId && section && view === 'history' && (
          <article className="section-pane" aria-labelledby="section-title">
            <SectionHeader planId={planId} sectionId={section.section.id} title={section.section.title} chapterTitle={section.chapterTitle} />
            <SectionHistory
              key={`history-${section.section.id}`}
              planId={planId}
              sectionId={section.section.id}
              sectionTitle={section.section.title}
              mayWrite={canEditText(role)}
              agreed={agreed}
            />
          </article>
        )}
        {sectionId && section && view === 'text' && (
          <SectionPane
            key={section.section.id}
            planId={planId}
            section={section.section}
            chapterTitle={section.chapterTitle}
            role={role}
            me={me}
            agreement={agreement}
            agreementError={agreementError}
            agreed={agreed}
            onAgreementChanged={async () => {
              await reloadAgreement();
              await reloadOutline();
            }}
            onTextChanged={() => void reloadAgreement()}
            onCommentsChanged={() => void reloadOutline()}
            onPermissionsChanged={async () => {
              await Promise.all([reloadAgreement(), reloadOutline()]);
            }}
            onMovedToBin={() => void reloadOutline()}
          />
        )}
        {sectionId && section && view === 'text' && (
          <PositionsPanel
            key={`positions-${section.section.id}`}
            planId={planId}
            sectionId={section.section.id}
            role={role}
            myOrganisationId={me.organisation.id}
          />
        )}
        {sectionId && section && view === 'text' && (
          <ActionsPanel
            key={`actions-${section.section.id}`}
            planId={planId}
            sectionId={section.section.id}
            sectionTitle={section.section.title}
            mayWrite={canEditText(role) && !agreed}
          />
        )}
        {sectionId && !section && <SectionGone key={sectionId} planId={planId} sectionId={sectionId} role={role} />}
        {!sectionId && (
          <div className="empty-state" data-testid="no-section">
            <h1>{outline.plan.title}</h1>
            {outline.plan.source && <p className="muted">{t('plans.source', { source: outline.plan.source })}</p>}
            <p>{outline.chapters.some((c) => c.sections.length > 0) ? t('plan.chooseSection') : role === 'coordinator' ? t('plan.startOutline') : t('plan.noSectionsYet')}</p>
          </div>
        )}
      </main>
    </div>
  );
}

/**
 * The open section is not in the outline: moved to the bin (say by whom, and that a coordinator
 * can restore it) or gone for good.
 */
function SectionGone({ planId, sectionId, role }: { planId: string; sectionId: string; role: Role }) {
  const { t, i18n } = useTranslation();
  const [binned, setBinned] = useState<BinnedSection | null | undefined>(undefined);
  useEffect(() => {
    let live = true;
    api.binnedSection(planId, sectionId).then(
      (b) => live && setBinned(b),
      () => live && setBinned(null),
    );
    return () => {
      live = false;
    };
  }, [planId, sectionId]);
  if (binned === undefined) {
    return (
      <p className="muted" role="status">
        {t('common.loading')}
      </p>
    );
  }
  if (binned === null) {
    return (
      <div className="empty-state" data-testid="section-missing">
        <h1>{t('plan.sectionMissingTitle')}</h1>
        <p>{t('plan.sectionMissingBody')}</p>
      </div>
    );
  }
  const date = formatDateTime(binned.deletedAt, i18n.language);
  return (
    <div className="alert alert--warning section-binned" role="alert" data-testid="section-binned" ref={(el) => el?.scrollIntoView({ block: 'nearest' })}>
      <h1 className="section-binned__title">{t('plan.binnedTitle')}</h1>
      <p data-testid="section-binned-body">
        {binned.deletedBy
          ? t('plan.binnedBody', { title: binned.title, name: binned.deletedBy.name, organisation: binned.deletedBy.organisation, date })
          : t('plan.binnedBodyUnknown', { title: binned.title, date })}
      </p>
      <p>{t('plan.binnedKept')}</p>
      {role === 'coordinator' && (
        <p>
          <Link to={`/plans/${planId}/bin`} data-testid="section-binned-open-bin">
            {t('plan.binnedOpenBin')}
          </Link>
        </p>
      )}
    </div>
  );
}

/** The section's chapter and title, with tabs between its text and its history. */
function SectionHeader({ planId, sectionId, title, chapterTitle }: { planId: string; sectionId: string; title: string; chapterTitle: string }) {
  const { t } = useTranslation();
  return (
    <header className="section-pane__header">
      <p className="section-pane__chapter">{chapterTitle}</p>
      <h1 id="section-title" className="section-pane__title" data-testid="section-title">
        {title}
      </h1>
      <nav className="section-tabs" aria-label={t('sectionTabs.label')}>
        <NavLink to={`/plans/${planId}/sections/${sectionId}`} end data-testid="section-text-tab">
          {t('sectionTabs.text')}
        </NavLink>
        <NavLink to={`/plans/${planId}/sections/${sectionId}/history`} data-testid="section-history-tab">
          {t('sectionTabs.history')}
        </NavLink>
      </nav>
    </header>
  );
}

const NO_MEMBERS: never[] = [];

/** Waits this long after the last change to the text before refetching the content hash. */
const HASH_REFRESH_MS = 1200;
/** After a refused edit the section starts over by itself at most this many times in a minute. */
const MAX_RESTARTS = 3;
const RESTART_WINDOW_MS = 60_000;
/** Waits this long before asking again for a suggestion rule that failed to load. */
const RULE_RETRY_MS = 3000;

function SectionPane({
  planId,
  section,
  chapterTitle,
  role,
  me,
  agreement,
  agreementError,
  agreed,
  onAgreementChanged,
  onTextChanged,
  onMovedToBin,
  onPermissionsChanged,
  onCommentsChanged,
}: {
  planId: string;
  section: Section;
  chapterTitle: string;
  role: Role;
  me: Me;
  agreement: Agreement | null;
  agreementError: string | null;
  agreed: boolean;
  onAgreementChanged: () => Promise<void>;
  onTextChanged: () => void;
  /** The server closed the section because it was moved to the bin: the outline is refetched. */
  onMovedToBin: () => void;
  /** The server reconnected with new permissions: resolves once the role has been refetched. */
  onPermissionsChanged: () => Promise<void>;
  onCommentsChanged: () => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  // Identity without role: a role change must not recreate the document (the server reconnects).
  const identity = useMemo(
    () => ({
      id: me.user.id,
      name: me.user.name,
      organisation: me.organisation.name,
      side: me.organisation.side,
      color: me.organisation.color,
      role: '',
    }),
    [me],
  );
  const user: AwarenessUser = useMemo(() => ({ ...identity, role }), [identity, role]);
  // Bumped to start over with a fresh document after the server refused an edit.
  const [generation, setGeneration] = useState(0);
  const connection = useSectionConnection(section.id, identity, generation);
  const status = useConnectionStatus(connection);

  useEffect(() => {
    if (!connection) return;
    connection.provider.awareness.setLocalStateField('user', user);
  }, [connection, user]);

  // Moved to the bin while open: the outline no longer has it, and the page says who moved it.
  const movedToBinRef = useCallbackRef(onMovedToBin);
  const closedCode = status.closed?.code;
  useEffect(() => {
    if (closedCode === CloseCode.SectionDeleted) movedToBinRef();
  }, [closedCode, movedToBinRef]);

  // After the server reconnected with new permissions, the editor takes nothing until the role
  // and the suggestion rule are refetched: an edit made under the old mode would be sent under the
  // new rights, and may be refused.
  const [roleStale, setRoleStale] = useState(false);
  const permissionsRef = useCallbackRef(onPermissionsChanged);
  const latestPermissionsChange = useRef(0);
  useEffect(
    () =>
      connection?.onPermissionsChanged(() => {
        const change = ++latestPermissionsChange.current;
        // Forget the rule until it is refetched, so nothing is decided on the old one meanwhile.
        void queryClient.resetQueries({ queryKey: queryKeys.plan(planId).suggestionRule() });
        setRoleStale(true);
        void permissionsRef().finally(() => {
          if (latestPermissionsChange.current === change) setRoleStale(false);
        });
      }),
    [connection, permissionsRef, queryClient, planId],
  );

  // Once shown, the editor stays mounted through reconnects (ready flips while re-syncing).
  const [shownFor, setShownFor] = useState<object | null>(null);
  useEffect(() => {
    if (connection && status.ready && shownFor !== connection) setShownFor(connection);
  }, [connection, status.ready, shownFor]);
  const show = connection !== null && (status.ready || shownFor === connection);

  // The content hash follows the text: refetch it shortly after the text stops changing, so the
  // hash a person signs is the hash of what they are reading (the server refuses a stale one).
  const textChangedRef = useCallbackRef(onTextChanged);
  useEffect(() => {
    if (!connection) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onUpdate = () => {
      clearTimeout(timer);
      timer = setTimeout(() => textChangedRef(), HASH_REFRESH_MS);
    };
    connection.doc.on('update', onUpdate);
    return () => {
      clearTimeout(timer);
      connection.doc.off('update', onUpdate);
    };
  }, [connection, textChangedRef]);

  // What the person's edits may do (their role and the plan's suggestion rule; the server
  // enforces it), and the mode they chose within that.
  // Until the rule has loaded, nobody's edits are taken: someone who must suggest would otherwise
  // get Editing for a moment, and the server refuses (and disconnects) a direct edit from them.
  // Without a rule the editor takes nothing: a failed load is retried rather than left to the next event.
  const rule = useSuggestionRuleQuery(planId, { retryForever: true, retryDelayMs: RULE_RETRY_MS }).data ?? null;
  const access: TextAccess = rule ? textAccess(role, me.organisation.side, rule) : 'read';
  const [chosenMode, setChosenMode] = useState<EditMode | null>(null);
  const mode = effectiveMode(access, chosenMode);
  const editable = mode !== 'viewing' && status.state !== 'closed' && !agreed && !roleStale;

  // When what the person may do to the text changes while they are here (a coordinator changed
  // who must suggest, or their role), say so: their next words would otherwise go in differently
  // without a word. Loading ('read' until the rule is known) is not a change.
  const [accessNotice, setAccessNotice] = useState<TextAccess | null>(null);
  const settledAccess = useRef<TextAccess | null>(null);
  useEffect(() => {
    if (!rule || roleStale) return;
    if (settledAccess.current !== null && settledAccess.current !== access) setAccessNotice(access);
    settledAccess.current = access;
  }, [access, rule, roleStale]);

  // The server refused an edit (it closes with EditRefused; the local copy is then dropped):
  // start over from the shared text with a fresh document, and say what happened. Should that
  // keep happening, stop and leave the closed state with its Reload button.
  const [refusedReason, setRefusedReason] = useState<string | null>(null);
  const restarts = useRef<number[]>([]);
  const accessRef = useRef(access);
  accessRef.current = access;
  useEffect(
    () =>
      connection?.onEditRefused(() => {
        const now = Date.now();
        restarts.current = restarts.current.filter((at) => now - at < RESTART_WINDOW_MS);
        if (restarts.current.length >= MAX_RESTARTS) return;
        restarts.current.push(now);
        const held = accessRef.current;
        setRefusedReason(held === 'suggest' ? 'sync.refused.suggestOnly' : held === 'edit' ? 'sync.refused.othersSuggestion' : 'sync.refused.either');
        setGeneration((g) => g + 1);
      }),
    [connection],
  );
  const [hint, setHint] = useState<string | null>(null);
  useEffect(() => {
    if (!hint) return;
    const timer = setTimeout(() => setHint(null), 8000);
    return () => clearTimeout(timer);
  }, [hint]);
  const onUnsupported = useCallback(
    (what: 'structure' | 'formatting') => setHint(t(what === 'structure' ? 'suggestions.hintStructure' : 'suggestions.hintFormatting')),
    [t],
  );
  const members = useMembersQuery(planId).data ?? NO_MEMBERS;
  // When the record of decisions was last fetched: a decision starts the editor's undo history afresh.
  const decisionsAt = useDecisionsQuery(planId, section.id).dataUpdatedAt;
  const selfVerified = members.find((m) => m.userId === me.user.id)?.organisationVerified;
  const authors = useMemo(
    () => new Map(members.map((m) => [m.userId, { name: m.name, organisation: m.organisation.name, color: m.organisation.color }])),
    [members],
  );
  const suggestions = useOpenSuggestions(connection?.doc ?? null);

  // Comment threads: highlighted in the text (open, attached ones) and listed beside it.
  const { threads: fetchedThreads, error: threadsError, reload: reloadThreads } = useThreads(planId, section.id);
  const threads = useLiveDetachment(connection?.doc ?? null, fetchedThreads);
  const [pendingAnchor, setPendingAnchor] = useState<CommentAnchor | null>(null);
  const [activeThreadId, setActiveThreadId] = useState<string | null>(null);
  useThreadLink(setActiveThreadId);
  const highlights = useMemo(
    () => (threads ?? []).filter((th) => th.status === 'open' && !th.detached).map((th) => ({ id: th.id, start: th.anchor.start, end: th.anchor.end })),
    [threads],
  );
  const reloadComments = useCallback(async () => {
    await reloadThreads();
    onCommentsChanged();
  }, [reloadThreads, onCommentsChanged]);

  return (
    <article className="section-pane" aria-labelledby="section-title">
      <SectionHeader planId={planId} sectionId={section.id} title={section.title} chapterTitle={chapterTitle} />
      <div className="section-pane__bar">
        <ConnectionStatusView status={status} onRetry={connection ? () => connection.retry() : undefined} />
      </div>
      <AgreementPanel
        planId={planId}
        sectionTitle={section.title}
        role={role}
        meId={me.user.id}
        agreement={agreement}
        error={agreementError}
        onChanged={onAgreementChanged}
        liveOpenSuggestions={connection && status.ready ? suggestions.length : undefined}
      />
      {agreed && <AgreedNotice agreement={agreement} fallbackNames={section.signedBy.map((s) => t(s.verified ? 'outline.signer' : 'outline.signerUnverified', { name: s.name, organisation: s.organisation }))} />}
      {rule && access === 'read' && (
        <p className="notice" data-testid="read-only-notice">
          {t('editor.readOnly', { role: t(`role.${role}`) })}
        </p>
      )}
      {!agreed && access !== 'read' && (
        <ModeSwitch access={access} mode={mode} onChange={setChosenMode} />
      )}
      {accessNotice && (
        <div className="alert alert--info" role="status" data-testid="access-changed-notice">
          {t(`mode.accessChanged.${accessNotice}`)}{' '}
          <button type="button" className="button button--link button--small" onClick={() => setAccessNotice(null)}>
            {t('common.dismiss')}
          </button>
        </div>
      )}
      {refusedReason && (
        <div className="alert alert--warning" role="alert" data-testid="edit-refused-notice">
          {t('sync.refused.notice', { reason: t(refusedReason) })}{' '}
          <button type="button" className="button button--link button--small" onClick={() => setRefusedReason(null)}>
            {t('common.dismiss')}
          </button>
        </div>
      )}
      {hint && mode === 'suggesting' && (
        <p className="notice notice--hint" role="status" data-testid="suggesting-hint">
          {hint}
        </p>
      )}
      <div className="section-pane__body">
        <div className="section-pane__editor">
          {show && connection ? (
            <SectionEditor
              connection={connection}
              user={user}
              editable={editable}
              title={section.title}
              highlights={highlights}
              activeThreadId={activeThreadId}
              onActivateThread={setActiveThreadId}
              canComment={mayComment(role)}
              onComment={setPendingAnchor}
              suggesting={mode === 'suggesting'}
              authors={authors}
              onUnsupported={onUnsupported}
              decisionsAt={decisionsAt}
            />
          ) : (
            <p className="muted editor-loading" role="status">
              {t('editor.loading')}
            </p>
          )}
        </div>
        <aside className="section-pane__aside">
          {connection && <PresenceList connection={connection} selfVerified={selfVerified} />}
          <SuggestionsPanel
            planId={planId}
            sectionId={section.id}
            suggestions={suggestions}
            members={members}
            meId={me.user.id}
            access={access}
            agreed={agreed}
          />
          <CommentsPanel
            planId={planId}
            sectionId={section.id}
            role={role}
            me={me}
            threads={threads}
            error={threadsError}
            reload={reloadComments}
            pending={pendingAnchor}
            onCancelPending={() => setPendingAnchor(null)}
            activeThreadId={activeThreadId}
            onActivate={setActiveThreadId}
          />
        </aside>
      </div>
    </article>
  );
}

/** A stable function that always calls the latest callback. */
function useCallbackRef<R>(fn: () => R): () => R {
  const [ref] = useState(() => ({ current: fn }));
  ref.current = fn;
  return useCallback(() => ref.current(), [ref]);
}

