import type { TFunction } from 'i18next';
import type { ListedVersion } from '../../../shared/api/index.ts';
import { formatList } from '../../i18n/format.ts';

type Named = Pick<ListedVersion, 'kind' | 'name' | 'createdBy' | 'editedBy'>;

/**
 * What a version is called. An automatic version has no name anybody chose: it is called by whose
 * edits it holds, in the reader's language, rather than by the words the server stored.
 */
export function versionName(v: Named, t: TFunction, lng: string): string {
  if (v.kind !== 'automatic') return v.name;
  return v.editedBy.length > 0 ? t('history.automaticName', { names: formatList(v.editedBy, lng) }) : t('history.automaticNameNoEditors');
}

/** Who kept a version: a person's name, or "Automatic" for one nobody kept by hand. */
export function versionMaker(v: Named, t: TFunction): string {
  return v.kind === 'automatic' ? t('history.automaticMaker') : v.createdBy;
}
