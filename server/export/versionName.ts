import { VersionLabelSchema, type VersionLabel } from '../../shared/api/agreement.ts';
import type { ExportWords } from './i18n/index.ts';

/** A stored label (JSON), or null when there is none or it cannot be read (then the name is used). */
function storedLabel(json: string | null): VersionLabel | null {
  if (!json) return null;
  try {
    const parsed = VersionLabelSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function labelled(name: string, label: VersionLabel | null, words: ExportWords): string {
  const w = words.w.versionNames;
  if (!label) return name;
  switch (label.key) {
    case 'signoff':
      return w.signoff;
    case 'automatic':
      return label.editors.length > 0
        ? words.t(w.automatic, { names: new Intl.ListFormat(words.locale, { type: 'conjunction' }).format(label.editors) })
        : w.automaticNoEditors;
    case 'adopted':
      return words.t(w.adopted, { act: label.act });
    case 'restored':
      return words.t(w.restored, { name: labelled(label.from.name, label.from.label, words) });
    case 'before_restore':
      return words.t(w.beforeRestore, { name: labelled(label.from.name, label.from.label, words) });
  }
}

/**
 * What an export calls a saved version: a name Accord gave (its label, migration 025) in the
 * export's language, as the history page does in the reader's; a name a person typed, as typed.
 */
export function versionNameIn(words: ExportWords, name: string, labelJson: string | null): string {
  return labelled(name, storedLabel(labelJson), words);
}
