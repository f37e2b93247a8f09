import { useId, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Member } from '../../../shared/api/index.ts';
import { applyShownEdit, displayOf } from './mentionMarkup.ts';
import { insertMention, matchMembers, mentionQueryAt, type MentionQuery } from './mentions.ts';

interface MentionBoxProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  members: Member[];
  testId: string;
  autoFocus?: boolean;
  onSubmitShortcut?: () => void;
  onEscape?: () => void;
}

/**
 * A textarea where typing `@` suggests plan members and inserts a mention. `value` is the markup
 * (`@[Name](userId)`, what is sent); the box shows and edits it as `@Name` (mentionMarkup.ts).
 * Focus never leaves the textarea (a combobox): the highlighted option is named by
 * aria-activedescendant, and pressing on the list does not take focus, so leaving the textarea
 * closes the list at once.
 */
export function MentionBox({ label, value, onChange, members, testId, autoFocus, onSubmitShortcut, onEscape }: MentionBoxProps) {
  const { t } = useTranslation();
  const id = useId();
  const listId = `${id}-mentions`;
  const ref = useRef<HTMLTextAreaElement>(null);
  const [query, setQuery] = useState<MentionQuery | null>(null);
  const [index, setIndex] = useState(0);
  // Where the caret goes once the text with the inserted mention is rendered.
  const caretAfterInsert = useRef<number | null>(null);

  const suggestions = useMemo(() => matchMembers(members, query), [members, query]);
  const shown = useMemo(() => displayOf(value), [value]);

  useLayoutEffect(() => {
    const pos = caretAfterInsert.current;
    if (pos === null) return;
    caretAfterInsert.current = null;
    ref.current?.setSelectionRange(pos, pos);
  }, [value]);

  function detect(text: string, caret: number) {
    setQuery(mentionQueryAt(text, caret));
    setIndex(0);
  }

  function choose(member: Member) {
    if (!query) return;
    const next = insertMention(value, query, ref.current?.selectionStart ?? shown.length, member);
    caretAfterInsert.current = next.caret;
    onChange(next.value);
    setQuery(null);
  }

  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (query && suggestions.length > 0) {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        setIndex((i) => (i + (e.key === 'ArrowDown' ? 1 : -1) + suggestions.length) % suggestions.length);
        return;
      }
      if (e.key === 'Enter' || e.key === 'Tab') {
        e.preventDefault();
        choose(suggestions[index] ?? suggestions[0]!);
        return;
      }
      if (e.key === 'Escape') {
        e.preventDefault();
        setQuery(null);
        return;
      }
    }
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && onSubmitShortcut) {
      e.preventDefault();
      onSubmitShortcut();
    }
    if (e.key === 'Escape' && onEscape) onEscape();
  }

  const open = query !== null && suggestions.length > 0;
  return (
    <div className="field mention-box">
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        ref={ref}
        value={shown}
        rows={3}
        maxLength={10_000}
        autoFocus={autoFocus}
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls={open ? listId : undefined}
        aria-activedescendant={open ? `${listId}-${index}` : undefined}
        aria-describedby={`${id}-hint`}
        onChange={(e) => {
          const caret = e.target.selectionStart ?? e.target.value.length;
          onChange(applyShownEdit(value, e.target.value, caret));
          detect(e.target.value, caret);
        }}
        onKeyDown={onKeyDown}
        onBlur={() => setQuery(null)}
        data-testid={testId}
      />
      <p className="field__hint small" id={`${id}-hint`}>
        {t('comments.mentionHint')}
      </p>
      {open && (
        <ul
          className="mention-box__list"
          role="listbox"
          id={listId}
          aria-label={t('comments.mentionSuggestions')}
          data-testid="mention-suggestions"
          // Pressing anywhere on the list keeps focus in the textarea, so it does not blur and close.
          onMouseDown={(e) => e.preventDefault()}
        >
          {suggestions.map((m, i) => (
            <li
              key={m.userId}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === index}
              className={`mention-box__option${i === index ? ' is-active' : ''}`}
              onMouseDown={(e) => {
                e.preventDefault();
                choose(m);
              }}
              data-testid="mention-option"
            >
              <strong>{m.name}</strong> <span className="muted small">{m.organisation.name}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
