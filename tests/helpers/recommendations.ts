import type { ParsedImport, Position, RecommendationInput } from '../../shared/api/index.ts';

const THEMES = ['Death penalty', 'Torture and other CID treatment', 'Freedom of the press', 'Women\'s rights', 'Detention'];
const STATES = ['France', 'Germany', 'Brazil', 'Japan', 'Mexico', 'Canada'];
const POSITIONS: Position[] = ['supported', 'supported_in_part', 'noted', 'pending'];

/**
 * A made-up but well-formed UPR recommendation number `n` (a stand-in for a parser's output).
 * Fields cycle through a few themes, States and positions so filters have something to find.
 */
export function sampleRecommendation(n: number, overrides: Partial<RecommendationInput> = {}): RecommendationInput {
  return {
    sourceKey: `test:${n}`,
    reference: null,
    mechanism: 'UPR',
    documentSymbol: 'A/HRC/15/16',
    paragraph: `97.${n}`,
    cycle: 1,
    session: '8',
    date: '2010-05-12',
    stateUnderReview: 'Belarus',
    recommendingStates: [STATES[n % STATES.length]!],
    text: `Recommendation number ${n} about ${THEMES[n % THEMES.length]!.toLowerCase()} and reform`,
    language: 'en',
    position: POSITIONS[n % POSITIONS.length]!,
    kind: 'recommendation',
    positionSource: null,
    themes: [THEMES[n % THEMES.length]!],
    affectedPersons: n % 2 === 0 ? ['Women'] : [],
    sdgTargets: [],
    actionCategory: null,
    notes: null,
    ...overrides,
  };
}

/** A ParsedImport as a parser would produce it, built directly. */
export function parsedImport(recommendations: RecommendationInput[], extra: Partial<ParsedImport> = {}): ParsedImport {
  return {
    format: 'accord-json',
    rows: recommendations.map((recommendation, i) => ({ row: i + 1, recommendation })),
    rejected: [],
    warnings: [],
    ...extra,
  };
}
