import { ExportLanguageSchema, type ExportLanguage } from '../../../shared/api/index.ts';

/**
 * The export language that matches the interface language ("ru", "be-BY", …), English otherwise:
 * a document is first offered in the language the person is reading Accord in.
 */
export function exportLanguageOf(uiLanguage: string | undefined): ExportLanguage {
  const parsed = ExportLanguageSchema.safeParse((uiLanguage ?? '').slice(0, 2).toLowerCase());
  return parsed.success ? parsed.data : 'en';
}
