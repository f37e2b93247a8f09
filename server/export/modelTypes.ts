import type { ProgressStatus } from '../../shared/api/monitoring.ts';
import type { Block, Inline } from '../../shared/doc/blocks.ts';
import type { ExportLanguage } from '../../shared/api/agreement.ts';
import type { RecommendationKind } from '../../shared/api/recommendations.ts';

/**
 * The plan model every export format is drawn from (built by model.ts), and the annexes it
 * carries (annexes.ts, proposalsAnnex.ts). In a module of their own, so the parts that build
 * pieces of the model need not import the builder that imports them.
 */

export type ExportScope = 'agreed' | 'current';

export type { Block, Inline };

export interface ModelIndicator {
  /** The indicator's id (absent in models built by hand), to find its observed values. */
  id?: string;
  type: string;
  description: string;
  unit: string | null;
  baseline: string | null;
  target: string | null;
  dataSource: string | null;
  frequency: string | null;
  /** What its figures are broken down by ("sex", "region"…), as entered. */
  disaggregation: string[];
  /** The organisation that proposed it, or null. */
  proposedBy: string | null;
  /** Its latest observed value in force across all rounds, or null when none was reported (monitoringFacts.ts). */
  latest?: { value: number; date: string; roundName: string } | null;
  /** Baseline and target as entered, apart from their years (`baseline`/`target` join them): the matrix's tables type them. */
  baselineValue?: string | null;
  baselineYear?: number | null;
  targetValue?: string | null;
  targetYear?: number | null;
}

/** What a drafted action still lacks: a ministry cannot commit to an action without these. */
export type ActionGap = 'leadAgency' | 'timeline' | 'indicator';

export interface ModelAction {
  id: string;
  /** Its plan-wide number ("Action 12"), fixed once the plan is adopted (services/actionNumbers.ts). */
  number: number;
  /** What it lacks (no lead agency, no deadline, no indicator); flagged in drafts, see PlanModel.flagGaps. */
  gaps: ActionGap[];
  title: string;
  description: string;
  status: string;
  leadAgency: string | null;
  coImplementers: string[];
  csoPartners: string[];
  start: string | null;
  end: string | null;
  budgetAmount: number | null;
  currency: string | null;
  fundingSource: string | null;
  /** "1200000 EUR (funding source)", or null: as in the canonical lines. */
  budget: string | null;
  recommendations: Array<{ id: string; reference: string; position: string; text: string }>;
  indicators: ModelIndicator[];
  /**
   * In a saved version's export, when the status printed was the action's: the version's time
   * (the status it was saved with, often not today's), or the export's for a section whose version
   * holds its text only. Absent in an export of the plan as it is now.
   */
  statusAsOf?: string;
  /** The status its latest submitted, uncorrected report in the plan's latest round gives, or null (monitoringFacts.ts). */
  reportedStatus?: ProgressStatus | null;
}

/** A reporting round, as the exports name it. */
export interface ModelRound {
  id: string;
  name: string;
  dueDate: string;
}

export interface Signer {
  name: string;
  organisation: string;
  side: string;
  signedAt: string;
  contentHash: string;
  /** False when no coordinator vouches for the organisation (for this side) now: marked "(unverified)". */
  verified?: boolean;
}

export interface ModelSection {
  id: string;
  title: string;
  status: string;
  /**
   * False when the scope is `agreed` and the section is not, or when a saved version is exported
   * and the section is not in it: only its title is exported (`notIncluded` says why).
   */
  included: boolean;
  notIncluded?: 'not_agreed' | 'not_in_version' | 'differs_from_agreed' | 'left_out' | null;
  /** For a section left out when the plan was adopted: the reason recorded then. */
  leftOutReason?: string;
  blocks: Block[];
  actions: ModelAction[];
  /** The lines a sign-off hash covers (shared/doc/canonical.ts), and their sha256. */
  canonicalLines: string[];
  currentHash: string;
  agreedAt: string | null;
  agreedHash: string | null;
  signers: Signer[];
  /**
   * Remarks on what is printed for the section, each one line, shown under its status and in the
   * provenance annex by every renderer: e.g. a saved version that holds the section's text only,
   * so its actions are the current ones (versionActions.ts).
   */
  notes?: string[];
  /** A saved version is exported: whether the actions printed are the version's or (text-only version) the current ones. */
  actionsFrom?: 'version' | 'current';
}

