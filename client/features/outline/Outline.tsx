import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Chapter, PlanOutline, Section } from '../../../shared/api/index.ts';
import { api } from '../../api/index.ts';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { ChapterSignoffRule, useSignoffRules } from '../agreement/ChapterSignoffRule.tsx';
import { describeError } from '../../ui/forms.tsx';
import { ItemRow } from './OutlineRow.tsx';
import { useOffline } from '../../sync/connectivity.ts';
import { OfflineNote } from '../../sync/OfflineNote.tsx';

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
  // Changing the outline is the server's to record: offline, its buttons wait and say why.
  const offline = useOffline();

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
      {canManage && <OfflineNote testId="outline-offline" />}
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
                offline={offline}
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
                      offline={offline}
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
                  busy={busy || offline}
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
          busy={busy || offline}
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
