import Collaboration from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import { yUndoPluginKey } from '@tiptap/y-tiptap';
import { EditorContent, useEditor, useEditorState, type Editor } from '@tiptap/react';
import { useEffect, useRef } from 'react';
import { useLocation } from 'react-router';
import type * as Y from 'yjs';
import { useFittedCaretLabels } from './caretLabels.ts';
import { SUGGESTION_TIMES_KEY, suggestionTimeIn } from '../../shared/doc/suggestionTimes.ts';
import { useTranslation } from 'react-i18next';
import type { CommentAnchor } from '../../shared/api/index.ts';
import { sectionExtensions } from '../../shared/doc/extensions.ts';
import { getSectionBody } from '../../shared/doc/schema.ts';
import type { AwarenessUser } from '../../shared/protocol.ts';
import type { SectionConnection } from '../sync/sectionConnection.ts';
import { anchorFromSelection, CommentHighlights, setHighlights, type HighlightThread } from './commentHighlights.ts';
import { refreshSuggestionColours, SuggestChanges, type SuggestionAuthor, type SuggestSettings } from './suggestChanges.ts';
import type { Unsupported } from './suggestTransform.ts';
import { Toolbar } from './Toolbar.tsx';
import { describeFormatChange, describeStructureChange } from '../features/suggestions/formatChange.ts';
import { formatDateTime } from '../i18n/format.ts';
import { revealBelowSticky } from '../ui/revealBelowSticky.ts';

/** The visit (react-router's location key) whose opening already put focus in the editor. */
let focusedVisit: string | null = null;

function isHexColor(c: unknown): c is string {
  return typeof c === 'string' && /^#[0-9a-fA-F]{6}$/.test(c);
}

/**
 * Another person's caret: their name and organisation, in the organisation's colour; an
 * organisation the server says is unverified (`verified: false`) is named as such.
 */
function caretRenderer(unverifiedName: (organisation: string) => string) {
  return (user: Record<string, unknown>): HTMLElement => {
    const color = isHexColor(user.color) ? user.color : '#505a5f';
    const caret = document.createElement('span');
    caret.className = 'collab-caret';
    caret.style.borderColor = color;
    const label = document.createElement('span');
    label.className = 'collab-caret__label';
    label.style.backgroundColor = color;
    const name = typeof user.name === 'string' ? user.name : '';
    const named = typeof user.organisation === 'string' ? user.organisation : '';
    const org = named && user.verified === false ? unverifiedName(named) : named;
    label.textContent = org ? `${name} · ${org}` : name;
    if (user.verified === false) label.dataset.unverified = 'true';
    caret.appendChild(label);
    return caret;
  };
}

interface Props {
  connection: SectionConnection;
  user: AwarenessUser;
  editable: boolean;
  title: string;
  /** Open, attached threads to highlight in the text. */
  highlights?: HighlightThread[];
  activeThreadId?: string | null;
  onActivateThread?: (threadId: string) => void;
  /** The person may start a comment thread on selected words (everyone but observers). */
  canComment?: boolean;
  onComment?: (anchor: CommentAnchor) => void;
  /** Suggesting mode: the person's edits become suggestions in their name. */
  suggesting?: boolean;
  /** Names, organisations and colours of suggestion authors, by user id. */
  authors?: Map<string, SuggestionAuthor>;
  /** Called when an edit asked for something a suggestion cannot carry (it was left out). */
  onUnsupported?: (what: Exclude<Unsupported, null>) => void;
  /**
   * Names the suggestion decisions recorded for the section: changes when one was decided, and
   * only then (not when the same record is fetched again, as after every reconnect).
   */
  decisionsKey?: string;
}

/**
 * The live section editor: the shared schema (sectionExtensions) plus Yjs collaboration and
 * carets. Mounted only once the connection is ready, so the first render is the synced document.
 */
