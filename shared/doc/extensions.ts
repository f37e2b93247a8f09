import type { Extensions } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import { TableKit } from '@tiptap/extension-table';
import { BlockProposal, SuggestedParagraph, SuggestionDelete, SuggestionFormat, SuggestionInsert, SuggestionSplit } from './suggestionMarks.ts';

/**
 * The TipTap extensions that define what a section may contain. The browser editor adds the
 * collaboration extensions on top; the server uses this list alone to read documents (export,
 * validation), so both sides agree on one schema.
 */
export function sectionExtensions(): Extensions {
  return [
    StarterKit.configure({
      // The Yjs undo manager replaces StarterKit's history: it undoes only the person's own edits.
      undoRedo: false,
      link: { openOnClick: false, autolink: true },
      // The trailing-node plugin appends an empty paragraph from every client that renders a
      // section ending in a list or table (one each, concurrently), and writes it in the name of
      // whoever is looking, including people who may only suggest. The gap cursor reaches the end.
      trailingNode: false,
    }),
    TableKit.configure({ table: { resizable: false } }),
    SuggestionInsert,
    SuggestionDelete,
    SuggestionFormat,
    SuggestionSplit,
    SuggestedParagraph,
    BlockProposal,
  ];
}
