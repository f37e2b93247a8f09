/**
 * The public record's open data: the published snapshot as flat tables (CSV and JSON) that UN
 * treaty-body and UPR trackers, researchers and journalists can load without an account, each
 * column documented in plain words on the documentation page.
 *
 * Pure functions of a {@link PublicSnapshot}: no database, no request. Everything here comes from
 * the snapshot's own fields, picked one by one (never spread), so the data can hold no more than
 * the publication does: organisations, never people.
 *
 * Conventions every dataset follows (the documentation page states them once):
 * - Ids are the snapshot's ids, stable from one publication to the next, so rows can be joined
 *   across datasets and across publications.
 * - Codes, not labels, for statuses, positions and ratings (e.g. `in_progress`), each column's
 *   description listing the values it takes.
 * - Lists in one cell are separated by "; ". An empty cell (null in JSON) means "not given".
 * - CSV: UTF-8 with a BOM (so spreadsheets read non-Latin text), CRLF line ends, a header row of the
 *   column names; a text cell starting with = + - @ tab, CR or LF gets a leading "'" so a
 *   spreadsheet never runs it as a formula (server/import/accordFormat.ts escapeFormula).
 */
import Papa from 'papaparse';
import { escapeFormula } from '../import/accordFormat.ts';
import { publicSeries, type PublicAction, type PublicChapter, type PublicIndicator, type PublicRound, type PublicSection, type PublicSnapshot } from '../services/publicRecord/snapshot.ts';

export interface Column {
  name: string;
  description: string;
  type: 'text' | 'number' | 'date' | 'list' | 'id';
}

export type Cell = string | number | null;

export interface Dataset {
  /** File stem: `actions` → actions.csv, actions.json. */
  name: string;
  /** Its title is in the public catalogues (datasetTitles), in the reader's language. */
  description: string;
  columns: Column[];
  rows(s: PublicSnapshot): Array<Record<string, Cell>>;
}

const LIST_SEPARATOR = '; ';
const list = (items: string[]): string | null => (items.length > 0 ? items.join(LIST_SEPARATOR) : null);
const yesNo = (b: boolean) => (b ? 'true' : 'false');

const PROGRESS_STATUSES = '"not_started", "in_progress", "completed", "delayed" or "cancelled"';
const RATINGS = '"not_implemented", "partially_implemented", "fully_implemented" or "no_information"';
const SIDES = '"government", "civil_society", "independent" or "international"';
const TIMESTAMP = 'an ISO 8601 date and time in UTC, e.g. 2027-03-14T09:30:00.000Z';
const TIME_POINT = 'a year (2027), a quarter (2027-Q2) or an ISO 8601 date (2027-05-31)';

// Columns that several datasets share, described once so they read the same everywhere.
const C = {
  sectionId: { name: 'section_id', type: 'id', description: 'Identifier of the section, stable between publications.' },
  sectionNumber: { name: 'section_number', type: 'text', description: 'Number of the section in the published outline, "chapter.section" (e.g. "2.3"); text, so 2.10 stays 2.10.' },
  actionId: { name: 'action_id', type: 'id', description: 'Identifier of the action, stable between publications; joins with actions.csv.' },
  recommendationId: { name: 'recommendation_id', type: 'id', description: 'Identifier of the recommendation in the plan, stable between publications; joins with recommendations.csv.' },
  reference: { name: 'reference', type: 'text', description: 'Reference of the recommendation as the plan cites it (e.g. "A/HRC/46/5, para. 112.3").' },
  roundId: { name: 'round_id', type: 'id', description: 'Identifier of the reporting round, stable between publications.' },
  round: { name: 'round', type: 'text', description: 'Name of the reporting round (e.g. "2027 mid-term review").' },
  organisation: { name: 'organisation', type: 'text', description: 'Name of the organisation that wrote it (organisations only; no person is named).' },
  currency: { name: 'currency', type: 'text', description: 'ISO 4217 three-letter currency code of the amount (e.g. EUR).' },
  evidenceLinks: { name: 'evidence_links', type: 'list', description: 'Web addresses given as evidence, separated by "; " (uploaded files are not published).' },
} satisfies Record<string, Column>;

