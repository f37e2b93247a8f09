import type { Extensions } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import { TableKit } from '@tiptap/extension-table';

/**
 * The TipTap extensions that define what a section may contain. The browser editor adds the
 * collaboration extensions on top; the server uses this list alone to read documents (export,
 * validation), so both sides agree on one schema.
 */
export function sectionExtensions(): Extensions {
  return [
    // The Yjs undo manager replaces StarterKit's history: it undoes only the person's own edits.
    StarterKit.configure({ undoRedo: false, link: { openOnClick: false, autolink: true } }),
    TableKit.configure({ table: { resizable: false } }),
  ];
}
