import Collaboration from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import { EditorContent, useEditor } from '@tiptap/react';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { sectionExtensions } from '../../shared/doc/extensions.ts';
import { getSectionBody } from '../../shared/doc/schema.ts';
import type { AwarenessUser } from '../../shared/protocol.ts';
import type { SectionConnection } from '../sync/sectionConnection.ts';
import { Toolbar } from './Toolbar.tsx';

function isHexColor(c: unknown): c is string {
  return typeof c === 'string' && /^#[0-9a-fA-F]{6}$/.test(c);
}

/** Another person's caret: their name and organisation, in the organisation's colour. */
function renderCaret(user: Record<string, unknown>): HTMLElement {
  const color = isHexColor(user.color) ? user.color : '#505a5f';
  const caret = document.createElement('span');
  caret.className = 'collab-caret';
  caret.style.borderColor = color;
  const label = document.createElement('span');
  label.className = 'collab-caret__label';
  label.style.backgroundColor = color;
  const name = typeof user.name === 'string' ? user.name : '';
  const org = typeof user.organisation === 'string' ? user.organisation : '';
  label.textContent = org ? `${name} · ${org}` : name;
  caret.appendChild(label);
  return caret;
}

interface Props {
  connection: SectionConnection;
  user: AwarenessUser;
  editable: boolean;
  title: string;
}

/**
 * The live section editor: the shared schema (sectionExtensions) plus Yjs collaboration and
 * carets. Mounted only once the connection is ready, so the first render is the synced document.
 */
export function SectionEditor({ connection, user, editable, title }: Props) {
  const { t } = useTranslation();

  const editor = useEditor(
    {
      extensions: [
        ...sectionExtensions(),
        Collaboration.configure({ fragment: getSectionBody(connection.doc) }),
        CollaborationCaret.configure({ provider: connection.provider, user, render: renderCaret }),
      ],
      editable,
      immediatelyRender: true,
      shouldRerenderOnTransaction: false,
      editorProps: {
        attributes: {
          class: 'prose',
          role: 'textbox',
          'aria-multiline': 'true',
          'aria-label': t('editor.label', { title }),
        },
      },
    },
    [connection],
  );

  useEffect(() => {
    if (editor && editor.isEditable !== editable) editor.setEditable(editable);
  }, [editor, editable]);

  useEffect(() => {
    if (!editor) return;
    editor.setOptions({
      editorProps: {
        attributes: {
          class: 'prose',
          role: 'textbox',
          'aria-multiline': 'true',
          'aria-readonly': editable ? 'false' : 'true',
          'aria-label': t('editor.label', { title }),
        },
      },
    });
  }, [editor, editable, title, t]);

  if (!editor) return null;
  return (
    <div className={`editor${editable ? '' : ' editor--readonly'}`}>
      {editable && <Toolbar editor={editor} disabled={!editable} />}
      <div className="editor__content" data-testid="section-editor">
        <EditorContent editor={editor} />
      </div>
    </div>
  );
}