/** Builds a dataset whose rows always hold exactly its columns, in column order. */
function dataset(def: Omit<Dataset, 'rows'> & { rows: (s: PublicSnapshot) => Array<Record<string, Cell>> }): Dataset {
  const names = def.columns.map((c) => c.name);
  return {
    ...def,
    rows: (s) => def.rows(s).map((row) => Object.fromEntries(names.map((n) => [n, row[n] ?? null]))),
  };
}

interface PlacedSection {
  chapter: PublicChapter;
  section: PublicSection;
}
interface PlacedAction extends PlacedSection {
  action: PublicAction;
}

const sectionsOf = (s: PublicSnapshot): PlacedSection[] => s.chapters.flatMap((chapter) => chapter.sections.map((section) => ({ chapter, section })));
const actionsOf = (s: PublicSnapshot): PlacedAction[] => sectionsOf(s).flatMap((p) => p.section.actions.map((action) => ({ ...p, action })));
const latestRound = (s: PublicSnapshot): PublicRound | null => s.rounds.at(-1) ?? null;
const roundNames = (s: PublicSnapshot) => new Map(s.rounds.map((r) => [r.id, r.name]));
/** Its values are in date order, so the last is the latest. */
const latestValue = (i: PublicIndicator) => i.values.at(-1) ?? null;

const sections = dataset({
  name: 'sections',
  description: 'One row per section of the plan, in outline order, with its agreement status and who signed it.',
  columns: [
    { name: 'chapter_number', type: 'number', description: 'Number of the chapter in the published outline (1, 2, …).' },
    { name: 'chapter_id', type: 'id', description: 'Identifier of the chapter, stable between publications.' },
    { name: 'chapter', type: 'text', description: 'Title of the chapter.' },
    C.sectionNumber,
    C.sectionId,
    { name: 'section', type: 'text', description: 'Title of the section.' },
    { name: 'status', type: 'text', description: 'Drafting status of the section: "drafting", "in_review" or "agreed".' },
    { name: 'included', type: 'text', description: '"true" when the section\'s text and actions are part of this publication, "false" when they are not (not agreed, or left out at adoption).' },
    { name: 'agreed_at', type: 'date', description: `When the section was agreed, ${TIMESTAMP}; empty when it is not agreed.` },
    { name: 'agreed_hash', type: 'text', description: 'SHA-256 (hexadecimal) of the agreed text that the signing organisations signed; empty when it is not agreed.' },
    { name: 'signing_organisations', type: 'list', description: 'Organisations that signed the section, separated by "; "; an organisation no coordinator has verified is followed by " (unverified)" and its signature does not count.' },
    { name: 'reservations_count', type: 'number', description: 'Number of reservations organisations recorded when signing the section.' },
    { name: 'dissent_count', type: 'number', description: 'Number of dissenting positions organisations recorded on the section or one of its actions.' },
  ],
  rows: (s) =>
    sectionsOf(s).map(({ chapter, section }) => ({
      chapter_number: chapter.number,
      chapter_id: chapter.id,
      chapter: chapter.title,
      section_number: section.number,
      section_id: section.id,
      section: section.title,
      status: section.status,
      included: yesNo(section.included),
      agreed_at: section.agreedAt,
      agreed_hash: section.agreedHash,
      signing_organisations: list(section.signers.map((g) => (g.verified ? g.organisation : `${g.organisation} (unverified)`))),
      reservations_count: section.reservations.length,
      dissent_count: section.dissent.length,
    })),
});

