/**
 * The plan document model an export is rendered from: gathered once from the database and the
 * section documents, then handed to pure renderers (server/export/render/*.ts).
 *
 * Runs inside the export worker on its own read-only connection. Section documents that are open
 * on the server are passed in as Yjs updates (`docStates`): their stored state, which is what
 * people see (an export is refused while some edits are not stored); the others are read from the
 * document log.
 */
import { bareActNumber } from '../../shared/monitoring/actNumber.ts';
import { planAdoption } from '../services/monitoring/lifecycle.ts';
import * as Y from 'yjs';
import { sql } from 'kysely';
import { col, rowShape } from '../db/rows.ts';
import type { Sql } from '../db/sql/Sql.ts';
import { flag } from '../db/sql/portable.ts';
import { readStoredDocument } from '../storage/readDocument.ts';
import { hashLines } from '../services/contentHash.ts';
import { fixedActionNumbers, numberActions } from '../services/actionNumbers.ts';
import { schemaProbe } from './schemaProbe.ts';
import { textOnlyNote, VersionActions, versionMadeFrom } from './versionActions.ts';
import { canonicalSectionLines, type CanonicalAction } from '../../shared/doc/canonical.ts';
import { sectionBlocks, type Inline } from '../../shared/doc/blocks.ts';
import { sectionDocName } from '../../shared/doc/schema.ts';
import { reservationsAnnex } from './annexes.ts';
import type { ExportScope, ActionGap, ModelAction, Signer, ModelSection, ModelRecommendation, PlanModel } from './modelTypes.ts';
import { budgetText, withYear } from './valueText.ts';
import { MODEL_RECOMMENDATION_COLUMNS, ModelRecommendationRow, toModelRecommendation } from './recommendationRows.ts';
import { proposalsAnnex } from './proposalsAnnex.ts';
import { addMonitoringFacts } from './monitoringFacts.ts';
import type { ExportLanguage } from '../../shared/api/agreement.ts';
import { exportWords, type ExportWords } from './i18n/index.ts';
import { versionNameIn } from './versionName.ts';
import { asciiSlug } from '../fileNames.ts';

export type { ExportScope, Inline, Block, ModelIndicator, ActionGap, ModelAction, ModelRound, Signer, ModelSection, ModelChapter, ModelRecommendation, ModelPlanRecommendation, PlanModel } from './modelTypes.ts';
export { budgetText, withYear } from './valueText.ts';

export interface BuildOptions {
  scope: ExportScope;
  /** The language the export's own words are written in; English when not given. */
  language?: ExportLanguage;
  /** Export each section's text as saved in this whole-plan version (its snapshot) instead of the current one. */
  versionGroupId?: string | null;
  exportedAt?: string;
  /** Stored Yjs state of open sections, by section id. */
  docStates?: Map<string, Uint8Array>;
  onSection?: (done: number, total: number) => void;
}

// ---- Actions -----------------------------------------------------------------------------------

// Row shapes list their columns in the order selected: rows are spread into the model.
const ActionRow = rowShape({
  id: col.text,
  sectionId: col.text,
  title: col.text,
  description: col.text,
  status: col.text,
  leadAgency: col.nullableText,
  start: col.nullableText,
  end: col.nullableText,
  budgetAmount: col.nullableNum,
  currency: col.nullableText,
  fundingSource: col.nullableText,
});
const ActionOrganisationRow = rowShape({ actionId: col.text, role: col.text, name: col.text });
const ActionRecommendationRow = rowShape({ actionId: col.text, id: col.text, reference: col.text, position: col.text, text: col.text });
const IndicatorRow = rowShape({
  id: col.text,
  actionId: col.text,
  type: col.text,
  description: col.text,
  unit: col.nullableText,
  baselineValue: col.nullableText,
  baselineYear: col.nullableInt,
  targetValue: col.nullableText,
  targetYear: col.nullableInt,
  dataSource: col.nullableText,
  frequency: col.nullableText,
  disaggregation: col.text,
  proposedBy: col.nullableText,
});

