import type { ExportErrorCode } from '../../../shared/api/index.ts';
import { errorText, type Translate } from '../../i18n/errorText.ts';

/**
 * Why an export failed, in the reader's language (timed out, ran out of memory, server stopped),
 * or '' when there is no more to say than that it failed. Never the server's English detail.
 */
export function failureReason(t: Translate, code: ExportErrorCode | null | undefined): string {
  return code && code !== 'export_failed' ? errorText(t, code) : '';
}
