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
