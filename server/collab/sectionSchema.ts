import { getSchema } from '@tiptap/core';
import type { Schema } from '@tiptap/pm/model';
import * as Y from 'yjs';
import { sectionExtensions } from '../../shared/doc/extensions.ts';
import { getSectionBody } from '../../shared/doc/schema.ts';

let schema: Schema | null = null;

/**
 * Whether a section document is one the editor can show as it is: known nodes and marks only, each
 * where the schema allows it, no embeds. A document that is not would be "repaired" by every
 * browser that opens it, by deleting what does not fit, and those deletions would be stored as
 * that person's edits.
 */
export function fitsEditorSchema(doc: Y.Doc): boolean {
  return blocksFitEditorSchema(getSectionBody(doc).toArray(), true);
}

/**
 * fitsEditorSchema for some of the body's blocks: the section's content is any sequence of
 * blocks, so the blocks fit one by one (`whole`: these are all of them, and none means one empty
 * paragraph).
 */
export function blocksFitEditorSchema(blocks: unknown[], whole = false): boolean {
  schema ??= getSchema(sectionExtensions());
  if (!whole && blocks.length === 0) return true;
  try {
    const content = nodesJSON(blocks);
    // The editor shows an empty body as one empty paragraph.
    const node = schema.nodeFromJSON({ type: 'doc', content: content.length ? content : [{ type: 'paragraph' }] });
    node.check();
    return true;
  } catch {
    return false;
  }
}

type NodeJSON = { type: string; attrs?: Record<string, unknown>; content?: NodeJSON[]; text?: string; marks?: Array<{ type: string; attrs?: unknown }> };

function childrenJSON(parent: Y.XmlFragment | Y.XmlElement): NodeJSON[] {
  return nodesJSON(parent.toArray());
}

function nodesJSON(nodes: unknown[]): NodeJSON[] {
  const out: NodeJSON[] = [];
  for (const child of nodes) {
    if (child instanceof Y.XmlElement) {
      const content = childrenJSON(child);
      out.push({ type: child.nodeName, attrs: child.getAttributes() as Record<string, unknown>, ...(content.length ? { content } : {}) });
    } else if (child instanceof Y.XmlText) {
      for (const op of child.toDelta() as Array<{ insert: unknown; attributes?: Record<string, unknown> }>) {
        if (typeof op.insert !== 'string') throw new Error('embed in text');
        if (op.insert === '') continue;
        const marks = Object.entries(op.attributes ?? {}).map(([type, attrs]) => ({ type, attrs: attrs ?? undefined }));
        out.push({ type: 'text', text: op.insert, ...(marks.length ? { marks } : {}) });
      }
    } else {
      throw new Error('not an editor node');
    }
  }
  return out;
}
