import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router';
import type { Chapter, PlanOutline, Section } from '../../../shared/api/index.ts';
import { api } from '../../api/index.ts';
import { SectionStatusBadge } from '../agreement/SectionStatusBadge.tsx';
import { StatusIcon } from '../agreement/StatusIcon.tsx';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { ChapterSignoffRule, useSignoffRules } from '../agreement/ChapterSignoffRule.tsx';
import { describeError } from '../../ui/forms.tsx';
import { moveRovingFocus } from '../../ui/rovingFocus.ts';

interface Props {
  outline: PlanOutline;
  canManage: boolean;
  activeSectionId: string | undefined;
  onOutline: (outline: PlanOutline) => void;
}

type Pending =
  | { kind: 'chapter'; chapter: Chapter }
  | { kind: 'section'; section: Section; chapter: Chapter };

/** Chapters → sections. Coordinators add, rename inline, move and delete (with confirmation). */
export function Outline({ outline, canManage, activeSectionId, onOutline }: Props) {
  const { t } = useTranslation();
  const planId = outline.plan.id;
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [pendingDelete, setPendingDelete] = useState<Pending | null>(null);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const [addingChapter, setAddingChapter] = useState(false);
  const signoffRules = useSignoffRules(planId);

  async function run(action: () => Promise<PlanOutline>): Promise<boolean> {
    setBusy(true);
    setError(null);
    try {
      onOutline(await action());
      return true;
    } catch (err) {
      setError(describeError(err, t).message);
      return false;
    } finally {
      setBusy(false);
    }
  }

  async function confirmDelete() {
    if (!pendingDelete) return;
    setBusy(true);
    setDeleteError(null);
    try {
      const next =
        pendingDelete.kind === 'chapter'
          ? await api.deleteChapter(planId, pendingDelete.chapter.id)
          : await api.deleteSection(planId, pendingDelete.section.id);
      onOutline(next);
      setPendingDelete(null);
    } catch (err) {
      setDeleteError(describeError(err, t).message);
    } finally {
      setBusy(false);
    }
  }

  const chapters = [...outline.chapters].sort((a, b) => a.position - b.position);

  return (
    <nav className="outline" aria-label={t('outline.label')} data-testid="outline">
      <h2 className="outline__heading">{t('outline.heading')}</h2>
      {error && (
        <p className="alert alert--error" role="alert">
          {error}
        </p>
      )}
      {chapters.length === 0 && <p className="muted outline__empty">{canManage ? t('outline.emptyCoordinator') : t('outline.empty')}</p>}
      <ol className="outline__chapters">
        {chapters.map((chapter, ci) => {
          const sections = [...chapter.sections].sort((a, b) => a.position - b.position);
          return (
            <li key={chapter.id} className="outline__chapter">
              <ItemRow
                kind="chapter"
                title={chapter.title}
                number={`${ci + 1}.`}
                canManage={canManage}
                busy={busy}
                isFirst={ci === 0}
                isLast={ci === chapters.length - 1}
                onRename={(title) => run(() => api.updateChapter(planId, chapter.id, { title }))}
                onMove={(delta) => run(() => api.updateChapter(planId, chapter.id, { position: ci + delta }))}
                // A chapter holding an agreed section cannot go to the bin: not offered (the server refuses too).
                mayDelete={!chapter.sections.some((s) => s.status === 'agreed')}
                onDelete={() => {
                  setDeleteError(null);
                  setPendingDelete({ kind: 'chapter', chapter });
                }}
              />
              <ChapterSignoffRule planId={planId} chapter={chapter} rules={signoffRules.rules} canManage={canManage} onChanged={signoffRules.reload} />
              <ol className="outline__sections">
                {sections.map((section, si) => (
                  <li key={section.id} className="outline__section">
                    <ItemRow
                      kind="section"
                      title={section.title}
                      section={section}
                      number={`${ci + 1}.${si + 1}`}
                      to={`/plans/${planId}/sections/${section.id}`}
                      active={section.id === activeSectionId}
                      canManage={canManage}
                      busy={busy}
                      isFirst={si === 0}
                      isLast={si === sections.length - 1}
                      onRename={(title) => run(() => api.updateSection(planId, section.id, { title }))}
                      onMove={(delta) => run(() => api.updateSection(planId, section.id, { position: si + delta }))}
                      mayDelete={section.status !== 'agreed'}
                      onDelete={() => {
                        setDeleteError(null);
                        setPendingDelete({ kind: 'section', section, chapter });
                      }}
                    />
                  </li>
                ))}
              </ol>
              {canManage && (
                <AddForm
                  buttonLabel={t('outline.addSection')}
                  fieldLabel={t('outline.newSectionTitle', { chapter: chapter.title })}
                  testId="add-section"
                  busy={busy}
                  onSubmit={(title) => run(() => api.addSection(planId, chapter.id, title))}
                />
              )}
            </li>
          );
        })}
      </ol>
      {canManage && (
        <AddForm
          buttonLabel={t('outline.addChapter')}
          fieldLabel={t('outline.newChapterTitle')}
          testId="add-chapter"
          busy={busy}
          open={addingChapter}
          onOpenChange={setAddingChapter}
          onSubmit={(title) => run(() => api.addChapter(planId, title))}
        />
      )}
      <ConfirmDialog
        open={pendingDelete !== null}
        title={pendingDelete?.kind === 'chapter' ? t('outline.deleteChapterTitle') : t('outline.deleteSectionTitle')}
        confirmLabel={pendingDelete?.kind === 'chapter' ? t('outline.deleteChapterConfirm') : t('outline.deleteSectionConfirm')}
        onConfirm={() => void confirmDelete()}
        onCancel={() => setPendingDelete(null)}
        busy={busy}
        error={deleteError}
      >
        {pendingDelete?.kind === 'chapter' && (
          <p>
            {t('outline.deleteChapterBody', {
              title: pendingDelete.chapter.title,
              count: pendingDelete.chapter.sections.length,
            })}
          </p>
        )}
        {pendingDelete?.kind === 'section' && (
          <p>{t('outline.deleteSectionBody', { title: pendingDelete.section.title, chapter: pendingDelete.chapter.title })}</p>
        )}
        <p className="muted">{t('outline.deleteWarning')}</p>
      </ConfirmDialog>
    </nav>
  );
}

