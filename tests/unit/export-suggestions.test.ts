import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { sectionBlocks } from '../../shared/doc/blocks.ts';
import { getSectionBody } from '../../shared/doc/schema.ts';
import { encodeBlockSuggestion, SUGGEST_DELETE, SUGGEST_INSERT, SUGGESTED_BLOCK_ATTR } from '../../shared/doc/suggestions.ts';

/** An export is of the plan's text, not of open proposals to change it. */
describe('exported text with open suggestions', () => {
  it('leaves proposed words out and keeps words proposed for deletion', () => {
    const doc = new Y.Doc();
    const paragraph = new Y.XmlElement('paragraph');
    const text = new Y.XmlText();
    paragraph.insert(0, [text]);
    getSectionBody(doc).insert(0, [paragraph]);
    text.insert(0, 'Torture is prohibited.');
    text.format(11, 10, { [SUGGEST_DELETE]: { id: 'sugg-0001', author: 'u1', at: 1 } });
    text.insert(21, 'absolutely prohibited', { [SUGGEST_INSERT]: { id: 'sugg-0001', author: 'u1', at: 1 } });
    const blocks = sectionBlocks(doc);
    expect(blocks).toHaveLength(1);
    const words = (blocks[0] as { inlines: Array<{ text: string }> }).inlines.map((i) => i.text).join('');
    expect(words).toBe('Torture is prohibited.');
  });

  it('leaves out a proposed paragraph', () => {
    const doc = new Y.Doc();
    const kept = new Y.XmlElement('paragraph');
    kept.insert(0, [new Y.XmlText('Kept.')]);
    const proposed = new Y.XmlElement('paragraph');
    proposed.setAttribute(SUGGESTED_BLOCK_ATTR, encodeBlockSuggestion({ id: 'sugg-0002', author: 'u1', at: 1 }));
    const text = new Y.XmlText();
    proposed.insert(0, [text]);
    getSectionBody(doc).insert(0, [kept, proposed]);
    text.insert(0, 'Proposed.', { [SUGGEST_INSERT]: { id: 'sugg-0002', author: 'u1', at: 1 } });
    expect(sectionBlocks(doc)).toHaveLength(1);
  });
});
