import { useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Position, RecommendationDetail } from '../../../shared/api/index.ts';
import { api } from '../../api/index.ts';
import { Button, FormError } from '../../ui/forms.tsx';
import { Field } from '../actions/Field.tsx';
import { described } from '../actions/fieldValues.ts';
import { PositionAndThemesFields } from './PositionAndThemesFields.tsx';
import { fieldError, lines, POSITION_AND_THEMES_FIELDS, saidAt, sdgEntries, SOURCE_FIELDS, sourceBody, sourceOf, type SourceValues } from './recommendationEntry.ts';
import { useEntrySubmit } from './useEntrySubmit.ts';
import { parseSdg } from '../../../shared/sdg.ts';
import { RecommendationSourceFields } from './RecommendationSourceFields.tsx';

/**
 * A recommendation entered by hand has no import behind it: Accord creates recommendations
 * without one only when a person enters them, and no file will bring its text again.
 */
export const enteredByHand = (rec: RecommendationDetail) => rec.importId === null;

/**
 * Editing a recommendation. Its position, themes, SDG targets and notes are the plan's; one entered by hand can
 * also be corrected in everything the add form asked. An imported one keeps the mechanism's text:
 * importing its file again would overwrite a correction made here.
 */
export function EditRecommendation({
  planId,
  rec,
  onCancel,
  onSaved,
}: {
  planId: string;
  rec: RecommendationDetail;
  onCancel: () => void;
  onSaved: (r: RecommendationDetail) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const byHand = enteredByHand(rec);
  const [source, setSource] = useState<SourceValues>(() => sourceOf(rec));
  const [position, setPosition] = useState<Position>(rec.position);
  const [themes, setThemes] = useState(rec.themes.join('\n'));
  // Codes, also for targets imported with their words ("16.1 Significantly reduce…"), which would not survive the box's comma split.
  const [sdgs, setSdgs] = useState(rec.sdgTargets.map((v) => parseSdg(v) ?? v).join('\n'));
  const [notes, setNotes] = useState(rec.notes ?? '');
  const { busy, error, fields, submit } = useEntrySubmit(formRef);

  function save(e: FormEvent) {
    e.preventDefault();
    const decided = { position, themes: lines(themes), sdgTargets: sdgEntries(sdgs), notes: notes.trim() ? notes : null };
    void submit(byHand ? source : null, async () =>
      onSaved(await api.updateRecommendation(planId, rec.id, byHand ? { ...sourceBody(source), ...decided } : decided)),
    );
  }

  const notesError = fieldError(fields, 'notes');
  return (
    <form ref={formRef} className="rec-edit" onSubmit={save} noValidate data-testid="rec-edit-form">
      <h3>{t(byHand ? 'recs.editAllTitle' : 'recs.editTitle')}</h3>
      {!byHand && (
        <p className="muted" data-testid="rec-edit-imported">
          {t('recs.editImportedNote')}
        </p>
      )}
      {/* An imported recommendation's source boxes are not shown: a refusal of one of them is said here. */}
      <FormError message={error} saidAtFields={saidAt(fields, [...(byHand ? SOURCE_FIELDS : []), ...POSITION_AND_THEMES_FIELDS, 'notes'])} />
      {byHand && (
        <RecommendationSourceFields
          id={id}
          testId="rec-edit"
          values={source}
          onChange={(c) => setSource((s) => ({ ...s, ...c }))}
          fields={fields}
          referenceHint={t('recs.editReferenceHint', { reference: rec.reference })}
        />
      )}
      <PositionAndThemesFields id={id} testId="rec-edit" position={position} onPosition={setPosition} positionHint={t('recs.positionHint')} themes={themes} onThemes={setThemes} sdgs={sdgs} onSdgs={setSdgs} fields={fields} />
      <Field id={`${id}-notes`} label={t('recs.field.notes')} hint={t('recs.notesHint')} error={notesError}>
        <textarea id={`${id}-notes`} rows={4} value={notes} onChange={(e) => setNotes(e.target.value)} maxLength={10_000} {...described(`${id}-notes`, true, notesError)} data-testid="rec-edit-notes" />
      </Field>
      <div className="button-row">
        <Button type="submit" busy={busy} data-testid="rec-edit-save">
          {t('common.save')}
        </Button>
        <Button variant="link" onClick={onCancel} disabled={busy} data-testid="rec-edit-cancel">
          {t('common.cancel')}
        </Button>
      </div>
    </form>
  );
}
