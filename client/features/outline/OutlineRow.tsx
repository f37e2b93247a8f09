import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router';
import type { Section } from '../../../shared/api/index.ts';
import { SectionStatusBadge } from '../agreement/SectionStatusBadge.tsx';
import { StatusIcon } from '../agreement/StatusIcon.tsx';
import { moveRovingFocus } from '../../ui/rovingFocus.ts';

export interface ItemRowProps {
  kind: 'chapter' | 'section';
  title: string;
  number: string;
  to?: string;
  active?: boolean;
  section?: Section;
  canManage: boolean;
  busy: boolean;
  /** The page cannot reach the server: moving, renaming and deleting wait, and say why. */
  offline: boolean;
  isFirst: boolean;
  isLast: boolean;
  onRename: (title: string) => Promise<boolean>;
  onMove: (delta: -1 | 1) => void;
  /** False for an agreed section or a chapter holding one: moving it to the bin is not offered. */
  mayDelete: boolean;
  onDelete: () => void;
}

/**
 * One chapter or section in the outline: its number and title (a link), a section's status, and
 * for a coordinator the buttons that move, rename or delete it, on the line under the title.
 */
export function ItemRow(props: ItemRowProps) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState(props.title);
  const testId = props.kind === 'chapter' ? 'outline-chapter' : 'outline-section';
  const renameId = useId();

  if (editing) {
    return (
      <form
        className="outline__rename"
        onSubmit={async (e: FormEvent) => {
          e.preventDefault();
          const title = value.trim();
          if (!title || title === props.title) {
            setEditing(false);
            return;
          }
          if (await props.onRename(title)) setEditing(false);
        }}
      >
        <label className="visually-hidden" htmlFor={renameId}>
          {t('outline.renameLabel', { title: props.title })}
        </label>
        <input
          id={renameId}
          value={value}
          onChange={(e) => setValue(e.target.value)}
          autoFocus
          maxLength={300}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              setValue(props.title);
              setEditing(false);
            }
          }}
          data-testid={`rename-${props.kind}-input`}
        />
        <button type="submit" className="button button--secondary button--small" disabled={props.busy || props.offline}>
          {t('common.save')}
        </button>
        <button type="button" className="button button--link button--small" onClick={() => setEditing(false)}>
          {t('common.cancel')}
        </button>
      </form>
    );
  }

  // A coordinator's buttons for the row (move, rename, delete) sit on a line of their own under
  // the title, beside a section's status: always there to be found, by mouse, touch or keyboard,
  // and never over the title.
  const off = props.busy || props.offline;
  // Offline, a button's tooltip says why it is off (the outline says so too, once, above).
  const why = props.offline ? t('sync.needsConnection') : undefined;
  const actions = props.canManage ? (
    // One Tab stop per row, not four: arrow keys move between the row's buttons (the mouse
    // uses them as before). The group is named after the row, so it is clear what they act on.
    <span className="outline__actions" role="toolbar" aria-label={t('outline.rowActions', { title: props.title })} onKeyDown={(e) => moveRovingFocus(e, 'button.icon-button')}>
      <IconButton label={t('outline.moveUp', { title: props.title })} glyph="↑" disabled={off || props.isFirst} why={why} onClick={() => props.onMove(-1)} testId={`${props.kind}-move-up`} tabStop={!props.isFirst} />
      <IconButton label={t('outline.moveDown', { title: props.title })} glyph="↓" disabled={off || props.isLast} why={why} onClick={() => props.onMove(1)} testId={`${props.kind}-move-down`} tabStop={props.isFirst && !props.isLast} />
      <IconButton
        label={t('outline.rename', { title: props.title })}
        glyph="✎"
        disabled={off}
        why={why}
        onClick={() => {
          setValue(props.title);
          setEditing(true);
        }}
        testId={`${props.kind}-rename`}
        tabStop={props.isFirst && props.isLast}
      />
      {props.mayDelete && (
        <IconButton label={t('outline.delete', { title: props.title })} glyph="✕" disabled={off} why={why} onClick={props.onDelete} testId={`${props.kind}-delete`} />
      )}
    </span>
  ) : null;
  const link = props.to ? (
    <NavLink to={props.to} className="outline__link" aria-current={props.active ? 'page' : undefined} data-testid={testId}>
      {props.title}
    </NavLink>
  ) : (
    <span className="outline__title" data-testid={testId}>
      {props.title}
    </span>
  );
  return (
    <div className={`outline__row outline__row--${props.kind}${props.active ? ' is-active' : ''}`}>
      <span className="outline__number" aria-hidden="true">
        {props.number}
      </span>
      {props.section || actions ? (
        <span className="outline__main">
          {link}
          <span className="outline__meta">
            {props.section && <SectionState section={props.section} />}
            {actions}
          </span>
        </span>
      ) : (
        link
      )}
    </div>
  );
}

/** A section's status under its title; when agreed, a lock and who signed. */
function SectionState({ section }: { section: Section }) {
  const { t } = useTranslation();
  const signers = section.signedBy
    .map((s) => t(s.verified ? 'outline.signer' : 'outline.signerUnverified', { name: s.name, organisation: s.organisation }))
    .join(', ');
  return (
    <span className="outline__state">
      <SectionStatusBadge status={section.status} testId="section-status" />
      {section.openThreads > 0 && (
        <span
          className="outline__threads"
          title={t('outline.openThreads', { count: section.openThreads })}
          data-testid="outline-open-threads"
          data-count={section.openThreads}
        >
          <SpeechBubbleIcon />
          <span aria-hidden="true">{section.openThreads}</span>
          <span className="visually-hidden">{t('outline.openThreads', { count: section.openThreads })}</span>
        </span>
      )}
      {section.status === 'agreed' && signers && (
        <span className="outline__signed" title={t('outline.signedBy', { names: signers })} data-testid="section-signed-by">
          <StatusIcon status="lock" />
          <span className="visually-hidden">{t('outline.locked')} </span>
          {t('outline.signedBy', { names: signers })}
        </span>
      )}
    </span>
  );
}

function SpeechBubbleIcon() {
  return (
    <svg width={14} height={14} viewBox="0 0 16 16" aria-hidden="true" focusable="false" className="status-icon">
      <path d="M2 3h12v8H7l-3 3v-3H2z" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinejoin="round" />
    </svg>
  );
}

/** `tabStop`: the row's first usable button, where Tab enters the row's group (rovingFocus.ts). */
function IconButton({ label, glyph, disabled, why, onClick, testId, tabStop = false }: { label: string; glyph: string; disabled: boolean; why?: string; onClick: () => void; testId: string; tabStop?: boolean }) {
  return (
    <button type="button" className="icon-button" aria-label={label} title={why ? `${label}. ${why}` : label} disabled={disabled} onClick={onClick} data-testid={testId} tabIndex={tabStop ? 0 : -1}>
      <span aria-hidden="true">{glyph}</span>
    </button>
  );
}
