import * as Y from 'yjs';
import { getSectionBody } from './schema.ts';
import { isProposedBlock, SUGGEST_INSERT } from './suggestions.ts';

/**
 * The canonical content of a section: what a sign-off's hash covers and what an export must
 * reproduce exactly. One line per block of the text (paragraph, heading, list item; a table row is
 * its cells joined by " | "), then one line per fact of each action. Exports write these lines
 * verbatim, so the hash can be recomputed from an exported document.
 *
 * Open suggestions are not content: proposed words and paragraphs are left out and words proposed
 * for deletion stay, so proposing (or withdrawing) a change never alters what was signed.
 */
export interface CanonicalAction {
  title: string;
  status: string;
  leadAgency: string | null;
  coImplementers: string[];
  civilSocietyPartners: string[];
  start: string | null;
  end: string | null;
  budget: string | null;
  recommendations: string[];
  indicators: Array<{ type: string; description: string; baseline: string | null; target: string | null }>;
}

/** The text's blocks, one string each, in document order. */
export function sectionTextLines(doc: Y.Doc): string[] {
  const lines: string[] = [];
  const textOf = (node: Y.XmlElement | Y.XmlText): string => {
    if (node instanceof Y.XmlText) {
      return (node.toDelta() as Array<{ insert: unknown; attributes?: Record<string, unknown> }>)
        .map((op) => (typeof op.insert === 'string' && op.attributes?.[SUGGEST_INSERT] == null ? op.insert : ''))
        .join('');
    }
    return node
      .toArray()
      .filter((c): c is Y.XmlElement | Y.XmlText => (c instanceof Y.XmlElement && !isProposedBlock(c)) || c instanceof Y.XmlText)
      .map(textOf)
      .join('');
  };
  const walk = (node: Y.XmlElement | Y.XmlFragment) => {
    for (const child of node.toArray()) {
      if (!(child instanceof Y.XmlElement) || isProposedBlock(child)) continue;
      switch (child.nodeName) {
        case 'paragraph':
        case 'heading':
        case 'codeBlock':
          lines.push(textOf(child));
          break;
        case 'tableRow':
          lines.push(
            child
              .toArray()
              .filter((c): c is Y.XmlElement => c instanceof Y.XmlElement)
              .map((cell) => textOf(cell))
              .join(' | '),
          );
          break;
        case 'horizontalRule':
          break;
        default:
          // Lists, list items, blockquotes, tables: their blocks are the lines.
          walk(child);
      }
    }
  };
  walk(getSectionBody(doc));
  return lines.map((l) => l.normalize('NFC'));
}

/** One line per fact of an action, in a fixed order and wording. */
export function actionLines(action: CanonicalAction, index: number): string[] {
  const lines = [
    `Action ${index + 1}: ${action.title}`,
    `Status: ${action.status}`,
    `Lead agency: ${action.leadAgency ?? '—'}`,
    `Co-implementers: ${action.coImplementers.join('; ') || '—'}`,
    `Civil society partners: ${action.civilSocietyPartners.join('; ') || '—'}`,
    `Timeline: ${action.start ?? '—'} – ${action.end ?? '—'}`,
    `Budget: ${action.budget ?? '—'}`,
    `Recommendations: ${action.recommendations.join('; ') || '—'}`,
  ];
  action.indicators.forEach((ind, i) =>
    lines.push(`Indicator ${i + 1} (${ind.type}): ${ind.description}; baseline ${ind.baseline ?? '—'}; target ${ind.target ?? '—'}`),
  );
  return lines.map((l) => l.normalize('NFC'));
}

/** All canonical lines of a section: its text, then its actions. */
export function canonicalSectionLines(doc: Y.Doc, actions: CanonicalAction[]): string[] {
  return [...sectionTextLines(doc), ...actions.flatMap((a, i) => actionLines(a, i))];
}