export function SectionEditor({
  connection,
  user,
  editable,
  title,
  highlights,
  activeThreadId = null,
  onActivateThread,
  canComment = false,
  onComment,
  suggesting = false,
  authors,
  onUnsupported,
  decisionsKey = '',
}: Props) {
  const { t, i18n } = useTranslation();
  const activateRef = useRef<(id: string) => void>(() => undefined);
  activateRef.current = (id) => onActivateThread?.(id);
  const suggestSettings = useRef<SuggestSettings>({ suggesting, author: user.id, authors: authors ?? new Map(), onUnsupported: () => undefined });
  suggestSettings.current.suggesting = suggesting;
  suggestSettings.current.author = user.id;
  suggestSettings.current.onUnsupported = (what) => onUnsupported?.(what);
  suggestSettings.current.timeOf = (author, id) => suggestionTimeIn(connection.doc, author, id);
  suggestSettings.current.describeFormat = (change) => describeFormatChange(t, change);
  suggestSettings.current.describeStructure = (change) => describeStructureChange(t, change);
  suggestSettings.current.describeTime = (ms) => formatDateTime(ms, i18n.language);
  suggestSettings.current.formerAuthor = t('suggestions.formerMember');

  const editor = useEditor(
    {
      extensions: [
        ...sectionExtensions(),
        Collaboration.configure({ fragment: getSectionBody(connection.doc) }),
        CollaborationCaret.configure({ provider: connection.provider, user, render: caretRenderer((name) => t('orgs.nameUnverified', { name })) }),
        CommentHighlights.configure({ onActivate: activateRef }),
        SuggestChanges.configure({ settings: suggestSettings }),
      ],
      editable,
      immediatelyRender: true,
      shouldRerenderOnTransaction: false,
      editorProps: {
        attributes: {
          class: 'prose',
          role: 'textbox',
          'aria-multiline': 'true',
          'aria-label': t('editor.label', { title }),
        },
      },
    },
    [connection],
  );

  useEffect(() => {
    if (editor && editor.isEditable !== editable) editor.setEditable(editable);
  }, [editor, editable]);

  // Opening a section from within the app (the outline, a link) puts the person in its text, as a
  // document opens in a word processor: focus would otherwise stay on the link they left, in the
  // outline, and a keyboard or screen reader user would have to find the text again. A page
  // loaded from its address is left to the browser, which starts at the top of the page (router
  // key "default") as on any page. Once per visit (an editor shown again without the person going
  // anywhere, as when a section comes back from the bin, leaves focus where it is), and not when
  // they have since moved on to something else (the editor appears only once the text arrived).
  const location = useLocation();
  useEffect(() => {
    if (!editor || editor.isDestroyed || focusedVisit === location.key || location.key === 'default') return;
    focusedVisit = location.key;
    const active = document.activeElement;
    if (!active || active === document.body || active.closest('nav')) editor.commands.focus(null, { scrollIntoView: false });
  }, [editor, location.key]);

  useEffect(() => {
    if (!editor) return;
    editor.setOptions({
      editorProps: {
        attributes: {
          class: 'prose',
          role: 'textbox',
          'aria-multiline': 'true',
          'aria-readonly': editable ? 'false' : 'true',
          'aria-label': t('editor.label', { title }),
        },
      },
    });
  }, [editor, editable, title, t]);

  useEffect(() => {
    if (editor) setHighlights(editor, highlights ?? [], activeThreadId);
  }, [editor, highlights, activeThreadId]);

  // A thread brought into focus ("Show these words in the text", a link to it) shows its words:
  // scrolled below the sticky status bar and toolbar, once, as it is activated. Its highlight may
  // be drawn only when the threads arrive (from a link): tried again then.
  const revealed = useRef<string | null>(null);
  useEffect(() => {
    if (!activeThreadId) revealed.current = null;
    if (!editor || editor.isDestroyed || !activeThreadId || revealed.current === activeThreadId) return;
    const words = editor.view.dom.querySelector('.comment-highlight--active');
    if (!words) return;
    revealed.current = activeThreadId;
    // After the thread list has scrolled the thread itself into view (the same commit).
    requestAnimationFrame(() => words.isConnected && revealBelowSticky(words));
  }, [editor, highlights, activeThreadId]);

  // Undo must not reach past a decision or a change of mode: undoing one's typing after the
  // suggestion was accepted or rejected on the server, or undoing direct edits from Suggesting (or
  // suggestions from Editing), gives an update the server refuses. Start the undo history afresh.
  // Only then: the record of decisions is fetched again after every reconnect, and a person's own
  // history must survive a dropped connection (keyed on what was decided, not on when it was read).
  useEffect(() => {
    if (!editor || editor.isDestroyed) return;
    const undoManager = (yUndoPluginKey.getState(editor.state) as { undoManager?: { clear: () => void; undoStack: unknown[]; redoStack: unknown[] } } | undefined)?.undoManager;
    if (!undoManager || (undoManager.undoStack.length === 0 && undoManager.redoStack.length === 0)) return;
    undoManager.clear();
    // The toolbar reads Undo and Redo on the editor's transactions: tell it, or Undo stays on and does nothing.
    editor.view.dispatch(editor.state.tr.setMeta('addToHistory', false));
  }, [editor, suggesting, decisionsKey]);

  // The server's times of suggestions arrive after the words: redraw the titles that show them.
  useEffect(() => {
    if (!editor) return;
    const doc = connection.doc;
    const onTransaction = (tr: Y.Transaction) => {
      const times = doc.share.get(SUGGESTION_TIMES_KEY);
      // After the Yjs transaction, not inside it (the editor binding is still applying it).
      if (times && tr.changed.has(times)) setTimeout(() => !editor.isDestroyed && refreshSuggestionColours(editor.view));
    };
    doc.on('afterTransaction', onTransaction);
    return () => doc.off('afterTransaction', onTransaction);
  }, [editor, connection]);

  useEffect(() => {
    suggestSettings.current.authors = authors ?? new Map();
    if (editor && !editor.isDestroyed) refreshSuggestionColours(editor.view);
  }, [editor, authors]);

  const contentRef = useRef<HTMLDivElement>(null);
  useFittedCaretLabels(editor, contentRef);

  const startComment = () => {
    if (!editor || !onComment) return;
    const anchor = anchorFromSelection(editor);
    if (!anchor) return;
    onComment(anchor);
    // The words are chosen: collapse the selection so the button goes while the comment is written.
    editor.commands.setTextSelection(editor.state.selection.to);
  };

  if (!editor) return null;
  return (
    <div className={`editor${editable ? '' : ' editor--readonly'}${suggesting && editable ? ' editor--suggesting' : ''}`}>
      {editable && <Toolbar editor={editor} disabled={!editable} suggesting={suggesting} onComment={canComment && onComment ? startComment : undefined} />}
      <div className="editor__content" data-testid="section-editor" ref={contentRef}>
        <EditorContent editor={editor} />
        {canComment && onComment && <FloatingCommentButton editor={editor} onClick={startComment} />}
      </div>
    </div>
  );
}

/** A small "Comment" button beside selected words (also in read-only text, for commenters). */
function FloatingCommentButton({ editor, onClick }: { editor: Editor; onClick: () => void }) {
  const { t } = useTranslation();
  const sel = useEditorState({
    editor,
    selector: ({ editor: e }) => {
      const { from, to, empty } = e.state.selection;
      return { from, to, empty: empty || !e.state.doc.textBetween(from, to, ' ').trim() };
    },
  });
  if (sel.empty || editor.isDestroyed) return null;
  let top = 0;
  let left = 0;
  try {
    const view = editor.view;
    const host = view.dom.parentElement?.parentElement;
    const end = view.coordsAtPos(sel.to);
    const box = host?.getBoundingClientRect();
    if (box) {
      top = end.bottom - box.top + 4;
      left = Math.max(0, Math.min(end.left - box.left, box.width - 120));
    }
  } catch {
    return null;
  }
  return (
    <button
      type="button"
      className="button button--primary button--small comment-float"
      style={{ top, left }}
      onMouseDown={(e) => e.preventDefault()}
      onClick={onClick}
      data-testid="comment-button"
    >
      {t('comments.commentButton')}
    </button>
  );
}
