import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { getSchema } from '@tiptap/core';
import {
  appendBlocks,
  DOC_SCHEMA_VERSION,
  getSectionBody,
  parseDocName,
  SECTION_BODY_FIELD,
  sectionDocName,
  sectionPlainText,
} from '../../shared/doc/schema.ts';
import { sectionExtensions } from '../../shared/doc/extensions.ts';

describe('section document schema', () => {
  it('pins the shape: version, root field and document names', () => {
    // Changing any of these breaks stored documents and open tabs: bump DOC_SCHEMA_VERSION.
    expect(DOC_SCHEMA_VERSION).toBe(2);
    expect(SECTION_BODY_FIELD).toBe('body');
    expect(sectionDocName('abcdefgh1234')).toBe('section.abcdefgh1234');
    const doc = new Y.Doc();
    expect(getSectionBody(doc)).toBe(doc.getXmlFragment('body'));
  });

  it('parses only well-formed document names', () => {
    expect(parseDocName('section.abcDEF_-12345')).toEqual({ kind: 'section', sectionId: 'abcDEF_-12345' });
    for (const bad of ['', 'section.', 'section.short', 'plan.abcdefgh1234', 'section.abc/../../x', 'section.' + 'a'.repeat(65)]) {
      expect(parseDocName(bad)).toBeNull();
    }
  });

  it('seeds blocks the editor schema accepts, and reads them back as text', () => {
    const doc = new Y.Doc();
    appendBlocks(doc, [
      { type: 'heading', level: 2, text: 'Death penalty' },
      { type: 'paragraph', text: 'Recommendations this section responds to:' },
      { type: 'bulletList', items: ['BLR-C1-97.1a — first', 'BLR-C1-98.16a — second'] },
    ]);
    expect(sectionPlainText(doc)).toBe(
      'Death penalty\nRecommendations this section responds to:\nBLR-C1-97.1a — first\nBLR-C1-98.16a — second',
    );
    // Every node name used by the seed exists in the shared TipTap schema.
    const schema = getSchema(sectionExtensions());
    const names = new Set<string>();
    const walk = (n: Y.XmlElement | Y.XmlFragment) => {
      for (const c of n.toArray()) if (c instanceof Y.XmlElement) (names.add(c.nodeName), walk(c));
    };
    walk(getSectionBody(doc));
    for (const name of names) expect(schema.nodes[name], name).toBeDefined();
  });

  it('seeding twice doubles content, which is why only the server seeds, once', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    appendBlocks(a, [{ type: 'paragraph', text: 'Seed' }]);
    appendBlocks(b, [{ type: 'paragraph', text: 'Seed' }]);
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    expect(sectionPlainText(a)).toBe('Seed\nSeed');
  });
});
