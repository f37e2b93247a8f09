import Papa from 'papaparse';
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql, type RawBuilder } from 'kysely';
import { col, rowShape } from '../db/rows.ts';
import type { Sql } from '../db/sql/Sql.ts';
import { parseImport } from '../import/index.ts';
import { classifyImport, commitImportAtOnce } from './imports.ts';
import { addChapter, addSection, createPlan } from './plans.ts';
import { principalOf, recordAudit } from './audit.ts';
import { appendBlocks, type SeedBlock } from '../../shared/doc/schema.ts';
import type { Language, ParsedImport } from '../../shared/api/index.ts';
import { sampleWords, type SampleWords } from './sampleWords.ts';

export const SAMPLE_CSV = join(dirname(fileURLToPath(import.meta.url)), '..', 'sample', 'belarus-upr-cycle1-recommendations.csv');

export const SAMPLE_PLAN = {
  title: 'National Human Rights Plan — Belarus 2026–2030 (sample)',
  country: 'Belarus',
  periodStart: 2026,
  periodEnd: 2030,
  source:
    'Sample plan built from the recommendations Belarus received in its first Universal Periodic Review ' +
    '(UN document A/HRC/15/16, 2010, paragraphs 97–98); themes from the UPR Info database.',
} as const;

export interface SampleRecommendation {
  id: string;
  text: string;
  recommendingState: string;
  response: string;
  themes: string[];
}

interface SectionSpec {
  key: string;
  title: string;
  themes: string[];
}

interface ChapterSpec {
  title: string;
  sections: SectionSpec[];
}

/** The sample outline. Each section collects the recommendations tagged with one of its themes. */
const CHAPTERS: ChapterSpec[] = [
  {
    title: 'Death penalty',
    sections: [{ key: 'death', title: 'Moratorium and abolition', themes: ['Death penalty', 'Extrajudicial executions'] }],
  },
  {
    title: 'Justice and fair trial',
    sections: [
      { key: 'torture', title: 'Prevention of torture and ill-treatment', themes: ['Torture and other CID treatment', 'Human rights violations by state agents'] },
      { key: 'detention', title: 'Detention and enforced disappearances', themes: ['Detention', 'Enforced disappearances'] },
      { key: 'justice', title: 'Administration of justice', themes: ['Justice', 'CP rights - general'] },
    ],
  },
  {
    title: 'Freedoms of expression, association and assembly',
    sections: [
      { key: 'expression', title: 'Freedom of expression and of the media', themes: ['Freedom of the press', 'Freedom of opinion and expression'] },
      { key: 'association', title: 'Freedom of association and peaceful assembly', themes: ['Freedom of association and peaceful assembly'] },
      { key: 'participation', title: 'Elections and freedom of religion or belief', themes: ['Elections', 'Freedom of religion and belief'] },
    ],
  },
  {
    title: 'Human rights defenders and civil society',
    sections: [
      { key: 'defenders', title: 'Human rights defenders', themes: ['Human rights defenders'] },
      { key: 'civil', title: 'Cooperation with civil society', themes: ['Civil society'] },
      { key: 'education', title: 'Human rights education and training', themes: ['Human rights education and training'] },
    ],
  },
  {
    title: 'Women, children and persons with disabilities',
    sections: [
      { key: 'women', title: "Women's rights and gender equality", themes: ["Women's rights"] },
      { key: 'children', title: 'Rights of the child', themes: ['Rights of the Child', 'Right to education'] },
      { key: 'disabilities', title: 'Rights of persons with disabilities', themes: ['Disabilities'] },
    ],
  },
  {
    title: 'Trafficking and migrants',
    sections: [
      { key: 'trafficking', title: 'Combating trafficking in human beings', themes: ['Trafficking'] },
      { key: 'migrants', title: 'Migrants and labour rights', themes: ['Migrants', 'Labour'] },
    ],
  },
  {
    title: 'International cooperation and instruments',
    sections: [
      { key: 'instruments', title: 'Ratification of international instruments', themes: ['International instruments'] },
      {
        key: 'mechanisms',
        title: 'Cooperation with UN human rights mechanisms',
        themes: ['Treaty bodies', 'Special procedures', 'UPR process', 'Technical assistance and cooperation'],
      },
      { key: 'institutions', title: 'National human rights institution and action plan', themes: ['NHRI', 'National plan of action'] },
    ],
  },
  {
    title: 'Other recommendations',
    sections: [
      {
        key: 'esc',
        title: 'Economic, social and cultural rights',
        themes: ['ESC rights - general', 'Right to health', 'Poverty', 'Development', 'Environment', 'HIV - Aids'],
      },
      { key: 'equality', title: 'Non-discrimination and minorities', themes: ['Racial discrimination', 'Minorities', 'Indigenous peoples'] },
      { key: 'general', title: 'General recommendations', themes: [] },
    ],
  },
];

/**
 * Which section claims a recommendation first. Specific themes come before broad ones: a
 * recommendation to ratify the disability convention is tagged both "Disabilities" and
 * "International instruments" and belongs with disabilities.
 */
const CLAIM_ORDER = [
  'death', 'torture', 'detention', 'defenders', 'expression', 'association', 'women', 'children', 'disabilities',
  'trafficking', 'migrants', 'participation', 'justice', 'civil', 'education', 'esc', 'equality', 'institutions',
  'instruments', 'mechanisms',
];
const FALLBACK_SECTION = 'general';

