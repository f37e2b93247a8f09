import type { Member } from '../../../shared/api/index.ts';
import { replaceShown } from './mentionMarkup.ts';

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
 * Replaces the typed `@…` (from `query.at` to the caret, where the box shows them) with the
 * mention `@[Name](userId) ` in the markup; returns the new markup and where the caret goes in the
 * box, which shows the mention as `@Name `. Brackets and line breaks in a name would end the
 * mention early.
 */
export function insertMention(markup: string, query: MentionQuery, caret: number, member: Member): { value: string; caret: number } {
  const name = member.name.replace(/[\]\n]/g, ' ');
  const value = replaceShown(markup, query.at, caret, `@[${name}](${member.userId}) `);
  return { value, caret: query.at + `@${name} `.length };
}
