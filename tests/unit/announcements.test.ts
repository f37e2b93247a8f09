import { describe, expect, it } from 'vitest';
import type { Thread } from '../../shared/api/index.ts';
import type { AwarenessUser } from '../../shared/protocol.ts';
import { connectionAnnouncement } from '../../client/editor/ConnectionStatusView.tsx';
import { presenceChanges } from '../../client/editor/PresenceList.tsx';
import { newCommentsFromOthers } from '../../client/features/comments/useNewCommentAnnouncer.ts';
import { toolbarButtonName } from '../../client/editor/Toolbar.tsx';

/**
 * What the open section says to a screen reader user without moving their focus (issue #17), and
 * the toolbar's accessible names. The browser tests see the regions on the page; these pin down
 * the rules: problems and recovery are announced but not every save, only others come and go,
 * only others' new comments are news.
 */
describe('what the connection line announces', () => {
  it('announces problems and the Saved that ends them, not the Saving/Saved of every few keystrokes', () => {
    const said: string[] = [];
    let troubled = false;
    let previous: Parameters<typeof connectionAnnouncement>[0] = null;
    for (const state of ['connecting', 'saved', 'saving', 'saved', 'saving', 'saved', 'offline', 'connecting', 'saving', 'saved', 'saving', 'saved', 'failing', 'saved'] as const) {
      if (connectionAnnouncement(previous, state, troubled) === 'announce') {
        said.push(state);
        troubled = state !== 'saved';
      }
      previous = state;
    }
    expect(said).toEqual(['offline', 'saved', 'failing', 'saved']);
  });

  it('announces a section closing, once', () => {
    expect(connectionAnnouncement('saved', 'closed', false)).toBe('announce');
    expect(connectionAnnouncement('closed', 'closed', true)).toBe('silent');
  });
});

const person = (id: string, name: string): AwarenessUser =>
  ({ id, name, organisation: 'Ministry of Justice', side: 'government', color: '#1d4ed8' }) as AwarenessUser;

describe('who came and who went', () => {
  it('names others who joined or left, never oneself', () => {
    const me = { user: person('u1', 'Olga'), isSelf: true };
    const ihar = { user: person('u2', 'Ihar'), isSelf: false };
    const maryna = { user: person('u3', 'Maryna'), isSelf: false };
    expect(presenceChanges([me], [me, ihar])).toEqual({ joined: [ihar.user], left: [] });
    expect(presenceChanges([me, ihar], [me, maryna])).toEqual({ joined: [maryna.user], left: [ihar.user] });
    expect(presenceChanges([], [me])).toEqual({ joined: [], left: [] });
  });
});

const comment = (id: string, authorId: string, deletedAt: string | null = null) =>
  ({ id, threadId: 't', authorId, authorName: authorId, organisation: 'Org', side: 'government', organisationVerified: true, body: 'x', mentions: [], createdAt: '', editedAt: null, deletedAt }) as Thread['comments'][number];
const thread = (id: string, comments: Thread['comments']) => ({ id, comments }) as Thread;

describe('which new comments are announced', () => {
  it("others' new comments, not one's own, not those already there, not deleted ones", () => {
    const before = [thread('a', [comment('c1', 'them')])];
    const after = [thread('a', [comment('c1', 'them'), comment('c2', 'me'), comment('c3', 'them')]), thread('b', [comment('c4', 'them', '2026-01-01')])];
    expect(newCommentsFromOthers(before, after, 'me').map((c) => c.id)).toEqual(['c3']);
  });
});

describe("the toolbar buttons' accessible names", () => {
  it('hold the words on the button, and the tooltip', () => {
    expect(toolbarButtonName('B', 'Bold')).toBe('Bold');
    expect(toolbarButtonName('• List', 'Bulleted list')).toBe('Bulleted list');
    // A word inside a longer word is not the word on the button (Russian, Belarusian prefixes).
    expect(toolbarButtonName('Комментировать', 'Прокомментировать выделенный фрагмент')).toBe('Комментировать — Прокомментировать выделенный фрагмент');
    expect(toolbarButtonName('↶ Undo', 'Undo my last change')).toBe('Undo my last change');
    expect(toolbarButtonName('H2', 'Heading level 2')).toBe('H2 — Heading level 2');
    expect(toolbarButtonName('1. List', 'Numbered list')).toBe('1. List — Numbered list');
    expect(toolbarButtonName('Ж', 'Тлусты')).toBe('Ж — Тлусты');
  });
});
