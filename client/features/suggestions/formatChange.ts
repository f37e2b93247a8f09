import type { TFunction } from 'i18next';
import type { FormatChange } from '../../../shared/doc/formatProposal.ts';

/** "Make bold", "Remove italic", "Link to https://…": what a formatting proposal would do. */
export function describeFormatChange(t: TFunction, change: FormatChange): string {
  switch (change.mark) {
    case 'bold':
      return t(change.set ? 'suggestions.formatBoldOn' : 'suggestions.formatBoldOff');
    case 'italic':
      return t(change.set ? 'suggestions.formatItalicOn' : 'suggestions.formatItalicOff');
    case 'link':
      return change.set ? t('suggestions.formatLinkOn', { href: change.href ?? '' }) : t('suggestions.formatLinkOff');
  }
}
