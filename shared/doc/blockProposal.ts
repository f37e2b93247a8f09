/**
 * Proposed changes of structure (Suggesting mode): a heading's level (or a heading made a
 * paragraph, a paragraph made a heading), a list's type, a paragraph split in two, two paragraphs
 * joined. Like formatting proposals (formatProposal.ts), the text keeps its present structure
 * until someone accepts.
 *
 * - Heading level, list type and joining are an attribute of the block concerned,
 *   `proposal`, holding a flat JSON string {id, author, at, kind, …}: the editor binding compares
 *   attribute values by identity, and a string compares equal however often it is written back.
 *   A join is proposed on the second block (join it to the one before).
 * - A split is a mark, `suggestionSplit` {id, author, at}, on the first character of what would
 *   become the new paragraph. Not the words moved into a new paragraph: in Yjs moving words means
 *   deleting them and typing them again, which loses comments anchored to them and whatever
 *   someone else types into them meanwhile, and the server refuses a suggesting person's
 *   deletion of words that are not their own proposal.
 */

export const BLOCK_PROPOSAL_ATTR = 'proposal';
export const SUGGEST_SPLIT = 'suggestionSplit';

export const LIST_TYPES = ['bulletList', 'orderedList'] as const;
export type ListType = (typeof LIST_TYPES)[number];

/** What a block proposal asks. Level 0 in a heading change means "a normal paragraph". */
export type BlockChange = { kind: 'heading'; level: number } | { kind: 'list'; list: ListType } | { kind: 'join' };
/** What a card and a decision record show: the block changes and a split. */
export type StructureChange = BlockChange | { kind: 'split' };

/** The nodes that may carry each kind of proposal. */
const CARRIERS: Record<BlockChange['kind'], readonly string[]> = {
  heading: ['paragraph', 'heading'],
  list: LIST_TYPES,
  join: ['paragraph', 'heading'],
};
/** Every node type that may carry a block proposal (the editor schema's global attribute). */
export const BLOCK_PROPOSAL_NODES = ['paragraph', 'heading', ...LIST_TYPES];
/** Blocks a paragraph or heading may be joined to, and split within. */
export const TEXT_BLOCKS = ['paragraph', 'heading'];

const MAX_LEVEL = 6;

/** Whether a value is a well-formed change (id, author and time are checked with the other marks). */
export function isBlockChange(value: unknown): value is BlockChange {
  if (!value || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  if (v.kind === 'heading') return Number.isInteger(v.level) && (v.level as number) >= 0 && (v.level as number) <= MAX_LEVEL;
  if (v.kind === 'list') return (LIST_TYPES as readonly unknown[]).includes(v.list);
  return v.kind === 'join';
}

export function isStructureChange(value: unknown): value is StructureChange {
  return isBlockChange(value) || (!!value && typeof value === 'object' && (value as { kind?: unknown }).kind === 'split');
}

/** The change alone, without id, author and time (what a card and a record keep). */
export function blockChangeOf(value: BlockChange): BlockChange {
  if (value.kind === 'heading') return { kind: 'heading', level: value.level };
  if (value.kind === 'list') return { kind: 'list', list: value.list };
  return { kind: 'join' };
}

export function sameBlockChange(a: BlockChange, b: BlockChange): boolean {
  return JSON.stringify(blockChangeOf(a)) === JSON.stringify(blockChangeOf(b));
}

/** Whether a node of this type may carry this change. */
export function carriesChange(nodeName: string, change: BlockChange): boolean {
  return CARRIERS[change.kind].includes(nodeName);
}

/** Whether the block is already what the change asks (accepting it changes nothing). */
export function alreadyStructured(nodeName: string, level: unknown, change: BlockChange): boolean {
  if (change.kind === 'heading') return change.level === 0 ? nodeName === 'paragraph' : nodeName === 'heading' && Number(level) === change.level;
  if (change.kind === 'list') return nodeName === change.list;
  return false;
}

/** For the audit log and notices (English, like the rest of them): "make “words” a heading of level 2". */
export function describeStructure(change: StructureChange, quoted: string): string {
  switch (change.kind) {
    case 'heading':
      return change.level === 0 ? `make ${quoted} a normal paragraph` : `make ${quoted} a heading of level ${change.level}`;
    case 'list':
      return `make the list ${quoted} ${change.list === 'orderedList' ? 'numbered' : 'bulleted'}`;
    case 'join':
      return `join ${quoted} to the paragraph before`;
    case 'split':
      return `start a new paragraph at ${quoted}`;
  }
}
