import type { TFunction } from 'i18next';
import type { FormatChange } from '../../../shared/doc/formatProposal.ts';
import type { StructureChange } from '../../../shared/doc/blockProposal.ts';

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

/** "Make heading 2", "Make numbered list", "Start a new paragraph here": what a proposed change of structure would do. */
export function describeStructureChange(t: TFunction, change: StructureChange): string {
  switch (change.kind) {
    case 'heading':
      return change.level === 0 ? t('suggestions.structureParagraph') : t('suggestions.structureHeading', { level: change.level });
    case 'list':
      return t(change.list === 'orderedList' ? 'suggestions.structureOrderedList' : 'suggestions.structureBulletList');
    case 'split':
      return t('suggestions.structureSplit');
    case 'join':
      return t('suggestions.structureJoin');
  }
}