const actions = dataset({
  name: 'actions',
  description: 'One row per action the plan commits to, in outline order, with who leads it, when, its budget and its latest reported status.',
  columns: [
    { ...C.actionId, description: 'Identifier of the action, stable between publications; other files name actions by it.' },
    { ...C.sectionId, description: 'Identifier of the section the action belongs to; joins with sections.csv.' },
    C.sectionNumber,
    { name: 'title', type: 'text', description: 'Title of the action.' },
    { name: 'description', type: 'text', description: 'What the action does, as written in the plan (may span several lines).' },
    { name: 'lead_agency', type: 'text', description: 'Organisation responsible for carrying out the action.' },
    { name: 'co_implementers', type: 'list', description: 'Other organisations carrying out the action, separated by "; ".' },
    { name: 'cso_partners', type: 'list', description: 'Civil society organisations partnering in the action, separated by "; ".' },
    { name: 'start', type: 'date', description: `When the action starts: ${TIME_POINT}.` },
    { name: 'end', type: 'date', description: `When the action is due to end: ${TIME_POINT}.` },
    { name: 'budget_amount', type: 'number', description: 'Budget planned for the action, a number in the currency of the next column.' },
    C.currency,
    { name: 'funding_source', type: 'text', description: 'Where the money comes from (e.g. state budget, a donor).' },
    { name: 'reported_status', type: 'text', description: `Status the government reported for the action in the latest reporting round: ${PROGRESS_STATUSES}; empty before any report.` },
    { name: 'recommendation_ids', type: 'list', description: 'Identifiers of the recommendations the action answers, separated by "; "; see links.csv for one row per pair.' },
  ],
  rows: (s) =>
    actionsOf(s).map(({ section, action: a }) => ({
      action_id: a.id,
      section_id: section.id,
      section_number: section.number,
      title: a.title,
      description: a.description,
      lead_agency: a.leadAgency,
      co_implementers: list(a.coImplementers),
      cso_partners: list(a.csoPartners),
      start: a.start,
      end: a.end,
      budget_amount: a.budgetAmount,
      currency: a.currency,
      funding_source: a.fundingSource,
      reported_status: a.reportedStatus,
      recommendation_ids: list(a.recommendationIds),
    })),
});

const indicators = dataset({
  name: 'indicators',
  description: 'One row per indicator by which an action\'s progress is measured, with its baseline, target and latest observed value.',
  columns: [
    { name: 'indicator_id', type: 'id', description: 'Identifier of the indicator, stable between publications; joins with observations.csv.' },
    C.actionId,
    { name: 'type', type: 'text', description: 'Kind of indicator in the OHCHR framework: "structural", "process" or "outcome".' },
    { name: 'description', type: 'text', description: 'What the indicator measures.' },
    { name: 'unit', type: 'text', description: 'Unit of its values (e.g. "%", "cases").' },
    { name: 'baseline', type: 'text', description: 'Baseline as written in the plan (e.g. "12 (2024)").' },
    { name: 'target', type: 'text', description: 'Target as written in the plan (e.g. "40 (2028)").' },
    { name: 'baseline_value', type: 'number', description: 'The baseline as a number, when it starts with one (on a yes/no indicator, 1 for yes and 0 for no); empty otherwise.' },
    { name: 'baseline_year', type: 'number', description: 'Year of the baseline, when it gives one in brackets; empty otherwise.' },
    { name: 'target_value', type: 'number', description: 'The target as a number, when it starts with one (on a yes/no indicator, 1 for yes and 0 for no); empty otherwise.' },
    { name: 'target_year', type: 'number', description: 'Year of the target, when it gives one in brackets; empty otherwise.' },
    { name: 'data_source', type: 'text', description: 'Where the values come from (e.g. a statistics office survey).' },
    { name: 'frequency', type: 'text', description: 'How often a value is measured (e.g. "annual").' },
    { name: 'latest_value', type: 'number', description: 'Most recent value reported in any round (on a yes/no indicator, one whose baseline and target are written yes or no, 1 means yes and 0 no); empty before any.' },
    { name: 'latest_date', type: 'date', description: 'Date the latest value was observed, ISO 8601 (YYYY-MM-DD); empty before any.' },
  ],
  rows: (s) =>
    actionsOf(s).flatMap(({ action: a }) =>
      a.indicators.map((i) => {
        const latest = latestValue(i);
        // A yes/no indicator's "No (2025)" is 0, as its observed values are.
        const chart = publicSeries(i);
        return {
          indicator_id: i.id,
          action_id: a.id,
          type: i.type,
          description: i.description,
          unit: i.unit,
          baseline: i.baseline,
          target: i.target,
          baseline_value: chart.baseline.value,
          baseline_year: i.baselinePoint.year,
          target_value: chart.target.value,
          target_year: i.targetPoint.year,
          data_source: i.dataSource,
          frequency: i.frequency,
          latest_value: latest?.value ?? null,
          latest_date: latest?.date ?? null,
        };
      }),
    ),
});

