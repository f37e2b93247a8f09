/**
 * The Sustainable Development Goals and their 169 targets (General Assembly resolution 70/1, the
 * 2030 Agenda): which target codes exist, how people and files write them, and the goals' official
 * short names in the languages Accord speaks. One place, read by the API schemas, the server's
 * filters and coverage, the client and the exports.
 */

export type SdgLanguage = 'en' | 'ru' | 'be';

/**
 * For each goal 1–17: how many numbered targets it has (1.1 … 1.5) and how many lettered ones,
 * the means of implementation (1.a, 1.b). Goal 17 has only numbered ones (17.1 … 17.19).
 */
const TARGET_COUNTS: ReadonlyArray<readonly [numbered: number, lettered: number]> = [
  [5, 2], // 1
  [5, 3], // 2
  [9, 4], // 3
  [7, 3], // 4
  [6, 3], // 5
  [6, 2], // 6
  [3, 2], // 7
  [10, 2], // 8
  [5, 3], // 9
  [7, 3], // 10
  [7, 3], // 11
  [8, 3], // 12
  [3, 2], // 13
  [7, 3], // 14
  [9, 3], // 15
  [10, 2], // 16
  [19, 0], // 17
];

export const SDG_GOALS: readonly number[] = TARGET_COUNTS.map((_, i) => i + 1);

/** Every target code, in the 2030 Agenda's order: "1.1", …, "1.a", "1.b", "2.1", …, "17.19". */
export const SDG_TARGETS: readonly string[] = TARGET_COUNTS.flatMap(([numbered, lettered], i) => [
  ...Array.from({ length: numbered }, (_, n) => `${i + 1}.${n + 1}`),
  ...Array.from({ length: lettered }, (_, l) => `${i + 1}.${String.fromCharCode(97 + l)}`),
]);
const TARGET_SET: ReadonlySet<string> = new Set(SDG_TARGETS);

/**
 * The goals' short names (the titles of the UN's goal icons): English and Russian as on the UN's
 * Sustainable Development pages, Belarusian as the UN in Belarus renders them. The same words in
 * the client and the exports.
 */
const GOAL_NAMES: Record<SdgLanguage, readonly string[]> = {
  en: [
    'No poverty',
    'Zero hunger',
    'Good health and well-being',
    'Quality education',
    'Gender equality',
    'Clean water and sanitation',
    'Affordable and clean energy',
    'Decent work and economic growth',
    'Industry, innovation and infrastructure',
    'Reduced inequalities',
    'Sustainable cities and communities',
    'Responsible consumption and production',
    'Climate action',
    'Life below water',
    'Life on land',
    'Peace, justice and strong institutions',
    'Partnerships for the goals',
  ],
  ru: [
    'Ликвидация нищеты',
    'Ликвидация голода',
    'Хорошее здоровье и благополучие',
    'Качественное образование',
    'Гендерное равенство',
    'Чистая вода и санитария',
    'Недорогостоящая и чистая энергия',
    'Достойная работа и экономический рост',
    'Индустриализация, инновации и инфраструктура',
    'Уменьшение неравенства',
    'Устойчивые города и населенные пункты',
    'Ответственное потребление и производство',
    'Борьба с изменением климата',
    'Сохранение морских экосистем',
    'Сохранение экосистем суши',
    'Мир, правосудие и эффективные институты',
    'Партнерство в интересах устойчивого развития',
  ],
  be: [
    'Ліквідацыя беднасці',
    'Ліквідацыя голаду',
    'Добрае здароўе і дабрабыт',
    'Якасная адукацыя',
    'Гендарная роўнасць',
    'Чыстая вада і санітарыя',
    'Недарагая і чыстая энергія',
    'Годная праца і эканамічны рост',
    'Індустрыялізацыя, інавацыі і інфраструктура',
    'Скарачэнне няроўнасці',
    'Устойлівыя гарады і населеныя пункты',
    'Адказнае спажыванне і вытворчасць',
    'Барацьба са змяненнем клімату',
    'Захаванне марскіх экасістэм',
    'Захаванне экасістэм сушы',
    'Мір, правасуддзе і эфектыўныя інстытуты',
    'Партнёрства ў інтарэсах устойлівага развіцця',
  ],
};

