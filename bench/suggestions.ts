/**
 * What the sync server's suggestion checks cost per keystroke, against the editor's path.
 *
 * In-process and without sockets, so the numbers are the checks alone: a drafter's keystroke pays
 * for decoding and applying the update (baseline) plus a scan for suggestion attributes; a
 * suggesting-only person's keystroke also copies the section and compares it with their
 * suggestions rejected (server/sync/suggestionGuard.ts), which grows with the section's length.
 */
import * as Y from 'yjs';
import { validateUpdate } from '../server/sync/Connection.ts';
import { judgeUpdate } from '../server/sync/suggestionGuard.ts';
import { getSectionBody } from '../shared/doc/schema.ts';
import { SUGGEST_INSERT } from '../shared/doc/suggestions.ts';

export interface SuggestionBenchRow {
  paragraphs: number;
  characters: number;
  editorMsPerUpdate: number;
  suggesterMsPerUpdate: number;
}

const SENTENCE = 'The Ministry of Internal Affairs will publish annual statistics on detention conditions. ';

function sectionOf(paragraphs: number): Y.Doc {
  const doc = new Y.Doc();
  const body = getSectionBody(doc);
  doc.transact(() => {
    for (let i = 0; i < paragraphs; i++) {
      const p = new Y.XmlElement('paragraph');
      p.insert(0, [new Y.XmlText(SENTENCE.repeat(3))]);
      body.insert(body.length, [p]);
    }
  });
  return doc;
}

/** `count` keystrokes typed as one growing insertion by `author`, as a browser would send them. */
function keystrokes(server: Y.Doc, author: string, marked: boolean, count: number): Uint8Array[] {
  const replica = new Y.Doc();
  Y.applyUpdate(replica, Y.encodeStateAsUpdate(server));
  const updates: Uint8Array[] = [];
  replica.on('update', (u: Uint8Array) => updates.push(u));
  const body = getSectionBody(replica);
  const text = (body.get(Math.floor(body.length / 2)) as Y.XmlElement).get(0) as Y.XmlText;
  const attrs = { [SUGGEST_INSERT]: { id: 'bench-sugg-1', author, at: 1 } };
  for (let i = 0; i < count; i++) text.insert(10 + i, 'x', marked ? attrs : {});
  replica.destroy();
  return updates;
}

function msPer(updates: Uint8Array[], handle: (u: Uint8Array) => void): number {
  const start = process.hrtime.bigint();
  for (const u of updates) handle(u);
  return Number(process.hrtime.bigint() - start) / 1e6 / updates.length;
}

export function runSuggestionsBench(sizes: number[], keystrokeCount = 200): SuggestionBenchRow[] {
  const rows: SuggestionBenchRow[] = [];
  for (const paragraphs of sizes) {
    const editorDoc = sectionOf(paragraphs);
    const suggesterDoc = sectionOf(paragraphs);
    const characters = SENTENCE.length * 3 * paragraphs;
    const plain = keystrokes(editorDoc, 'editor', false, keystrokeCount);
    const marked = keystrokes(suggesterDoc, 'suggester', true, keystrokeCount);
    const editorMsPerUpdate = msPer(plain, (u) => {
      const { marksSuggestions } = validateUpdate(u);
      if (judgeUpdate(editorDoc, u, 'editor', 'edit', marksSuggestions).kind !== 'apply') throw new Error('an edit was refused');
      Y.applyUpdate(editorDoc, u);
    });
    const suggesterMsPerUpdate = msPer(marked, (u) => {
      const { marksSuggestions } = validateUpdate(u);
      if (judgeUpdate(suggesterDoc, u, 'suggester', 'suggest', marksSuggestions).kind !== 'apply') throw new Error('a suggestion was refused');
      Y.applyUpdate(suggesterDoc, u);
    });
    rows.push({ paragraphs, characters, editorMsPerUpdate, suggesterMsPerUpdate });
    editorDoc.destroy();
    suggesterDoc.destroy();
  }
  return rows;
}