const observations = dataset({
  name: 'observations',
  description: 'One row per value reported for an indicator, in every reporting round, oldest first per indicator.',
  columns: [
    { name: 'indicator_id', type: 'id', description: 'Identifier of the indicator; joins with indicators.csv.' },
    C.actionId,
    C.roundId,
    C.round,
    { name: 'date', type: 'date', description: 'Date the value was observed, ISO 8601 (YYYY-MM-DD).' },
    { name: 'value', type: 'number', description: 'Observed value, in the indicator\'s unit (on a yes/no indicator, 1 means yes and 0 no).' },
  ],
  rows: (s) => {
    const names = roundNames(s);
    return actionsOf(s).flatMap(({ action: a }) =>
      a.indicators.flatMap((i) =>
        i.values.map((v) => ({ indicator_id: i.id, action_id: a.id, round_id: v.roundId, round: names.get(v.roundId) ?? null, date: v.date, value: v.value })),
      ),
    );
  },
});

const recommendations = dataset({
  name: 'recommendations',
  description: 'One row per recommendation the plan holds (from the UPR, treaty bodies and special procedures), whether or not an action answers it.',
  columns: [
    { ...C.recommendationId, description: 'Identifier of the recommendation in the plan, stable between publications; other files name recommendations by it.' },
    C.reference,
    { name: 'mechanism', type: 'text', description: 'Mechanism that made the recommendation (e.g. "UPR", a treaty body such as "CEDAW").' },
    { name: 'document_symbol', type: 'text', description: 'UN document symbol of the report it comes from (e.g. "A/HRC/46/5").' },
    { name: 'paragraph', type: 'text', description: 'Paragraph of that document (e.g. "112.3").' },
    { name: 'recommending_states', type: 'list', description: 'States that made the recommendation (UPR), separated by "; ".' },
    { name: 'position', type: 'text', description: 'The State\'s position on it: "supported", "supported_in_part", "noted" or "pending".' },
    { name: 'kind', type: 'text', description: 'What it is: "recommendation" (made to the State under review) or "pledge" (a voluntary pledge, the State\'s own commitment).' },
    { name: 'themes', type: 'list', description: 'Human rights themes it concerns, separated by "; ".' },
    { name: 'text', type: 'text', description: 'Text of the recommendation.' },
    { name: 'action_ids', type: 'list', description: 'Identifiers of the actions that answer it, separated by "; "; empty when no action does.' },
  ],
  rows: (s) => {
    const answeredBy = new Map<string, string[]>();
    for (const { action } of actionsOf(s)) for (const id of action.recommendationIds) answeredBy.set(id, [...(answeredBy.get(id) ?? []), action.id]);
    return s.recommendations.map((r) => ({
      recommendation_id: r.id,
      reference: r.reference,
      mechanism: r.mechanism,
      document_symbol: r.documentSymbol,
      paragraph: r.paragraph,
      recommending_states: list(r.recommendingStates),
      position: r.position,
      kind: r.kind ?? 'recommendation',
      themes: list(r.themes),
      text: r.text,
      action_ids: list(answeredBy.get(r.id) ?? []),
    }));
  },
});

const links = dataset({
  name: 'links',
  description: 'One row per pair of a recommendation and an action that answers it.',
  columns: [C.recommendationId, C.reference, C.actionId, { name: 'action', type: 'text', description: 'Title of the action.' }],
  rows: (s) => {
    const byId = new Map(s.recommendations.map((r) => [r.id, r]));
    return actionsOf(s).flatMap(({ action: a }) =>
      a.recommendationIds.map((id) => ({ recommendation_id: id, reference: byId.get(id)?.reference ?? null, action_id: a.id, action: a.title })),
    );
  },
});