export interface ModelChapter {
  id: string;
  title: string;
  sections: ModelSection[];
}

export interface ModelRecommendation {
  id: string;
  reference: string;
  mechanism: string;
  documentSymbol: string | null;
  paragraph: string | null;
  recommendingStates: string[];
  position: string;
  /**
   * A recommendation, or a voluntary pledge the State made itself (migration 035): every format
   * prints a pledge as such where the position is (recommendationPosition in model.ts). Absent in
   * models built by hand and for one deleted since a version was saved: a recommendation.
   */
  kind?: RecommendationKind;
  text: string;
  /** SDG codes ("16.3", "5.a", "16"), as stored. */
  sdgTargets: string[];
}

/**
 * A recommendation with everything the implementation matrix prints about it (render/matrix*.ts):
 * every recommendation of the plan, not only those exported actions address. Loaded for the matrix
 * formats only (matrixRecommendations.ts).
 */
export interface ModelPlanRecommendation extends ModelRecommendation {
  cycle: number | null;
  session: string | null;
  /** As entered: YYYY-MM-DD, YYYY-MM or YYYY. */
  date: string | null;
  stateUnderReview: string | null;
  themes: string[];
  affectedPersons: string[];
  /** Actions of the plan (live sections, as now) linked to it, whether or not this export includes them. */
  linkedActions: number;
  /** Deleted since the exported version was saved: only its reference is known. */
  deleted?: boolean;
}

export interface PlanModel {
  plan: { id: string; title: string; country: string; periodStart: number; periodEnd: number; source: string | null; stage?: string };
  /** The act that adopted the plan, or null while it is a draft. */
  adoption?: { title: string; number: string; date: string } | null;
  /**
   * The running header's stamp, in the export's language: "Draft — not agreed" (current draft),
   * "Agreed text — not yet adopted" (agreed sections of a plan not adopted), or null once adopted.
   */
  stamp?: string | null;
  /** Identifies this document in the footer and the provenance annex: plan, scope and export date. */
  documentNumber?: string;
  /** Whether actions' gaps are flagged (while the plan is not adopted). */
  flagGaps?: boolean;
  scope: ExportScope;
  /** The language of the export's own words (absent in models built by hand: English). */
  language?: ExportLanguage;
  exportedAt: string;
  /** Which state of the plan this export shows, in words. */
  madeFrom: string;
  /** The saved whole-plan version whose texts are exported, or null for the current text. */
  version?: { groupId: string; name: string; createdAt: string; createdBy: string } | null;
  chapters: ModelChapter[];
  /** Recommendations linked to exported actions, in reference order. */
  recommendations: ModelRecommendation[];
  /** Annexes C, D, … after the provenance annex, drawn generically by every renderer (annexes.ts). */
  annexes?: ModelAnnex[];
  /** The plan's latest reporting round (latest due date), whose reported statuses the actions carry; null before any. */
  latestRound?: ModelRound | null;
  /** Every recommendation of the plan, for the matrix formats only (absent otherwise: see ModelPlanRecommendation). */
  planRecommendations?: ModelPlanRecommendation[];
}

export interface AnnexEntry {
  /** What the entry is, e.g. "Reservation" or "Dissenting position on the action “…”". */
  label: string;
  /** Who and when, in one line (organisation, marked when unverified; side; person; date). */
  byline: string;
  /** Their own words, verbatim (may hold line breaks). */
  text: string;
}

export interface AnnexGroup {
  /** Usually a section, numbered as in the body: "1.2 Prison conditions". */
  heading: string;
  /** A remark on the whole group (e.g. the section's text is not in this export), or null. */
  note: string | null;
  entries: AnnexEntry[];
}

export interface ModelAnnex {
  /** Stable, ASCII: used for anchors in HTML. */
  key: string;
  title: string;
  /** Paragraphs before the groups: what the annex holds and as of when. */
  intro: string[];
  /** The one line shown instead of groups when there are none. */
  empty: string;
  groups: AnnexGroup[];
}
