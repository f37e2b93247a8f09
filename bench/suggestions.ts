/**
 * What the sync server's suggestion checks cost per keystroke, against the editor's path.
 *
 * In-process and without sockets, so the numbers are the checks alone: a drafter's keystroke pays
 * for decoding and applying the update (baseline) plus a scan for suggestion attributes; a
 * suggesting-only person's keystroke is also tried on the copy that follows the section and
 * checked on the blocks it touches (server/collab/suggestionGuard.ts). The target: flat, whatever the
 * section's length and however many suggestions it holds.
 */
import * as Y from 'yjs';
import { validateUpdate } from '../server/sync/Connection.ts';
import { judgeUpdate } from '../server/collab/suggestionGuard.ts';
import { getSectionBody } from '../shared/doc/schema.ts';
import { SUGGEST_INSERT } from '../shared/doc/suggestions.ts';

export interface SuggestionBenchRow {
  label: string;
  paragraphs: number;
  characters: number;
  /** Open suggestions in the section before the keystrokes. */
  suggestions: number;
  /** A drafter's keystroke in the same paragraph, median of the rounds (Yjs's own cost there). */
  editorMsPerUpdate: number;
  editorRounds: number[];
  /** Per round (each round a fresh growing suggestion): ms per keystroke, median and spread. */
  suggesterMs: { median: number; min: number; max: number; rounds: number; perRound: number[] };
}

const SENTENCE = 'The Ministry of Internal Affairs will publish annual statistics on detention conditions. ';
const PARAGRAPH = SENTENCE.repeat(3);

/** A section of `paragraphs` paragraphs holding `suggestions` one-word proposals by other people, spread evenly. */
function sectionOf(paragraphs: number, suggestions: number, sparing = false): Y.Doc {
  const doc = new Y.Doc();
  const body = getSectionBody(doc);
  doc.transact(() => {
    for (let i = 0; i < paragraphs; i++) {
      const p = new Y.XmlElement('paragraph');
      p.insert(0, [new Y.XmlText(PARAGRAPH)]);
      body.insert(body.length, [p]);
    }
  });
  doc.transact(() => {
    // `sparing`: none in the paragraph the keystrokes go to (the middle one).
    const targets = sparing ? paragraphs - 1 : paragraphs;
    for (let n = 0; n < suggestions; n++) {
      const target = n % targets;
      const index = sparing && target >= Math.floor(paragraphs / 2) ? target + 1 : target;
      const text = (body.get(index) as Y.XmlElement).get(0) as Y.XmlText;
      const at = text.length - 1 - Math.floor(n / targets) * 2;
      // Each its own author's, so the section holds as many suggestions as asked whatever the per-person limit.
      text.insert(Math.max(0, at), 'y', { [SUGGEST_INSERT]: { id: `bench-other-${n}`, author: `member-${n}`, at: 1 } });
    }
  });
  return doc;
}

/** `count` keystrokes typed as one growing insertion by `author`, as a browser would send them. */
function keystrokes(server: Y.Doc, author: string, marked: boolean, count: number, id: string): Uint8Array[] {
  const replica = new Y.Doc();
  Y.applyUpdate(replica, Y.encodeStateAsUpdate(server));
  const updates: Uint8Array[] = [];
  replica.on('update', (u: Uint8Array) => updates.push(u));
  const body = getSectionBody(replica);
  const text = (body.get(Math.floor(body.length / 2)) as Y.XmlElement).get(0) as Y.XmlText;
  const attrs = { [SUGGEST_INSERT]: { id, author, at: 1 } };
  for (let i = 0; i < count; i++) text.insert(10 + i, 'x', marked ? attrs : {});
  replica.destroy();
  return updates;
}