const reports = dataset({
  name: 'reports',
  description: 'One row per action and reporting round: the report in force in that round, as the implementing body submitted it.',
  columns: [
    C.roundId,
    C.round,
    C.actionId,
    { name: 'status', type: 'text', description: `Status reported for the action: ${PROGRESS_STATUSES}.` },
    { name: 'narrative', type: 'text', description: 'What was done, in the reporting body\'s words (may span several lines).' },
    { name: 'spent_amount', type: 'number', description: 'Amount spent so far, a number in the currency of the next column.' },
    C.currency,
    { name: 'submitted_at', type: 'date', description: `When the report was submitted, ${TIMESTAMP}.` },
    C.organisation,
    C.evidenceLinks,
    {
      name: 'corrects',
      type: 'text',
      description:
        'Empty, or the earlier submitted versions this report corrects, earliest first, each as "<submitted at>: <status>, spent <amount>", separated by "; " (the public progress page shows them in full).',
    },
  ],
  rows: (s) =>
    s.rounds.flatMap((round) =>
      round.reports.map((r) => ({
        round_id: round.id,
        round: round.name,
        action_id: r.actionId,
        status: r.status,
        narrative: r.narrative,
        spent_amount: r.spentAmount,
        currency: r.currency,
        submitted_at: r.submittedAt,
        organisation: r.organisation,
        evidence_links: list(r.links.map((l) => l.url)),
        corrects: list((r.corrects ?? []).map((v) => `${v.submittedAt}: ${v.status}${v.spentAmount === null ? '' : `, spent ${v.spentAmount}`}`)),
      })),
    ),
});

const assessments = dataset({
  name: 'assessments',
  description: 'One row per assessment an organisation (civil society, a national human rights institution, an international partner) made of an action or a recommendation in a reporting round.',
  columns: [
    C.roundId,
    C.round,
    { name: 'target_type', type: 'text', description: 'What is assessed: "action" or "recommendation".' },
    { name: 'target_id', type: 'id', description: 'Identifier of the action or recommendation assessed (action_id or recommendation_id elsewhere).' },
    C.organisation,
    { name: 'side', type: 'text', description: `Which side the organisation belongs to: ${SIDES}.` },
    { name: 'rating', type: 'text', description: `The organisation's rating, on the scale of UPR Info's mid-term assessments: ${RATINGS}.` },
    { name: 'justification', type: 'text', description: 'Why the organisation gives that rating, in its own words.' },
    C.evidenceLinks,
    { name: 'updated_at', type: 'date', description: `When the assessment was last revised, ${TIMESTAMP}.` },
  ],
  rows: (s) =>
    s.rounds.flatMap((round) =>
      round.assessments.map((a) => ({
        round_id: round.id,
        round: round.name,
        target_type: a.targetType,
        target_id: a.targetId,
        organisation: a.organisation,
        side: a.side,
        rating: a.rating,
        justification: a.justification,
        evidence_links: list(a.evidenceLinks),
        updated_at: a.updatedAt,
      })),
    ),
});

/** "Org: rating; Org2: rating" for one target, from the assessments of everyone but the government. */
function independentRatings(round: PublicRound | null, targetType: 'action' | 'recommendation', targetId: string): string | null {
  const rated = round?.assessments.filter((a) => a.targetType === targetType && a.targetId === targetId && a.side !== 'government') ?? [];
  return list(rated.map((a) => `${a.organisation}: ${a.rating}`));
}

