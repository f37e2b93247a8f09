import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { openDatabase } from '../../server/db/database.ts';
import { DocumentStore } from '../../server/storage/DocumentStore.ts';
import { appendBlocks, getSectionBody, sectionPlainText } from '../../shared/doc/schema.ts';

function docFrom(updates: Uint8Array[]): Y.Doc {
  const doc = new Y.Doc();
  for (const u of updates) Y.applyUpdate(doc, u);
  return doc;
}

describe('DocumentStore', () => {
  it('creates a document with its seed once, and refuses to create it twice', () => {
    const store = new DocumentStore(openDatabase(':memory:'));
    store.create('section.aaaaaaaa', (d) => appendBlocks(d, [{ type: 'paragraph', text: 'Seed' }]));
    expect(() => store.create('section.aaaaaaaa', (d) => appendBlocks(d, [{ type: 'paragraph', text: 'Seed' }]))).toThrow();
    expect(sectionPlainText(docFrom(store.load('section.aaaaaaaa')!.updates))).toBe('Seed');
    expect(store.load('section.missing1')).toBeNull();
  });

  it('replaces the log by one state without losing anything', () => {
    const store = new DocumentStore(openDatabase(':memory:'));
    store.create('section.bbbbbbbb');
    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    for (let i = 0; i < 10; i++) getSectionBody(doc).insert(i, [new Y.XmlText(`t${i}`)]);
    store.appendMany(updates.map((update) => ({ name: 'section.bbbbbbbb', update })));
    expect(store.updateCount('section.bbbbbbbb')).toBe(10);

    store.replaceAll('section.bbbbbbbb', Y.encodeStateAsUpdate(doc));
    expect(store.updateCount('section.bbbbbbbb')).toBe(1);
    expect(getSectionBody(docFrom(store.load('section.bbbbbbbb')!.updates)).toString()).toBe(getSectionBody(doc).toString());
  });

  it('stores a batch of updates all or nothing', () => {
    const store = new DocumentStore(openDatabase(':memory:'));
    store.create('section.cccccccc');
    const u = Y.encodeStateAsUpdate(new Y.Doc());
    // The second document does not exist: the foreign key fails the whole transaction.
    expect(() =>
      store.appendMany([
        { name: 'section.cccccccc', update: u },
        { name: 'section.notthere', update: u },
      ]),
    ).toThrow();
    expect(store.updateCount('section.cccccccc')).toBe(0);
  });
});
