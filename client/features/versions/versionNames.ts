import type { TFunction } from 'i18next';
import type { ListedVersion, VersionLabel } from '../../../shared/api/index.ts';
import type { Translate } from '../../i18n/errorText.ts';
import { formatList } from '../../i18n/format.ts';

type Named = Pick<ListedVersion, 'kind' | 'name' | 'createdBy' | 'editedBy'> & { label?: VersionLabel | null };

/**
 * A name Accord gave (its label, server migration 025) in the reader's language; a name a person
 * typed (no label) as typed. A restore names the version it brought back the same way, so
 * "Restored “Agreed text”" reads in one language.
 */
export function labelledName(v: { name: string; label?: VersionLabel | null }, t: Translate, lng: string): string {
  const label = v.label;
  if (!label) return v.name;
  switch (label.key) {
    case 'signoff':
      return t('history.signoffName');
    case 'automatic':
      return label.editors.length > 0 ? t('history.automaticName', { names: formatList(label.editors, lng) }) : t('history.automaticNameNoEditors');
    case 'adopted':
      return t('history.adoptedName', { act: label.act });
    case 'restored':
      return t('history.restoredName', { name: labelledName(label.from, t, lng) });
    case 'before_restore':
      return t('history.beforeRestoreName', { name: labelledName(label.from, t, lng) });
  }
}

/**
 * What a version is called. An automatic version has no name anybody chose: it is called by whose
 * edits it holds, in the reader's language, rather than by the words the server stored.
 */
export function versionName(v: Named, t: TFunction, lng: string): string {
  if (v.label) return labelledName(v, t, lng);
  if (v.kind !== 'automatic') return v.name;
  return v.editedBy.length > 0 ? t('history.automaticName', { names: formatList(v.editedBy, lng) }) : t('history.automaticNameNoEditors');
}

/** Who kept a version: a person's name, or "Automatic" for one nobody kept by hand. */
export function versionMaker(v: Named, t: TFunction): string {
  return v.kind === 'automatic' ? t('history.automaticMaker') : v.createdBy;
}
