import { Extension, type Editor } from '@tiptap/core';
import { Plugin, PluginKey, Selection, type EditorState } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import { absolutePositionToRelativePosition, relativePositionToAbsolutePosition, ySyncPluginKey } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import { CommentLimits, type CommentAnchor } from '../../shared/api/index.ts';

/** What the highlight plugin needs of a thread: its id and its two encoded relative positions. */
export interface HighlightThread {
  id: string;
  start: string;
  end: string;
}

interface DecodedThread {
  id: string;
  start: Y.RelativePosition;
  end: Y.RelativePosition;
}

interface HighlightState {
  threads: DecodedThread[];
  activeId: string | null;
  decorations: DecorationSet;
}

interface HighlightMeta {
  threads?: HighlightThread[];
  activeId?: string | null;
}

interface YSyncState {
  type: Y.XmlFragment;
  doc: Y.Doc;
  binding: { mapping: Map<Y.AbstractType<unknown>, unknown> } | null;
}

export const commentHighlightKey = new PluginKey<HighlightState>('comment-highlights');

export function bytesToBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]!);
  return btoa(s);
}

export function base64ToBytes(b64: string): Uint8Array {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

function ySync(state: EditorState): YSyncState | null {
  const s = ySyncPluginKey.getState(state) as YSyncState | undefined;
  return s && s.binding ? s : null;
}

/**
 * The anchor of the current selection: CRDT positions (not offsets), so the range follows
 * everyone's later edits. Null when nothing is selected or the binding is not ready.
 */
export function anchorFromSelection(editor: Editor): CommentAnchor | null {
  const { state } = editor;
  const { from, to, empty } = state.selection;
  if (empty) return null;
  const ys = ySync(state);
  if (!ys || !ys.binding) return null;
  const mapping = ys.binding.mapping as Parameters<typeof absolutePositionToRelativePosition>[2];
  const start = stickRight(ys.doc, absolutePositionToRelativePosition(from, ys.type, mapping) as Y.RelativePosition);
  const end = absolutePositionToRelativePosition(to, ys.type, mapping) as Y.RelativePosition;
  const quote = state.doc.textBetween(from, to, ' ').slice(0, CommentLimits.quoteLength);
  if (!quote.trim()) return null;
  return {
    start: bytesToBase64(Y.encodeRelativePosition(start)),
    end: bytesToBase64(Y.encodeRelativePosition(end)),
    quote,
  };
}

/**
 * y-tiptap anchors text positions to the character on their left (assoc -1), so words typed just
 * before a range would join it. The start of a commented range instead sticks to its first
 * character: typing before the commented words leaves them as they were.
 */
function stickRight(doc: Y.Doc, rel: Y.RelativePosition): Y.RelativePosition {
  const abs = Y.createAbsolutePositionFromRelativePosition(rel, doc);
  if (!abs || !(abs.type instanceof Y.XmlText) || abs.index >= abs.type.length) return rel;
  return Y.createRelativePositionFromTypeIndex(abs.type, abs.index, 0);
}

function decode(threads: HighlightThread[]): DecodedThread[] {
  const out: DecodedThread[] = [];
  for (const t of threads) {
    try {
      out.push({ id: t.id, start: Y.decodeRelativePosition(base64ToBytes(t.start)), end: Y.decodeRelativePosition(base64ToBytes(t.end)) });
    } catch {
      // An anchor this client cannot read is simply not highlighted.
    }
  }
  return out;
}

/**
 * ProseMirror position of a relative position. The stored position is first resolved in the
 * current Yjs document, then re-expressed against its text's index: y-tiptap discards
 * character-anchored positions that land at the very start of the document (a drag-and-drop
 * heuristic), which would hide a comment on the first words of a section.
 */
function toAbsolute(ys: YSyncState, rel: Y.RelativePosition, mapping: Parameters<typeof relativePositionToAbsolutePosition>[3]): number | null {
  let current = rel;
  const abs = Y.createAbsolutePositionFromRelativePosition(rel, ys.doc);
  if (!abs) return null;
  if (abs.type instanceof Y.XmlText) current = Y.createRelativePositionFromTypeIndex(abs.type, abs.index, -1);
  return relativePositionToAbsolutePosition(ys.doc, ys.type, current, mapping);
}

/** Absolute ProseMirror range of a thread in this state, or null when its words are gone. */
function resolveRange(state: EditorState, ys: YSyncState, t: DecodedThread): { from: number; to: number } | null {
  const mapping = ys.binding!.mapping as Parameters<typeof relativePositionToAbsolutePosition>[3];
  const from = toAbsolute(ys, t.start, mapping);
  const to = toAbsolute(ys, t.end, mapping);
  if (from === null || to === null || to <= from) return null;
  const size = state.doc.content.size;
  const a = Math.max(0, Math.min(from, size));
  const b = Math.max(0, Math.min(to, size));
  return b > a ? { from: a, to: b } : null;
}

function build(state: EditorState, threads: DecodedThread[], activeId: string | null): DecorationSet {
  const ys = ySync(state);
  if (!ys || !ys.binding || ys.binding.mapping.size === 0) return DecorationSet.empty;
  const decorations: Decoration[] = [];
  for (const t of threads) {
    const range = resolveRange(state, ys, t);
    if (!range) continue;
    const active = t.id === activeId;
    decorations.push(
      Decoration.inline(
        range.from,
        range.to,
        {
          class: `comment-highlight${active ? ' comment-highlight--active' : ''}`,
          'data-testid': 'comment-highlight',
          'data-thread-id': t.id,
        },
        { threadId: t.id },
      ),
    );
  }
  return DecorationSet.create(state.doc, decorations);
}

export interface CommentHighlightOptions {
  /** Called with the thread id when a person clicks highlighted words. */
  onActivate: { current: (threadId: string) => void };
}

/**
 * Highlights the ranges of open, attached threads. Positions are re-read from the Yjs relative
 * positions on every transaction whose Yjs mapping is current (remote changes, selection moves,
 * thread updates); for a local edit, whose mapping the binding updates only after the transaction,
 * the previous highlights are mapped through the edit instead.
 */
export const CommentHighlights = Extension.create<CommentHighlightOptions>({
  name: 'commentHighlights',
  addOptions() {
    return { onActivate: { current: () => undefined } };
  },
  addProseMirrorPlugins() {
    const options = this.options;
    return [
      new Plugin<HighlightState>({
        key: commentHighlightKey,
        state: {
          init: () => ({ threads: [], activeId: null, decorations: DecorationSet.empty }),
          apply(tr, prev, _old, next) {
            const meta = tr.getMeta(commentHighlightKey) as HighlightMeta | undefined;
            const yMeta = tr.getMeta(ySyncPluginKey) as { isChangeOrigin?: boolean } | undefined;
            const threads = meta?.threads ? decode(meta.threads) : prev.threads;
            const activeId = meta && 'activeId' in meta ? (meta.activeId ?? null) : prev.activeId;
            if (threads.length === 0) return { threads, activeId, decorations: DecorationSet.empty };
            if (tr.docChanged && !yMeta?.isChangeOrigin && !meta) {
              return { threads, activeId, decorations: prev.decorations.map(tr.mapping, tr.doc) };
            }
            return { threads, activeId, decorations: build(next, threads, activeId) };
          },
        },
        props: {
          decorations(state) {
            return commentHighlightKey.getState(state)?.decorations ?? DecorationSet.empty;
          },
          handleClick(view, pos, event) {
            const target = event.target instanceof Element ? event.target.closest('[data-thread-id]') : null;
            const id = target?.getAttribute('data-thread-id');
            if (!id || !view.dom.contains(target)) return false;
            // The browser has put the caret where the person clicked, but ProseMirror reads it only
            // on the coming "selectionchange". Activating the thread redraws the highlights at once,
            // and that redraw would write ProseMirror's older selection back (on a first click, the
            // start of the section's heading). Take the clicked place first, as the browser shows it.
            const clicked = Selection.near(view.state.doc.resolve(pos));
            if (!view.state.selection.eq(clicked)) view.dispatch(view.state.tr.setSelection(clicked).setMeta('pointer', true));
            options.onActivate.current(id);
            return false;
          },
        },
      }),
    ];
  },
});

/** Tells the highlight plugin which threads to show and which one is active. */
export function setHighlights(editor: Editor, threads: HighlightThread[], activeId: string | null) {
  if (editor.isDestroyed) return;
  editor.view.dispatch(editor.state.tr.setMeta(commentHighlightKey, { threads, activeId } satisfies HighlightMeta).setMeta('addToHistory', false));
}