// Ties of position (which the services do not make) go by id, the same way on both engines.
async function loadActions(q: Sql, planId: string): Promise<Map<string, ModelAction[]>> {
  const rows = await q.rows(
    ActionRow,
    sql`SELECT a.id, a.section_id AS "sectionId", a.title, a.description, a.status, o.name AS "leadAgency", a.start_at AS start,
         a.end_at AS "end", a.budget_amount AS "budgetAmount", a.currency, a.funding_source AS "fundingSource"
         FROM actions a LEFT JOIN organisations o ON o.id = a.lead_agency_id
        WHERE a.plan_id = ${planId} ORDER BY a.section_id, a.position, a.id`,
  );
  const byId = new Map<string, ModelAction>();
  const bySection = new Map<string, ModelAction[]>();
  for (const { sectionId, ...r } of rows) {
    const action: ModelAction = {
      ...r,
      number: 0,
      gaps: [],
      budget: budgetText(r.budgetAmount, r.currency, r.fundingSource),
      coImplementers: [],
      csoPartners: [],
      recommendations: [],
      indicators: [],
    };
    byId.set(r.id, action);
    const list = bySection.get(sectionId) ?? [];
    list.push(action);
    bySection.set(sectionId, list);
  }
  const orgs = await q.rows(
    ActionOrganisationRow,
    sql`SELECT ao.action_id AS "actionId", ao.role, o.name FROM action_organisations ao JOIN actions a ON a.id = ao.action_id
         JOIN organisations o ON o.id = ao.organisation_id WHERE a.plan_id = ${planId} ORDER BY ao.position, ao.action_id, ao.role, ao.organisation_id`,
  );
  for (const o of orgs) {
    const a = byId.get(o.actionId);
    if (a) (o.role === 'co_implementer' ? a.coImplementers : a.csoPartners).push(o.name);
  }
  const recs = await q.rows(
    ActionRecommendationRow,
    sql`SELECT ar.action_id AS "actionId", r.id, r.reference, r.position, r.text FROM action_recommendations ar
         JOIN actions a ON a.id = ar.action_id JOIN recommendations r ON r.id = ar.recommendation_id
        WHERE a.plan_id = ${planId} ORDER BY r.sort_key, r.id`,
  );
  for (const { actionId, ...r } of recs) byId.get(actionId)?.recommendations.push(r);
  const indicators = await q.rows(
    IndicatorRow,
    sql`SELECT i.id, i.action_id AS "actionId", i.type, i.description, i.unit, i.baseline_value AS "baselineValue", i.baseline_year AS "baselineYear",
         i.target_value AS "targetValue", i.target_year AS "targetYear", i.data_source AS "dataSource", i.frequency,
         i.disaggregation, o.name AS "proposedBy"
         FROM indicators i JOIN actions a ON a.id = i.action_id LEFT JOIN organisations o ON o.id = i.proposed_by_organisation_id
        WHERE a.plan_id = ${planId} ORDER BY i.position, i.id`,
  );
  for (const i of indicators) {
    byId.get(i.actionId)?.indicators.push({
      id: i.id,
      type: i.type,
      description: i.description,
      unit: i.unit,
      baseline: withYear(i.baselineValue, i.baselineYear),
      target: withYear(i.targetValue, i.targetYear),
      dataSource: i.dataSource,
      frequency: i.frequency,
      disaggregation: parseList(i.disaggregation),
      proposedBy: i.proposedBy,
      baselineValue: i.baselineValue,
      baselineYear: i.baselineYear,
      targetValue: i.targetValue,
      targetYear: i.targetYear,
    });
  }
  return bySection;
}

/**
 * A section's current actions as the sign-off hash sees them (services/agreement.ts
 * canonicalActions): the same columns in the same order, read in the model's own queries rather
 * than one section at a time, so the lines and their hash are those a signature covers. Names of
 * organisations come from the same rows (a lead agency or partner is a foreign key, never a
 * deleted organisation); the budget and the "value (year)" points are formatted by the functions
 * the sign-off's mapping is written to match (valueText.ts). `tests/integration` signs sections
 * and exports them, and fails should the two drift apart.
 */
const canonicalOfModel = (actions: ModelAction[]): CanonicalAction[] =>
  actions.map((a) => ({
    title: a.title,
    status: a.status,
    leadAgency: a.leadAgency,
    coImplementers: [...a.coImplementers],
    civilSocietyPartners: [...a.csoPartners],
    start: a.start,
    end: a.end,
    budget: a.budget,
    recommendations: a.recommendations.map((r) => r.reference),
    indicators: a.indicators.map((i) => ({ type: i.type, description: i.description, baseline: i.baseline, target: i.target })),
  }));

