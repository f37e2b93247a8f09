import { isKnownCountry } from './countries.ts';
import { cleanText } from './normalise.ts';

/**
 * Reading the parenthesised attribution at the end of a UPR recommendation ("(Algeria)",
 * "(Brazil, Mexico and Spain)", "(Brazil; Mexico)") as the list of recommending States.
 */

/** Splits on a separator that is not inside parentheses ("Venezuela (Bolivarian Republic of), Spain"). */
export function splitTopLevel(s: string, sep: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (depth === 0 && s.startsWith(sep, i)) {
      parts.push(s.slice(start, i));
      start = i + sep.length;
    }
  }
  parts.push(s.slice(start));
  return parts.map((x) => x.trim()).filter(Boolean);
}

/**
 * "Bosnia and Herzegovina and Trinidad and Tobago" → both States: the words between the "and"s
 * are grouped so that every group is a known country name. Null when no grouping works.
 */
function knownCountriesJoinedByAnd(name: string): string[] | null {
  const words = splitTopLevel(name, ' and ');
  if (words.length < 2) return null;
  const from = (i: number): string[] | null => {
    if (i === words.length) return [];
    for (let j = words.length; j > i; j--) {
      const candidate = words.slice(i, j).join(' and ');
      if (!isKnownCountry(candidate)) continue;
      const rest = from(j);
      if (rest) return [candidate, ...rest];
    }
    return null;
  };
  const found = from(0);
  return found && found.length > 1 ? found : null;
}

/** Looks like a State's name: capitalised words with the usual small connectors, not an acronym. */
const NAME_SHAPE = /^\p{Lu}[\p{L}'’.-]*(?:\s+(?:\p{Lu}[\p{L}'’.-]*|\([^()]+\)|of|the|and|d['’]\p{L}+))*$/u;

/**
 * Reads "Algeria", "Brazil, Italy", "Brazil and Italy", "Brazil; Mexico" or "Bosnia and
 * Herzegovina" as a list of States; null when the parenthesis is not an attribution ("(i)",
 * "(for example, …)", "(OHCHR)"). `unknown` lists the names Accord's country list lacks.
 */
export function parseStates(content: string): { states: string[]; unknown: string[] } | null {
  const states: string[] = [];
  const unknown: string[] = [];
  const accept = (name: string): boolean => {
    if (isKnownCountry(name)) {
      states.push(name);
      return true;
    }
    if (NAME_SHAPE.test(name) && name !== name.toUpperCase() && name.split(/\s+/).length <= 8) {
      states.push(name);
      unknown.push(name);
      return true;
    }
    return false;
  };
  // Joint recommendations list their States with commas, "and", or (in some reports) semicolons.
  const parts = splitTopLevel(cleanText(content), ';').flatMap((p) => splitTopLevel(p, ','));
  for (const part of parts) {
    const name = part.replace(/^and\s+/, '');
    if (isKnownCountry(name)) {
      states.push(name);
      continue;
    }
    const pieces = knownCountriesJoinedByAnd(name);
    if (pieces) {
      states.push(...pieces);
      continue;
    }
    if (!accept(name)) return null;
  }
  return states.length ? { states, unknown } : null;
}
