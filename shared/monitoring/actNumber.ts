/**
 * The number of an adopting act without a number sign: people type "No. 123", "№ 123" or "123",
 * and every document then prints its own language's sign before it ("No. 123", "№ 123"), so none
 * reads "No. No. 123" or "№ No. 123".
 */
export function bareActNumber(number: string): string {
  return number.replace(/^\s*(?:(?:nos?|nr|num|n)(?:\.|\s)|n[º°]\.?|№+|#)\s*/iu, '').trim();
}
