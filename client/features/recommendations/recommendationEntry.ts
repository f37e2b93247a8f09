import type { FieldErrors } from '../../ui/forms.tsx';

/** Languages a recommendation's text is offered in: the UN's six and Belarusian. */
export const TEXT_LANGUAGES = ['en', 'fr', 'es', 'ru', 'ar', 'zh', 'be'] as const;

/** A box of one entry per line as a list: trimmed, blank lines dropped, each entry once. */
export const lines = (value: string): string[] => [...new Set(value.split('\n').map((s) => s.trim()).filter(Boolean))];

/**
 * The error of a field, or of one entry of a list field: the server names a list's problem by
 * the entry (`themes.3`), and the form shows it on the box that holds the list.
 */
export function fieldError(fields: FieldErrors, name: string): string | undefined {
  return fields[name] ?? Object.entries(fields).find(([path]) => path.startsWith(`${name}.`))?.[1];
}
