import { Extension } from '@tiptap/core';
import type { Node as PMNode } from '@tiptap/pm/model';
import { Plugin, PluginKey, type Transaction } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import { ySyncPluginKey } from '@tiptap/y-tiptap';
import { isFormatChange, type FormatChange } from '../../shared/doc/formatProposal.ts';
import { BLOCK_PROPOSAL_ATTR, blockChangeOf, SUGGEST_SPLIT, type StructureChange } from '../../shared/doc/blockProposal.ts';
import { decodeBlockProposal, decodeBlockSuggestion, SUGGEST_DELETE, SUGGEST_FORMAT, SUGGEST_INSERT, SUGGESTED_BLOCK_ATTR } from '../../shared/doc/suggestions.ts';
import { plainInsertions, proposeParagraph, SUGGESTION_META, suggestTransaction, withdrawEmptyParagraph, type Unsupported } from './suggestTransform.ts';
import { proposeJoin, proposeSplit, proposeStructure, withdrawSplit, type StructureRequest } from './suggestBlocks.ts';

declare module '@tiptap/core' {
  interface Commands<ReturnType> {
    suggestChanges: {
      /** Suggesting mode: proposes a heading level or list type for the selected blocks (suggestBlocks.ts). */
      proposeStructure: (request: StructureRequest) => ReturnType;
    };
  }
}

export interface SuggestionAuthor {
  name: string;
  organisation: string;
  color: string;
}

/** Mutable settings the page changes without recreating the editor. */
export interface SuggestSettings {
  suggesting: boolean;
  /** The signed-in person's user id: the author of their suggestions. */
  author: string;
  authors: Map<string, SuggestionAuthor>;
  onUnsupported: (what: Exclude<Unsupported, null>) => void;
  /** When the server first stored a suggestion (shared/doc/suggestionTimes.ts), or null until it has. */
  timeOf?: (author: string, id: string) => number | null;
  /** How a proposed change of formatting reads ("Make bold"), in the person's language. */
  describeFormat?: (change: FormatChange) => string;
  /** How a proposed change of structure reads ("Make heading 2"), in the person's language. */
  describeStructure?: (change: StructureChange) => string;
}

const colourKey = new PluginKey<DecorationSet>('suggestion-colours');
const REFRESH = 'suggestionColoursRefresh';

/**
 * A change that came from the shared document (someone else's edit, or the Yjs undo manager) and
 * must be shown as it is. The key object is the one the Collaboration extension's binding uses:
 * a check by the key's string name would miss it whenever a second "y-sync" key exists.
 */
function fromSharedDocument(tr: Transaction): boolean {
  const meta = tr.getMeta(ySyncPluginKey) as { isChangeOrigin?: boolean } | undefined;
  return meta?.isChangeOrigin === true;
}

/**
 * The default settings holder. A class instance, not a plain object, on purpose: TipTap's
 * configure() deep-merges plain objects of the defaults with the given options, which would copy
 * the page's `{ current }` ref and freeze the settings as they were when the editor was created
 * (switching to Suggesting would then change nothing). Against a non-plain default the page's ref
 * is kept as it is.
 */
class SettingsRef {
  current: SuggestSettings = { suggesting: false, author: '', authors: new Map(), onUnsupported: () => undefined };
}

/**
 * Suggesting mode. While `settings.suggesting` is on, each of the person's edits is rewritten into
 * a suggestion in their name (suggestTransform.ts); anything else that would change the text from
 * this editor (plugins that append changes, such as autolinking) is dropped, since the server
 * refuses a suggesting-only person's update that changes anything outside their suggestions.
 * Remote changes are applied as they are. Suggestions are coloured by their author's organisation.
 * In Editing mode, what the person puts in is stripped of suggestion marks (plainInsertions).
 */
