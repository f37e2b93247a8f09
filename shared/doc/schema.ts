import * as Y from 'yjs';

/**
 * The shape of every section's Yjs document, defined once.
 *
 * A section document holds its drafted text as a ProseMirror-compatible XML fragment (the shape
 * `@tiptap/y-tiptap` reads and writes). Nothing outside this module names a root type by string.
 *
 * Bump DOC_SCHEMA_VERSION whenever the shape changes: clients send theirs on connect and the server
 * refuses an outdated tab (CloseCode.OutdatedClient) so it cannot write an old shape.
 */
export const DOC_SCHEMA_VERSION = 2;
// 2: proposed changes of structure (the `proposal` block attribute, the `suggestionSplit` mark). A
// tab from before would not know the mark, and its editor binding deletes text it cannot show.

/** Root XML fragment holding the section's rich text. */
export const SECTION_BODY_FIELD = 'body';

export function getSectionBody(doc: Y.Doc): Y.XmlFragment {
  return doc.getXmlFragment(SECTION_BODY_FIELD);
}

const SECTION_DOC_PREFIX = 'section.';
const ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;

export function sectionDocName(sectionId: string): string {
  return SECTION_DOC_PREFIX + sectionId;
}

export type ParsedDocName = { kind: 'section'; sectionId: string };

/** Parses a document name from the wire; anything unexpected is null (and refused). */
export function parseDocName(name: string): ParsedDocName | null {
  if (!name.startsWith(SECTION_DOC_PREFIX)) return null;
  const id = name.slice(SECTION_DOC_PREFIX.length);
  return ID_PATTERN.test(id) ? { kind: 'section', sectionId: id } : null;
}

/** Plain blocks used to seed a section on the server (sample plan, imports). */
export type SeedBlock =
  | { type: 'heading'; level: 1 | 2 | 3; text: string }
  | { type: 'paragraph'; text: string }
  | { type: 'bulletList'; items: string[] };

function paragraph(text: string): Y.XmlElement {
  const el = new Y.XmlElement('paragraph');
  if (text) el.insert(0, [new Y.XmlText(text)]);
  return el;
}

/**
 * Appends blocks to a section body. Call it only on the server, inside the transaction that
 * records the document's creation, so content is seeded exactly once (seeding twice would be
 * merged by the CRDT, not replaced).
 */
export function appendBlocks(doc: Y.Doc, blocks: SeedBlock[]): void {
  const body = getSectionBody(doc);
  const nodes = blocks.map((block) => {
    switch (block.type) {
      case 'heading': {
        const el = new Y.XmlElement('heading');
        el.setAttribute('level', block.level as unknown as string);
        el.insert(0, [new Y.XmlText(block.text)]);
        return el;
      }
      case 'paragraph':
        return paragraph(block.text);
      case 'bulletList': {
        const list = new Y.XmlElement('bulletList');
        list.insert(
          0,
          block.items.map((item) => {
            const li = new Y.XmlElement('listItem');
            li.insert(0, [paragraph(item)]);
            return li;
          }),
        );
        return list;
      }
    }
  });
  doc.transact(() => body.insert(body.length, nodes));
}

const BLOCK_NODES = new Set([
  'paragraph',
  'heading',
  'listItem',
  'tableRow',
  'blockquote',
  'codeBlock',
  'horizontalRule',
]);

/** The section's text with one line per block (a table row is one line, cells separated by tabs): for search, previews and tests. */
export function sectionPlainText(doc: Y.Doc): string {
  const lines: string[] = [];
  let current = '';
  let inCell = 0;
  const flush = () => {
    lines.push(current);
    current = '';
  };
  const walk = (node: Y.XmlElement | Y.XmlFragment | Y.XmlText) => {
    if (node instanceof Y.XmlText) {
      for (const op of node.toDelta() as Array<{ insert: unknown }>) {
        if (typeof op.insert === 'string') current += op.insert;
      }
      return;
    }
    const name = node instanceof Y.XmlElement ? node.nodeName : '';
    const isCell = name === 'tableCell' || name === 'tableHeader';
    if (isCell) inCell++;
    let blocksInCell = 0;
    for (const child of node.toArray()) {
      // Only elements and text are the editor's; anything else a client put here is not text.
      if (child instanceof Y.XmlHook || !(child instanceof Y.XmlElement || child instanceof Y.XmlText)) continue;
      // Several paragraphs in one cell stay on the row's line.
      if (isCell && child instanceof Y.XmlElement && BLOCK_NODES.has(child.nodeName) && blocksInCell++ > 0) current += ' ';
      walk(child);
    }
    if (isCell) {
      inCell--;
      current += '\t';
    } else if (name === 'tableRow') {
      current = current.replace(/\t$/, '');
      flush();
    } else if (inCell === 0 && BLOCK_NODES.has(name) && !(name === 'listItem' && current === '')) flush();
  };
  walk(getSectionBody(doc));
  if (current) flush();
  return lines.join('\n').replace(/\n+$/, '');
}
