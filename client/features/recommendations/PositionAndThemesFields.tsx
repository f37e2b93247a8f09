import { useTranslation } from 'react-i18next';
import { PositionSchema, type Position } from '../../../shared/api/index.ts';
import type { FieldErrors } from '../../ui/forms.tsx';
import { Field } from '../actions/Field.tsx';
import { described } from '../actions/fieldValues.ts';
import { fieldError } from './recommendationEntry.ts';

/**
 * The State's position and the plan's themes and SDG targets of a recommendation, in the add and
 * edit forms. `testId` prefixes the controls' test ids.
 */
export function PositionAndThemesFields({
  id,
  testId,
  position,
  onPosition,
  positionHint,
  themes,
  onThemes,
  sdgs,
  onSdgs,
  fields,
}: {
  id: string;
  testId: string;
  position: Position;
  onPosition: (p: Position) => void;
  positionHint: string;
  themes: string;
  onThemes: (themes: string) => void;
  sdgs: string;
  onSdgs: (sdgs: string) => void;
  fields: FieldErrors;
}) {
  const { t } = useTranslation();
  const f = (name: string) => fieldError(fields, name);
  return (
    <>
      <Field id={`${id}-position`} label={t('recs.field.position')} hint={positionHint} error={f('position')}>
        <select id={`${id}-position`} value={position} onChange={(e) => onPosition(e.target.value as Position)} {...described(`${id}-position`, true, f('position'))} data-testid={`${testId}-position`}>
          {PositionSchema.options.map((p) => (
            <option key={p} value={p}>
              {t(`position.${p}`)}
            </option>
          ))}
        </select>
      </Field>
      <Field id={`${id}-themes`} label={t('recs.field.themes')} hint={t('recs.themesHint')} error={f('themes')}>
        <textarea id={`${id}-themes`} rows={3} value={themes} onChange={(e) => onThemes(e.target.value)} {...described(`${id}-themes`, true, f('themes'))} data-testid={`${testId}-themes`} />
      </Field>
      <Field id={`${id}-sdgs`} label={t('recs.field.sdgTargets')} hint={t('sdg.hint')} error={f('sdgTargets')}>
        <textarea id={`${id}-sdgs`} rows={2} value={sdgs} onChange={(e) => onSdgs(e.target.value)} {...described(`${id}-sdgs`, true, f('sdgTargets'))} data-testid={`${testId}-sdgs`} />
      </Field>
    </>
  );
}
