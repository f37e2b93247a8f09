/**
 * The NUL character is left out of every text Accord takes in (requests, imported files): nobody
 * can see or type it, and PostgreSQL's text cannot hold it (a query naming one fails there, while
 * SQLite kept it). Both engines store the same text.
 */

export function withoutNul(text: string): string {
  return text.includes('\0') ? text.replaceAll('\0', '') : text;
}

/** For JSON.parse (a request's body, an imported JSON file): strings are read without NUL. */
export function nulFreeReviver(_key: string, value: unknown): unknown {
  return typeof value === 'string' ? withoutNul(value) : value;
}

/** `value` with NUL left out of every string in it (query strings and path parameters; plain objects and arrays). */
export function nulLeftOut(value: unknown): unknown {
  if (typeof value === 'string') return withoutNul(value);
  if (Array.isArray(value)) return value.map(nulLeftOut);
  const plain = value !== null && typeof value === 'object' && [Object.prototype, null].includes(Object.getPrototypeOf(value));
  return plain ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, nulLeftOut(v)])) : value;
}