export const SuggestChanges = Extension.create<{ settings: { current: SuggestSettings } }>({
  name: 'suggestChanges',
  // Its Enter and Backspace run before the lists' and paragraphs' own.
  priority: 1000,

  addOptions() {
    return { settings: new SettingsRef() };
  },

  dispatchTransaction({ transaction, next }) {
    const settings = this.options.settings.current;
    if (!transaction.docChanged || fromSharedDocument(transaction) || transaction.getMeta(SUGGESTION_META)) {
      next(transaction);
      return;
    }
    if (!settings.suggesting) {
      // Editing: typing inside someone's proposed words, or pasting them, gives plain text.
      next(plainInsertions(transaction, this.editor.state));
      return;
    }
    const { tr, unsupported } = suggestTransaction(transaction, this.editor.state, settings.author);
    if (unsupported) settings.onUnsupported(unsupported);
    next(tr);
  },

  addCommands() {
    return {
      proposeStructure:
        (request) =>
        ({ tr, dispatch }) => {
          const settings = this.options.settings.current;
          if (!settings.suggesting) return false;
          if (!dispatch) return true;
          const done = proposeStructure(tr, settings.author, request);
          if (!done) settings.onUnsupported('structure');
          tr.setMeta(SUGGESTION_META, true);
          return done;
        },
    };
  },

  addKeyboardShortcuts() {
    const settings = () => this.options.settings.current;
    const suggesting = (run: () => Transaction | null) => () => {
      if (!settings().suggesting) return false;
      const tr = run();
      if (!tr) return false;
      this.editor.view.dispatch(tr.setMeta(SUGGESTION_META, true));
      return true;
    };
    // Heading and list shortcuts propose, as the toolbar's buttons do.
    const structure = (request: StructureRequest) => () => settings().suggesting && (this.editor.commands.proposeStructure(request) || true);
    return {
      Enter: () => {
        if (!settings().suggesting) return false;
        const tr = proposeSplit(this.editor.state, settings().author) ?? proposeParagraph(this.editor.state, settings().author);
        if (tr) this.editor.view.dispatch(tr.setMeta(SUGGESTION_META, true));
        else settings().onUnsupported('structure');
        return true;
      },
      'Mod-Alt-0': structure({ kind: 'heading', level: 0 }),
      'Mod-Alt-1': structure({ kind: 'heading', level: 1 }),
      'Mod-Alt-2': structure({ kind: 'heading', level: 2 }),
      'Mod-Alt-3': structure({ kind: 'heading', level: 3 }),
      'Mod-Shift-7': structure({ kind: 'list', list: 'orderedList' }),
      'Mod-Shift-8': structure({ kind: 'list', list: 'bulletList' }),
      'Shift-Enter': () => {
        if (!settings().suggesting) return false;
        settings().onUnsupported('structure');
        return true;
      },
      Backspace: suggesting(() => {
        const { state } = this.editor;
        const author = settings().author;
        return withdrawEmptyParagraph(state, author) ?? withdrawSplit(state, author) ?? proposeJoin(state, author);
      }),
    };
  },

  addProseMirrorPlugins() {
    const settings = this.options.settings;
    return [
      new Plugin({
        key: new PluginKey('suggesting-guard'),
        filterTransaction(tr) {
          if (!settings.current.suggesting || !tr.docChanged) return true;
          return fromSharedDocument(tr) || tr.getMeta(SUGGESTION_META) === true;
        },
        props: {
          // Typed text goes in as typed: input rules ("- " makes a list, "## " a heading) would
          // change structure, which a suggestion does not carry. This plugin runs before theirs.
          handleTextInput(view, from, to, text) {
            if (!settings.current.suggesting) return false;
            view.dispatch(view.state.tr.insertText(text, from, to));
            return true;
          },
        },
      }),
      new Plugin<DecorationSet>({
        key: colourKey,
        state: {
          init: (_, state) => colourDecorations(state.doc, settings.current),
          apply: (tr, old, _oldState, newState) =>
            tr.docChanged || tr.getMeta(REFRESH) ? colourDecorations(newState.doc, settings.current) : old,
        },
        props: {
          decorations: (state) => colourKey.getState(state),
        },
      }),
    ];
  },
});