/** Reads the sample recommendations CSV (one row per recommending State). */
export function loadSampleRecommendations(file = SAMPLE_CSV): SampleRecommendation[] {
  const parsed = Papa.parse<Record<string, string>>(readFileSync(file, 'utf8'), { header: true, skipEmptyLines: true });
  if (parsed.errors.length) throw new Error(`The sample recommendations file is not valid CSV: ${parsed.errors[0]!.message}`);
  return parsed.data.map((row) => ({
    id: row.id ?? '',
    text: (row.text ?? '').trim(),
    recommendingState: row.recommending_state ?? '',
    response: row.response ?? '',
    themes: (row.themes ?? '')
      .split(';')
      .map((t) => t.trim())
      .filter(Boolean),
  }));
}

/** Groups recommendations by section key, each going to the first section in CLAIM_ORDER that matches. */
export function assignRecommendations(recs: SampleRecommendation[]): Map<string, SampleRecommendation[]> {
  const specs = new Map(CHAPTERS.flatMap((c) => c.sections).map((s) => [s.key, s]));
  const bySection = new Map<string, SampleRecommendation[]>();
  for (const rec of recs) {
    const key = CLAIM_ORDER.find((k) => specs.get(k)!.themes.some((t) => rec.themes.includes(t))) ?? FALLBACK_SECTION;
    const list = bySection.get(key) ?? [];
    list.push(rec);
    bySection.set(key, list);
  }
  return bySection;
}

/** The seed text of one sample section: a heading, then the recommendations it responds to. */
export function sampleSectionBlocks(title: string, recs: SampleRecommendation[], words: SampleWords | null = null): SeedBlock[] {
  const response = (r: SampleRecommendation) => words?.responses[r.response] ?? r.response;
  return [
    { type: 'heading', level: 2, text: title },
    { type: 'paragraph', text: words?.respondsTo ?? 'Recommendations this section responds to:' },
    { type: 'bulletList', items: recs.map((r) => `${r.id} — ${r.text} (${r.recommendingState}; ${response(r)})`) },
  ];
}

/**
 * Creates the Belarus sample plan with `userId` as coordinator: thematic chapters whose sections
 * list the UPR recommendations they respond to. Sections without recommendations are left out.
 * One transaction, joining the caller's (set-up's, all-or-nothing). Returns the plan id.
 */
export async function createSamplePlan(q: Sql, userId: string, recs: SampleRecommendation[], language: Language = 'en'): Promise<string> {
  const bySection = assignRecommendations(recs);
  const words = sampleWords(language);
  const titled = (english: string) => words?.titles[english] ?? english;
  return q.transaction(async (tx) => {
    const plan = words ? { ...SAMPLE_PLAN, title: words.title, country: words.country, source: words.source } : SAMPLE_PLAN;
    const planId = await createPlan(tx, userId, plan, 'empty');
    for (const chapter of CHAPTERS) {
      const sections = chapter.sections.filter((s) => bySection.get(s.key)?.length);
      if (!sections.length) continue;
      const chapterId = await addChapter(tx, planId, titled(chapter.title));
      for (const section of sections) {
        const blocks = sampleSectionBlocks(titled(section.title), bySection.get(section.key)!, words);
        await addSection(tx, planId, chapterId, titled(section.title), (doc) => appendBlocks(doc, blocks));
      }
    }
    return planId;
  });
}

/** The sample's file as the import path reads it. */
export interface SampleFile {
  filename: string;
  parsed: ParsedImport;
}

/**
 * The sample's recommendations, for its outline and, parsed as an import, for its registry: read
 * before set-up's transaction, which waits for nothing but its queries.
 */
export function readSample(): { recommendations: SampleRecommendation[]; file: SampleFile } {
  const filename = basename(SAMPLE_CSV);
  return { recommendations: loadSampleRecommendations(), file: { filename, parsed: parseImport({ filename, bytes: readFileSync(SAMPLE_CSV) }) } };
}

const Count = rowShape({ n: col.int });

/**
 * Loads the sample's recommendations into the plan's registry through the ordinary import path
 * (preview, commit), so the sample shows the registry and coverage as a real plan would, and the
 * import can be undone like any other. Then the plan's record says, in one entry
 * (`plan.sample_loaded`), that its content is the sample's and how much of it there is: a reader
 * of the audit log can tell the sample's chapters and recommendations from what people wrote.
 *
 * Runs inside set-up's transaction `tx`, on either engine, so a failure leaves no half-made account
 * or plan: the preview and the whole commit join it (commitImportAtOnce).
 */
export async function importSampleRecommendations(tx: Sql, file: SampleFile, planId: string, userId: string): Promise<void> {
  const preview = await classifyImport(tx, planId, file.parsed, file.filename);
  await commitImportAtOnce(tx, planId, userId, preview);
  const person = await principalOf(tx, userId);
  if (!person) throw new Error(`No person ${userId} to load the sample for`);
  const count = async (table: RawBuilder<unknown>, where = sql``) =>
    (await tx.theRow(Count, sql`SELECT count(*) AS n FROM ${table} WHERE plan_id = ${planId} ${where}`)).n;
  const counts = {
    chapters: await count(sql`chapters`, sql`AND deleted_at IS NULL`),
    sections: await count(sql`sections`, sql`AND deleted_at IS NULL`),
    recommendations: await count(sql`recommendations`),
    actions: await count(sql`actions`),
  };
  await recordAudit(tx, {
    planId,
    actor: person,
    // The sample is loaded at set-up into the plan its first person just created: they coordinate it.
    role: 'coordinator',
    action: 'plan.sample_loaded',
    targetType: 'plan',
    targetId: planId,
    summary:
      `${person.name} loaded the sample content: ${counts.sections} sections in ${counts.chapters} chapters, ` +
      `${counts.recommendations} recommendations, ${counts.actions} actions`,
    details: { ...counts, filename: file.filename },
  });
}
