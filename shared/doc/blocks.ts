import * as Y from 'yjs';
import { getSectionBody } from './schema.ts';
import { isProposedBlock, SUGGEST_INSERT } from './suggestions.ts';

/**
 * The structured text of a section document: its blocks with their inline formatting, as exports
 * render it and versions show it. Open suggestions are not the plan's text: proposed words and
 * blocks are left out, and words proposed for deletion stay (as in canonical.ts, whose lines are
 * the plain texts of these blocks).
 */

export interface Inline {
  text: string;
  bold?: boolean;
  italic?: boolean;
  strike?: boolean;
  underline?: boolean;
  code?: boolean;
  /** Raw href as stored; renderers keep only safe schemes (server/export/model.ts safeHref). */
  link?: string;
  /** A hard line break (text is empty). */
  br?: boolean;
}

export type Block =
  | { type: 'paragraph'; inlines: Inline[] }
  | { type: 'heading'; level: number; inlines: Inline[] }
  | { type: 'list'; ordered: boolean; items: Block[][] }
  | { type: 'blockquote'; blocks: Block[] }
  | { type: 'codeBlock'; text: string }
  | { type: 'table'; rows: Array<{ header: boolean; cells: Inline[][] }> }
  | { type: 'rule' };

function inlinesOf(el: Y.XmlElement): Inline[] {
  const out: Inline[] = [];
  for (const child of el.toArray()) {
    if (child instanceof Y.XmlText) {
      for (const op of child.toDelta() as Array<{ insert: unknown; attributes?: Record<string, unknown> }>) {
        if (typeof op.insert !== 'string' || op.insert === '') continue;
        const a = op.attributes ?? {};
        // An open suggestion is not yet the plan's text: proposed words are left out, and words
        // proposed for deletion stay until someone accepts it (agreed sections have none open).
        if (a[SUGGEST_INSERT] != null) continue;
        const inline: Inline = { text: op.insert };
        if (a.bold) inline.bold = true;
        if (a.italic) inline.italic = true;
        if (a.strike) inline.strike = true;
        if (a.underline) inline.underline = true;
        if (a.code) inline.code = true;
        const link = a.link as { href?: unknown } | undefined;
        if (link && typeof link.href === 'string') inline.link = link.href;
        out.push(inline);
      }
    } else if (child instanceof Y.XmlElement) {
      if (child.nodeName === 'hardBreak') out.push({ text: '', br: true });
      else out.push(...inlinesOf(child));
    }
  }
  return out;
}

const plain = (el: Y.XmlElement) =>
  inlinesOf(el)
    .map((i) => i.text)
    .join('');

function blocksOf(node: Y.XmlElement | Y.XmlFragment): Block[] {
  const blocks: Block[] = [];
  for (const child of node.toArray()) {
    if (!(child instanceof Y.XmlElement)) continue;
    // A proposed paragraph is not part of the text until it is accepted.
    if (isProposedBlock(child)) continue;
    switch (child.nodeName) {
      case 'paragraph':
        blocks.push({ type: 'paragraph', inlines: inlinesOf(child) });
        break;
      case 'heading': {
        const level = Number(child.getAttribute('level') ?? 1);
        blocks.push({ type: 'heading', level: Number.isFinite(level) ? Math.min(Math.max(level, 1), 6) : 1, inlines: inlinesOf(child) });
        break;
      }
      case 'bulletList':
      case 'orderedList':
        blocks.push({
          type: 'list',
          ordered: child.nodeName === 'orderedList',
          items: child
            .toArray()
            .filter((li): li is Y.XmlElement => li instanceof Y.XmlElement && !isProposedBlock(li))
            .map((li) => blocksOf(li)),
        });
        break;
      case 'blockquote':
        blocks.push({ type: 'blockquote', blocks: blocksOf(child) });
        break;
      case 'codeBlock':
        blocks.push({ type: 'codeBlock', text: plain(child) });
        break;
      case 'table':
        blocks.push({
          type: 'table',
          rows: child
            .toArray()
            .filter((r): r is Y.XmlElement => r instanceof Y.XmlElement)
            .map((row) => {
              const cells = row.toArray().filter((c): c is Y.XmlElement => c instanceof Y.XmlElement);
              return {
                header: cells.length > 0 && cells.every((c) => c.nodeName === 'tableHeader'),
                cells: cells.map((cell) => {
                  const parts = cell
                    .toArray()
                    .filter((p): p is Y.XmlElement => p instanceof Y.XmlElement && !isProposedBlock(p));
                  return parts.flatMap((p, i) => (i > 0 ? [{ text: '', br: true } as Inline, ...inlinesOf(p)] : inlinesOf(p)));
                }),
              };
            }),
        });
        break;
      case 'horizontalRule':
        blocks.push({ type: 'rule' });
        break;
      default:
        blocks.push(...blocksOf(child));
    }
  }
  return blocks;
}

/** The structured text of a section document. */
export function sectionBlocks(doc: Y.Doc): Block[] {
  return blocksOf(getSectionBody(doc));
}