/**
 * "NHRP-1A2B3C4D-A-20261203": the plan (first 8 characters of its id), the scope (A agreed
 * sections, D current draft) and the export date, so two printouts can be told apart at a glance.
 */
export function documentNumber(planId: string, scope: ExportScope, exportedAt: string): string {
  return `NHRP-${planId.replace(/[^0-9a-z]/gi, '').slice(0, 8).toUpperCase()}-${scope === 'agreed' ? 'A' : 'D'}-${exportedAt.slice(0, 10).replace(/-/g, '')}`;
}

/** A JSON list of strings as stored (disaggregation), or [] when it is anything else. */
export function parseList(json: string | null): string[] {
  try {
    const value: unknown = JSON.parse(json ?? '[]');
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

/** What an action lacks: a lead agency, a deadline, an indicator. */
function actionGaps(a: Pick<ModelAction, 'leadAgency' | 'end' | 'indicators'>): ActionGap[] {
  const gaps: ActionGap[] = [];
  if (!a.leadAgency) gaps.push('leadAgency');
  if (!a.end) gaps.push('timeline');
  if (a.indicators.length === 0) gaps.push('indicator');
  return gaps;
}

/** Annex A of a current export: the recommendations linked to exported actions, in reference order. */
async function currentRecommendations(q: Sql, planId: string, modelSections: Map<string, ModelSection[]>): Promise<ModelRecommendation[]> {
  const referenced = new Set<string>();
  for (const list of modelSections.values())
    for (const s of list) for (const a of s.actions) for (const r of a.recommendations) referenced.add(r.id);
  const rows = await q.rows(
    ModelRecommendationRow,
    sql`SELECT ${sql.raw(MODEL_RECOMMENDATION_COLUMNS)} FROM recommendations WHERE plan_id = ${planId} AND action_count > 0 ORDER BY sort_key, id`,
  );
  return rows.filter((r) => referenced.has(r.id)).map(toModelRecommendation);
}

// ---- The whole plan ----------------------------------------------------------------------------

// Older databases (before migrations 005, 014, 018) lack some columns: those selects leave them out.
const PlanRow = rowShape({
  id: col.text,
  title: col.text,
  country: col.text,
  periodStart: col.int,
  periodEnd: col.int,
  source: col.nullableText,
  stage: col.text.optional(),
});
const AdoptionRow = rowShape({ title: col.text, number: col.text, date: col.text });
const ChapterRow = rowShape({ id: col.text, title: col.text });
const SectionRow = rowShape({
  id: col.text,
  chapterId: col.text,
  title: col.text,
  status: col.text,
  agreedAt: col.nullableText,
  agreedHash: col.nullableText,
});
/** `verified` is 0/1 on both engines (flag). */
const SignerRow = rowShape({
  sectionId: col.text,
  name: col.text,
  organisation: col.text,
  side: col.text,
  signedAt: col.text,
  contentHash: col.text,
  verified: col.int,
});
const VersionSnapshotRow = rowShape({ sectionId: col.text, name: col.text, label: col.nullableText, createdAt: col.text, createdBy: col.text, snapshot: col.blob });
const NewestVersionRow = rowShape({ groupId: col.nullableText, name: col.text, label: col.nullableText, sectionTitle: col.text, createdAt: col.text });
const ActionCreatedRow = rowShape({ id: col.text, createdAt: col.text });

/**
 * The model of the plan, read through `q`. Its reads must add up (sections beside their actions,
 * signatures beside the hashes they cover): callers run it in one transaction, `{ snapshot: true }`
 * (the export worker, the public record's snapshot), and give that transaction's handle. Nothing
 * but `q`'s queries is awaited, so on SQLite the whole model is read in one turn.
 */
export async function buildPlanModel(q: Sql, planId: string, options: BuildOptions): Promise<PlanModel> {
  const exportedAt = options.exportedAt ?? new Date().toISOString();
  const language = options.language ?? 'en';
  const words = exportWords(language);
  const { w } = words;
  const schema = schemaProbe(q);
  const plan = await q.row(
    PlanRow,
    sql`SELECT id, title, country, period_start AS "periodStart", period_end AS "periodEnd", source${sql.raw((await schema.hasColumn('plans', 'stage')) ? ', stage' : '')}
         FROM plans WHERE id = ${planId}`,
  );
  if (!plan) throw new Error('The plan was not found.');
  const adoption = (await schema.hasTable('plan_adoptions'))
    ? ((await q.row(AdoptionRow, sql`SELECT act_title AS title, act_number AS number, act_date AS date FROM plan_adoptions WHERE plan_id = ${planId}`)) ?? null)
    : null;

  // Sections the coordinator left out when the plan was adopted, with the reason recorded then.
  const adoptionRecord = adoption && (await schema.hasColumn('plan_adoptions', 'left_out')) ? await planAdoption(q, planId) : null;

  const agreementColumns = (await schema.hasColumn('sections', 'status')) && (await schema.hasColumn('sections', 'agreed_hash'));
  // What is in the bin (migration 014) is not part of the plan.
  const live = sql.raw((await schema.hasColumn('sections', 'deleted_at')) ? ' AND deleted_at IS NULL' : '');
  // Ties of position (which the services do not make) go by id, the same way on both engines.
  const chapters = await q.rows(ChapterRow, sql`SELECT id, title FROM chapters WHERE plan_id = ${planId}${live} ORDER BY position, id`);
  const sections = await q.rows(
    SectionRow,
    sql`SELECT id, chapter_id AS "chapterId", title, ${sql.raw(agreementColumns ? 'status, agreed_at AS "agreedAt", agreed_hash AS "agreedHash"' : `'drafting' AS status, NULL AS "agreedAt", NULL AS "agreedHash"`)}
         FROM sections WHERE plan_id = ${planId}${live} ORDER BY position, id`,
  );

  const signers = new Map<string, Signer[]>();
  if (await schema.hasTable('section_signoffs')) {
    const verifications = await schema.hasTable('organisation_verifications');
    const rows = await q.rows(
      SignerRow,
      sql`SELECT s.section_id AS "sectionId", u.name, o.name AS organisation, s.side, s.signed_at AS "signedAt", s.content_hash AS "contentHash",
           ${verifications ? flag(sql`v.organisation_id IS NOT NULL AND v.side = s.side`) : sql`1`} AS verified
           FROM section_signoffs s JOIN sections x ON x.id = s.section_id JOIN users u ON u.id = s.user_id
           JOIN organisations o ON o.id = s.organisation_id
           ${sql.raw(verifications ? 'LEFT JOIN organisation_verifications v ON v.plan_id = x.plan_id AND v.organisation_id = s.organisation_id' : '')}
          WHERE x.plan_id = ${planId} AND s.withdrawn_at IS NULL ORDER BY s.signed_at, s.id`,
    );
    for (const { sectionId, verified, ...s } of rows) {
      const list = signers.get(sectionId) ?? [];
      // As the agreement panel counts it: verified, and for the side signed for.
      list.push({ ...s, verified: verified === 1 });
      signers.set(sectionId, list);
    }
  }

  // A saved version: each section's snapshot in the group, by section id.
  let version: PlanModel['version'] = null;
  const snapshots = new Map<string, Uint8Array>();
  if (options.versionGroupId) {
    const rows = await q.rows(
      VersionSnapshotRow,
      sql`SELECT section_id AS "sectionId", name, label, created_at AS "createdAt", created_by_name AS "createdBy", snapshot
           FROM versions WHERE plan_id = ${planId} AND group_id = ${options.versionGroupId} ORDER BY created_at, id`,
    );
    if (rows.length === 0) throw new Error('The saved version was not found.');
    const first = rows[0]!;
    version = { groupId: options.versionGroupId, name: versionNameIn(words, first.name, first.label), createdAt: first.createdAt, createdBy: first.createdBy };
    for (const r of rows) snapshots.set(r.sectionId, new Uint8Array(r.snapshot.buffer, r.snapshot.byteOffset, r.snapshot.byteLength));
  }

  // A saved version's actions (and the links Annex A is made from) are the version's too; its
  // "made from" line is written once the sections are known (versionActions.ts).
  const fromVersion = version ? await VersionActions.load(q, planId, version.groupId, words) : null;
  // They are out of the adopted plan as exported now, and of the version that was adopted; a
  // version saved before (or apart from) the adoption says what it said then.
  const leftOutAtAdoption = new Map(
    adoptionRecord && (!version || version.groupId === adoptionRecord.versionGroupId) ? adoptionRecord.leftOut.map((l) => [l.sectionId, l.reason]) : [],
  );
  const textOnly: Array<{ number: string; title: string; order: [number, number] }> = [];
  let madeFrom = version ? '' : words.t(options.scope === 'agreed' ? w.madeFrom.agreed : w.madeFrom.current, { time: words.time(exportedAt) });
  if (!version && (await schema.hasTable('versions'))) {
    // The newest: kept last. Rows kept in the same millisecond are a whole-plan version's
    // sections, which name the same version; ties go by id, the same way on both engines.
    const v = await q.row(
      NewestVersionRow,
      sql`SELECT group_id AS "groupId", name, label, section_title AS "sectionTitle", created_at AS "createdAt" FROM versions
           WHERE plan_id = ${planId} ORDER BY created_at DESC, id DESC LIMIT 1`,
    );
    if (v) {
      // Named as the history page names it (its name, what it holds, when), never by its id: the
      // line is on the title page, and an id tells a reader nothing.
      const ref = v.groupId ? w.madeFrom.wholePlan : words.t(w.madeFrom.oneSection, { section: v.sectionTitle });
      madeFrom += words.t(w.madeFrom.newestVersion, { name: versionNameIn(words, v.name, v.label), ref, time: words.time(v.createdAt) });
    }
  }

  const actions = await loadActions(q, planId);
  // Every action of the plan in plan order, also those of sections this export leaves out, so an
  // action has the same number in every export (services/actionNumbers.ts). Gathered by chapter:
  // the sections come ordered by their place within their chapter, not chapter by chapter.
  const actionsByChapter = new Map<string, ModelAction[]>();
  const total = sections.length;
  let done = 0;
  const modelSections = new Map<string, ModelSection[]>();
  for (const s of sections) {
    const doc = new Y.Doc();
    const inVersion = !version || snapshots.has(s.id);
    const state = version ? snapshots.get(s.id) : options.docStates?.get(s.id);
    if (state) Y.applyUpdate(doc, state);
    else if (!version) {
      const stored = await readStoredDocument(q, sectionDocName(s.id));
      if (stored) Y.transact(doc, () => stored.updates.forEach((u) => Y.applyUpdate(doc, u)));
    }
    const saved = fromVersion?.section(s.id);
    const sectionActions = saved && !saved.textOnly ? saved.actions : (actions.get(s.id) ?? []);
    if (inVersion) actionsByChapter.set(s.chapterId, [...(actionsByChapter.get(s.chapterId) ?? []), ...sectionActions]);
    // The sign-off service's own mapping of actions, so the lines are exactly those it hashes.
    const canonicalLines = canonicalSectionLines(doc, saved && !saved.textOnly ? saved.canonical : canonicalOfModel(sectionActions));
    // An agreed draft carries only agreed text: a saved version's text counts for an agreed
    // section only if it is exactly what was signed (the hashes match).
    let notIncluded: ModelSection['notIncluded'] = !inVersion
      ? 'not_in_version'
      : options.scope === 'current'
        ? null
        : s.status !== 'agreed'
          ? 'not_agreed'
          : version && hashLines(canonicalLines) !== s.agreedHash
            ? 'differs_from_agreed'
            : null;
    // In an agreed export a left-out section is out even if it was agreed: the adopted plan does not hold it.
    const leftOutReason = notIncluded !== null || options.scope === 'agreed' ? leftOutAtAdoption.get(s.id) : undefined;
    if (leftOutReason !== undefined) notIncluded = 'left_out';
    const included = notIncluded === null;
    const section: ModelSection = {
      id: s.id,
      title: s.title,
      status: s.status,
      included,
      // A section the adopted plan leaves out says so, and why, rather than "not yet agreed".
      notIncluded,
      ...(leftOutReason === undefined ? {} : { leftOutReason }),
      blocks: included ? sectionBlocks(doc) : [],
      actions: included ? sectionActions : [],
      canonicalLines: included ? canonicalLines : [],
      currentHash: hashLines(canonicalLines),
      agreedAt: s.agreedAt,
      agreedHash: s.agreedHash,
      signers: signers.get(s.id) ?? [],
    };
    doc.destroy();
    const list = modelSections.get(s.chapterId) ?? [];
    if (saved) section.actionsFrom = saved.textOnly ? 'current' : 'version';
    if (saved && version) for (const a of section.actions) a.statusAsOf = saved.textOnly ? exportedAt : version.createdAt;
    if (saved?.textOnly && included) {
      section.notes = [textOnlyNote(exportedAt, words)];
      const ci = chapters.findIndex((c) => c.id === s.chapterId);
      textOnly.push({ number: `${ci + 1}.${list.length + 1}`, title: s.title, order: [ci, list.length] });
    }
    list.push(section);
    modelSections.set(s.chapterId, list);
    options.onSection?.(++done, total);
  }

  textOnly.sort((a, b) => a.order[0] - b.order[0] || a.order[1] - b.order[1]);
  if (version) madeFrom = versionMadeFrom(versionLine(version, words), options.scope, exportedAt, textOnly, words);

  // A version's Annex A: the recommendations its exported actions link to, as saved.
  const recommendations = fromVersion
    ? await fromVersion.annexRecommendations([...modelSections.values()].flat())
    : await currentRecommendations(q, planId, modelSections);

  const created = new Map(
    (await q.rows(ActionCreatedRow, sql`SELECT id, created_at AS "createdAt" FROM actions WHERE plan_id = ${planId}`)).map((r) => [r.id, r.createdAt]),
  );
  const inPlanOrder = chapters.flatMap((c) => actionsByChapter.get(c.id) ?? []);
  const numbers = numberActions(
    inPlanOrder.map((a) => ({ id: a.id, createdAt: created.get(a.id) ?? '' })),
    (await schema.hasTable('action_numbers')) ? await fixedActionNumbers(q, planId) : new Map(),
  );
  for (const a of inPlanOrder) {
    a.number = numbers.get(a.id) ?? 0;
    a.gaps = actionGaps(a);
  }

  const modelChapters = chapters.map((c) => ({ ...c, sections: modelSections.get(c.id) ?? [] }));
  const latestRound = await addMonitoringFacts(q, planId, modelChapters);
  const adopted = adoption !== null;
  return {
    plan,
    adoption,
    stamp: adopted ? null : options.scope === 'agreed' ? w.layout.stampAgreed : w.layout.stampDraft,
    documentNumber: documentNumber(plan.id, options.scope, exportedAt),
    flagGaps: !adopted,
    scope: options.scope,
    language,
    exportedAt,
    madeFrom,
    version,
    chapters: modelChapters,
    recommendations,
    annexes: [
      await reservationsAnnex(q, planId, modelChapters, { exportedAt, version, words }),
      await proposalsAnnex(q, planId, modelChapters, { exportedAt, version, words }),
    ],
    latestRound,
  };
}

// ---- Helpers shared by renderers ---------------------------------------------------------------

/** The words an export is written with: its model's language (English for a model built by hand). */
export const wordsOf = (model: Pick<PlanModel, 'language'>): ExportWords => exportWords(model.language ?? 'en');

/** "Version: <name>, saved <date> by <name>". */
export const versionLine = (v: NonNullable<PlanModel['version']>, words: ExportWords = exportWords()) =>
  words.t(words.w.madeFrom.versionLine, { name: v.name, time: words.time(v.createdAt), person: v.createdBy });

/**
 * Whether a section's exported lines are signed text: exported, and their hash is one its current
 * sign-offs cover. A current-draft export of a section in drafting, or changed since it was
 * signed, is not.
 */
export const isSigned = (s: Pick<ModelSection, 'included' | 'signers' | 'currentHash'>) =>
  s.included && s.signers.some((g) => g.contentHash === s.currentHash);

/** What stands in for a section's text when it is not exported. */
export const notIncludedText = (s: Pick<ModelSection, 'notIncluded' | 'leftOutReason'>, words: ExportWords = exportWords()) =>
  s.notIncluded === 'left_out'
    ? words.t(words.w.notIncluded.leftOut, { reason: s.leftOutReason ?? '—' })
    : s.notIncluded === 'not_in_version'
    ? words.w.notIncluded.notInVersion
    : s.notIncluded === 'differs_from_agreed'
      ? words.w.notIncluded.differsFromAgreed
      : words.w.notIncluded.notAgreed;

/** "Adopted by Resolution No. 123 (1 December 2026)" for an adopted plan's title page, else null. */
export function adoptedLine(model: Pick<PlanModel, 'adoption'>, words: ExportWords = exportWords()): string | null {
  const act = model.adoption;
  if (!act) return null;
  const number = bareActNumber(act.number);
  const name = number ? words.t(words.w.progress.actNumber, { title: act.title, number }) : act.title;
  return words.t(words.w.layout.stampAdopted, { act: `${name} (${words.date(act.date)})` });
}

/** Only http(s) and mailto links survive an export; anything else is dropped (text kept). */
export function safeHref(href: string | undefined): string | null {
  if (!href) return null;
  const trimmed = href.trim();
  return /^(https?:\/\/|mailto:)/i.test(trimmed) ? trimmed : null;
}

/** Words for section statuses and positions (the public pages print them too: server/public/i18n). */
export const statusLabel = (s: string, words: ExportWords = exportWords()) => words.label(words.w.sectionStatus, s);

export const positionLabel = (p: string, words: ExportWords = exportWords()) => words.label(words.w.position, p);

/**
 * What every format prints where a recommendation's position goes (annex A, the matrix): its
 * position, or for a voluntary pledge "Voluntary pledge", since "Supported" alone would pass the
 * State's own commitment off as a recommendation it accepted.
 */
export function recommendationPosition(r: Pick<ModelRecommendation, 'position' | 'kind'>, words: ExportWords = exportWords()): string {
  if (r.kind !== 'pledge') return positionLabel(r.position, words);
  const p = words.w.pledge;
  return r.position === 'supported' ? p.label : words.t(p.withPosition, { position: positionLabel(r.position, words) });
}

export const inlineText = (inlines: Inline[]) => inlines.map((i) => (i.br ? '\n' : i.text)).join('');

/** A point of an action's timeline as the app writes it ("Q4 2027", "4 квартал 2027 г."), or "—". */
export const timePointText = (value: string | null, words: ExportWords = exportWords()) => (value ? words.timePoint(value) : '—');

/**
 * An action's timeline for people to read, "Q1 2027 – 2028". (The canonical lines keep the points
 * as entered, "2027-Q1": it is what is signed; the matrix and open data keep them so too.)
 */
export const timeline = (a: Pick<ModelAction, 'start' | 'end'>, words: ExportWords = exportWords()) =>
  `${timePointText(a.start, words)} – ${timePointText(a.end, words)}`;

/**
 * An action's budget for people to read: the amount in its currency as the language writes money,
 * and the funding source. (The canonical lines keep budgetText's fixed form: it is what is signed.)
 */
export function budgetWords(a: Pick<ModelAction, 'budgetAmount' | 'currency' | 'fundingSource'>, words: ExportWords): string {
  const amount = a.budgetAmount === null ? null : words.money(a.budgetAmount, a.currency);
  if (amount === null && !a.fundingSource) return '—';
  return `${amount ?? '—'}${a.fundingSource ? ` (${a.fundingSource})` : ''}`;
}

/** Where a recommendation comes from: mechanism, document symbol, paragraph. */
export const recommendationSource = (r: ModelRecommendation, words: ExportWords) =>
  [
    words.label(words.w.mechanism, r.mechanism),
    r.documentSymbol,
    r.paragraph ? words.t(words.w.document.paragraph, { paragraph: r.paragraph }) : null,
  ]
    .filter(Boolean)
    .join(', ');

/** The status column's header: it names the round whose reports it shows. */
export const statusHeader = (model: Pick<PlanModel, 'latestRound'>, words: ExportWords = exportWords()) =>
  model.latestRound ? words.t(words.w.matrix.statusInRound, { round: model.latestRound.name }) : words.w.matrix.statusInLatestRound;

/** Empty before any round; "Not reported" when the round has no report in force for the action. */
export const reportedStatusText = (model: Pick<PlanModel, 'latestRound'>, a: ModelAction, words: ExportWords) =>
  !model.latestRound ? '' : a.reportedStatus ? words.w.progressStatus[a.reportedStatus] : words.w.matrix.notReported;

/**
 * An action's status row. Once a plan has reporting rounds, the status people care about is what
 * its implementers reported in the latest round, not the drafting-time status the action was
 * written with; the row names the round, as the matrix's status column does. A saved version keeps
 * the status it was saved with (what was reported since is not part of it), and its row says the
 * date: a reader of the adopted plan would otherwise take "Planned" for where the action is now.
 */
const statusFact = (a: ModelAction, model: Pick<PlanModel, 'latestRound' | 'version'>, words: ExportWords): [string, string] =>
  model.latestRound && !model.version
    ? [statusHeader(model, words), reportedStatusText(model, a, words)]
    : [
        // The date kept on one line: a narrow label column must not leave "г." alone below it.
        a.statusAsOf ? words.t(words.w.facts.statusAsOf, { date: words.date(a.statusAsOf).replace(/\s/g, '\u00a0') }) : words.w.facts.status,
        words.label(words.w.actionStatus, a.status),
      ];

/** The rows of an action's fact table, shared by every document format. */
export function actionFacts(
  a: ModelAction,
  model: Pick<PlanModel, 'latestRound' | 'version'>,
  words: ExportWords = exportWords(),
): Array<[string, string]> {
  const f = words.w.facts;
  return [
    statusFact(a, model, words),
    [f.leadAgency, a.leadAgency ?? '—'],
    [f.coImplementers, a.coImplementers.join('; ') || '—'],
    [f.csoPartners, a.csoPartners.join('; ') || '—'],
    [f.timeline, timeline(a, words)],
    [f.budget, budgetWords(a, words)],
    [f.recommendations, a.recommendations.map((r) => r.reference).join('; ') || '—'],
  ];
}

/** The header and rows of an action's indicator table, shared by every document format. */
export function indicatorTable(a: ModelAction, words: ExportWords = exportWords()): { header: string[]; rows: string[][] } {
  const c = words.w.indicatorColumns;
  return {
    header: [c.type, c.indicator, c.baseline, c.target, c.unit, c.source, c.frequency, c.disaggregation, c.proposedBy],
    rows: a.indicators.map((i) => [
      words.label(words.w.indicatorType, i.type),
      i.description,
      i.baseline ?? '—',
      i.target ?? '—',
      i.unit ?? '',
      i.dataSource ?? '',
      i.frequency ?? '',
      i.disaggregation.join(', '),
      i.proposedBy ?? '',
    ]),
  };
}

/** "Action 12: title": the plan-wide number a decree or a report cites. */
export const actionHeading = (a: Pick<ModelAction, 'number' | 'title'>, words: ExportWords = exportWords()) =>
  words.t(words.w.document.action, { number: a.number, title: a.title });

/** "Incomplete: no lead agency, no indicator" for an action of a draft that lacks them, else null. */
export function gapsText(a: Pick<ModelAction, 'gaps'>, model: Pick<PlanModel, 'flagGaps'>, words: ExportWords = exportWords()): string | null {
  if (!model.flagGaps || a.gaps.length === 0) return null;
  return words.t(words.w.layout.weakAction, { missing: a.gaps.map((g) => words.w.layout.gap[g]).join(', ') });
}

/**
 * "<plan title>[-<which text>]-<date>", transliterated to ASCII (server/fileNames.ts): the adopted
 * plan, another saved version and the agreed sections each name what they hold, in the export's
 * language, so two downloads of the same day never share a name and a Cyrillic title stays readable.
 */
export function fileStem(model: Pick<PlanModel, 'plan' | 'exportedAt' | 'version' | 'scope' | 'language'>): string {
  const plan = asciiSlug(model.plan.title, 60) || 'plan';
  const words = exportWords(model.language ?? 'en');
  const which = model.version ? asciiSlug(model.version.name, 40) : model.scope === 'agreed' ? asciiSlug(words.w.provenance.scopeAgreed, 40) : '';
  return [plan, which, model.exportedAt.slice(0, 10)].filter(Boolean).join('-');
}
