/**
 * A proposed change of formatting (Suggesting mode: bold, italic, a link added or removed) on words
 * that are already in the text. It is a third suggestion mark, `suggestionFormat`, whose attributes
 * are the usual id, author and time plus the change; the words keep their present formatting until
 * someone accepts it. One proposal per character: a second person's proposal on the same words
 * waits until the first is decided.
 *
 * The attributes are flat (no nested object): the editor binding stores a mark's attributes as
 * they are, and flat values compare equal however often they are written back.
 */

export const SUGGEST_FORMAT = 'suggestionFormat';

/** The marks whose adding or removing can be proposed. Heading level, lists and paragraphs cannot. */
export const PROPOSABLE_FORMATS = ['bold', 'italic', 'link'] as const;
export type ProposableFormat = (typeof PROPOSABLE_FORMATS)[number];

export interface FormatChange {
  mark: ProposableFormat;
  /** true: make the words bold / italic / a link; false: take that formatting off. */
  set: boolean;
  /** The link's address when a link is proposed; null otherwise. */
  href: string | null;
}

export interface FormatSuggestionAttrs extends FormatChange {
  id: string;
  author: string;
  at: number;
}

const MAX_HREF = 2000;

/** Only web and mail addresses, as the editor's own link form allows. */
export function isSafeHref(value: unknown): value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_HREF) return false;
  try {
    return ['http:', 'https:', 'mailto:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

/** Whether a value is a well-formed change (the id, author and time are checked with the other marks). */
export function isFormatChange(value: unknown): value is FormatChange {
  if (!value || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  if (!(PROPOSABLE_FORMATS as readonly unknown[]).includes(v.mark) || typeof v.set !== 'boolean') return false;
  // A link proposal names where it goes; every other change carries no address.
  if (v.mark === 'link' && v.set) return isSafeHref(v.href);
  return v.href === null || v.href === undefined;
}

export function formatChangeOf(value: FormatSuggestionAttrs): FormatChange {
  return { mark: value.mark, set: value.set, href: value.mark === 'link' && value.set ? value.href : null };
}

/** The Yjs text attributes that carry out a change (what accepting writes). */
export function formatAttributesFor(change: FormatChange): Record<string, unknown> {
  if (!change.set) return { [change.mark]: null };
  if (change.mark === 'link') return { link: { href: change.href } };
  return { [change.mark]: {} };
}

/** Whether text with these Yjs attributes already has the formatting the change asks for. */
export function alreadyFormatted(attributes: Record<string, unknown> | undefined, change: FormatChange): boolean {
  const current = attributes?.[change.mark];
  if (!change.set) return current == null;
  if (change.mark !== 'link') return current != null;
  return (current as { href?: unknown } | null | undefined)?.href === change.href;
}
