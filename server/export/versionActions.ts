/**
 * Exporting a saved version prints that version's actions (issue #13). A ministry tabling "the plan
 * as agreed on <date>" must table the actions and indicators of that date, not today's: so for a
 * version export each section's actions, indicators, organisations and links to recommendations
 * come from what the version stored (`versions.actions`, services/versionActions.ts), and Annex A
 * (recommendations addressed) is computed from the version's links.
 *
 * What a version stores, and what this fills in:
 * - Organisation names: from the snapshot's own `organisations` map (the names as they were then),
 *   so a renamed or deleted organisation still prints as the version named it.
 * - Recommendations: the snapshot keeps each link's id and reference. The reference printed is the
 *   stored one (it is what the version's actions and their content hash name); position, source
 *   and text come from the recommendation as it is now, found by id, when it still exists in the
 *   plan. When it was deleted since, only the reference is known, and the export says so in the
 *   recommendation's place (DELETED_* below). The madeFrom line says texts are current.
 * - A version kept before versions held actions (`actions` NULL, "text only") cannot say what its
 *   actions were: that section prints its current actions, with a note in the section and in the
 *   provenance annex, and the title page's "made from" line names it.
 *
 * The model stays the renderers' only input: they print `ModelSection.notes` and nothing here is
 * format-specific.
 */
import { sql } from 'kysely';
import { col, rowShape } from '../db/rows.ts';
import type { Sql } from '../db/sql/Sql.ts';
import { schemaProbe } from './schemaProbe.ts';
import type { CanonicalAction } from '../../shared/doc/canonical.ts';
import type { ActionsSnapshot } from '../../shared/api/versions.ts';
import { parseActionsSnapshot } from '../services/versionActions.ts';
import type { ModelAction, ModelRecommendation, ModelSection, PlanModel } from './modelTypes.ts';
import { budgetText, withYear } from './valueText.ts';
import { MODEL_RECOMMENDATION_COLUMNS, ModelRecommendationRow, toModelRecommendation } from './recommendationRows.ts';
import { exportWords, type ExportWords } from './i18n/index.ts';

/** Stands in (in English; each export in its language) for the text of a recommendation deleted since the version was saved. */
export const DELETED_TEXT = exportWords('en').w.madeFrom.deletedText;

/** The one-line note of a section whose saved version holds its text only. */
export const textOnlyNote = (exportedAt: string, words: ExportWords = exportWords()) =>
  words.t(words.w.madeFrom.textOnlyNote, { time: words.time(exportedAt) });

interface RecommendationRow extends ModelRecommendation {
  sortKey: string;
}

const SavedActionsRow = rowShape({ sectionId: col.text, title: col.text, actions: col.nullableText });
const StoredRecommendationRow = ModelRecommendationRow.extend({ sortKey: col.text });

/** Ids asked for in one query: well under either engine's limit of parameters. */
const IDS_PER_QUERY = 500;

/**
 * The saved actions of each section of a whole-plan version, and the current recommendations they
 * link to, read once per export (`load`, in the model's transaction). Recommendations are read
 * for every link the saved actions hold when loading, and for any other link Annex A names
 * (a text-only section's current actions) when it is made, so the rest is synchronous.
 */
export class VersionActions {
  /** By section id: the stored actions, or null for a version kept before versions held actions. */
  private readonly stored = new Map<string, ActionsSnapshot | null>();
  private readonly recommendationCache = new Map<string, RecommendationRow | null>();

  private constructor(
    private readonly q: Sql,
    private readonly planId: string,
    private readonly words: ExportWords,
  ) {}

