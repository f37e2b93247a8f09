import { useEditorState, type Editor } from '@tiptap/react';
import { useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { withWebScheme } from '../ui/webAddress.ts';
import { moveRovingFocus } from '../ui/rovingFocus.ts';

interface Props {
  editor: Editor;
  disabled: boolean;
  /** Suggesting mode: words, bold, italic, links, headings and list types can be proposed, so the other buttons are off. */
  suggesting?: boolean;
  /** Starts a comment on the selected words; the button shows when given. */
  onComment?: () => void;
}

/** The buttons that stay on in suggesting mode: what they do can be proposed (bold, italic, a link, a heading, a list's type) or changes no text. */
const TEXT_ONLY_KEYS = new Set(['bold', 'italic', 'link', 'heading2', 'heading3', 'bulletList', 'orderedList', 'undo', 'redo', 'comment']);

/** Only web and mail links: no javascript: or data: URLs in a published plan. */
export function normaliseLink(raw: string): string | null {
  const withScheme = withWebScheme(raw);
  if (!withScheme) return null;
  try {
    const url = new URL(withScheme);
    return ['http:', 'https:', 'mailto:'].includes(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

/** The letters and digits of a label, lower case: what a speech user says and axe compares. */
const spoken = (label: string) => label.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();

/**
 * A toolbar button's accessible name: its tooltip (the full label) when that already holds the
 * words on the button ("B" in "Bold", "List" in "Bulleted list"), otherwise the words on the button
 * first, then the tooltip ("H2 — Heading level 2"). Someone using speech input says what they see;
 * a screen reader user hears what the tooltip says (WCAG 2.5.3, label in name).
 */
export function toolbarButtonName(visible: string, tooltip: string): string {
  const shown = spoken(visible);
  // Whole words only: Russian "Комментировать" hides inside "Прокомментировать", but neither a
  // speech user nor axe counts that as the same word. A single letter ("B") stands for a word it begins.
  const said = spoken(tooltip);
  const held = !shown || (shown.length === 1 ? said.split(' ').some((word) => word.startsWith(shown)) : ` ${said} `.includes(` ${shown} `));
  return held ? tooltip : `${visible} — ${tooltip}`;
}

/**
 * The formatting toolbar. One tab stop; arrow keys move between buttons (WAI-ARIA toolbar
 * pattern). Undo and redo are the collaboration undo: only the person's own changes.
 */
export function Toolbar({ editor, disabled, suggesting = false, onComment }: Props) {
  const { t } = useTranslation();
  const toolbarRef = useRef<HTMLDivElement>(null);
  const [linkOpen, setLinkOpen] = useState(false);
  const [linkValue, setLinkValue] = useState('');
  const [linkError, setLinkError] = useState<string | null>(null);
  const linkInputId = useId();

  const s = useEditorState({
    editor,
    selector: ({ editor: e }) => ({
      bold: e.isActive('bold'),
      italic: e.isActive('italic'),
      h2: e.isActive('heading', { level: 2 }),
      h3: e.isActive('heading', { level: 3 }),
      bullet: e.isActive('bulletList'),
      ordered: e.isActive('orderedList'),
      link: e.isActive('link'),
      table: e.isActive('table'),
      href: (e.getAttributes('link').href as string | undefined) ?? '',
      canUndo: e.can().undo(),
      canRedo: e.can().redo(),
      hasSelection: !e.state.selection.empty,
    }),
  });

  const chain = () => editor.chain().focus();
  // In Suggesting mode a heading or list button proposes the change (suggestBlocks.ts).
  const heading = (level: 2 | 3) => (suggesting ? chain().proposeStructure({ kind: 'heading', level }) : chain().toggleHeading({ level })).run();
  const list = (type: 'bulletList' | 'orderedList') =>
    (suggesting ? chain().proposeStructure({ kind: 'list', list: type }) : type === 'bulletList' ? chain().toggleBulletList() : chain().toggleOrderedList()).run();

  const buttons: Array<{ key: string; active?: boolean; run: () => void; enabled?: boolean; short: string; testId: string }> = [
    { key: 'bold', active: s.bold, run: () => chain().toggleBold().run(), short: t('editor.toolbar.boldShort'), testId: 'tb-bold' },
    { key: 'italic', active: s.italic, run: () => chain().toggleItalic().run(), short: t('editor.toolbar.italicShort'), testId: 'tb-italic' },
    { key: 'heading2', active: s.h2, run: () => heading(2), short: t('editor.toolbar.heading2Short'), testId: 'tb-h2' },
    { key: 'heading3', active: s.h3, run: () => heading(3), short: t('editor.toolbar.heading3Short'), testId: 'tb-h3' },
    { key: 'bulletList', active: s.bullet, run: () => list('bulletList'), short: t('editor.toolbar.bulletListShort'), testId: 'tb-bullet' },
    { key: 'orderedList', active: s.ordered, run: () => list('orderedList'), short: t('editor.toolbar.orderedListShort'), testId: 'tb-ordered' },
    {
      key: 'link',
      active: s.link,
      run: () => {
        setLinkValue(s.href);
        setLinkError(null);
        setLinkOpen((o) => !o);
      },
      short: t('editor.toolbar.linkShort'),
      testId: 'tb-link',
    },
    {
      key: 'table',
      enabled: !s.table,
      run: () => chain().insertTable({ rows: 3, cols: 3, withHeaderRow: true }).run(),
      short: t('editor.toolbar.tableShort'),
      testId: 'tb-table',
    },
    { key: 'undo', enabled: s.canUndo, run: () => chain().undo().run(), short: t('editor.toolbar.undoShort'), testId: 'tb-undo' },
    { key: 'redo', enabled: s.canRedo, run: () => chain().redo().run(), short: t('editor.toolbar.redoShort'), testId: 'tb-redo' },
  ];
  if (onComment) {
    buttons.push({ key: 'comment', enabled: s.hasSelection, run: onComment, short: t('editor.toolbar.commentShort'), testId: 'tb-comment' });
  }

  function applyLink(e: FormEvent) {
    e.preventDefault();
    if (!linkValue.trim()) {
      chain().extendMarkRange('link').unsetLink().run();
      setLinkOpen(false);
      return;
    }
    const href = normaliseLink(linkValue);
    if (!href) {
      setLinkError(t('editor.link.invalidAddress'));
      return;
    }
    chain().extendMarkRange('link').setLink({ href }).run();
    setLinkOpen(false);
  }

  return (
    <div className="toolbar-wrap">
      <div
        ref={toolbarRef}
        className="toolbar"
        role="toolbar"
        aria-label={t('editor.toolbar.label')}
        aria-disabled={disabled || undefined}
        onKeyDown={(e) => moveRovingFocus(e, 'button.tb-button')}
        data-testid="editor-toolbar"
      >
        {buttons.map((b, i) => (
          <button
            key={b.key}
            type="button"
            className={`tb-button tb-button--${b.key}${b.active ? ' is-active' : ''}`}
            aria-pressed={b.active === undefined ? undefined : b.active}
            aria-label={toolbarButtonName(b.short, t(`editor.toolbar.${b.key}`))}
            title={t(`editor.toolbar.${b.key}`)}
            tabIndex={i === 0 ? 0 : -1}
            disabled={disabled || b.enabled === false || (suggesting && !TEXT_ONLY_KEYS.has(b.key))}
            onMouseDown={(e) => e.preventDefault()}
            onClick={b.run}
            data-testid={b.testId}
          >
            <span aria-hidden="true">{b.short}</span>
          </button>
        ))}
      </div>
      {linkOpen && !disabled && (
        // noValidate: the browser's own check of type="url" refused "example.org/report" before normaliseLink could add https://.
        <form className="link-form" onSubmit={applyLink} noValidate data-testid="link-form">
          <label htmlFor={linkInputId}>{t('editor.link.label')}</label>
          <input
            id={linkInputId}
            type="url"
            value={linkValue}
            placeholder="https://"
            onChange={(e) => setLinkValue(e.target.value)}
            aria-invalid={linkError ? true : undefined}
            autoFocus
            onKeyDown={(e) => {
              if (e.key === 'Escape') {
                setLinkOpen(false);
                editor.commands.focus();
              }
            }}
          />
          <button type="submit" className="button button--secondary">
            {t('editor.link.apply')}
          </button>
          {s.link && (
            <button
              type="button"
              className="button button--link"
              onClick={() => {
                chain().extendMarkRange('link').unsetLink().run();
                setLinkOpen(false);
              }}
            >
              {t('editor.link.remove')}
            </button>
          )}
          {linkError && (
            <p className="field__error" role="alert">
              {linkError}
            </p>
          )}
        </form>
      )}
    </div>
  );
}
