import * as Y from 'yjs';
import { getSectionBody } from './schema.ts';
import { suggestionTimeIn } from './suggestionTimes.ts';
import { alreadyFormatted, formatAttributesFor, formatChangeOf, isFormatChange, SUGGEST_FORMAT, type FormatChange, type FormatSuggestionAttrs } from './formatProposal.ts';
import {
  alreadyStructured,
  BLOCK_PROPOSAL_ATTR,
  blockChangeOf,
  carriesChange,
  isBlockChange,
  SUGGEST_SPLIT,
  type BlockChange,
  type StructureChange,
} from './blockProposal.ts';
import { joinToPrevious, restructure, splitBlockAt } from './blockEdits.ts';

export { SUGGEST_FORMAT, type FormatChange, type FormatSuggestionAttrs } from './formatProposal.ts';
export { BLOCK_PROPOSAL_ATTR, SUGGEST_SPLIT, type BlockChange, type StructureChange } from './blockProposal.ts';

/**
 * Suggestions: proposed insertions and deletions kept in the section text as two marks until
 * someone accepts or rejects them.
 *
 * In the Yjs document a mark is a formatting attribute of the text (the key is the mark name, the
 * value the mark's attributes), so the same data is read here, in the editor and in exports.
 * Everything that must hold on both sides lives in this module: how a suggestion is named and
 * attributed, how suggestions are listed, what accepting or rejecting does to the text, and the
 * rule the server checks for a person who may only suggest.
 */

/** Proposed new text: shown underlined. */
export const SUGGEST_INSERT = 'suggestionInsert';
/** Text proposed for removal: shown struck through, still in the document. */
export const SUGGEST_DELETE = 'suggestionDelete';
export const SUGGESTION_MARKS = [SUGGEST_INSERT, SUGGEST_DELETE] as const;
export type SuggestionMark = (typeof SUGGESTION_MARKS)[number];
/** Every suggestion mark: the two on words, a proposed change of formatting (formatProposal.ts), a proposed split (blockProposal.ts). */
export const ALL_SUGGESTION_MARKS = [SUGGEST_INSERT, SUGGEST_DELETE, SUGGEST_FORMAT, SUGGEST_SPLIT] as const;
/**
 * Attribute of a paragraph or list item that is itself proposed (made with Enter in suggesting
 * mode): rejecting removes it, accepting keeps it. The value is the suggestion's attributes as a JSON
 * string: the editor binding compares attribute values by identity, and a string compares equal.
 */
export const SUGGESTED_BLOCK_ATTR = 'suggestion';
/** Element attributes that carry a suggestion: a proposed paragraph, a proposed change of the block's structure. */
const BLOCK_ATTRS = [SUGGESTED_BLOCK_ATTR, BLOCK_PROPOSAL_ATTR];

/**
 * The attributes both marks carry. One suggestion is every run with the same id: a replacement is
 * a deletion and an insertion sharing an id. `author` is a user id: the server refuses a mark made
 * in someone else's name, so names and organisations are looked up from it, never stored in text.
 */
export interface SuggestionAttrs {
  id: string;
  author: string;
  /** When it was first made by the author's clock: kept, never shown (see suggestionTimes.ts). */
  at: number;
}

const ID_PATTERN = /^[A-Za-z0-9_-]{6,40}$/;

export function isSuggestionAttrs(value: unknown): value is SuggestionAttrs {
  if (!value || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.id === 'string' &&
    ID_PATTERN.test(v.id) &&
    typeof v.author === 'string' &&
    v.author.length > 0 &&
    v.author.length <= 64 &&
    typeof v.at === 'number' &&
    Number.isFinite(v.at)
  );
}

/** A well-formed format proposal: a suggestion's id, author and time, and the change. */
export function isFormatSuggestionAttrs(value: unknown): value is FormatSuggestionAttrs {
  return isSuggestionAttrs(value) && isFormatChange(value);
}

export function encodeBlockSuggestion(attrs: SuggestionAttrs): string {
  return JSON.stringify({ id: attrs.id, author: attrs.author, at: attrs.at });
}