/**
 * Redraws suggestion colours and titles after the list of authors (or the server's times) changed.
 * The redraw is a transaction, and a transaction writes the editor's selection back to the page:
 * if the person has just selected other words and the editor has not read that yet (it does on
 * the browser's next selectionchange), their selection would jump back. So the editor reads the
 * page's pending changes first (ProseMirror's DOM observer; not in its typings).
 */
export function refreshSuggestionColours(view: { state: { tr: Transaction }; dispatch: (tr: Transaction) => void }): void {
  (view as { domObserver?: { flush(): void } }).domObserver?.flush();
  view.dispatch(view.state.tr.setMeta(REFRESH, true).setMeta('addToHistory', false));
}

function colourDecorations(doc: PMNode, settings: Pick<SuggestSettings, 'authors' | 'describeFormat' | 'describeStructure' | 'timeOf'>): DecorationSet {
  const { authors, timeOf } = settings;
  const decorations: Decoration[] = [];
  // The time is the server's (never the author's clock in the mark), once the server has it.
  const describe = (author: unknown, id: unknown) => {
    const who = authors.get(String(author));
    const time = timeOf?.(String(author), String(id)) ?? null;
    const when = time === null ? '' : new Date(time).toLocaleString();
    return {
      color: who && /^#[0-9a-fA-F]{6}$/.test(who.color) ? who.color : '#505a5f',
      title: `${who ? `${who.name} · ${who.organisation}` : '?'}${when ? ` · ${when}` : ''}`,
    };
  };
  doc.descendants((node, pos) => {
    const block = node.isBlock ? decodeBlockSuggestion(node.attrs[SUGGESTED_BLOCK_ATTR]) : null;
    if (block) {
      const { color, title } = describe(block.author, block.id);
      decorations.push(Decoration.node(pos, pos + node.nodeSize, { style: `--suggestion-color: ${color}`, title }));
    }
    const proposal = node.isBlock ? decodeBlockProposal(node.attrs[BLOCK_PROPOSAL_ATTR]) : null;
    if (proposal) {
      // What it would do ("Make heading 2") before who proposed it, in the title and for assistive technology.
      const { color, title } = describe(proposal.author, proposal.id);
      const change = settings.describeStructure?.(blockChangeOf(proposal)) ?? '';
      decorations.push(
        Decoration.node(pos, pos + node.nodeSize, {
          style: `--suggestion-color: ${color}`,
          title: change ? `${change} · ${title}` : title,
          'data-structure-change': change,
          'aria-description': change ? `${change} · ${title}` : title,
        }),
      );
    }
    if (!node.isText) return true;
    for (const mark of node.marks) {
      if (![SUGGEST_INSERT, SUGGEST_DELETE, SUGGEST_FORMAT, SUGGEST_SPLIT].includes(mark.type.name)) continue;
      const { color, title } = describe(mark.attrs.author, mark.attrs.id);
      // A formatting proposal or a split says what it would do ("Make bold") before who proposed it.
      const change =
        mark.type.name === SUGGEST_FORMAT && isFormatChange(mark.attrs)
          ? settings.describeFormat?.(mark.attrs)
          : mark.type.name === SUGGEST_SPLIT
            ? settings.describeStructure?.({ kind: 'split' })
            : undefined;
      decorations.push(
        Decoration.inline(pos, pos + node.nodeSize, {
          style: `--suggestion-color: ${color}`,
          title: change ? `${change} · ${title}` : title,
          ...(change ? { 'data-format-change': change } : {}),
          'data-suggestion-author': authors.get(String(mark.attrs.author))?.name ?? '',
        }),
      );
    }
    return false;
  });
  return DecorationSet.create(doc, decorations);
}
