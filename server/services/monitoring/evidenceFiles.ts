import { fileTypeFromBuffer } from 'file-type';
import { HttpError } from '../../errors.ts';

/**
 * What an evidence file really is, from its bytes, never from its name or the browser's word: a
 * file that claims to be a PDF but holds HTML would otherwise be served to the other side's members.
 */

const BY_BYTES: Record<string, string> = {
  'application/pdf': 'PDF',
  'image/png': 'PNG',
  'image/jpeg': 'JPEG',
  'image/webp': 'WebP',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'DOCX',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'XLSX',
  'application/vnd.oasis.opendocument.text': 'ODT',
  'application/vnd.oasis.opendocument.spreadsheet': 'ODS',
};

export const ACCEPTED_EVIDENCE = 'PDF, PNG, JPEG, WebP, DOCX, XLSX, ODT, ODS, or plain text (.txt) and CSV (.csv) in UTF-8';

function isPlainUtf8(bytes: Uint8Array): boolean {
  if (bytes.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** The file's type, or 415 naming what Accord accepts. */
export async function evidenceType(name: string, bytes: Uint8Array): Promise<string> {
  const detected = await fileTypeFromBuffer(bytes);
  if (detected && BY_BYTES[detected.mime]) return detected.mime;
  // Text has no signature: accepted only when its name says so and its bytes are clean UTF-8.
  const lower = name.toLowerCase();
  if (!detected && isPlainUtf8(bytes)) {
    if (lower.endsWith('.txt')) return 'text/plain';
    if (lower.endsWith('.csv')) return 'text/csv';
  }
  const what = detected ? `in fact a file of type ${detected.ext.toUpperCase()}` : 'of a type Accord cannot recognise';
  throw new HttpError(415, 'evidence_type', `“${name}” is ${what}. Evidence can be ${ACCEPTED_EVIDENCE}.`);
}

/** A file name fit to show and to offer on download: no folders, no control characters, at most 200 characters. */
export function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).at(-1) ?? '';
  const clean = base.replace(/[\u0000-\u001f\u007f"]/g, '').trim().slice(0, 200);
  return clean || 'evidence';
}
