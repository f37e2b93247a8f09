import { Extension, Mark, mergeAttributes } from '@tiptap/core';
import { SUGGEST_DELETE, SUGGEST_FORMAT, SUGGEST_INSERT, SUGGESTED_BLOCK_ATTR, type SuggestionAttrs } from './suggestions.ts';

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
 * A paragraph or list item proposed as a whole (Enter in suggesting mode). Not kept when a paragraph is split:
 * the next paragraph someone starts after a proposed one is not itself proposed.
 */
export const SuggestedParagraph = Extension.create({
  name: 'suggestedParagraph',
  addGlobalAttributes() {
    return [
      {
        types: ['paragraph', 'listItem'],
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
