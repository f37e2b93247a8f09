import type { ImportWarning } from '../../shared/api/importText.ts';
import type { ImportEncoding } from '../../shared/api/recommendations.ts';
import { ImportFileError } from './errors.ts';
import { guessSingleByte } from './singleByte.ts';

/** Largest file Accord will import (20 MiB): far above any real recommendations export. */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

export interface DecodedText {
  text: string;
  encoding: ImportEncoding;
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
    // Numbers, not text: the reader's catalogue writes them its own way ("50,5 МБ", "50.5 MB").
    const sizeMb = Math.round((bytes.byteLength / MB) * 10) / 10;
    const limitMb = MAX_IMPORT_BYTES / MB;
    throw new ImportFileError('file_too_large', `The file is ${sizeMb.toFixed(1)} MB; the limit is ${limitMb} MB.`, { sizeMb, limitMb });
  }
}

/**
 * Turns uploaded bytes into text with LF line endings.
 *
 * - Refuses files over {@link MAX_IMPORT_BYTES}, empty files and binary files (NUL bytes or many
 *   control characters), with a message for the person.
 * - `chosen` is the encoding the person picked; without it the encoding is detected: a BOM says
 *   it outright (UTF-8, UTF-16 LE/BE); UTF-16 without one shows by its NUL high bytes; bytes that
 *   are valid UTF-8 are UTF-8 (no single-byte text of any length is, by accident); anything else
 *   is a single-byte code page, guessed from what its text looks like ({@link guessSingleByte}),
 *   with a warning that names it, since any bytes "decode" in any code page.
 * - CRLF and lone CR (classic Mac) become LF, so parsers only deal with one line ending.
 */
export function decodeText(bytes: Uint8Array, chosen?: ImportEncoding): DecodedText {
  checkSize(bytes);
  if (bytes.byteLength === 0) throw empty();

  const warnings: ImportWarning[] = [];
  const encoding = chosen ?? detectEncoding(bytes);
  if (encoding !== 'utf-16le' && encoding !== 'utf-16be') refuseBinary(bytes);
  let text = new TextDecoder(encoding).decode(withoutBom(bytes, encoding));
  if (chosen) {
    // A wrong choice of a Unicode encoding leaves bytes it cannot read; say how many.
    const n = [...text.matchAll(/\uFFFD/g)].length;
    if (n > 0) {
      warnings.push({
        code: 'undecodable_characters',
        params: { n, encoding },
        message: `${n} character${n > 1 ? 's' : ''} could not be read as ${encoding}: they show as \uFFFD. Choose another encoding.`,
      });
    }
  } else if (!encoding.startsWith('utf-')) {
    warnings.push({
      code: 'encoding_guessed',
      params: { encoding },
      message: `The file is not Unicode (UTF-8 or UTF-16); it was read as ${encoding}. Check that its letters look right; if not, choose the encoding it was saved in.`,
    });
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  text = text.replace(/\r\n?/g, '\n');
  if (text.trim() === '') throw empty();
  return { text, encoding, warnings };
}

/** The encoding of bytes nobody named: see {@link decodeText}. */
export function detectEncoding(bytes: Uint8Array): ImportEncoding {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  const utf16 = utf16WithoutBom(bytes);
  if (utf16) return utf16;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return 'utf-8';
  } catch {
    return guessSingleByte(bytes);
  }
}

/** Share of a UTF-16 file's high bytes that are NUL at least, when its text has some ASCII (spaces, digits, commas). */
const MIN_UTF16_NUL_SHARE = 0.05;

/**
 * UTF-16 without a BOM: text files have no NUL bytes, except as the high byte of every ASCII
 * character in UTF-16, which puts them all on the same side of each byte pair. Null when the NULs
 * are not so placed, or the bytes do not decode as UTF-16 without control characters.
 */
function utf16WithoutBom(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const n = Math.min(bytes.byteLength, SNIFF_BYTES) & ~1;
  if (n < 2) return null;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < n; i++) {
    if (bytes[i] !== 0) continue;
    if (i & 1) odd++;
    else even++;
  }
  const pairs = n / 2;
  const encoding = odd >= pairs * MIN_UTF16_NUL_SHARE && even * 4 <= odd ? 'utf-16le' : even >= pairs * MIN_UTF16_NUL_SHARE && odd * 4 <= even ? 'utf-16be' : null;
  if (!encoding) return null;
  try {
    const text = new TextDecoder(encoding, { fatal: true }).decode(bytes.subarray(0, n));
    return /[\x00-\x08\x0b\x0e-\x1f\x7f]/.test(text) ? null : encoding;
  } catch {
    return null;
  }
}

/** The bytes after the BOM of `encoding`, if they start with it. */
function withoutBom(bytes: Uint8Array, encoding: ImportEncoding): Uint8Array {
  const bom = encoding === 'utf-8' ? [0xef, 0xbb, 0xbf] : encoding === 'utf-16le' ? [0xff, 0xfe] : encoding === 'utf-16be' ? [0xfe, 0xff] : [];
  return bom.length > 0 && bom.every((b, i) => bytes[i] === b) ? bytes.subarray(bom.length) : bytes;
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
