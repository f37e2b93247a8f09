import type { ImportEncoding } from '../../shared/api/index.ts';

/**
 * Encodes text as a file saved in `encoding` would hold it, optionally with a byte order mark.
 * Single-byte code pages use the platform decoder's own table, inverted (decode each byte 0..255),
 * so the bytes are exactly what that decoder reads back; a character the code page lacks throws.
 */
export function encodeAs(text: string, encoding: ImportEncoding, { bom = false } = {}): Uint8Array {
  switch (encoding) {
    case 'utf-8':
      return concat(bom ? [0xef, 0xbb, 0xbf] : [], new TextEncoder().encode(text));
    case 'utf-16le':
    case 'utf-16be': {
      const le = encoding === 'utf-16le';
      const out = new Uint8Array(text.length * 2);
      for (let i = 0; i < text.length; i++) {
        const unit = text.charCodeAt(i);
        out[2 * i + (le ? 0 : 1)] = unit & 0xff;
        out[2 * i + (le ? 1 : 0)] = unit >> 8;
      }
      return concat(bom ? (le ? [0xff, 0xfe] : [0xfe, 0xff]) : [], out);
    }
    default: {
      const decoder = new TextDecoder(encoding);
      const reverse = new Map<string, number>();
      for (let b = 255; b >= 0; b--) reverse.set(decoder.decode(new Uint8Array([b])), b);
      return Uint8Array.from([...text], (ch) => {
        const b = reverse.get(ch);
        if (b === undefined) throw new Error(`"${ch}" (U+${ch.codePointAt(0)!.toString(16)}) has no ${encoding} byte`);
        return b;
      });
    }
  }
}

/** Whether the code page has a byte for every character of the text. */
export function canEncode(text: string, encoding: ImportEncoding): boolean {
  try {
    encodeAs(text, encoding);
    return true;
  } catch {
    return false;
  }
}

function concat(prefix: number[], bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(prefix.length + bytes.length);
  out.set(prefix);
  out.set(bytes, prefix.length);
  return out;
}

/** Every encoding an uploaded file may arrive in, with and without a byte-order mark where one exists. */
export const FILE_ENCODINGS: Array<{ encoding: ImportEncoding; bom: boolean }> = [
  { encoding: 'utf-8', bom: false },
  { encoding: 'utf-8', bom: true },
  { encoding: 'utf-16le', bom: true },
  { encoding: 'utf-16le', bom: false },
  { encoding: 'utf-16be', bom: true },
  { encoding: 'utf-16be', bom: false },
  { encoding: 'windows-1251', bom: false },
  { encoding: 'koi8-r', bom: false },
  { encoding: 'macintosh', bom: false },
  { encoding: 'windows-1252', bom: false },
];

/** A UPR Info export with `text` as its one recommendation (the header and State names are ASCII, as in the real files). */
export const uprInfoCsv = (text: string) => `To,Text,From,Response,Session\r\nBelarus,"${text}",France,Supported,8\r\n`;
