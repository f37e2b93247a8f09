import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { FILLABLE_LISTS, type Fill, type ImportPreview, type SameAsPlanChoice } from '../../../shared/api/index.ts';
import type { Translate } from '../../i18n/errorText.ts';
import { formatList } from '../../i18n/format.ts';
import { TableScroll } from '../../ui/TableScroll.tsx';

/** How many of these rows are listed one by one; the rest are counted. */
const SHOWN = 50;

const isList = (field: Fill['field']): field is (typeof FILLABLE_LISTS)[number] => (FILLABLE_LISTS as readonly string[]).includes(field);

/** What a row adds to the plan's copy, in the reader's words: "adds: paragraph, 2 themes", or "nothing to add". */
export function addsText(t: Translate, lng: string, adds: readonly Fill[]): string {
  if (adds.length === 0) return t('import.same.nothing');
  const parts = adds.map((a) => (isList(a.field) ? t(`import.same.fieldCount.${a.field}`, { count: a.n }) : t(`import.same.field.${a.field}`)));
  return t('import.same.adds', { list: formatList(parts, lng) });
}

/**
 * Rows that repeat, under another reference, recommendations the plan already holds (another
 * source's numbering of the same recommendations): one choice for all of them, "the same
 * recommendation" (each fills in what the plan's copy lacks) or "add them as new"; and each row
 * with the plan's copy and what it would add. The server finds these rows again at commit.
 */
export function SameAsPlan({
  same,
  choice,
  setChoice,
  disabled,
}: {
  same: ImportPreview['sameAsPlan'];
  choice: SameAsPlanChoice;
  setChoice: (c: SameAsPlanChoice) => void;
  disabled: boolean;
}) {
  const { t, i18n } = useTranslation();
  const base = useId();
  // Rows whose words are only nearly the same first: those are the ones to read before choosing.
  const shown = [...same.rows].sort((a, b) => Number(b.near) - Number(a.near) || a.row - b.row).slice(0, SHOWN);
  const title = t('import.same.title', { count: same.total });
  return (
    <fieldset className="same-as-plan" data-testid="import-same-as-plan">
      <legend>{title}</legend>
      <p className="field__hint">{t('import.same.intro')}</p>
      <div className="radios" role="radiogroup" aria-label={t('import.same.choiceLabel')}>
        {(['same', 'new'] as const).map((c) => (
          <div className="radio" key={c}>
            <input
              type="radio"
              id={`${base}-${c}`}
              name={`${base}-choice`}
              checked={choice === c}
              disabled={disabled}
              onChange={() => setChoice(c)}
              aria-describedby={`${base}-${c}-hint`}
              data-testid={`import-same-${c}`}
            />
            <label htmlFor={`${base}-${c}`}>{t(c === 'same' ? 'import.same.choiceSame' : 'import.same.choiceNew')}</label>
            <p className="field__hint" id={`${base}-${c}-hint`}>
              {t(c === 'same' ? 'import.same.choiceSameHint' : 'import.same.choiceNewHint')}
            </p>
          </div>
        ))}
      </div>
      {choice === 'new' ? (
        <p className="muted" data-testid="import-same-new-note">{t('import.same.newAdded')}</p>
      ) : (
        <>
          <TableScroll label={title}>
            <table className="table table--compact" data-testid="import-same-rows">
              <thead>
                <tr>
                  <th scope="col">{t('import.colRow')}</th>
                  <th scope="col">{t('import.same.colPlanCopy')}</th>
                  <th scope="col">{t('recs.colText')}</th>
                  <th scope="col">{t('import.same.colAdds')}</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((r) => (
                  <tr key={r.row}>
                    <td className="num">{r.row}</td>
                    <td className="nowrap">
                      <strong>{r.heldReference}</strong>
                      <br />
                      <span className="muted small">{t('import.same.inFile', { reference: r.reference })}</span>
                    </td>
                    <td className="clip-text">
                      {r.text}
                      {r.near && (
                        <>
                          {' '}
                          <span className="badge same-as-plan__near">{t('import.same.near')}</span>
                          <br />
                          <span className="muted small" data-testid="import-same-held-text">
                            {t('import.same.heldText', { text: r.heldText ?? '' })}
                          </span>
                        </>
                      )}
                    </td>
                    <td className="small" data-testid="import-same-adds">
                      {addsText(t, i18n.language, r.adds)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
          {same.total > shown.length && <p className="muted">{t('import.same.more', { n: same.total - shown.length })}</p>}
        </>
      )}
    </fieldset>
  );
}
