import type { Member } from '../../../shared/api/index.ts';

/** The `@…` being typed just before the caret: its text and where its `@` is. */
export interface MentionQuery {
  text: string;
  at: number;
}

/** How many members the box suggests at once. */
const MAX_SUGGESTIONS = 6;

/** The mention being typed at the caret, if any: `@` at the start or after a space, then a name. */
export function mentionQueryAt(text: string, caret: number): MentionQuery | null {
  const match = /(^|\s)@([^\s@[\]()]{0,40})$/.exec(text.slice(0, caret));
  return match ? { text: match[2]!, at: caret - match[2]!.length - 1 } : null;
}

/** Members whose name or organisation contains what was typed after the `@`. */
export function matchMembers(members: Member[], query: MentionQuery | null): Member[] {
  if (!query) return [];
  const q = query.text.toLowerCase();
  return members.filter((m) => m.name.toLowerCase().includes(q) || m.organisation.name.toLowerCase().includes(q)).slice(0, MAX_SUGGESTIONS);
}

/**
 * Replaces the typed `@…` (from `query.at` to the caret) with `@[Name](userId) `; returns the new
 * text and where the caret goes. Brackets and line breaks in a name would end the mention early.
 */
export function insertMention(value: string, query: MentionQuery, caret: number, member: Member): { value: string; caret: number } {
  const name = member.name.replace(/[\]\n]/g, ' ');
  const insert = `@[${name}](${member.userId}) `;
  return { value: value.slice(0, query.at) + insert + value.slice(caret), caret: query.at + insert.length };
}