const matrix = dataset({
  name: 'matrix',
  description:
    'The plan as one table: one row per action and recommendation it answers (an action that answers none has one row with the recommendation columns empty), with its indicators and where implementation stands in the latest reporting round.',
  columns: [
    { name: 'chapter', type: 'text', description: 'Title of the chapter.' },
    C.sectionNumber,
    { name: 'section', type: 'text', description: 'Title of the section.' },
    C.actionId,
    { name: 'action', type: 'text', description: 'Title of the action.' },
    { name: 'lead_agency', type: 'text', description: 'Organisation responsible for carrying out the action.' },
    { name: 'timeline', type: 'text', description: `Start and end of the action as "start – end", each ${TIME_POINT}, "—" where not given.` },
    C.recommendationId,
    C.reference,
    { name: 'recommendation', type: 'text', description: 'Text of the recommendation.' },
    { name: 'indicators', type: 'text', description: 'The action\'s indicators, one line each: "description, baseline → target" ("—" where not given).' },
    { name: 'reported_status', type: 'text', description: `Status the government reported for the action in the latest reporting round: ${PROGRESS_STATUSES}; empty before any report.` },
    { name: 'government_rating', type: 'text', description: `The government's rating of the recommendation in the latest reporting round, from its reports: ${RATINGS}; empty before any round or when the row has no recommendation.` },
    {
      name: 'civil_society_ratings',
      type: 'list',
      description: `Other organisations' ratings in the latest reporting round, as "Organisation: rating" separated by "; " (ratings ${RATINGS}): of the row's recommendation, or of the action when the row has none.`,
    },
  ],
  rows: (s) => {
    const byId = new Map(s.recommendations.map((r) => [r.id, r]));
    const round = latestRound(s);
    const governmentRating = new Map(round?.governmentRatings.map((g) => [g.recommendationId, g.rating]) ?? []);
    return actionsOf(s).flatMap(({ chapter, section, action: a }) => {
      const base = {
        chapter: chapter.title,
        section_number: section.number,
        section: section.title,
        action_id: a.id,
        action: a.title,
        lead_agency: a.leadAgency,
        timeline: a.start || a.end ? `${a.start ?? '—'} – ${a.end ?? '—'}` : null,
        indicators: a.indicators.map((i) => `${i.description}, ${i.baseline ?? '—'} → ${i.target ?? '—'}`).join('\n') || null,
        reported_status: a.reportedStatus,
      };
      if (a.recommendationIds.length === 0) {
        return [{ ...base, civil_society_ratings: independentRatings(round, 'action', a.id) }];
      }
      return a.recommendationIds.map((id) => ({
        ...base,
        recommendation_id: id,
        reference: byId.get(id)?.reference ?? null,
        recommendation: byId.get(id)?.text ?? null,
        government_rating: governmentRating.get(id) ?? null,
        civil_society_ratings: independentRatings(round, 'recommendation', id),
      }));
    });
  },
});

/** In the order the documentation page lists them. */
export const DATASETS: Dataset[] = [sections, actions, indicators, observations, recommendations, links, reports, assessments, matrix];

export function datasetByName(name: string): Dataset | undefined {
  return DATASETS.find((d) => d.name === name);
}

/** A text cell a spreadsheet will show as text; numbers stay numbers, null an empty cell. */
const csvCell = (v: Cell): string | number => (v === null ? '' : typeof v === 'number' ? v : escapeFormula(v.replace(/\0/g, '')));

export function toCsv(d: Dataset, s: PublicSnapshot): string {
  const fields = d.columns.map((c) => c.name);
  const data = d.rows(s).map((row) => fields.map((f) => csvCell(row[f] ?? null)));
  return '\uFEFF' + Papa.unparse({ fields, data }, { newline: '\r\n' }) + '\r\n';
}

export function toJson(d: Dataset, s: PublicSnapshot): string {
  return (
    JSON.stringify(
      {
        dataset: d.name,
        // A draft put out for consultation must say so wherever its data travels.
        publication: s.kind === 'consultation' ? 'draft for public consultation (not an adopted plan)' : 'adopted plan',
        publishedAt: s.publishedAt,
        columns: d.columns.map(({ name, description, type }) => ({ name, description, type })),
        rows: d.rows(s),
      },
      null,
      2,
    ) + '\n'
  );
}
