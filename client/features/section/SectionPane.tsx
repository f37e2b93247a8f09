import { useEffect, useId, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Me, Role, Section } from '../../../shared/api/index.ts';
import type { Agreement } from '../../api/index.ts';
import { useDecisionsQuery } from '../../api/queries.ts';
import { ConnectionStatusView } from '../../editor/ConnectionStatusView.tsx';
import { PresenceList } from '../../editor/PresenceList.tsx';
import { SectionEditor } from '../../editor/SectionEditor.tsx';
import { PHONE_QUERY, useMediaQuery } from '../../ui/useMediaQuery.ts';
import { AgreedNotice } from '../agreement/AgreedNotice.tsx';
import { SignedEditWarning } from '../agreement/SignedEditWarning.tsx';
import { AgreementPanel } from '../agreement/AgreementPanel.tsx';
import { CommentsPanel } from '../comments/CommentsPanel.tsx';
import { mayComment } from '../comments/permissions.ts';
import { useSectionComments } from '../comments/useSectionComments.ts';
import { ModeSwitch, effectiveMode, type EditMode } from '../suggestions/ModeSwitch.tsx';
import { SuggestionsPanel, useOpenSuggestions } from '../suggestions/SuggestionsPanel.tsx';
import { SectionHeader } from './SectionHeader.tsx';
import { SectionNotices } from './SectionNotices.tsx';
import { useSectionMembers } from './useSectionMembers.ts';
import { useSectionSession } from './useSectionSession.ts';
import { useAccessChangeNotice, useTextAccess } from './useTextAccess.ts';
import { useUnsupportedHint } from './useUnsupportedHint.ts';

interface Props {
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
}

