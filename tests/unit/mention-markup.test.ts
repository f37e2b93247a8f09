import { describe, expect, it } from 'vitest';
import type { Member } from '../../shared/api/index.ts';
import { applyShownEdit, displayOf } from '../../client/features/comments/mentionMarkup.ts';
import { insertMention, mentionQueryAt } from '../../client/features/comments/mentions.ts';

/**
 * The comment box shows `@Name` where the comment holds `@[Name](userId)`: what a person types in
 * what is shown lands in the right place of the markup, and a mention survives edits around it.
 */
const OLGA = '@[Olga Coordinator](olga-user-0001)';
const olga = { userId: 'olga-user-0001', name: 'Olga Coordinator', organisation: { name: 'Ministry' } } as unknown as Member;

/** Types `text` at `at` in what the box shows, as a textarea's change event would report it. */
function typeAt(markup: string, at: number, text: string): string {
  const shown = displayOf(markup);
  return applyShownEdit(markup, shown.slice(0, at) + text + shown.slice(at), at + text.length);
}
function deleteRange(markup: string, start: number, end: number): string {
  const shown = displayOf(markup);
  return applyShownEdit(markup, shown.slice(0, start) + shown.slice(end), start);
}

describe('the comment box shows mentions as names', () => {
  it('shows every mention as @Name and plain text as it is', () => {
    expect(displayOf(`${OLGA} please check. Cc ${OLGA}`)).toBe('@Olga Coordinator please check. Cc @Olga Coordinator');
    expect(displayOf('no mention [here](x)')).toBe('no mention [here](x)');
  });

  it('inserts a chosen member as a mention in the markup and puts the caret after the name shown', () => {
    const shown = 'Hello @Ol';
    const query = mentionQueryAt(shown, shown.length)!;
    const next = insertMention('Hello @Ol', query, shown.length, olga);
    expect(next.value).toBe(`Hello ${OLGA} `);
    expect(displayOf(next.value)).toBe('Hello @Olga Coordinator ');
    expect(next.caret).toBe('Hello @Olga Coordinator '.length);
  });

  it('keeps a mention whole when typing before, after or in between mentions', () => {
    const markup = `${OLGA} yes`;
    expect(typeAt(markup, 0, 'Dear ')).toBe(`Dear ${OLGA} yes`);
    expect(typeAt(markup, displayOf(markup).length, ', agreed')).toBe(`${OLGA} yes, agreed`);
    expect(typeAt(markup, '@Olga Coordinator'.length, ',')).toBe(`${OLGA}, yes`);
    // The same letter as the one before the caret (an ambiguous change) lands at the caret.
    expect(typeAt(`${OLGA} see`, '@Olga Coordinator se'.length, 'e')).toBe(`${OLGA} seee`);
  });

  it('turns a mention that an edit cuts into into the plain text it showed', () => {
    const markup = `${OLGA} yes`;
    const end = '@Olga Coordinator'.length;
    expect(deleteRange(markup, end - 1, end)).toBe('@Olga Coordinato yes');
    expect(typeAt(markup, 5, 'X')).toBe('@OlgaX Coordinator yes');
    expect(deleteRange(markup, 0, end + 1)).toBe('yes');
  });

  it('replaces a selection that spans text and a mention', () => {
    const markup = `Ask ${OLGA} now`;
    const shown = displayOf(markup);
    const next = shown.slice(0, 2) + 'k' + shown.slice(shown.indexOf(' now'));
    expect(applyShownEdit(markup, next, 3)).toBe('Ask now');
  });
});
