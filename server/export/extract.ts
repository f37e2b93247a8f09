/**
 * Reading an exported DOCX back: the text of every paragraph of word/document.xml, and each
 * section's signed content (the lines between its markers), so the sign-off hash can be
 * recomputed from the document alone (services/contentHash.ts hashLines).
 */
import { markerEnd } from './render/common.ts';

/** XML character references back to text (also what pdftotext -bbox-layout writes). */
export const decodeXmlText = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&amp;/g, '&');

/** The text of each <w:p> of a document.xml, in order (runs joined, <w:tab/> as a tab, <w:br/> as a line feed). */
export function docxParagraphs(documentXml: string): string[] {
  const out: string[] = [];
  for (const m of documentXml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>|<w:p\/>/g)) {
    let text = '';
    for (const t of m[0].matchAll(/<w:t(?:\s[^>]*)?>([\s\S]*?)<\/w:t>|<w:t(?:\s[^>]*)?\/>|<w:tab\/>|<w:br\/>/g)) {
      if (t[0] === '<w:tab/>') text += '\t';
      else if (t[0] === '<w:br/>') text += '\n';
      else text += decodeXmlText(t[1] ?? '');
    }
    out.push(text);
  }
  return out;
}

/**
 * Each section's canonical lines (signed or not), by section id, from a list of paragraph texts;
 * `signedOnly` keeps only those marked as signed content.
 */
export function extractCanonicalBlocks(paragraphs: string[], options: { signedOnly?: boolean } = {}): Map<string, string[]> {
  const blocks = new Map<string, string[]>();
  for (let i = 0; i < paragraphs.length; i++) {
    const m = /^\[begin (signed|unsigned) content ([A-Za-z0-9_-]+)\]$/.exec(paragraphs[i]!);
    if (!m) continue;
    const signed = m[1] === 'signed';
    const id = m[2]!;
    const end = paragraphs.indexOf(markerEnd(id, signed), i + 1);
    if (end < 0) continue;
    if (options.signedOnly && !signed) {
      i = end;
      continue;
    }
    blocks.set(id, paragraphs.slice(i + 1, end));
    i = end;
  }
  return blocks;
}

