import { useTranslation } from 'react-i18next';
import { PositionSchema, type Position } from '../../../shared/api/index.ts';
import type { ParagraphGroup } from './importSteps.ts';
import { TableScroll } from '../../ui/TableScroll.tsx';

/** A heading as long as a table cell can show; the whole of it is the cell's tooltip. */
const shortened = (words: string) => (words.length > 120 ? `${words.slice(0, 119).trimEnd()}…` : words);

/** The position read for each main paragraph of a UN report, which the person may correct before writing. */
export function PositionOverrides({
  groups,
  overrides,
  setOverrides,
  disabled,
}: {
  groups: ParagraphGroup[];
  overrides: Record<string, Position>;
  setOverrides: (o: Record<string, Position>) => void;
  disabled: boolean;
}) {
  const { t } = useTranslation();
  return (
    <fieldset className="position-overrides" data-testid="import-positions">
      <legend>{t('import.positionsLegend')}</legend>
      <p className="field__hint">{t('import.positionsHint')}</p>
      <TableScroll label={t('import.positionsLegend')}>
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('import.colParagraph')}</th>
              <th scope="col">{t('import.colDetected')}</th>
              <th scope="col">{t('import.colPosition')}</th>
            </tr>
          </thead>
          <tbody>
            {groups.map((g) => (
              <tr key={g.paragraph}>
                <td>
                  <strong>{t('import.paragraphN', { n: g.paragraph })}</strong>
                  <br />
                  <span className="muted small">{t('import.nRecommendations', { count: g.count })}</span>
                </td>
                <td className="small" data-testid="import-heading-found">
                  {g.heading === null ? (
                    t('import.noHeading')
                  ) : g.heading.matched !== null ? (
                    <span title={g.heading.words}>{t('import.headingSays', { words: g.heading.matched })}</span>
                  ) : (
                    <span title={g.heading.words}>{t('import.headingSaysNoPosition', { words: shortened(g.heading.words) })}</span>
                  )}
                </td>
                <td>
                  <label className="visually-hidden" htmlFor={`pos-${g.paragraph}`}>
                    {t('import.positionFor', { n: g.paragraph })}
                  </label>
                  <select
                    id={`pos-${g.paragraph}`}
                    value={overrides[g.paragraph] ?? g.position}
                    disabled={disabled}
                    onChange={(e) => setOverrides({ ...overrides, [g.paragraph]: e.target.value as Position })}
                    data-testid="import-position-select"
                  >
                    {PositionSchema.options.map((p) => (
                      <option key={p} value={p}>
                        {t(`position.${p}`)}
                      </option>
                    ))}
                  </select>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </fieldset>
  );
}
