/**
 * A small, complete published snapshot built by hand, for tests of what the public record serves
 * (pages, open data) without a database: an adopted plan with 2 chapters and 3 sections (one left
 * out at adoption), 2 actions with indicators and observed values (one answering two
 * recommendations, one answering none), 3 recommendations (one that no action answers) and one
 * reporting round with a government report and two independent assessments.
 *
 * Every call returns a fresh object, so a test may change it freely. Like a real snapshot it names
 * organisations only, never people.
 */
import type { PublicAction, PublicSnapshot } from '../../server/services/publicRecord/snapshot.ts';

export const SAMPLE_IDS = {
  chapters: ['chap-justice-0001', 'chap-equality-0002'],
  sections: ['sect-courts-00001', 'sect-detention-002', 'sect-women-000003'],
  actions: ['act-judges-000001', 'act-shelters-00002'],
  indicators: ['ind-training-00001', 'ind-caseload-00002', 'ind-shelters-00003'],
  recommendations: ['rec-judiciary-0001', 'rec-torture-00002', 'rec-women-0000003'],
  round: 'round-midterm-2027',
} as const;

const [CH1, CH2] = SAMPLE_IDS.chapters;
const [S1, S2, S3] = SAMPLE_IDS.sections;
const [A1, A2] = SAMPLE_IDS.actions;
const [I1, I2, I3] = SAMPLE_IDS.indicators;
const [R1, R2, R3] = SAMPLE_IDS.recommendations;
const ROUND = SAMPLE_IDS.round;

function judgesAction(): PublicAction {
  return {
    id: A1,
    title: 'Train judges on fair-trial guarantees',
    description: 'A yearly course for sitting judges.\nDelivered with the bar association.',
    leadAgency: 'Ministry of Justice',
    coImplementers: ['Supreme Court', 'Judicial Training Centre'],
    csoPartners: ['Legal Aid Network'],
    start: '2026',
    end: '2028-Q4',
    budget: '120000 EUR (State budget)',
    budgetAmount: 120000,
    currency: 'EUR',
    fundingSource: 'State budget',
    recommendationIds: [R1, R2],
    indicators: [
      {
        id: I1,
        type: 'process',
        description: 'Share of judges trained',
        unit: '%',
        baseline: '12 (2024)',
        target: '80 (2028)',
        dataSource: 'Judicial Training Centre records',
        frequency: 'annual',
        baselinePoint: { value: 12, year: 2024 },
        targetPoint: { value: 80, year: 2028 },
        values: [
          { roundId: ROUND, date: '2026-12-31', value: 25 },
          { roundId: ROUND, date: '2027-06-30', value: 41.5 },
        ],
      },
      {
        id: I2,
        type: 'outcome',
        description: 'Pre-trial detention cases pending over a year',
        unit: 'cases',
        baseline: 'about 300',
        target: null,
        dataSource: null,
        frequency: null,
        baselinePoint: { value: null, year: null },
        targetPoint: { value: null, year: null },
        values: [],
      },
    ],
    reportedStatus: 'in_progress',
  };
}

function sheltersAction(): PublicAction {
  return {
    id: A2,
    title: 'Open shelters for survivors of domestic violence',
    description: 'One shelter in each region.',
    leadAgency: 'Ministry of Social Affairs',
    coImplementers: [],
    csoPartners: ['Women’s Rights Centre', 'Союз женщин'],
    start: '2026-03-01',
    end: null,
    budget: null,
    budgetAmount: null,
    currency: null,
    fundingSource: null,
    recommendationIds: [],
    indicators: [
      {
        id: I3,
        type: 'structural',
        description: 'Regions with a shelter',
        unit: 'regions',
        baseline: '1',
        target: '6 (2029)',
        dataSource: 'Ministry of Social Affairs',
        frequency: 'annual',
        baselinePoint: { value: 1, year: null },
        targetPoint: { value: 6, year: 2029 },
        values: [{ roundId: ROUND, date: '2027-05-15', value: 3 }],
      },
    ],
    reportedStatus: null,
  };
}

