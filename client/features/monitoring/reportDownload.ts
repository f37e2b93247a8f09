import { ApiErrorSchema, ExportErrorCodeSchema } from '../../../shared/api/index.ts';
import { ApiError, ClientErrorCode } from '../../api/http.ts';
import { errorText, type Translate } from '../../i18n/errorText.ts';
import { failureReason } from '../exports/failureReason.ts';

/** The name the server gave the file (RFC 5987 `filename*` first: it keeps Cyrillic titles). */
function filenameOf(disposition: string | null): string {
  const encoded = disposition?.match(/filename\*=UTF-8''([^;]+)/i)?.[1];
  if (encoded) {
    try {
      return decodeURIComponent(encoded);
    } catch {
      // Fall through to the ASCII name.
    }
  }
  return disposition?.match(/filename="([^"]*)"/i)?.[1] ?? '';
}

/**
 * Fetches a round's report and saves it. Fetched rather than followed as a link, so a refusal or a
 * failure (too many reports, too long, too large) reaches the page as its code instead of as a
 * broken download; throws an ApiError then.
 */
export async function downloadReport(href: string): Promise<void> {
  let res: Response;
  try {
    res = await fetch(href, { credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, ClientErrorCode.network, 'The server could not be reached.');
  }
  if (!res.ok) {
    const parsed = ApiErrorSchema.safeParse(await res.json().catch(() => undefined));
    if (parsed.success) {
      const { code, message, params } = parsed.data.error;
      throw new ApiError(res.status, code, message, undefined, params);
    }
    throw new ApiError(res.status, res.status >= 500 ? 'internal' : ClientErrorCode.badResponse, `HTTP ${res.status}`);
  }
  const url = URL.createObjectURL(await res.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = filenameOf(res.headers.get('content-disposition'));
  document.body.append(link);
  link.click();
  link.remove();
  // Long enough for the browser to have taken the file.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Why a report could not be had, worded as a failed plan export is (timed out, too large) or as its refusal. */
export function reportFailureText(t: Translate, err: unknown): string {
  if (!(err instanceof ApiError)) return errorText(t, 'unexpected');
  const exportFailure = ExportErrorCodeSchema.safeParse(err.code);
  return exportFailure.success ? t('export.failed', { error: failureReason(t, exportFailure.data) }) : errorText(t, err.code, err.params);
}