function msPer(updates: Uint8Array[], handle: (u: Uint8Array) => void): number {
  const start = process.hrtime.bigint();
  for (const u of updates) handle(u);
  return Number(process.hrtime.bigint() - start) / 1e6 / updates.length;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

export interface SuggestionBenchCase {
  label: string;
  paragraphs: number;
  suggestions: number;
  /** None of the suggestions in the paragraph typed in. */
  sparing?: boolean;
}

/** The cases the issue asks about: 10 against 20,000 suggestions, 5,000 against 100,000 characters. */
export const SUGGESTION_BENCH_CASES: SuggestionBenchCase[] = [
  { label: 'few suggestions', paragraphs: 100, suggestions: 10 },
  { label: 'many elsewhere', paragraphs: 100, suggestions: 20_000, sparing: true },
  { label: 'many suggestions', paragraphs: 100, suggestions: 20_000 },
  { label: 'short section', paragraphs: 19, suggestions: 10 },
  { label: 'long section', paragraphs: 375, suggestions: 10 },
];

/**
 * Runs the cases round by round, every case once per round in turn, so the load of the moment on a
 * shared machine weighs on all of them alike; compare them by the per-round ratios (roundRatios).
 */
export function runSuggestionsBench(cases = SUGGESTION_BENCH_CASES, keystrokeCount = 50, rounds = 9): SuggestionBenchRow[] {
  // The section's own suggestions are other people's; the limits are the server's defaults.
  const runs = cases.map(({ label, paragraphs, suggestions, sparing }) => {
    const editorDoc = sectionOf(paragraphs, suggestions, sparing);
    const suggesterDoc = sectionOf(paragraphs, suggestions, sparing);
    const characters = getSectionBody(suggesterDoc)
      .toArray()
      .reduce((n, p) => n + ((p as Y.XmlElement).get(0) as Y.XmlText).length, 0);
    return { label, paragraphs, suggestions, characters, editorDoc, suggesterDoc, editorRounds: [] as number[], perRound: [] as number[] };
  });
  // Round 0 warms up (and makes the copy the checks use, once per section): not counted.
  for (let round = 0; round <= rounds; round++) {
    for (const run of runs) {
      // A drafter's keystrokes in the same paragraph of a copy: what Yjs itself costs there.
      const plain = keystrokes(run.editorDoc, 'editor', false, keystrokeCount, `bench-editor-${round}`);
      const editorMs = msPer(plain, (u) => {
        const { marksSuggestions } = validateUpdate(u);
        if (judgeUpdate(run.editorDoc, u, 'editor', 'edit', marksSuggestions).kind !== 'apply') throw new Error('an edit was refused');
        Y.applyUpdate(run.editorDoc, u);
      });
      if (round > 0) run.editorRounds.push(editorMs);
      const marked = keystrokes(run.suggesterDoc, 'suggester', true, keystrokeCount, `bench-sugg-${round}`);
      const ms = msPer(marked, (u) => {
        const { marksSuggestions } = validateUpdate(u);
        const verdict = judgeUpdate(run.suggesterDoc, u, 'suggester', 'suggest', marksSuggestions);
        if (verdict.kind !== 'apply') throw new Error(`a suggestion was refused: ${JSON.stringify(verdict)}`);
        Y.applyUpdate(run.suggesterDoc, u);
      });
      if (round > 0) run.perRound.push(ms);
    }
  }
  return runs.map(({ suggesterDoc, editorDoc, perRound, editorRounds, ...row }) => {
    suggesterDoc.destroy();
    editorDoc.destroy();
    return { ...row, editorMsPerUpdate: median(editorRounds), editorRounds, suggesterMs: { median: median(perRound), min: Math.min(...perRound), max: Math.max(...perRound), rounds, perRound } };
  });
}

/** Case `b` against case `a`, round by round: the median of the ratios and their spread. */
export function roundRatios(rows: SuggestionBenchRow[], a: string, b: string): { median: number; min: number; max: number } | null {
  const [x, y] = [rows.find((r) => r.label === a), rows.find((r) => r.label === b)];
  if (!x || !y) return null;
  const ratios = x.suggesterMs.perRound.map((ms, i) => y.suggesterMs.perRound[i]! / ms);
  return spread(ratios);
}

/** As roundRatios, for a drafter's keystrokes in the same paragraphs (what Yjs costs, with no suggestion check). */
export function drafterRoundRatios(rows: SuggestionBenchRow[], a: string, b: string): { median: number; min: number; max: number } | null {
  const [x, y] = [rows.find((r) => r.label === a), rows.find((r) => r.label === b)];
  if (!x || !y) return null;
  return spread(x.editorRounds.map((ms, i) => y.editorRounds[i]! / ms));
}

function spread(ratios: number[]): { median: number; min: number; max: number } {
  return { median: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios) };
}
