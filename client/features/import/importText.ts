import type { ImportRejectedRow, ImportWarning } from '../../../shared/api/index.ts';
import type { Translate } from '../../i18n/errorText.ts';

/**
 * Why a row of an import was rejected, in the reader's language (never the server's English
 * `reason`). A code this client does not know yet reads as a general sentence.
 */
export function rowProblemText(t: Translate, rejected: Pick<ImportRejectedRow, 'code' | 'params'>): string {
  return t(`import.rowProblem.${rejected.code}`, { ...rejected.params, defaultValue: t('import.rowProblemUnknown') });
}

/** A note about what was read from the file, in the reader's language (never the server's English `message`). */
export function importWarningText(t: Translate, warning: Pick<ImportWarning, 'code' | 'params'>): string {
  const params = { ...warning.params };
  // The position a heading was read as is a code; the sentence names it in the reader's language.
  if (typeof params['position'] === 'string') params['position'] = t(`position.${params['position']}`);
  // So is the encoding a file was read in.
  if (typeof params['encoding'] === 'string') params['encoding'] = t(`importEncoding.${params['encoding']}`);
  return t(`import.warning.${warning.code}`, { ...params, defaultValue: t('import.warningUnknown') });
}