export function sampleSnapshot(): PublicSnapshot {
  const paragraph = (text: string) => ({ type: 'paragraph' as const, inlines: [{ text }] });
  return {
    version: 1,
    kind: 'adopted',
    publishedAt: '2027-07-01T10:00:00.000Z',
    plan: { id: 'plan-sample-000001', title: 'National Human Rights Action Plan 2026–2029', country: 'Freedonia', periodStart: 2026, periodEnd: 2029, source: null, stage: 'monitoring' },
    adoption: {
      actTitle: 'Decree on the National Human Rights Action Plan',
      actNumber: '123',
      actDate: '2026-01-15',
      actUrl: 'https://example.org/decree-123',
      contentHash: 'a'.repeat(64),
      leftOut: [{ sectionId: S2, title: 'Conditions of detention', reason: 'Not agreed in time; to be negotiated in the next plan.' }],
    },
    monitoringBody: 'National Human Rights Institution',
    chapters: [
      {
        id: CH1,
        number: 1,
        title: 'Justice',
        sections: [
          {
            id: S1,
            number: '1.1',
            title: 'Independent courts',
            status: 'agreed',
            included: true,
            agreedAt: '2025-11-20T14:00:00.000Z',
            agreedHash: 'b'.repeat(64),
            blocks: [paragraph('Courts decide independently.')],
            signers: [
              { organisation: 'Ministry of Justice', side: 'government', verified: true, signedAt: '2025-11-19T09:00:00.000Z' },
              { organisation: 'Legal Aid Network', side: 'civil_society', verified: true, signedAt: '2025-11-20T14:00:00.000Z' },
              { organisation: 'Citizens Forum', side: 'civil_society', verified: false, signedAt: '2025-11-20T15:00:00.000Z' },
            ],
            reservations: [{ organisation: 'Legal Aid Network', side: 'civil_society', verified: true, text: 'The budget is too small.', at: '2025-11-20T14:00:00.000Z' }],
            dissent: [],
            actions: [judgesAction()],
          },
          {
            id: S2,
            number: '1.2',
            title: 'Conditions of detention',
            status: 'in_review',
            included: false,
            agreedAt: null,
            agreedHash: null,
            blocks: [],
            signers: [],
            reservations: [],
            dissent: [
              { organisation: 'Prison Watch', side: 'civil_society', verified: true, text: 'Inspections must be unannounced.', at: '2025-12-01T08:00:00.000Z', actionId: null, actionTitle: null },
            ],
            actions: [],
          },
        ],
      },
      {
        id: CH2,
        number: 2,
        title: 'Equality',
        sections: [
          {
            id: S3,
            number: '2.1',
            title: 'Women’s rights',
            status: 'agreed',
            included: true,
            agreedAt: '2025-12-10T12:00:00.000Z',
            agreedHash: 'c'.repeat(64),
            blocks: [paragraph('Violence against women is prevented and punished.')],
            signers: [
              { organisation: 'Ministry of Social Affairs', side: 'government', verified: true, signedAt: '2025-12-09T12:00:00.000Z' },
              { organisation: 'Women’s Rights Centre', side: 'civil_society', verified: true, signedAt: '2025-12-10T12:00:00.000Z' },
            ],
            reservations: [],
            dissent: [],
            actions: [sheltersAction()],
          },
        ],
      },
    ],
    recommendations: [
      {
        id: R1,
        reference: 'A/HRC/46/5, para. 112.3',
        mechanism: 'UPR',
        documentSymbol: 'A/HRC/46/5',
        paragraph: '112.3',
        recommendingStates: ['Norway', 'Chile'],
        position: 'supported',
        themes: ['Administration of justice', 'Fair trial'],
        text: 'Guarantee the independence of the judiciary.',
      },
      {
        id: R2,
        reference: 'CAT/C/FRE/CO/2, para. 9',
        mechanism: 'CAT',
        documentSymbol: 'CAT/C/FRE/CO/2',
        paragraph: '9',
        recommendingStates: [],
        position: 'supported_in_part',
        themes: ['Torture'],
        text: 'Ensure fundamental legal safeguards from the outset of detention.',
      },
      {
        id: R3,
        reference: 'A/HRC/46/5, para. 112.40',
        mechanism: 'UPR',
        documentSymbol: 'A/HRC/46/5',
        paragraph: '112.40',
        recommendingStates: ['Iceland'],
        position: 'noted',
        themes: ['Women’s rights'],
        text: 'Ratify the Istanbul Convention.',
      },
    ],
    rounds: [
      {
        id: ROUND,
        name: '2027 mid-term review',
        dueDate: '2027-06-30',
        state: 'open',
        reports: [
          {
            actionId: A1,
            status: 'in_progress',
            narrative: 'Two courses held; 41.5% of judges trained.',
            spentAmount: 45000,
            currency: 'EUR',
            submittedAt: '2027-06-20T09:00:00.000Z',
            organisation: 'Ministry of Justice',
            links: [{ url: 'https://example.org/training-report', label: 'Training report' }],
          },
        ],
        assessments: [
          {
            targetType: 'recommendation',
            targetId: R1,
            organisation: 'Legal Aid Network',
            side: 'civil_society',
            rating: 'partially_implemented',
            justification: 'Training started, appointments are still political.',
            evidenceLinks: ['https://example.org/monitoring-2027', 'https://example.org/court-watch'],
            updatedAt: '2027-06-25T16:00:00.000Z',
          },
          {
            targetType: 'action',
            targetId: A2,
            organisation: 'Women’s Rights Centre',
            side: 'civil_society',
            rating: 'not_implemented',
            justification: 'No new shelter has opened.',
            evidenceLinks: [],
            updatedAt: '2027-06-26T11:00:00.000Z',
          },
        ],
        governmentRatings: [
          { recommendationId: R1, rating: 'partially_implemented' },
          { recommendationId: R2, rating: 'no_information' },
        ],
      },
    ],
  };
}