export function decodeBlockSuggestion(value: unknown): SuggestionAttrs | null {
  if (typeof value !== 'string' || value.length > 200) return null;
  try {
    const parsed: unknown = JSON.parse(value);
    return isSuggestionAttrs(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

/** A proposed change of a block's structure: a suggestion's id, author and time, and the change. */
export type BlockProposal = SuggestionAttrs & BlockChange;

export function encodeBlockProposal(attrs: SuggestionAttrs, change: BlockChange): string {
  return JSON.stringify({ id: attrs.id, author: attrs.author, at: attrs.at, ...blockChangeOf(change) });
}

export function decodeBlockProposal(value: unknown): BlockProposal | null {
  if (typeof value !== 'string' || value.length > 300) return null;
  try {
    const parsed: unknown = JSON.parse(value);
    return isSuggestionAttrs(parsed) && isBlockChange(parsed) ? (parsed as BlockProposal) : null;
  } catch {
    return null;
  }
}

export function newSuggestionId(): string {
  const bytes = new Uint8Array(9);
  globalThis.crypto.getRandomValues(bytes);
  let out = '';
  for (const b of bytes) out += ALPHABET[b & 63];
  return out;
}
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** What names one suggestion: its id and its author. */
type SuggestionOwner = Pick<SuggestionAttrs, 'id' | 'author'>;

type Delta = Array<{ insert: unknown; attributes?: Record<string, unknown> }>;

/** One suggestion as a card shows it: what it adds and removes, in text order. */
export interface SuggestionSummary {
  id: string;
  author: string;
  /** When the server first stored it (ms since epoch), or null until it has (never the author's clock). */
  at: number | null;
  inserted: string;
  deleted: string;
  kind: 'insert' | 'delete' | 'replace' | 'format' | 'block';
  /** It proposes new paragraphs (not only words within existing ones). */
  paragraphs: number;
  /** A formatting proposal only (kind 'format'): the words whose formatting it would change, and the change. */
  formatted?: string;
  format?: FormatChange;
  /**
   * A proposed change of structure only (kind 'block'): the change, and in `formatted` the words of
   * the block concerned (for a split, the words that would start the new paragraph).
   */
  block?: StructureChange;
}

function suggestionOf(attributes: Record<string, unknown> | undefined, mark: SuggestionMark): SuggestionAttrs | null {
  const v = attributes?.[mark];
  return isSuggestionAttrs(v) ? v : null;
}

/** Every XmlText of the section body, in document order. */
function textsInOrder(doc: Y.Doc): Y.XmlText[] {
  return nodesInOrder(doc).filter((n): n is Y.XmlText => n instanceof Y.XmlText);
}

/** Every element and text of the section body, in document order (an element before its content). */
function nodesInOrder(doc: Y.Doc): Array<Y.XmlText | Y.XmlElement> {
  return nodesIn(getSectionBody(doc).toArray());
}

/** Every element and text in `nodes` and below them, in document order. */
function nodesIn(nodes: unknown[]): Array<Y.XmlText | Y.XmlElement> {
  const out: Array<Y.XmlText | Y.XmlElement> = [];
  const walk = (children: unknown[]) => {
    for (const child of children) {
      if (child instanceof Y.XmlText) out.push(child);
      else if (child instanceof Y.XmlElement) {
        out.push(child);
        walk(child.toArray());
      }
    }
  };
  walk(nodes);
  return out;
}

function blockSuggestionOf(node: Y.XmlElement): SuggestionAttrs | null {
  return decodeBlockSuggestion(node.getAttribute(SUGGESTED_BLOCK_ATTR));
}

/** A proposed change of the block's structure on it (heading level, list type, join), if well formed and where it may be. */
function blockProposalOf(node: Y.XmlElement): BlockProposal | null {
  const proposal = decodeBlockProposal(node.getAttribute(BLOCK_PROPOSAL_ATTR));
  return proposal && carriesChange(node.nodeName, proposal) ? proposal : null;
}

/** The words in a block, for a card (a list's items separated by " / "). */
function wordsIn(node: Y.XmlElement): string {
  const parts: string[] = [];
  for (const child of node.toArray()) {
    if (child instanceof Y.XmlText) parts.push((child.toDelta() as Delta).map((op) => (typeof op.insert === 'string' ? op.insert : '')).join(''));
    else if (child instanceof Y.XmlElement) parts.push(wordsIn(child));
  }
  return parts.filter(Boolean).join(node.nodeName === 'bulletList' || node.nodeName === 'orderedList' ? ' / ' : '');
}

/** Whether a paragraph or list item is itself an open proposal (not yet part of the text). */
export function isProposedBlock(node: Y.XmlElement): boolean {
  return blockSuggestionOf(node) !== null;
}

/** The section's open suggestions, in the order they first appear in the text. */
export function listSuggestions(doc: Y.Doc): SuggestionSummary[] {
  const byId = new Map<string, SuggestionSummary>();
  const entryFor = (s: SuggestionAttrs) => {
    // Keyed by author too: a run reusing someone's id in another name is not part of theirs.
    const key = `${s.author}\u0000${s.id}`;
    let entry = byId.get(key);
    if (!entry) {
      entry = { id: s.id, author: s.author, at: suggestionTimeIn(doc, s.author, s.id), inserted: '', deleted: '', kind: 'insert', paragraphs: 0 };
      byId.set(key, entry);
    }
    return entry;
  };
  for (const node of nodesInOrder(doc)) {
    if (node instanceof Y.XmlElement) {
      const block = blockSuggestionOf(node);
      if (block) {
        const entry = entryFor(block);
        // Paragraphs after the first start on a new line in the quoted text.
        if (entry.paragraphs++ > 0 || entry.inserted) entry.inserted += '\n';
      }
      const proposal = blockProposalOf(node);
      if (proposal) {
        const entry = entryFor(proposal);
        entry.block ??= blockChangeOf(proposal);
        entry.formatted ??= wordsIn(node);
      }
      continue;
    }
    const ops = node.toDelta() as Delta;
    ops.forEach((op, i) => {
      const split = op.attributes?.[SUGGEST_SPLIT];
      if (typeof op.insert !== 'string' || !isSuggestionAttrs(split)) return;
      const entry = entryFor(split);
      entry.block ??= { kind: 'split' };
      // The words that would start the new paragraph.
      entry.formatted ??= ops.slice(i).map((o) => (typeof o.insert === 'string' ? o.insert : '')).join('');
    });
    for (const op of ops) {
      if (typeof op.insert !== 'string') continue;
      for (const mark of SUGGESTION_MARKS) {
        const s = suggestionOf(op.attributes, mark);
        if (!s) continue;
        const entry = entryFor(s);
        if (mark === SUGGEST_INSERT) entry.inserted += op.insert;
        else entry.deleted += op.insert;
      }
      const format = op.attributes?.[SUGGEST_FORMAT];
      if (isFormatSuggestionAttrs(format)) {
        const entry = entryFor(format);
        entry.format ??= formatChangeOf(format);
        entry.formatted = (entry.formatted ?? '') + op.insert;
      }
    }
  }
  for (const s of byId.values()) {
    // Zero-width characters are invisible; a card should not quote them.
    s.inserted = s.inserted.replace(/\u200B/g, '').replace(/^\n+|\n+$/g, '');
    s.deleted = s.deleted.replace(/\u200B/g, '');
    if (s.formatted !== undefined) s.formatted = s.formatted.replace(/\u200B/g, '');
    const onlyChange = !s.inserted && !s.paragraphs;
    s.kind = s.inserted && s.deleted ? 'replace' : s.deleted ? 'delete' : s.format && onlyChange ? 'format' : s.block && onlyChange ? 'block' : 'insert';
  }
  return [...byId.values()];
}

export type Decision = 'accept' | 'reject';

/**
 * Accepts or rejects the suggestions `which` selects, in place, in one Yjs transaction. Accepting
 * an insertion keeps its text and drops the mark; accepting a deletion removes the text. Rejecting
 * does the opposite. Returns the suggestions decided (as they were before).
 *
 * Works on whatever text the marks cover, wherever it is (paragraphs, list items, table cells),
 * and walks each text backwards so that indices ahead of the cursor never move.
 */
export function decideSuggestions(
  doc: Y.Doc,
  which: (s: SuggestionOwner) => boolean,
  decision: Decision,
  origin: unknown = null,
  /** Who may also be decided with them: see rejecting words proposed inside proposed words. */
  mayCascade: (s: SuggestionOwner) => boolean = () => true,
): SuggestionSummary[] {
  const all = listSuggestions(doc);
  const chosen = all.filter((s) => which(s));
  if (chosen.length === 0) return [];
  if (decision === 'reject') {
    // Words someone proposed inside words another proposed go when those are rejected: left
    // alone they would be a fragment of a sentence that is no longer there.
    const inside = enclosedInsertions(doc, chosen);
    for (const s of all) if (!chosen.includes(s) && inside.has(`${s.author}\u0000${s.id}`) && mayCascade(s)) chosen.push(s);
  }
  // A suggestion is its id together with its author: a run claiming someone else's id in another
  // name is not part of it (the server refuses such runs; this keeps a decision to what was chosen).
  const authorOf = new Map(chosen.map((s) => [s.id, s.author]));
  const isChosen = (s: SuggestionAttrs | null) => s !== null && authorOf.get(s.id) === s.author;
  doc.transact(() => {
    // Accepted splits: where each starts, as positions that follow the words while other runs change.
    const splits: Y.RelativePosition[] = [];
    for (const text of decision === 'accept' ? textsInOrder(doc) : []) {
      let index = 0;
      for (const op of text.toDelta() as Delta) {
        const split = op.attributes?.[SUGGEST_SPLIT];
        if (isSuggestionAttrs(split) && isChosen(split)) splits.push(Y.createRelativePositionFromTypeIndex(text, index));
        index += typeof op.insert === 'string' ? op.insert.length : 1;
      }
    }
    for (const text of textsInOrder(doc)) {
      const ops = text.toDelta() as Delta;
      const runs: Array<{ index: number; length: number; removeText: boolean; attributes: Record<string, unknown> }> = [];
      let index = 0;
      for (const op of ops) {
        const length = typeof op.insert === 'string' ? op.insert.length : 1;
        const marks = SUGGESTION_MARKS.filter((mark) => isChosen(suggestionOf(op.attributes, mark)));
        const attributes: Record<string, unknown> = Object.fromEntries(marks.map((m) => [m, null]));
        const format = op.attributes?.[SUGGEST_FORMAT];
        if (isFormatSuggestionAttrs(format) && isChosen(format)) {
          // Accepting carries out the change; either way the proposal goes.
          const change = formatChangeOf(format);
          if (decision === 'accept' && !alreadyFormatted(op.attributes, change)) Object.assign(attributes, formatAttributesFor(change));
          attributes[SUGGEST_FORMAT] = null;
        }
        // A split's mark goes either way; accepting splits the block below.
        const split = op.attributes?.[SUGGEST_SPLIT];
        if (isSuggestionAttrs(split) && isChosen(split)) attributes[SUGGEST_SPLIT] = null;
        if (Object.keys(attributes).length > 0) {
          // One decision per run, even if it carries both marks: removing its text settles both.
          const removeText = marks.some((mark) => (mark === SUGGEST_INSERT) === (decision === 'reject'));
          runs.push({ index, length, removeText, attributes });
        }
        index += length;
      }
      for (const run of runs.reverse()) {
        if (run.removeText) text.delete(run.index, run.length);
        else text.format(run.index, run.length, run.attributes);
      }
    }
    // The last split first: splitting leaves the places before it where they were.
    for (const position of splits.reverse()) {
      const at = Y.createAbsolutePositionFromRelativePosition(position, doc);
      if (at && at.type instanceof Y.XmlText) splitBlockAt(at.type, at.index);
    }
    // Heading levels, list types, joins: carried out, or the proposal dropped. Later blocks first,
    // so a block joined to one that is itself joined to the one before ends in the first.
    for (const node of nodesInOrder(doc).reverse()) {
      if (!(node instanceof Y.XmlElement)) continue;
      const proposal = blockProposalOf(node);
      if (!proposal || !isChosen(proposal)) continue;
      const change = blockChangeOf(proposal);
      if (decision === 'reject' || alreadyStructured(node.nodeName, node.getAttribute('level'), change)) node.removeAttribute(BLOCK_PROPOSAL_ATTR);
      else if (change.kind !== 'join') restructure(node, change);
      else if (!joinToPrevious(node)) node.removeAttribute(BLOCK_PROPOSAL_ATTR);
    }
    // Proposed paragraphs: kept without the proposal, or removed with whatever is left in them.
    for (const node of nodesInOrder(doc).reverse()) {
      if (!(node instanceof Y.XmlElement) || !isChosen(blockSuggestionOf(node))) continue;
      // Rejecting removes the paragraph only if nothing but the proposal was in it: words someone
      // else wrote there (or joined into it) stay, in an ordinary paragraph.
      if (decision === 'accept' || hasContent(node)) node.removeAttribute(SUGGESTED_BLOCK_ATTR);
      else removeNode(node);
    }
  }, origin);
  return chosen;
}

/**
 * Insertions (author + id) all of whose runs sit between runs of the chosen insertions (or inside
 * a chosen proposed paragraph), so that rejecting those leaves them without context.
 */
function enclosedInsertions(doc: Y.Doc, chosen: SuggestionSummary[]): Set<string> {
  const chosenKeys = new Set(chosen.map((s) => `${s.author}\u0000${s.id}`));
  const keyOf = (v: unknown) => (isSuggestionAttrs(v) ? `${v.author}\u0000${v.id}` : null);
  const enclosed = new Map<string, boolean>();
  const walk = (node: Y.XmlFragment | Y.XmlElement, inChosenBlock: boolean) => {
    for (const child of node.toArray()) {
      if (child instanceof Y.XmlElement) {
        const block = blockSuggestionOf(child);
        walk(child, inChosenBlock || (block !== null && chosenKeys.has(`${block.author}\u0000${block.id}`)));
        continue;
      }
      if (!(child instanceof Y.XmlText)) continue;
      const ops = (child.toDelta() as Delta).filter((op) => typeof op.insert === 'string');
      ops.forEach((op, i) => {
        const key = keyOf(op.attributes?.[SUGGEST_INSERT]);
        if (!key || chosenKeys.has(key)) return;
        const around = (j: number) => {
          for (let k = j; k >= 0 && k < ops.length; k += j < i ? -1 : 1) {
            const other = keyOf(ops[k]!.attributes?.[SUGGEST_INSERT]);
            if (other !== key) return other !== null && chosenKeys.has(other);
          }
          return false;
        };
        const inside = inChosenBlock || (around(i - 1) && around(i + 1));
        enclosed.set(key, (enclosed.get(key) ?? true) && inside);
      });
    }
  };
  walk(getSectionBody(doc), false);
  return new Set([...enclosed].filter(([, v]) => v).map(([k]) => k));
}

/** Whether any words are left anywhere inside (a list item with an empty paragraph has none). */
function hasContent(node: Y.XmlElement): boolean {
  return node.toArray().some((c) => (c instanceof Y.XmlText && c.length > 0) || (c instanceof Y.XmlElement && (c.nodeName === 'hardBreak' || hasContent(c))));
}

function removeNode(node: Y.XmlElement): void {
  const parent = node.parent;
  if (!(parent instanceof Y.XmlElement || parent instanceof Y.XmlFragment)) return;
  const index = parent.toArray().indexOf(node);
  if (index >= 0) parent.delete(index, 1);
}

/**
 * The section as it would be if `author`'s suggestions were all rejected, as a canonical string.
 *
 * This is the rule for a person who may only suggest: an update from them is allowed exactly when
 * it leaves this projection unchanged, i.e. it only adds or removes their own suggestion marks and
 * the text inside their own insertions. Anything else (typing outside a suggestion, deleting
 * someone's words, accepting or touching another person's suggestion, changing formatting or
 * structure) changes the projection and is refused.
 *
 * A body with no blocks and a body with one empty paragraph are the same here: the editor's schema
 * fills in that paragraph, and writes it back, when a person first types in an empty section.
 */
export function projectWithoutAuthor(doc: Y.Doc, author: string): string {
  const body = getSectionBody(doc);
  const children = projectChildren(body, author);
  const isOneEmptyParagraph =
    children.length === 1 && Array.isArray(children[0]) && children[0][0] === 'paragraph' && children[0].length === 2 && Object.keys(children[0][1] as object).length === 0;
  return JSON.stringify([bodyEntriesOf(doc), isOneEmptyParagraph ? [] : children]);
}

/** Entries set on the body itself: no editor's, but they are stored, so they count too. */
export function bodyEntriesOf(doc: Y.Doc): Array<[string, unknown]> {
  const bodyEntries: Array<[string, unknown]> = [];
  getSectionBody(doc)._map.forEach((item, key) => {
    if (!item.deleted) bodyEntries.push([key, item.content.getContent().at(-1)]);
  });
  return bodyEntries.sort(([a], [b]) => (a < b ? -1 : 1));
}

/**
 * projectWithoutAuthor of some of the body's blocks (a stretch of them, in order): the sync server
 * compares only the blocks an update touches. Not for a body of one block or none (see above).
 */
export function projectBlocksWithoutAuthor(blocks: unknown[], author: string): string {
  return JSON.stringify(projectNodes(blocks, author));
}

type Projected = string | Array<unknown>;

/** Whether projected content holds any text (a proposed list item holds an empty paragraph). */
function hasProjectedText(content: Projected[]): boolean {
  return content.some((c) => Array.isArray(c) && (c[0] === '#text' || c[0] === '#textattrs' || c[0] === '#other' || hasProjectedText(c.slice(2) as Projected[])));
}

function projectChildren(node: Y.XmlFragment | Y.XmlElement, author: string): Projected[] {
  return projectNodes(node.toArray(), author);
}

function projectNodes(nodes: unknown[], author: string): Projected[] {
  const out: Projected[] = [];
  for (const child of nodes) {
    if (child instanceof Y.XmlText) {
      const runs = projectText(child, author);
      const attrs = child.getAttributes() as Record<string, unknown>;
      // Attributes on a text are no editor's either; an empty text is no text.
      if (Object.keys(attrs).length > 0) out.push(['#textattrs', Object.keys(attrs).sort().map((k) => [k, attrs[k]])]);
      if (runs.length > 0) out.push(['#text', ...runs]);
    } else if (child instanceof Y.XmlElement) {
      const attrs = { ...(child.getAttributes() as Record<string, unknown>) };
      // Their proposed change of structure is not the structure yet; the block itself must stay as it was.
      if (decodeBlockProposal(attrs[BLOCK_PROPOSAL_ATTR])?.author === author) delete attrs[BLOCK_PROPOSAL_ATTR];
      const sorted = Object.fromEntries(Object.keys(attrs).sort().map((k) => [k, attrs[k]]));
      const content = projectChildren(child, author);
      // The author's proposed paragraph goes, if nothing but their own proposed words is in it.
      if (blockSuggestionOf(child)?.author === author && !hasProjectedText(content)) continue;
      out.push([child.nodeName, sorted, ...content]);
    } else {
      // A hook or another type no editor writes: keep it visible to the comparison.
      out.push(['#other', String((child as object | null)?.constructor?.name)]);
    }
  }
  return out;
}

/** Text runs with the author's insertions removed and their deletion marks dropped, merged. */
function projectText(text: Y.XmlText, author: string): Array<[string, Record<string, unknown>] | [unknown]> {
  const runs: Array<{ text: string; key: string; attrs: Record<string, unknown> } | { embed: unknown }> = [];
  for (const op of text.toDelta() as Delta) {
    const attrs = { ...(op.attributes ?? {}) };
    const ins = attrs[SUGGEST_INSERT];
    if (isSuggestionAttrs(ins) && ins.author === author) continue;
    const del = attrs[SUGGEST_DELETE];
    if (isSuggestionAttrs(del) && del.author === author) delete attrs[SUGGEST_DELETE];
    // Their formatting proposals are not formatting yet; the formatting itself must stay as it was.
    for (const key of [SUGGEST_FORMAT, SUGGEST_SPLIT]) {
      const proposal = attrs[key];
      if (isSuggestionAttrs(proposal) && proposal.author === author) delete attrs[key];
    }
    if (typeof op.insert !== 'string') {
      runs.push({ embed: op.insert });
      continue;
    }
    const sorted = Object.fromEntries(Object.keys(attrs).sort().map((k) => [k, attrs[k]]));
    const key = JSON.stringify(sorted);
    const last = runs[runs.length - 1];
    if (last && 'key' in last && last.key === key) last.text += op.insert;
    else runs.push({ text: op.insert, key, attrs: sorted });
  }
  return runs.map((r) => ('embed' in r ? [r.embed] : [r.text, r.attrs]));
}

/**
 * Suggestion marks an update would introduce in another person's name: each returned value is a
 * mark whose author is not `author` and whose id is not already in the document with that author,
 * or a mark of `author`'s that reuses the id of someone else's suggestion. Re-creating an existing
 * mark (undo of a deletion, copy and paste) is fine; inventing or taking over one is not.
 */
export function foreignSuggestionMarks(update: Uint8Array, doc: Y.Doc, author: string): SuggestionAttrs[] {
  return foreignSuggestionValues(suggestionValuesIn(update), doc, author);
}

/** foreignSuggestionMarks for values already read from the update (see suggestionValuesIn). */
export function foreignSuggestionValues(values: Array<SuggestionAttrs | null>, doc: Y.Doc, author: string): SuggestionAttrs[] {
  const claimed: SuggestionAttrs[] = [];
  const mine: SuggestionAttrs[] = [];
  for (const value of values) {
    if (value === null) claimed.push({ id: '(malformed)', author: '', at: 0 });
    else if (value.author !== author) claimed.push(value);
    else mine.push(value);
  }
  if (claimed.length === 0 && mine.length === 0) return [];
  const existing = new Map(listSuggestions(doc).map((s) => [s.id, s.author]));
  const out = claimed.filter((c) => existing.get(c.id) !== c.author || c.id === '(malformed)');
  // Nor may one's own mark take over an id that is someone else's suggestion.
  for (const v of mine) if (existing.has(v.id) && existing.get(v.id) !== author) out.push(v);
  return out;
}

/**
 * The suggestion attributes an update writes (marks set on text, proposed-paragraph attributes);
 * null for one that is malformed. Removals (a mark or attribute set to nothing) are not included.
 */
export function suggestionValuesIn(update: Uint8Array): Array<SuggestionAttrs | null> {
  const out: Array<SuggestionAttrs | null> = [];
  for (const s of Y.decodeUpdate(update).structs) {
    if (!(s instanceof Y.Item)) continue;
    const value = suggestionCarriedBy(s);
    if (value !== undefined) out.push(value);
  }
  return out;
}

/**
 * The suggestion an item writes (a mark set on text, a proposed-paragraph or structure attribute):
 * undefined when it writes none (or removes one), null when what it writes is malformed.
 */
export function suggestionCarriedBy(s: Y.Item): SuggestionAttrs | null | undefined {
  if (s.content instanceof Y.ContentFormat) {
    const { key, value } = s.content;
    if (!(ALL_SUGGESTION_MARKS as readonly string[]).includes(key) || value === null) return undefined;
    if (key === SUGGEST_FORMAT) return isFormatSuggestionAttrs(value) ? value : null;
    return isSuggestionAttrs(value) ? value : null;
  }
  if (s.parentSub !== null && BLOCK_ATTRS.includes(s.parentSub) && s.content instanceof Y.ContentAny) {
    const value = s.content.getContent()[0];
    if (value === null || value === undefined) return undefined;
    return s.parentSub === SUGGESTED_BLOCK_ATTR ? decodeBlockSuggestion(value) : decodeBlockProposal(value);
  }
  return undefined;
}

/** Whether a decoded update struct writes a suggestion (for the sync server's cheap first look). */
export function writesSuggestion(s: Y.Item | Y.GC | Y.Skip): boolean {
  if (!(s instanceof Y.Item)) return false;
  if (s.content instanceof Y.ContentFormat) return (ALL_SUGGESTION_MARKS as readonly string[]).includes(s.content.key);
  return s.parentSub !== null && BLOCK_ATTRS.includes(s.parentSub);
}

/** Whether every proposed change of structure is on a block that can carry it (no list type on a paragraph). */
export function blockProposalsFit(doc: Y.Doc): boolean {
  return blockProposalsFitIn(getSectionBody(doc).toArray());
}

/** blockProposalsFit for some of the body's blocks. */
export function blockProposalsFitIn(blocks: unknown[]): boolean {
  return nodesIn(blocks).every((node) => {
    if (!(node instanceof Y.XmlText) && node.getAttribute(BLOCK_PROPOSAL_ATTR) != null) {
      const proposal = decodeBlockProposal(node.getAttribute(BLOCK_PROPOSAL_ATTR));
      return proposal !== null && carriesChange(node.nodeName, proposal);
    }
    return true;
  });
}

/** Whether some text carries both a proposed insertion and a proposed deletion (no editor writes that). */
export function hasDoubleMarkedText(doc: Y.Doc): boolean {
  for (const text of textsInOrder(doc)) {
    for (const op of text.toDelta() as Delta) {
      if (op.attributes && op.attributes[SUGGEST_INSERT] != null && op.attributes[SUGGEST_DELETE] != null) return true;
    }
  }
  return false;
}

/**
 * Whether, going from `before` to `after`, another person's suggestion was stretched over words or
 * paragraphs its author never proposed: some that already existed came under it, and it grew.
 *
 * Both conditions, because the editor binding rewrites text by diffing strings: deleting "state "
 * before someone's struck "shall " can move their mark onto the "s" that was there, without the
 * suggestion growing. Words new in `after` may carry it (an undone deletion inside it).
 * Works on characters' CRDT identities: the same words typed again are not the same words.
 */
export function spreadsOthersSuggestions(before: Y.Doc, after: Y.Doc, author: string, cache = new CoverageCache()): boolean {
  return spreadsOthersIn(cache.of(before), cache.of(after), before, author);
}

/** spreadsOthersSuggestions on the coverage of the same blocks before and after (`before`: the document before). */
export function spreadsOthersIn(was: Coverage, now: Coverage, before: Y.Doc, author: string): boolean {
  // A character (or element) existed before when its clock is below its writer's state there.
  const existed = (key: string) => {
    const [client, clock] = key.replace(/^[eb]/, '').split(':').map(Number) as [number, number];
    return clock < Y.getState(before.store, client);
  };
  for (const [key, chars] of now.covered) {
    if (key.startsWith(author + '\u0000')) continue;
    const had = was.covered.get(key);
    if (chars.size <= (had?.size ?? 0)) continue;
    for (const c of chars) if (!had?.has(c) && existed(c)) return true;
  }
  return false;
}

/** Coverage of each document, computed once per check (a check asks several questions of it). */
export class CoverageCache {
  private readonly computed = new Map<Y.Doc, Coverage>();
  of(doc: Y.Doc): Coverage {
    let c = this.computed.get(doc);
    if (!c) this.computed.set(doc, (c = coverage(doc)));
    return c;
  }
}

/** Whether the change made some characters carry both an insertion and a deletion mark. */
export function addsDoubleMarks(before: Y.Doc, after: Y.Doc, cache = new CoverageCache()): boolean {
  return addsDoubleMarksIn(cache.of(before), cache.of(after));
}

export function addsDoubleMarksIn(was: Coverage, now: Coverage): boolean {
  for (const c of now.double) if (!was.double.has(c)) return true;
  return false;
}

/**
 * The CRDT identities (`client:clock`) of what `author` may delete while only suggesting: the
 * characters of their own proposed words, and their own proposed paragraphs with everything in
 * them (`e` + the element's or text's item id).
 */
export function ownDeletable(doc: Y.Doc, author: string, cache = new CoverageCache()): Set<string> {
  return ownDeletableIn(cache.of(doc), author);
}

export function ownDeletableIn({ covered, insertions }: Coverage, author: string): Set<string> {
  const out = new Set<string>();
  for (const [key, chars] of covered) {
    if (!key.startsWith(author + '\u0000')) continue;
    for (const c of chars) if (c.startsWith('e') || insertions.has(c)) out.add(c);
  }
  return out;
}

export interface Coverage {
  /** For each suggestion (author + id): what it covers, including everything in a proposed paragraph. */
  covered: Map<string, Set<string>>;
  /** Characters under an insertion mark. */
  insertions: Set<string>;
  /** Characters under both marks. */
  double: Set<string>;
}

function coverage(doc: Y.Doc): Coverage {
  return coverageOf(getSectionBody(doc).toArray());
}

/** Coverage of some of the body's blocks (and everything in them). */
export function coverageOf(blocks: unknown[]): Coverage {
  const covered = new Map<string, Set<string>>();
  const insertions = new Set<string>();
  const double = new Set<string>();
  const add = (s: SuggestionAttrs, key: string) => {
    const k = `${s.author}\u0000${s.id}`;
    let set = covered.get(k);
    if (!set) covered.set(k, (set = new Set()));
    set.add(key);
  };
  const walk = (children: unknown[], blocks: SuggestionAttrs[]) => {
    for (const child of children) {
      if (!(child instanceof Y.XmlElement || child instanceof Y.XmlText)) continue;
      const id = child._item?.id;
      const key = id ? `e${id.client}:${id.clock}` : null;
      const block = child instanceof Y.XmlElement ? blockSuggestionOf(child) : null;
      const inside = block ? [...blocks, block] : blocks;
      if (key) for (const b of inside) add(b, key);
      // A proposed change of structure covers its block alone (`b`: not something its author may delete).
      const proposal = child instanceof Y.XmlElement ? decodeBlockProposal(child.getAttribute(BLOCK_PROPOSAL_ATTR)) : null;
      if (proposal && id) add(proposal, `b${id.client}:${id.clock}`);
      if (child instanceof Y.XmlElement) {
        walk(child.toArray(), inside);
        continue;
      }
      const current = new Map<string, unknown>();
      for (let item = child._start; item !== null; item = item.right) {
        if (item.content instanceof Y.ContentFormat) {
          if (item.deleted) continue;
          if (item.content.value === null) current.delete(item.content.key);
          else current.set(item.content.key, item.content.value);
          continue;
        }
        if (item.deleted || !(item.content instanceof Y.ContentString)) continue;
        const ins = current.get(SUGGEST_INSERT);
        const del = current.get(SUGGEST_DELETE);
        const format = current.get(SUGGEST_FORMAT);
        const split = current.get(SUGGEST_SPLIT);
        // Most of a section is plain text: only marked characters are listed, one by one.
        if (ins == null && del == null && format == null && split == null) continue;
        const marks = [ins, del, format, split].filter(isSuggestionAttrs);
        for (let i = 0; i < item.length; i++) {
          const c = `${item.id.client}:${item.id.clock + i}`;
          for (const mark of marks) add(mark, c);
          if (isSuggestionAttrs(ins)) insertions.add(c);
          if (ins != null && del != null) double.add(c);
        }
      }
    }
  };
  walk(blocks, []);
  return { covered, insertions, double };
}