  static async load(q: Sql, planId: string, groupId: string, words: ExportWords = exportWords()): Promise<VersionActions> {
    const loaded = new VersionActions(q, planId, words);
    // Versions hold actions since migration 016; before it every version is text only.
    const holdsActions = await schemaProbe(q).hasColumn('versions', 'actions');
    const rows = await q.rows(
      SavedActionsRow,
      sql`SELECT section_id AS "sectionId", section_title AS title, ${sql.raw(holdsActions ? 'actions' : 'NULL AS actions')}
           FROM versions WHERE plan_id = ${planId} AND group_id = ${groupId} ORDER BY created_at, id`,
    );
    for (const r of rows) {
      try {
        loaded.stored.set(r.sectionId, parseActionsSnapshot(r.actions));
      } catch (err) {
        // Never print today's actions in place of a version's that cannot be read: fail, and say where.
        throw new Error(`The actions saved in this version for the section “${r.title}” cannot be read (${err instanceof Error ? err.message : String(err)}).`);
      }
    }
    await loaded.readRecommendations(
      [...loaded.stored.values()].flatMap((snapshot) => snapshot?.actions.flatMap((a) => a.recommendations.map((r) => r.id)) ?? []),
    );
    return loaded;
  }

  /** Reads the recommendations not read yet: null for one deleted since (or not this plan's). */
  private async readRecommendations(ids: Iterable<string>): Promise<void> {
    const wanted = [...new Set(ids)].filter((id) => !this.recommendationCache.has(id));
    for (let i = 0; i < wanted.length; i += IDS_PER_QUERY) {
      const chunk = wanted.slice(i, i + IDS_PER_QUERY);
      const rows = await this.q.rows(
        StoredRecommendationRow,
        sql`SELECT ${sql.raw(MODEL_RECOMMENDATION_COLUMNS)}, sort_key AS "sortKey" FROM recommendations
             WHERE plan_id = ${this.planId} AND id IN (${sql.join(chunk)})`,
      );
      for (const id of chunk) this.recommendationCache.set(id, null);
      for (const row of rows) this.recommendationCache.set(row.id, toModelRecommendation(row));
    }
  }

  /** The recommendation as it is now, or null when it was deleted (or is not this plan's); read beforehand (readRecommendations). */
  private recommendation(id: string): RecommendationRow | null {
    const row = this.recommendationCache.get(id);
    if (row === undefined) throw new Error(`The recommendation ${id} was not read with the version.`);
    return row;
  }

  /**
   * What to print for a section of the version: its saved actions (as the model and as the
   * canonical lines the sign-off hash covers), or `textOnly` when the version holds its text only.
   * Undefined when the section is not in the version.
   */
  section(sectionId: string): { textOnly: true } | { textOnly: false; actions: ModelAction[]; canonical: CanonicalAction[] } | undefined {
    if (!this.stored.has(sectionId)) return undefined;
    const snapshot = this.stored.get(sectionId)!;
    if (snapshot === null) return { textOnly: true };
    return { textOnly: false, actions: this.modelActions(snapshot), canonical: canonicalOf(snapshot) };
  }

  private modelActions(snapshot: ActionsSnapshot): ModelAction[] {
    const name = orgNamer(snapshot);
    return snapshot.actions.map((a) => ({
      id: a.id,
      // Numbered and checked for gaps with the rest of the plan (model.ts).
      number: 0,
      gaps: [],
      title: a.title,
      description: a.description,
      status: a.status,
      leadAgency: name(a.leadAgencyId),
      coImplementers: a.coImplementerIds.map((id) => name(id)!),
      csoPartners: a.civilSocietyPartnerIds.map((id) => name(id)!),
      start: a.start,
      end: a.end,
      budgetAmount: a.budgetAmount,
      currency: a.currency,
      fundingSource: a.fundingSource,
      budget: budgetText(a.budgetAmount, a.currency, a.fundingSource),
      recommendations: a.recommendations.map((r) => {
        const now = this.recommendation(r.id);
        const deleted = this.words.w.madeFrom;
        return { id: r.id, reference: r.reference, position: now?.position ?? deleted.deletedPosition, text: now?.text ?? deleted.deletedText };
      }),
      indicators: a.indicators.map((i) => ({
        id: i.id,
        type: i.type,
        description: i.description,
        unit: i.unit,
        baseline: withYear(i.baselineValue, i.baselineYear),
        target: withYear(i.targetValue, i.targetYear),
        dataSource: i.dataSource,
        frequency: i.frequency,
        disaggregation: i.disaggregation,
        proposedBy: name(i.proposedByOrganisationId),
        baselineValue: i.baselineValue,
        baselineYear: i.baselineYear,
        targetValue: i.targetValue,
        targetYear: i.targetYear,
      })),
    }));
  }

