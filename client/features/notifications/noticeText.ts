import type { Notification } from '../../../shared/api/index.ts';
import type { Translate } from '../../i18n/errorText.ts';
import { formatDate, formatDateTime } from '../../i18n/format.ts';

/** Values stored by their codes (a role, a side, a rating), put in words before they fill a sentence. */
const WORDED: Record<string, string> = { from: 'role', to: 'role', role: 'role', side: 'side', rating: 'monitoring.rating', governmentRating: 'monitoring.rating' };
/** Values stored as calendar days ("2027-01-31": when reports are due), written as the app writes dates. */
export const DATED: ReadonlySet<string> = new Set(['due']);
/** Values stored as moments (until when a reset link works), written with the time of day, in the reader's time zone. */
export const TIMED: ReadonlySet<string> = new Set(['until']);
const isMoment = (v: string) => /^\d{4}-\d{2}-\d{2}T/.test(v) && !Number.isNaN(Date.parse(v));

/**
 * A notice in the reader's language `lng`: its stored text (which sentence, with names, titles and
 * a reason as written) worded with `notifications.text.<key>`, dates as "31 January 2027" /
 * "31 января 2027 г.". A notice written before texts were kept reads as its kind's general
 * sentence (`notifications.generic.<kind>`), never the English summary.
 */
export function noticeText(n: Pick<Notification, 'kind' | 'text'>, t: Translate, lng: string): string {
  const generic = t(`notifications.generic.${n.kind}`);
  if (!n.text) return generic;
  const word = (k: string, v: string | number) => {
    if (typeof v !== 'string') return v;
    if (WORDED[k]) return t(`${WORDED[k]}.${v}`, { defaultValue: v });
    if (TIMED.has(k)) return isMoment(v) ? formatDateTime(v, lng) : v;
    return DATED.has(k) ? formatDate(v, lng) : v;
  };
  const params = Object.fromEntries(Object.entries(n.text.params).map(([k, v]) => [k, word(k, v)]));
  return t(`notifications.text.${n.text.key}`, { ...params, defaultValue: generic });
}