interface ItemRowProps {
  kind: 'chapter' | 'section';
  title: string;
  number: string;
  to?: string;
  active?: boolean;
  section?: Section;
  canManage: boolean;
  busy: boolean;
  isFirst: boolean;
  isLast: boolean;
  onRename: (title: string) => Promise<boolean>;
  onMove: (delta: -1 | 1) => void;
  /** False for an agreed section or a chapter holding one: moving it to the bin is not offered. */
  mayDelete: boolean;
  onDelete: () => void;
}

function ItemRow(props: ItemRowProps) {
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
        <button type="submit" className="button button--secondary button--small" disabled={props.busy}>
          {t('common.save')}
        </button>
        <button type="button" className="button button--link button--small" onClick={() => setEditing(false)}>
          {t('common.cancel')}
        </button>
      </form>
    );
  }

  return (
    <div className={`outline__row outline__row--${props.kind}${props.active ? ' is-active' : ''}`}>
      <span className="outline__number" aria-hidden="true">
        {props.number}
      </span>
      {props.to && props.section ? (
        <span className="outline__main">
          <NavLink to={props.to} className="outline__link" aria-current={props.active ? 'page' : undefined} data-testid={testId}>
            {props.title}
          </NavLink>
          <SectionState section={props.section} />
        </span>
      ) : props.to ? (
        <NavLink to={props.to} className="outline__link" aria-current={props.active ? 'page' : undefined} data-testid={testId}>
          {props.title}
        </NavLink>
      ) : (
        <span className="outline__title" data-testid={testId}>
          {props.title}
        </span>
      )}
      {props.canManage && (
        // One Tab stop per row, not four: arrow keys move between the row's buttons (the mouse
        // uses them as before). The group is named after the row, so it is clear what they act on.
        <span className="outline__actions" role="toolbar" aria-label={t('outline.rowActions', { title: props.title })} onKeyDown={(e) => moveRovingFocus(e, 'button.icon-button')}>
          <IconButton label={t('outline.moveUp', { title: props.title })} glyph="↑" disabled={props.busy || props.isFirst} onClick={() => props.onMove(-1)} testId={`${props.kind}-move-up`} tabStop={!props.isFirst} />
          <IconButton label={t('outline.moveDown', { title: props.title })} glyph="↓" disabled={props.busy || props.isLast} onClick={() => props.onMove(1)} testId={`${props.kind}-move-down`} tabStop={props.isFirst && !props.isLast} />
          <IconButton
            label={t('outline.rename', { title: props.title })}
            glyph="✎"
            disabled={props.busy}
            onClick={() => {
              setValue(props.title);
              setEditing(true);
            }}
            testId={`${props.kind}-rename`}
            tabStop={props.isFirst && props.isLast}
          />
          {props.mayDelete && (
            <IconButton label={t('outline.delete', { title: props.title })} glyph="✕" disabled={props.busy} onClick={props.onDelete} testId={`${props.kind}-delete`} />
          )}
        </span>
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
function IconButton({ label, glyph, disabled, onClick, testId, tabStop = false }: { label: string; glyph: string; disabled: boolean; onClick: () => void; testId: string; tabStop?: boolean }) {
  return (
    <button type="button" className="icon-button" aria-label={label} title={label} disabled={disabled} onClick={onClick} data-testid={testId} tabIndex={tabStop ? 0 : -1}>
      <span aria-hidden="true">{glyph}</span>
    </button>
  );
}

function AddForm(props: {
  buttonLabel: string;
  fieldLabel: string;
  testId: string;
  busy: boolean;
  open?: boolean;
  onOpenChange?: (open: boolean) => void;
  onSubmit: (title: string) => Promise<boolean>;
}) {
  const { t } = useTranslation();
  const [localOpen, setLocalOpen] = useState(false);
  const open = props.open ?? localOpen;
  const setOpen = props.onOpenChange ?? setLocalOpen;
  const [value, setValue] = useState('');
  const inputId = useId();

  if (!open) {
    return (
      <button type="button" className="button button--link button--small outline__add" onClick={() => setOpen(true)} data-testid={props.testId}>
        + {props.buttonLabel}
      </button>
    );
  }
  return (
    <form
      className="outline__add-form"
      onSubmit={async (e) => {
        e.preventDefault();
        const title = value.trim();
        if (!title) return;
        if (await props.onSubmit(title)) {
          setValue('');
          setOpen(false);
        }
      }}
    >
      <label htmlFor={inputId}>{props.fieldLabel}</label>
      <input
        id={inputId}
        value={value}
        onChange={(e) => setValue(e.target.value)}
        autoFocus
        maxLength={300}
        onKeyDown={(e) => {
          if (e.key === 'Escape') setOpen(false);
        }}
        data-testid={`${props.testId}-input`}
      />
      <div className="outline__add-actions">
        <button type="submit" className="button button--primary button--small" disabled={props.busy || !value.trim()} data-testid={`${props.testId}-submit`}>
          {t('common.add')}
        </button>
        <button type="button" className="button button--link button--small" onClick={() => setOpen(false)}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
