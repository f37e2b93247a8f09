import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { unsavedText } from '../../client/sync/unsavedText.ts';

describe('unsavedText', () => {
  it("quotes this page's words typed after what the server stored, not others' nor deleted ones", () => {
    const other = new Y.Doc();
    other.getText('t').insert(0, 'Shared start. ');
    const page = new Y.Doc();
    Y.applyUpdate(page, Y.encodeStateAsUpdate(other));
    const text = page.getText('t');
    text.insert(text.length, 'Stored words.');
    const stored = Y.getState(page.store, page.clientID);
    text.insert(text.length, ' Refused words');
    text.insert(text.length, ' and typos');
    text.delete(text.length - ' and typos'.length, ' and typos'.length);
    other.getText('t').insert(0, 'Theirs. ');
    Y.applyUpdate(page, Y.encodeStateAsUpdate(other));
    expect(unsavedText(page, page.clientID, stored)).toBe('Refused words');
    // A clock inside a run of typing quotes from there on.
    expect(unsavedText(page, page.clientID, stored - 'words.'.length)).toBe('words. Refused words');
    expect(unsavedText(page, page.clientID, Y.getState(page.store, page.clientID))).toBe('');
  });

  it('shortens long typing', () => {
    const page = new Y.Doc();
    page.getText('t').insert(0, 'x'.repeat(1000));
    const quoted = unsavedText(page, page.clientID, 0);
    expect(quoted.length).toBeLessThan(300);
    expect(quoted.endsWith('…')).toBe(true);
  });
});