/** An open section's text: the live editor with its agreement, suggestions, comments and presence. */
export function SectionPane({ planId, section, chapterTitle, role, me, agreement, agreementError, agreed, onAgreementChanged, onTextChanged, onMovedToBin, onPermissionsChanged, onCommentsChanged }: Props) {
  const { t } = useTranslation();
  const { rule, access } = useTextAccess(planId, role, me.organisation.side);
  const session = useSectionSession({ planId, sectionId: section.id, me, role, access, onMovedToBin, onPermissionsChanged, onTextChanged });
  const { connection, status } = session;
  const { accessNotice, dismissAccessNotice } = useAccessChangeNotice(access, rule !== null, session.roleStale);
  // The mode the person chose within what their access allows.
  const [chosenMode, setChosenMode] = useState<EditMode | null>(null);
  const mode = effectiveMode(access, chosenMode);
  const editable = mode !== 'viewing' && status.state !== 'closed' && !agreed && !session.roleStale;
  const { hint, onUnsupported } = useUnsupportedHint();
  const { members, selfVerified, authors } = useSectionMembers(planId, me.user.id);
  // What was decided: a new decision starts the editor's undo history afresh; the same record
  // fetched again (after every reconnect) does not.
  const decisions = useDecisionsQuery(planId, section.id).data;
  const decisionsKey = useMemo(() => (decisions ?? []).map((d) => `${d.suggestionId}:${d.decision}`).join(' '), [decisions]);
  const suggestions = useOpenSuggestions(connection?.doc ?? null);
  const comments = useSectionComments(planId, section.id, me.user.id, connection?.doc ?? null, onCommentsChanged);
  // Below the text on narrower screens, the panels fold away behind one button (wide screens
  // show them beside the text always). Starting a comment opens them: the form is there.
  const [panelsOpen, setPanelsOpen] = useState(false);
  const panelsId = useId();
  const showPanels = panelsOpen || comments.pendingAnchor !== null;
  useEffect(() => {
    if (comments.pendingAnchor) setPanelsOpen(true);
  }, [comments.pendingAnchor]);

  // On a phone the text comes first and where the section stands follows it, folded to its status
  // line; placed there in the page itself so the keyboard meets it in the order it is seen.
  const onPhone = useMediaQuery(PHONE_QUERY);
  const agreementPanel = (
    <AgreementPanel
      planId={planId}
      sectionTitle={section.title}
      role={role}
      meId={me.user.id}
      agreement={agreement}
      error={agreementError}
      onChanged={onAgreementChanged}
      liveOpenSuggestions={connection && status.ready ? suggestions.length : undefined}
      collapsible={onPhone}
    />
  );

  // The editor's toolbar sticks just under the status bar, however tall the bar is (a long status
  // wraps): at a fixed 44px a two-line bar covered the toolbar's first row, or the toolbar the bar.
  const paneRef = useRef<HTMLElement>(null);
  const barRef = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const pane = paneRef.current;
    const bar = barRef.current;
    if (!pane || !bar) return;
    const measure = () => pane.style.setProperty('--section-bar-height', `${bar.offsetHeight}px`);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(bar);
    return () => observer.disconnect();
  }, []);

  return (
    <article className="section-pane" aria-labelledby="section-title" ref={paneRef}>
      <SectionHeader planId={planId} sectionId={section.id} title={section.title} chapterTitle={chapterTitle} />
      <div className="section-pane__bar" ref={barRef}>
        <ConnectionStatusView status={status} onRetry={connection ? () => connection.retry() : undefined} />
        <button
          type="button"
          className="button button--secondary button--small section-pane__panels-toggle"
          aria-expanded={showPanels}
          aria-controls={panelsId}
          onClick={() => {
            setPanelsOpen(!showPanels);
            // Under a long text the panels are far down: bring them up when they are opened.
            if (!showPanels) requestAnimationFrame(() => document.getElementById(panelsId)?.scrollIntoView({ block: 'start' }));
          }}
          data-testid="panels-toggle"
          title={t('section.panelsToggle')}
        >
          <span className="section-pane__panels-label">{t('section.panelsToggle')}</span>
        </button>
      </div>
      {!onPhone && agreementPanel}
      {agreed && <AgreedNotice agreement={agreement} fallbackNames={section.signedBy.map((s) => t(s.verified ? 'outline.signer' : 'outline.signerUnverified', { name: s.name, organisation: s.organisation }))} />}
      {rule && access === 'read' && (
        <p className="notice" data-testid="read-only-notice">
          {t('editor.readOnly', { role: t(`role.${role}`) })}
        </p>
      )}
      {!agreed && access !== 'read' && <ModeSwitch access={access} mode={mode} onChange={setChosenMode} />}
      {editable && mode === 'editing' && agreement && <SignedEditWarning agreement={agreement} />}
      <SectionNotices
        accessNotice={accessNotice}
        onDismissAccess={dismissAccessNotice}
        refusedReason={session.refusedReason}
        refusedText={session.refusedText}
        onDismissRefused={session.dismissRefused}
        hint={mode === 'suggesting' ? hint : null}
      />
      <div className="section-pane__body">
        <div className="section-pane__editor">
          {session.show && connection ? (
            <SectionEditor
              connection={connection}
              user={session.user}
              editable={editable}
              title={section.title}
              highlights={comments.highlights}
              activeThreadId={comments.activeThreadId}
              onActivateThread={comments.setActiveThreadId}
              canComment={mayComment(role)}
              onComment={comments.setPendingAnchor}
              suggesting={mode === 'suggesting'}
              authors={authors}
              onUnsupported={onUnsupported}
              decisionsKey={decisionsKey}
            />
          ) : (
            <p className="muted editor-loading" role="status">
              {t('editor.loading')}
            </p>
          )}
        </div>
        {onPhone && agreementPanel}
        <aside id={panelsId} className={`section-pane__aside${showPanels ? '' : ' is-folded'}`} aria-label={t('section.panelsLabel')}>
          {connection && <PresenceList connection={connection} selfVerified={selfVerified} />}
          <SuggestionsPanel planId={planId} sectionId={section.id} suggestions={suggestions} members={members} meId={me.user.id} access={access} agreed={agreed} />
          <CommentsPanel
            planId={planId}
            sectionId={section.id}
            role={role}
            me={me}
            threads={comments.threads}
            error={comments.error}
            loadFailure={comments.failure}
            reload={comments.reload}
            pending={comments.pendingAnchor}
            onCancelPending={() => comments.setPendingAnchor(null)}
            onRestorePending={comments.setPendingAnchor}
            activeThreadId={comments.activeThreadId}
            onActivate={comments.setActiveThreadId}
          />
        </aside>
      </div>
    </article>
  );
}
