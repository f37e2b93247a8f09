/**
 * Turning a recommendation's text into the words that carry its ask, so that "Continue to combat
 * racial discrimination (Palestine)" and "continue its efforts to combat racial discrimination"
 * compare as the same request. Pure functions; no database.
 */

/**
 * Openings that say how eagerly a State asks, not what it asks for. Removed only at the start
 * (after State names are gone), longest first, repeatedly: "Continue to consider ratifying…".
 */
const LEAD_INS = [
  'examine the possibility of', 'consider the possibility of', 'explore the possibility of', 'study the possibility of',
  'take the necessary measures to', 'take necessary measures to', 'take appropriate measures to', 'take measures to',
  'take steps to', 'take concrete steps to', 'take all necessary measures to', 'make every effort to', 'make efforts to',
  'continue its efforts to', 'continue their efforts to', 'continue efforts to', 'continue the efforts to',
  'intensify its efforts to', 'intensify efforts to', 'strengthen its efforts to', 'strengthen efforts to',
  'redouble its efforts to', 'pursue its efforts to', 'step up its efforts to', 'further its efforts to',
  'continue its', 'continue the', 'continue to', 'continue', 'consider', 'further', 'pursue', 'strive to', 'seek to',
  'that', 'it', 'its', 'to', 'and', 'the', 'a', 'immediately', 'promptly', 'urgently', 'effectively', 'fully',
].map((l) => l.split(' '));

/** English function words and the boilerplate every recommendation shares. */
const STOP_WORDS = new Set(
  `a an the and or nor but of to in on at by for with within without from into onto as its it their them they this that these those
   be is are was were been being has have had do does did will would shall should may might can could must all any each every
   such so than then there here which who whom whose what when where while also including include includes inter alia
   particular particularly especially notably namely order view regard regards respect accordance line well further
   state states party parties government country national efforts effort measures measure necessary appropriate ensure take
   continue consider possibility relevant other its own very more most`.split(/\s+/),
);

/** Accents off and lower case: "Ukraine’s" and "ukraine's" meet. */
function fold(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/[‘’ʼ`´]/g, "'");
}

/**
 * Truncation stemming: a word's first STEM_LENGTH letters. Crude and predictable, no dictionary,
 * and in English it maps the variants an ask is worded in together ("abolish", "abolishing",
 * "abolition"; "ratify", "ratification"; "execution", "executions") better than stripping
 * suffixes; the rare words it conflates weigh little once TF-IDF has seen how common they are.
 */
export const STEM_LENGTH = 5;

export function stem(word: string): string {
  return word.replace(/'s$/, '').slice(0, STEM_LENGTH);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Builds the normaliser for one batch: `stateNames` are the States that may be named in the texts
 * (recommending States and the State under review), removed so that "(Brazil)" or "the
 * Constitutional Court of Belarus" does not make two asks differ or two different asks alike.
 */
export function makeNormaliser(stateNames: Iterable<string>): (text: string) => string[] {
  const names = [...new Set([...stateNames].map((n) => fold(n).trim()).filter((n) => n.length > 1))].sort((a, b) => b.length - a.length);
  const statePattern = names.length > 0 ? new RegExp(`\\b(?:the )?(?:${names.map(escapeRegExp).join('|')})\\b`, 'g') : null;
  return (text: string) => {
    let t = fold(text);
    if (statePattern) t = t.replace(statePattern, ' ');
    // Hyphens and slashes join compound words; everything else not a letter or digit separates.
    const words = t.replace(/[-/]/g, '').split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 0);
    let start = 0;
    for (let changed = true; changed; ) {
      changed = false;
      for (const lead of LEAD_INS) {
        if (lead.every((w, i) => words[start + i] === w)) {
          start += lead.length;
          changed = true;
          break;
        }
      }
    }
    const out: string[] = [];
    for (const w of words.slice(start)) {
      if (STOP_WORDS.has(w) || /^\d+$/.test(w) && w.length < 3) continue;
      out.push(stem(w));
    }
    // Word pairs tell "optional protocol … against torture" from "optional protocol … rights of the child".
    const pairs = out.slice(1).map((w, i) => `${out[i]}_${w}`);
    return [...out, ...pairs];
  };
}
