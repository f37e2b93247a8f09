import type { Translate } from '../../i18n/errorText.ts';
import { formatList } from '../../i18n/format.ts';

/**
 * What the delete dialog says deleting an action takes with it, in the reader's language: its
 * indicators and its links to recommendations, each counted in the right plural form, and left
 * out when there are none ("with its 0 indicators" says nothing).
 */
export function actionDeletionText(t: Translate, lng: string, action: { title: string; indicators: number; recs: number }): string {
  const parts = [
    ...(action.indicators > 0 ? [t('actions.deleteIndicators', { count: action.indicators })] : []),
    ...(action.recs > 0 ? [t('actions.deleteRecLinks', { count: action.recs })] : []),
  ];
  const deleted = parts.length === 0 ? t('actions.deleteBody', { title: action.title }) : t('actions.deleteBodyWith', { title: action.title, what: formatList(parts, lng) });
  return action.recs > 0 ? `${deleted} ${t('actions.deleteRecsStay')}` : deleted;
}
