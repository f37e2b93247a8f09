import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { PositionSchema, type Position, type RecommendationDetail } from '../../../shared/api/index.ts';
import { api } from '../../api/index.ts';
import { Button, FormError, describeError } from '../../ui/forms.tsx';

/** Editing what the plan's people decide about a recommendation: position, themes and notes. */
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
  const [position, setPosition] = useState<Position>(rec.position);
  const [themes, setThemes] = useState(rec.themes.join('\n'));
  const [notes, setNotes] = useState(rec.notes ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function save(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const themeList = [...new Set(themes.split('\n').map((s) => s.trim()).filter(Boolean))];
      onSaved(await api.updateRecommendation(planId, rec.id, { position, themes: themeList, notes: notes.trim() ? notes : null }));
    } catch (err) {
      setError(describeError(err, t).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="rec-edit" onSubmit={save} data-testid="rec-edit-form">
      <h3>{t('recs.editTitle')}</h3>
      <FormError message={error} />
      <div className="field">
        <label htmlFor={`${id}-pos`}>{t('recs.field.position')}</label>
        <p className="field__hint">{t('recs.positionHint')}</p>
        <select id={`${id}-pos`} value={position} onChange={(e) => setPosition(e.target.value as Position)} data-testid="rec-edit-position">
          {PositionSchema.options.map((p) => (
            <option key={p} value={p}>
              {t(`position.${p}`)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-themes`}>{t('recs.field.themes')}</label>
        <p className="field__hint">{t('recs.themesHint')}</p>
        <textarea id={`${id}-themes`} rows={4} value={themes} onChange={(e) => setThemes(e.target.value)} data-testid="rec-edit-themes" />
      </div>
      <div className="field">
        <label htmlFor={`${id}-notes`}>{t('recs.field.notes')}</label>
        <p className="field__hint">{t('recs.notesHint')}</p>
        <textarea id={`${id}-notes`} rows={4} value={notes} onChange={(e) => setNotes(e.target.value)} maxLength={10_000} data-testid="rec-edit-notes" />
      </div>
      <div className="button-row">
        <Button type="submit" busy={busy} data-testid="rec-edit-save">
          {t('common.save')}
        </Button>
        <Button variant="link" onClick={onCancel}>
          {t('common.cancel')}
        </Button>
      </div>
    </form>
  );
}
