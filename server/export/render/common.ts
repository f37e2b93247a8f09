/** Small helpers shared by the renderers. */

/** Drops characters XML 1.0 cannot hold (control characters, lone surrogates, U+FFFE/F). */
export function xmlSafe(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '');
}

/** Text as PDFKit may draw it: XML-safe, tabs as spaces. */
export const clean = (s: string) => xmlSafe(s).replace(/\t/g, '    ');

/**
 * Marker paragraphs around a section's canonical lines in DOCX, PDF, HTML and Markdown. "signed
 * content" only where those exact lines are what its sign-offs cover (see isSigned in model.ts);
 * a current-draft export of a section nobody signed says "unsigned content", so no reader takes
 * a draft for agreed text.
 */
export const markerBegin = (sectionId: string, signed: boolean) => `[begin ${signed ? 'signed' : 'unsigned'} content ${sectionId}]`;
export const markerEnd = (sectionId: string, signed: boolean) => `[end ${signed ? 'signed' : 'unsigned'} content ${sectionId}]`;

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: string) => xmlSafe(s).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