  /**
   * Annex A for a version: every recommendation an exported action of the version links to (saved
   * links, or current ones for a text-only section), whether or not an action addresses it now.
   * References as the actions print them; source, position and text as they are now; ones deleted
   * since last, by reference, with only their reference.
   */
  async annexRecommendations(sections: Iterable<Pick<ModelSection, 'actions'>>): Promise<ModelRecommendation[]> {
    const linked = new Map<string, string>();
    for (const s of sections) for (const a of s.actions) for (const r of a.recommendations) if (!linked.has(r.id)) linked.set(r.id, r.reference);
    await this.readRecommendations(linked.keys());
    const found: RecommendationRow[] = [];
    const deleted: ModelRecommendation[] = [];
    for (const [id, reference] of linked) {
      const now = this.recommendation(id);
      if (now) found.push({ ...now, reference });
      else
        deleted.push({
          id,
          reference,
          mechanism: this.words.w.madeFrom.deletedMechanism,
          documentSymbol: null,
          paragraph: null,
          recommendingStates: [],
          sdgTargets: [],
          position: this.words.w.madeFrom.deletedPosition,
          text: this.words.w.madeFrom.deletedText,
        });
    }
    found.sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
    deleted.sort((a, b) => a.reference.localeCompare(b.reference));
    return [...found.map(({ sortKey: _, ...r }) => r), ...deleted];
  }
}

/** Names as the version stored them; an id it did not name (should not happen) prints as the id, as canonicalActions does. */
const orgNamer = (snapshot: ActionsSnapshot) => (id: string | null) => (id === null ? null : (snapshot.organisations[id] ?? id));

/**
 * The saved actions as the sign-off hash sees them (server/services/agreement.ts canonicalActions,
 * with the version's names and references), so a version's exported content hash is the hash of
 * what it holds: equal to the agreed hash exactly when the version is the signed content.
 */
export function canonicalOf(snapshot: ActionsSnapshot): CanonicalAction[] {
  const name = orgNamer(snapshot);
  return snapshot.actions.map((a) => ({
    title: a.title,
    status: a.status,
    leadAgency: name(a.leadAgencyId),
    coImplementers: a.coImplementerIds.map((id) => name(id)!),
    civilSocietyPartners: a.civilSocietyPartnerIds.map((id) => name(id)!),
    start: a.start,
    end: a.end,
    budget: budgetText(a.budgetAmount, a.currency, a.fundingSource),
    recommendations: a.recommendations.map((r) => r.reference),
    indicators: a.indicators.map((i) => ({
      type: i.type,
      description: i.description,
      baseline: withYear(i.baselineValue, i.baselineYear),
      target: withYear(i.targetValue, i.targetYear),
    })),
  }));
}

/**
 * When the actions of a section were as printed, in a few words (the matrix's last column, which
 * has no title page to say it): the version's, or the current ones.
 */
export function actionsAsOf(
  model: Pick<PlanModel, 'version' | 'exportedAt'>,
  section: Pick<ModelSection, 'actionsFrom'>,
  words: ExportWords = exportWords(),
): string {
  const m = words.w.matrix;
  if (!model.version) return words.t(m.asOfCurrent, { time: model.exportedAt });
  if (section.actionsFrom === 'version') return words.t(m.asOfVersion, { name: model.version.name, time: model.version.createdAt });
  return words.t(m.asOfTextOnly, { time: model.exportedAt, name: model.version.name });
}

/**
 * The "made from" line of a version export (title page and provenance annex): what comes from the
 * version, what is as of the export, and which sections print current actions because their saved
 * version holds text only.
 */
export function versionMadeFrom(
  versionLine: string,
  scope: PlanModel['scope'],
  exportedAt: string,
  textOnly: Array<{ number: string; title: string }>,
  words: ExportWords = exportWords(),
): string {
  const m = words.w.madeFrom;
  const time = words.time(exportedAt);
  const base = words.t(scope === 'agreed' ? m.versionAgreed : m.versionCurrent, { version: versionLine, time });
  if (textOnly.length === 0) return base;
  const list = textOnly.map((s) => `${s.number} “${s.title}”`).join(', ');
  return words.t(m.textOnlySections, { base, time, list });
}
