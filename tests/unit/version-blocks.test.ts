import { getSchema } from '@tiptap/core';
import { prosemirrorJSONToYXmlFragment } from '@tiptap/y-tiptap';
import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { versionBlocks } from '../../server/services/versions.ts';
import { sectionTextLines } from '../../shared/doc/canonical.ts';
import { sectionExtensions } from '../../shared/doc/extensions.ts';
import { getSectionBody } from '../../shared/doc/schema.ts';
import { encodeBlockSuggestion, SUGGEST_DELETE, SUGGEST_INSERT, SUGGESTED_BLOCK_ATTR } from '../../shared/doc/suggestions.ts';

/** A version's blocks, as its reader shows them, are the lines its hash covers: one each, same text. */

type Json = Record<string, unknown>;
const text = (t: string, ...marks: Json[]): Json => ({ type: 'text', text: t, ...(marks.length ? { marks } : {}) });
const p = (...content: Json[]): Json => ({ type: 'paragraph', ...(content.length ? { content } : {}) });
const li = (...blocks: Json[]): Json => ({ type: 'listItem', content: blocks });
const cell = (type: string, ...content: Json[]): Json => ({ type, content: [p(...content)] });
const tr = (...cells: Json[]): Json => ({ type: 'tableRow', content: cells });

function docOf(content: Json[]): Y.Doc {
  const doc = new Y.Doc();
  prosemirrorJSONToYXmlFragment(getSchema(sectionExtensions()), { type: 'doc', content }, getSectionBody(doc));
  return doc;
}

it('gives each block its kind and the text of its line, through lists, quotes and tables', () => {
  const doc = docOf([
    { type: 'heading', attrs: { level: 2 }, content: [text('Right to life '), text('now', { type: 'bold' })] },
    p(text('Cafe\u0301 first'), { type: 'hardBreak' }, text(' after the break')),
    { type: 'bulletList', content: [li(p(text('one')), { type: 'orderedList', content: [li(p(text('one a')))] }), li(p(text('two')))] },
    { type: 'blockquote', content: [p(text('quoted'))] },
    { type: 'horizontalRule' },
    { type: 'table', content: [tr(cell('tableHeader', text('Who')), cell('tableHeader', text('When'))), tr(cell('tableCell', text('Ministry')), cell('tableCell', text('2027')))] },
  ]);
  expect(versionBlocks(doc)).toEqual([
    { type: 'heading', text: 'Right to life now', level: 2 },
    { type: 'paragraph', text: 'Café first after the break' },
    { type: 'listItem', text: 'one', list: 'bullet', depth: 1 },
    { type: 'listItem', text: 'one a', list: 'ordered', depth: 2 },
    { type: 'listItem', text: 'two', list: 'bullet', depth: 1 },
    { type: 'paragraph', text: 'quoted' },
    { type: 'tableRow', text: 'Who | When', cells: ['Who', 'When'] },
    { type: 'tableRow', text: 'Ministry | 2027', cells: ['Ministry', '2027'] },
  ]);
  expect(versionBlocks(doc).map((b) => b.text)).toEqual(sectionTextLines(doc));
});

it('leaves open suggestions out, as the lines do: proposed words and paragraphs are not yet the text', () => {
  const doc = docOf([p(text('The State will abolish the death penalty.'))]);
  const s = { id: 'sugg-version-1', author: 'u-ngo', at: 1 };
  const words = (getSectionBody(doc).get(0) as Y.XmlElement).get(0) as Y.XmlText;
  words.insert(15, 'fully ', { [SUGGEST_INSERT]: s });
  words.format(0, 4, { [SUGGEST_DELETE]: s });
  const proposed = new Y.XmlElement('paragraph');
  proposed.setAttribute(SUGGESTED_BLOCK_ATTR, encodeBlockSuggestion(s));
  proposed.insert(0, [new Y.XmlText('A proposed paragraph.')]);
  getSectionBody(doc).insert(1, [proposed]);
  expect(versionBlocks(doc)).toEqual([{ type: 'paragraph', text: 'The State will abolish the death penalty.' }]);
  expect(versionBlocks(doc).map((b) => b.text)).toEqual(sectionTextLines(doc));
});
