import { Extension, Mark, mergeAttributes } from '@tiptap/core';
import { SUGGEST_DELETE, SUGGEST_FORMAT, SUGGEST_INSERT, SUGGESTED_BLOCK_ATTR, type SuggestionAttrs } from './suggestions.ts';
import { BLOCK_PROPOSAL_ATTR, BLOCK_PROPOSAL_NODES, SUGGEST_SPLIT } from './blockProposal.ts';

/**
 * The two suggestion marks in the editor schema (see suggestions.ts for what they mean). A run of
 * text carries at most one of them, and typing at a suggestion's edge does not extend it: only the
 * suggesting transform (client/editor/suggestChanges.ts) adds them, in the typist's own name.
 */
function suggestionMark(name: typeof SUGGEST_INSERT | typeof SUGGEST_DELETE, tag: 'ins' | 'del') {
  return Mark.create({
    name,
    inclusive: false,
    excludes: `${SUGGEST_INSERT} ${SUGGEST_DELETE}`,
    addAttributes() {
      const attr = (key: keyof SuggestionAttrs, parse: (v: string) => unknown) => ({
        default: null,
        parseHTML: (el: HTMLElement) => {
          const v = el.getAttribute(`data-suggestion-${key}`);
          return v === null ? null : parse(v);
        },
        renderHTML: (attrs: Record<string, unknown>) => ({ [`data-suggestion-${key}`]: String(attrs[key] ?? '') }),
      });
      return { id: attr('id', String), author: attr('author', String), at: attr('at', Number) };
    },
    parseHTML() {
      return [{ tag: `${tag}[data-suggestion-id]` }];
    },
    renderHTML({ HTMLAttributes }) {
      return [tag, mergeAttributes(HTMLAttributes, { class: `suggestion suggestion--${tag}` }), 0];
    },
  });
}

export const SuggestionInsert = suggestionMark(SUGGEST_INSERT, 'ins');
export const SuggestionDelete = suggestionMark(SUGGEST_DELETE, 'del');

/**
 * A proposed change of formatting on existing words (formatProposal.ts): shown with a dotted
 * underline and a note of the change; the words keep their formatting until it is accepted.
 * Typing at its edge does not extend it, and a run carries one such proposal at a time.
 */
export const SuggestionFormat = Mark.create({
  name: SUGGEST_FORMAT,
  inclusive: false,
  addAttributes() {
    const attr = (key: string, parse: (v: string) => unknown) => ({
      default: null,
      parseHTML: (el: HTMLElement) => {
        const v = el.getAttribute(`data-suggestion-${key}`);
        return v === null ? null : parse(v);
      },
      renderHTML: (attrs: Record<string, unknown>) => (attrs[key] == null ? {} : { [`data-suggestion-${key}`]: String(attrs[key]) }),
    });
    return {
      id: attr('id', String),
      author: attr('author', String),
      at: attr('at', Number),
      mark: attr('mark', String),
      set: attr('set', (v) => v === 'true'),
      href: attr('href', String),
    };
  },
  parseHTML() {
    return [{ tag: 'span[data-suggestion-mark]' }];
  },
  renderHTML({ HTMLAttributes }) {
    return ['span', mergeAttributes(HTMLAttributes, { class: 'suggestion suggestion--format' }), 0];
  },
});

/**
 * A proposed split (blockProposal.ts): on the first character of what would be the new paragraph,
 * shown as a pilcrow before it. Typing next to it does not extend it.
 */
export const SuggestionSplit = Mark.create({
  name: SUGGEST_SPLIT,
  inclusive: false,
  addAttributes() {
    const attr = (key: keyof SuggestionAttrs, parse: (v: string) => unknown) => ({
      default: null,
      parseHTML: (el: HTMLElement) => {
        const v = el.getAttribute(`data-split-${key}`);
        return v === null ? null : parse(v);
      },
      renderHTML: (attrs: Record<string, unknown>) => ({ [`data-split-${key}`]: String(attrs[key] ?? '') }),
    });
    return { id: attr('id', String), author: attr('author', String), at: attr('at', Number) };
  },
  parseHTML() {
    return [{ tag: 'span[data-split-id]' }];
  },
  renderHTML({ HTMLAttributes }) {
    return ['span', mergeAttributes(HTMLAttributes, { class: 'suggestion suggestion--split' }), 0];
  },
});

/**
 * A proposed change of a block's structure (blockProposal.ts): a heading's level, a list's type, a
 * paragraph joined to the one before. The block keeps its structure until someone accepts.
 */
export const BlockProposal = Extension.create({
  name: 'blockProposal',
  addGlobalAttributes() {
    return [
      {
        types: BLOCK_PROPOSAL_NODES,
        attributes: {
          [BLOCK_PROPOSAL_ATTR]: {
            default: null,
            // Splitting a block leaves the proposal on its first part only.
            keepOnSplit: false,
            parseHTML: (el: HTMLElement) => el.getAttribute('data-proposal'),
            renderHTML: (attrs: Record<string, unknown>) =>
              typeof attrs[BLOCK_PROPOSAL_ATTR] === 'string' ? { 'data-proposal': attrs[BLOCK_PROPOSAL_ATTR], class: 'suggestion-structure' } : {},
          },
        },
      },
    ];
  },
});

/**
 * A paragraph, heading or list item proposed as a whole (Enter in suggesting mode; a proposed
 * paragraph its author made a heading stays proposed). Not kept when a paragraph is split:
 * the next paragraph someone starts after a proposed one is not itself proposed.
 */
export const SuggestedParagraph = Extension.create({
  name: 'suggestedParagraph',
  addGlobalAttributes() {
    return [
      {
        types: ['paragraph', 'heading', 'listItem'],
        attributes: {
          [SUGGESTED_BLOCK_ATTR]: {
            default: null,
            keepOnSplit: false,
            parseHTML: (el: HTMLElement) => el.getAttribute('data-suggestion'),
            renderHTML: (attrs: Record<string, unknown>) =>
              typeof attrs[SUGGESTED_BLOCK_ATTR] === 'string' ? { 'data-suggestion': attrs[SUGGESTED_BLOCK_ATTR], class: 'suggestion-block' } : {},
          },
        },
      },
    ];
  },
});
