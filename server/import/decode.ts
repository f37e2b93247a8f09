import type { ImportWarning } from '../../shared/api/importText.ts';
import { ImportFileError } from './errors.ts';

/** Largest file Accord will import (20 MiB): far above any real recommendations export. */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

export interface DecodedText {
  text: string;
  encoding: 'utf-8' | 'utf-16le' | 'utf-16be' | 'macintosh';
  warnings: ImportWarning[];
}

const MB = 1024 * 1024;

/** How much of the file the binary check looks at: enough to judge, cheap for a 20 MB file. */
const SNIFF_BYTES = 64 * 1024;
/** Share of control characters above which a file is taken as binary; real text has ~0. */
const MAX_CONTROL_SHARE = 0.05;

/** Refuses files over the size limit, before anything else is done with the bytes. */
export function checkSize(bytes: Uint8Array): void {
  if (bytes.byteLength > MAX_IMPORT_BYTES) {
    const sizeMb = (bytes.byteLength / MB).toFixed(1);
    const limitMb = MAX_IMPORT_BYTES / MB;
    throw new ImportFileError('file_too_large', `The file is ${sizeMb} MB; the limit is ${limitMb} MB.`, { sizeMb, limitMb });
  }
}

/**
 * Turns uploaded bytes into text with LF line endings.
 *
 * - Refuses files over {@link MAX_IMPORT_BYTES}, empty files and binary files (NUL bytes or many
 *   control characters), with a message for the person.
 * - UTF-16 with a BOM (Excel's "Unicode text") is decoded as such; a UTF-8 BOM is stripped.
 * - Bytes that are not valid UTF-8 are decoded as Mac Roman, because that is what older UPR Info
 *   exports are; a warning says so, since any single-byte file "decodes" as Mac Roman.
 * - CRLF and lone CR (classic Mac) become LF, so parsers only deal with one line ending.
 */
export function decodeText(bytes: Uint8Array): DecodedText {
  checkSize(bytes);
  if (bytes.byteLength === 0) throw empty();

  const warnings: ImportWarning[] = [];
  let text: string;
  let encoding: DecodedText['encoding'];

  if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    encoding = 'utf-16le';
    text = new TextDecoder('utf-16le').decode(bytes.subarray(2));
  } else if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    encoding = 'utf-16be';
    text = new TextDecoder('utf-16be').decode(bytes.subarray(2));
  } else {
    refuseBinary(bytes);
    try {
      // ignoreBOM: false (the default) strips a UTF-8 BOM.
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      encoding = 'utf-8';
    } catch {
      text = new TextDecoder('macintosh').decode(bytes);
      encoding = 'macintosh';
      warnings.push({
        code: 'mac_roman',
        params: {},
        message:
          'The file is not UTF-8; it was read as Mac Roman (the encoding of older UPR Info exports). Check that accented letters and quotes look right.',
      });
    }
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  text = text.replace(/\r\n?/g, '\n');
  if (text.trim() === '') throw empty();
  return { text, encoding, warnings };
}

function refuseBinary(bytes: Uint8Array): void {
  const n = Math.min(bytes.byteLength, SNIFF_BYTES);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i]!;
    if (b === 0) throw notText();
    // Tab, LF, FF and CR are ordinary in text; other C0 controls and DEL are not.
    if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0c && b !== 0x0d) || b === 0x7f) control++;
  }
  if (control / n > MAX_CONTROL_SHARE) throw notText();
}

const notText = () => new ImportFileError('not_text', 'This does not look like a text file (CSV, JSON or text).');
const empty = () => new ImportFileError('file_empty', 'The file is empty.');