/** A goal's short name ("Peace, justice and strong institutions"); languages other than ru/be read English. */
export function sdgGoalName(goal: number, language: string = 'en'): string {
  const names = GOAL_NAMES[(language in GOAL_NAMES ? language : 'en') as SdgLanguage];
  const name = names[goal - 1];
  if (name === undefined) throw new RangeError(`There is no Sustainable Development Goal ${goal}`);
  return name;
}

export const isSdgGoal = (n: number): boolean => Number.isInteger(n) && n >= 1 && n <= 17;
export const isSdgTarget = (code: string): boolean => TARGET_SET.has(code);

/**
 * What people and files write for a target or a goal, as Accord stores it: "16.3", "5.a", or "16"
 * for a goal as a whole. Accepts "SDG 16.3", "Target 16.3", "16.3 Promote the rule of law…" (the
 * UHRI export puts the target's words after its code), "Goal 16", "16.A"; null when it names no
 * goal or target that exists (16.11, 18, "peace").
 */
export function parseSdg(input: string): string | null {
  const m = /^\s*(?:(?:sdg|goal|target)s?\s*)?(\d{1,2})(?:\s*\.\s*(\d{1,2}|[a-z])(?![\p{L}\p{N}]))?/iu.exec(input);
  if (!m) return null;
  // What follows the code must end it: nothing, a space or punctuation before words ("16.1 Significantly…",
  // "16: Peace…", "16.3)"), or an indicator's number (16.3.1 belongs to target 16.3). Not "16.11" or "5.ab".
  const rest = input.slice(m[0].length);
  const ends = m[2] === undefined ? /^(?:$|\s|[:;,)]|\.(?:$|\s))/ : /^(?:$|\s|[:;,)]|\.(?:$|\s|\d))/;
  if (!ends.test(rest)) return null;
  const goal = Number(m[1]);
  if (!isSdgGoal(goal)) return null;
  if (m[2] === undefined) return String(goal);
  const code = `${goal}.${m[2].toLowerCase().replace(/^0+(?=\d)/, '')}`;
  return isSdgTarget(code) ? code : null;
}

/** The goal of a stored code: 16 for "16", "16.3" and "16.a". */
export const sdgGoalOf = (code: string): number => Number(code.split('.')[0]);

/** Sorts codes as the 2030 Agenda lists them: by goal, the goal itself first, numbered targets, then lettered. */
export function compareSdg(a: string, b: string): number {
  const ga = sdgGoalOf(a);
  const gb = sdgGoalOf(b);
  if (ga !== gb) return ga - gb;
  const rank = (code: string) => (code.includes('.') ? SDG_TARGETS.indexOf(code) : -1);
  return rank(a) - rank(b);
}

/** The distinct goals a list of codes links to, in order. */
export const sdgGoalsOf = (codes: readonly string[]): number[] =>
  [...new Set(codes.map(parseSdg).filter((c): c is string => c !== null).map(sdgGoalOf))].sort((a, b) => a - b);

/**
 * Stored codes grouped by goal for reading ("Goal 16: 16.3, 16.10"): each goal in order with its
 * targets (none when the goal is linked as a whole), and any stored words that name no target
 * (imported before codes were checked) as they are.
 */
export function groupSdgs(stored: readonly string[]): { goals: Array<{ goal: number; targets: string[] }>; other: string[] } {
  const byGoal = new Map<number, Set<string>>();
  const other: string[] = [];
  for (const value of stored) {
    const code = parseSdg(value);
    if (code === null) {
      other.push(value);
      continue;
    }
    const goal = sdgGoalOf(code);
    const targets = byGoal.get(goal) ?? new Set<string>();
    if (code.includes('.')) targets.add(code);
    byGoal.set(goal, targets);
  }
  const goals = [...byGoal.entries()].sort(([a], [b]) => a - b).map(([goal, targets]) => ({ goal, targets: [...targets].sort(compareSdg) }));
  return { goals, other };
}
