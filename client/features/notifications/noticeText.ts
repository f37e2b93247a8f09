import type { Notification } from '../../../shared/api/index.ts';
import type { Translate } from '../../i18n/errorText.ts';

/** Values stored by their codes (a role, a side, a rating), put in words before they fill a sentence. */
const WORDED: Record<string, string> = { from: 'role', to: 'role', side: 'side', rating: 'monitoring.rating', governmentRating: 'monitoring.rating' };

/**
 * A notice in the reader's language: its stored text (which sentence, with names, titles and a
 * reason as written) worded with `notifications.text.<key>`. A notice written before texts were
 * kept reads as its kind's general sentence (`notifications.generic.<kind>`), never the English summary.
 */
export function noticeText(n: Pick<Notification, 'kind' | 'text'>, t: Translate): string {
  const generic = t(`notifications.generic.${n.kind}`);
  if (!n.text) return generic;
  const params = Object.fromEntries(
    Object.entries(n.text.params).map(([k, v]) => [k, WORDED[k] && typeof v === 'string' ? t(`${WORDED[k]}.${v}`, { defaultValue: v }) : v]),
  );
  return t(`notifications.text.${n.text.key}`, { ...params, defaultValue: generic });
}
