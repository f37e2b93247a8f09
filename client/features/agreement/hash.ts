/** The first 12 characters of a content hash: enough for people to compare by eye. */
export function shortHash(hash: string): string {
  return hash.slice(0, 12);
}
