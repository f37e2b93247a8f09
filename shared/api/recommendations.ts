import { z } from 'zod';
import { IdSchema, NameSchema, SideSchema, TitleSchema } from './common.ts';
import { ImportRejectedRowSchema, ImportWarningSchema, type ImportRejectedRow, type ImportWarning } from './importText.ts';
import { compareSdg, parseSdg } from '../sdg.ts';

/** Human rights mechanisms a recommendation can come from. */
export const MechanismSchema = z.enum([
  'UPR',
  'CCPR',
  'CAT',
  'CEDAW',
  'CRC',
  'CERD',
  'CESCR',
  'CRPD',
  'CED',
  'CMW',
  'special_procedure',
  'other',
]);
export type Mechanism = z.infer<typeof MechanismSchema>;

/** The State's position on a recommendation. */
export const PositionSchema = z.enum(['supported', 'supported_in_part', 'noted', 'pending']);
export type Position = z.infer<typeof PositionSchema>;

/**
 * What the entry is: a recommendation another State or a body made, or a voluntary pledge the
 * State under review made itself (UPR Info and UHRI list both).
 */
export const RecommendationKindSchema = z.enum(['recommendation', 'pledge']);
export type RecommendationKind = z.infer<typeof RecommendationKindSchema>;

const ShortText = z.string().trim().max(500);
const LanguageSchema = z.string().trim().min(2).max(10);
const TagList = z.array(z.string().trim().min(1).max(200)).max(100);

/**
 * One SDG target ("16.3", "5.a") or a goal as a whole ("16"), however it was written ("SDG 16.3",
 * "16.3 Promote the rule of law…"): stored as its code, so filters and coverage can count it.
 */
export const SdgCodeSchema = z
  .string()
  .max(500)
  .transform((value, ctx) => {
    const code = parseSdg(value);
    if (code === null) ctx.addIssue({ code: 'custom', message: 'invalid_sdg_target', input: value });
    return code ?? '';
  });

/** A recommendation's SDG targets: each code once, in the 2030 Agenda's order. */
export const SdgTargetListSchema = z
  .array(SdgCodeSchema)
  .max(100)
  .transform((codes) => [...new Set(codes)].sort(compareSdg));

/**
 * One recommendation as an importer or a person supplies it. `sourceKey` identifies it across
 * re-imports of the same source (so a second import updates instead of duplicating); `reference`
 * is the human-readable, plan-unique label (e.g. BLR-C1-98.16a), assigned when the source has none.
 */
export const RecommendationInputSchema = z.object({
  sourceKey: z.string().min(1).max(300),
  reference: z.string().trim().min(1).max(100).nullable(),
  mechanism: MechanismSchema,
  documentSymbol: ShortText.nullable(),
  paragraph: z.string().trim().max(50).nullable(),
  cycle: z.number().int().min(1).max(20).nullable(),
  session: z.string().trim().max(50).nullable(),
  /** ISO date (YYYY-MM-DD) or year-month (YYYY-MM) or year. */
  date: z
    .string()
    .regex(/^\d{4}(-\d{2}(-\d{2})?)?$/)
    .nullable(),
  stateUnderReview: z.string().trim().min(1).max(200),
  recommendingStates: TagList,
  text: z.string().trim().min(1).max(20_000),
  language: LanguageSchema.default('en'),
  position: PositionSchema,
  kind: RecommendationKindSchema.default('recommendation'),
  positionSource: ShortText.nullable(),
  themes: TagList,
  affectedPersons: TagList,
  sdgTargets: SdgTargetListSchema,
  actionCategory: z.number().int().min(1).max(5).nullable(),
  notes: z.string().max(10_000).nullable(),
});
export type RecommendationInput = z.infer<typeof RecommendationInputSchema>;
/** The name of one stored field of a recommendation. */
export const RecommendationFieldSchema = RecommendationInputSchema.keyof();
export type RecommendationField = z.infer<typeof RecommendationFieldSchema>;

export const RecommendationSchema = RecommendationInputSchema.extend({
  /** As stored: codes, or (imported before they were checked) the words a file gave, which name no target. */
  sdgTargets: TagList,
  id: IdSchema,
  reference: z.string(),
  importId: IdSchema.nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Number of plan actions linked to it. */
  actionCount: z.number().int(),
});
export type Recommendation = z.infer<typeof RecommendationSchema>;

/** File formats Accord can import recommendations from. */
export const ImportFormatSchema = z.enum([
  'upr-info-csv',
  'un-report-text',
  'treaty-body-text',
  'uhri-csv',
  'uhri-json',
  'accord-csv',
  'accord-json',
]);
export type ImportFormat = z.infer<typeof ImportFormatSchema>;

/**
 * Character encodings Accord reads uploaded files in (WHATWG labels, as TextDecoder takes them):
 * Unicode, the Cyrillic code pages of files made in Belarus and Russia, and the Western ones of
 * older UPR Info and spreadsheet exports.
 */
export const ImportEncodingSchema = z.enum(['utf-8', 'utf-16le', 'utf-16be', 'windows-1251', 'koi8-r', 'macintosh', 'windows-1252']);
export type ImportEncoding = z.infer<typeof ImportEncodingSchema>;

/**
 * A UN document symbol: upper-case series letters, then slash-separated parts (A/HRC/15/16,
 * CCPR/C/BLR/CO/5, A/HRC/WG.6/8/BLR/1, E/C.12/BLR/CO/6, A/HRC/15/16/Add.1).
 */
export const DOCUMENT_SYMBOL = /^[A-Z]{1,10}(?:\/[A-Za-z0-9][A-Za-z0-9.-]{0,19}){1,8}$/;
export const DocumentSymbolSchema = z.string().trim().max(100).regex(DOCUMENT_SYMBOL, 'invalid_document_symbol');

/**
 * The query of an import preview (the file itself is the body). `format` and `encoding` are what
 * the person chose instead of what Accord detects; `documentSymbol` is used for a UN report whose
 * text does not state its symbol.
 */
export const ImportPreviewQuerySchema = z.object({
  filename: z.string().trim().min(1, 'Name the file (?filename=…)').max(255),
  format: ImportFormatSchema.optional(),
  encoding: ImportEncodingSchema.optional(),
  documentSymbol: DocumentSymbolSchema.optional(),
  /** A name the browser gives this upload: the server's progress events while reading it carry it. */
  progressId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/).optional(),
});
export type ImportPreviewQuery = z.infer<typeof ImportPreviewQuerySchema>;

/** What a parser made of one file, before anything is written. Row numbers are 1-based data rows. */
export interface ParsedImport {
  format: ImportFormat;
  /** How the file's bytes were read; absent when the rows came from no file. */
  encoding?: ImportEncoding;
  rows: Array<{ row: number; recommendation: RecommendationInput }>;
  rejected: ImportRejectedRow[];
  /** Notes for the person (e.g. "decoded as Mac Roman", "3 rows merged as joint recommendations"). */
  warnings: ImportWarning[];
}

export const ImportPreviewRowSchema = z.object({
  row: z.number().int(),
  action: z.enum(['create', 'update', 'unchanged']),
  reference: z.string(),
  recommendation: RecommendationInputSchema,
});

/**
 * What a row from another source can add to the plan's copy of the same recommendation: a value
 * the copy lacks (document symbol, paragraph, cycle, session, date, action category), or entries
 * missing from its lists (themes, affected persons, SDG targets). Nothing the copy has is
 * overwritten: its reference, words, States, position and notes stay as they are.
 */
export const FILLABLE_FIELDS = ['documentSymbol', 'paragraph', 'cycle', 'session', 'date', 'actionCategory'] as const;
export const FILLABLE_LISTS = ['themes', 'affectedPersons', 'sdgTargets'] as const;
export const FillSchema = z.object({
  field: z.enum([...FILLABLE_FIELDS, ...FILLABLE_LISTS]),
  /** For a list, how many entries it adds; 1 for a single value. */
  n: z.number().int().min(1),
});
export type Fill = z.infer<typeof FillSchema>;

/**
 * A row that repeats a recommendation the plan already holds under another reference (the same
 * mechanism, recommending States and words): with "the same recommendation" chosen it fills in
 * the plan's copy (`adds`, empty when it has nothing to add) instead of being created.
 */
export const SameAsPlanRowSchema = z.object({
  row: z.number().int(),
  /** The row's own reference, which it would get as a new recommendation. */
  reference: z.string(),
  /** The plan's copy. */
  heldReference: z.string(),
  text: z.string(),
  /** True when the words are nearly, not exactly, the same (a typo, a hyphen, a word). */
  near: z.boolean(),
  /** The copy's words, when only nearly the same: the person compares them before choosing. */
  heldText: z.string().nullable(),
  adds: z.array(FillSchema),
});
export type SameAsPlanRow = z.infer<typeof SameAsPlanRowSchema>;

/** What a person chooses for such rows: fill in the plan's copies, or add them as new recommendations. */
export const SameAsPlanChoiceSchema = z.enum(['same', 'new']);
export type SameAsPlanChoice = z.infer<typeof SameAsPlanChoiceSchema>;

export const ImportPreviewSchema = z.object({
  previewId: z.string(),
  format: ImportFormatSchema,
  /** How the file's bytes were read (detected, or as the person chose); null when there was no file. */
  encoding: ImportEncodingSchema.nullable(),
  filename: z.string(),
  counts: z.object({ create: z.number(), update: z.number(), unchanged: z.number(), rejected: z.number() }),
  rows: z.array(ImportPreviewRowSchema),
  rejected: z.array(ImportRejectedRowSchema),
  warnings: z.array(ImportWarningSchema),
  /**
   * Rows counted in `counts.create` that repeat recommendations the plan holds under other
   * references: how many, how many of them would fill something in, and the rows (the first ones
   * only, in the server's answer).
   */
  // A preview kept by a process from before this field (sharedPreviews.ts) has none.
  sameAsPlan: z.object({ total: z.number(), filling: z.number(), rows: z.array(SameAsPlanRowSchema) }).default({ total: 0, filling: 0, rows: [] }),
});
export type ImportPreview = z.infer<typeof ImportPreviewSchema>;

/**
 * Confirming a preview; for UN report text, positions may be corrected per paragraph first.
 * `sameAsPlan` says what to do with rows that repeat recommendations the plan holds under other
 * references (the server finds them again at commit): 'same', the default, fills in the plan's
 * copies; 'new' adds them as new recommendations.
 */
export const CommitImportSchema = z.object({
  positionOverrides: z.record(z.string(), PositionSchema).optional(),
  sameAsPlan: SameAsPlanChoiceSchema.default('same'),
});

export const ImportRecordSchema = z.object({
  id: IdSchema,
  format: ImportFormatSchema,
  filename: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
  created: z.number(),
  updated: z.number(),
  undoneAt: z.string().nullable(),
  /**
   * 'committing' while its rows are being written (they are hidden until the last is), 'undoing'
   * while they are being taken back (hidden from the start), then 'committed' / 'undone'.
   */
  state: z.enum(['committing', 'committed', 'undoing', 'undone']),
  /**
   * Recommendations it created that its undo did not delete because something still relied on
   * them (KeptReason); 0 until undone. Fewer later if some are deleted since.
   */
  kept: z.number(),
  /** Rows that found their recommendation already in the plan and wrote nothing: this import holds them. */
  held: z.number(),
  /** Rows recognised as recommendations the plan holds under another reference (from another source). */
  recognised: z.number(),
  /** Of those, the plan's copies it filled in with values they lacked. */
  filled: z.number(),
});
export type ImportRecord = z.infer<typeof ImportRecordSchema>;

/**
 * Why undoing an import kept a recommendation it created: another import in effect holds it (the
 * file found it "already in the plan", or changed it), an action is linked to it, it is in a
 * confirmed group, an organisation assessed it in a monitoring round, or someone edited it since.
 */
export const KeptReasonSchema = z.enum(['import', 'actions', 'group', 'assessment', 'edited']);
export type KeptReason = z.infer<typeof KeptReasonSchema>;

/** How many kept recommendations an undo lists one by one; the rest are counted. */
export const KEPT_LISTED = 50;

export const UndoImportResultSchema = ImportRecordSchema.extend({
  /** The kept recommendations (the first KEPT_LISTED, by reference), each with its reasons. */
  keptRecommendations: z.array(z.object({ id: IdSchema, reference: z.string(), reasons: z.array(KeptReasonSchema) })),
  /** Kept recommendations by reason (one may have several). */
  keptByReason: z.object({ import: z.number(), actions: z.number(), group: z.number(), assessment: z.number(), edited: z.number() }),
  /** The files of the imports in effect that hold some of them. */
  heldBy: z.array(z.string()),
  /**
   * Recommendations an earlier import's undo had kept only because this import held them, removed
   * now that nothing else does.
   */
  released: z.number(),
  /**
   * Recommendations it had updated or filled in where someone changed a field it wrote since: that
   * field keeps their edit instead of getting its value from before the import back.
   */
  keptEdits: z.number(),
  /** The first KEPT_LISTED of them, by reference, each with the fields that kept an edit. */
  keptEditRecommendations: z.array(z.object({ id: IdSchema, reference: z.string(), fields: z.array(RecommendationFieldSchema) })),
});
export type UndoImportResult = z.infer<typeof UndoImportResultSchema>;

export const RecommendationQuerySchema = z.object({
  q: z.string().trim().max(200).optional(),
  mechanism: MechanismSchema.optional(),
  cycle: z.coerce.number().int().optional(),
  position: PositionSchema.optional(),
  theme: z.string().max(200).optional(),
  state: z.string().max(200).optional(),
  affected: z.string().max(200).optional(),
  /** An SDG goal ("16": any of its targets) or one target ("16.3"). */
  sdg: z
    .string()
    .max(20)
    .refine((v) => parseSdg(v) === v, 'invalid_sdg_target')
    .optional(),
  /**
   * A section of the plan: with `sort=relevance` and no `q`, the recommendations its actions
   * already cite come first, then those matching its title, then the rest (a filter of nothing).
   */
  section: z.string().min(1).max(64).optional(),
  unaddressed: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true'),
  sort: z.enum(['reference', 'date', 'position', 'mechanism', 'relevance']).default('reference'),
  order: z.enum(['asc', 'desc']).default('asc'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
export type RecommendationQuery = z.infer<typeof RecommendationQuerySchema>;

export const RecommendationPageSchema = z.object({
  total: z.number(),
  items: z.array(RecommendationSchema),
  /** Values present in the plan, for filter menus. */
  facets: z.object({
    mechanisms: z.array(z.string()),
    cycles: z.array(z.number()),
    themes: z.array(z.string()),
    states: z.array(z.string()),
    affectedPersons: z.array(z.string()),
    /** SDG codes linked (targets, or goals as a whole), in the 2030 Agenda's order. */
    sdgs: z.array(z.string()),
  }),
});
export type RecommendationPage = z.infer<typeof RecommendationPageSchema>;

// ----- Actions and indicators -----

export const ActionStatusSchema = z.enum(['planned', 'in_progress', 'completed', 'delayed', 'cancelled']);
export type ActionStatus = z.infer<typeof ActionStatusSchema>;

/**
 * An ISO 4217 currency code (BYN, EUR), one the runtime's own list knows: a typo or a word
 * ("RUBLES") is refused rather than cut to three letters that name another currency.
 */
const KNOWN_CURRENCIES: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));
export const CurrencySchema = z
  .string()
  .regex(/^[A-Z]{3}$/, 'currency_code')
  .refine((code) => KNOWN_CURRENCIES.has(code), 'currency_code');

/** The years a plan's timeline, its indicators and their reports may name. */
export const FIRST_YEAR = 1945;
export const LAST_YEAR = 2100;

/**
 * A point in a plan's timeline: a year (2027), a quarter (2027-Q2) or a date (2027-05-31), in the
 * years a human rights plan can speak of, and a day the calendar has (not 2027-02-30, which a
 * browser would quietly read as 2 March).
 */
export const TimePointSchema = z
  .string()
  .regex(/^\d{4}(-Q[1-4]|-\d{2}-\d{2})?$/, 'invalid_due')
  .superRefine((value, ctx) => {
    const year = Number(value.slice(0, 4));
    if (year < FIRST_YEAR || year > LAST_YEAR) {
      ctx.addIssue({ code: 'custom', message: 'due_year_range' });
      return;
    }
    const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    if (day && !isCalendarDay(Number(day[1]), Number(day[2]), Number(day[3]))) ctx.addIssue({ code: 'custom', message: 'no_such_date' });
  });

/** Whether the calendar has this day (no 30 February), month counted from 1. */
export function isCalendarDay(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export const IndicatorTypeSchema = z.enum(['structural', 'process', 'outcome']);
export type IndicatorType = z.infer<typeof IndicatorTypeSchema>;

const YearSchema = z.number().int().min(FIRST_YEAR).max(LAST_YEAR);

export const IndicatorInputSchema = z.object({
  type: IndicatorTypeSchema,
  description: z.string().trim().min(1).max(2000),
  unit: z.string().trim().max(100).nullable().default(null),
  baselineValue: z.string().trim().max(200).nullable().default(null),
  baselineYear: YearSchema.nullable().default(null),
  targetValue: z.string().trim().max(200).nullable().default(null),
  targetYear: YearSchema.nullable().default(null),
  dataSource: z.string().trim().max(1000).nullable().default(null),
  frequency: z.string().trim().max(100).nullable().default(null),
  disaggregation: z.array(z.string().trim().min(1).max(100)).max(20).default([]),
  proposedByOrganisationId: IdSchema.nullable().default(null),
});
export type IndicatorInput = z.infer<typeof IndicatorInputSchema>;
export const IndicatorUpdateSchema = IndicatorInputSchema.partial();

export const IndicatorSchema = IndicatorInputSchema.extend({ id: IdSchema, actionId: IdSchema, position: z.number() });
export type Indicator = z.infer<typeof IndicatorSchema>;

export const ActionInputSchema = z.object({
  title: TitleSchema,
  description: z.string().max(20_000).default(''),
  leadAgencyId: IdSchema.nullable().default(null),
  coImplementerIds: z.array(IdSchema).max(50).default([]),
  civilSocietyPartnerIds: z.array(IdSchema).max(50).default([]),
  start: TimePointSchema.nullable().default(null),
  end: TimePointSchema.nullable().default(null),
  status: ActionStatusSchema.default('planned'),
  budgetAmount: z.number().nonnegative().max(1e15).nullable().default(null),
  currency: CurrencySchema.nullable().default(null),
  fundingSource: z.string().trim().max(500).nullable().default(null),
  recommendationIds: z.array(IdSchema).max(500).default([]),
  /** The organisation that proposed the action; left out on creation, the creator's own. */
  proposedByOrganisationId: IdSchema.nullable().optional(),
});
export type ActionInput = z.infer<typeof ActionInputSchema>;
export const ActionUpdateSchema = ActionInputSchema.partial().extend({
  /** Move the action to another section of the plan (to its end unless `position` says where). */
  sectionId: IdSchema.optional(),
  /** Move the action to this 0-based place among its section's actions. */
  position: z.number().int().min(0).optional(),
});
export type ActionUpdate = z.infer<typeof ActionUpdateSchema>;

/** Put an action at this 0-based place among its section's actions (PUT …/actions/:actionId/position). */
export const ActionPositionSchema = z.object({ position: z.number().int().min(0).max(10_000) }).strict();
export type ActionPosition = z.infer<typeof ActionPositionSchema>;

export const ActionSchema = ActionInputSchema.extend({
  id: IdSchema,
  planId: IdSchema,
  sectionId: IdSchema,
  position: z.number(),
  indicators: z.array(IndicatorSchema),
  proposedByOrganisationId: IdSchema.nullable(),
  /** Linked recommendations, with enough to show them without another request. */
  recommendations: z.array(z.object({ id: IdSchema, reference: z.string(), text: z.string(), position: PositionSchema })),
  /**
   * Its plan-wide number ("Action 12"), as the exports, the matrix and an adopting act cite it
   * (server/services/actionNumbers.ts): not its place in its section. Null in the bin.
   */
  number: z.number().int().positive().nullable(),
  updatedAt: z.string(),
});
export type Action = z.infer<typeof ActionSchema>;

/** Organisations that can lead or co-implement actions: members' organisations and ones added to the plan. */
export const PlanOrganisationSchema = z.object({
  id: IdSchema,
  name: z.string(),
  side: SideSchema,
  color: z.string(),
  /**
   * A coordinator of this plan vouched that the organisation is who it says it is and speaks for
   * its side: only then do its members' signatures count. Unverified ones are shown as such.
   */
  verified: z.boolean(),
  /** Who vouched ("set-up" for the plan creator's own organisation), and when; null while unverified. */
  verifiedBy: z.string().nullable(),
  verifiedAt: z.string().nullable(),
});
export type PlanOrganisation = z.infer<typeof PlanOrganisationSchema>;
export const AddPlanOrganisationSchema = z.object({ name: NameSchema, side: SideSchema });

export const CoverageBucketSchema = z.object({
  key: z.string(),
  total: z.number(),
  addressed: z.number(),
  byPosition: z.record(PositionSchema, z.object({ total: z.number(), addressed: z.number() })),
});

export const CoverageSchema = z.object({
  totals: z.object({ recommendations: z.number(), addressed: z.number(), supported: z.number(), supportedAddressed: z.number() }),
  /**
   * The same totals counting asks: a confirmed group of recommendations that say the same thing is
   * one ask (supported when a member is, addressed when a member is); every other recommendation is
   * one. `confirmedGroups` is how many groups that merged.
   */
  asks: z.object({
    total: z.number(),
    addressed: z.number(),
    supported: z.number(),
    supportedAddressed: z.number(),
    confirmedGroups: z.number(),
  }),
  byTheme: z.array(CoverageBucketSchema),
  byMechanism: z.array(CoverageBucketSchema),
  /** Per SDG goal ("1" … "17"), counting each recommendation once however many of its targets it names; goals none links to are left out, as themes are. */
  bySdg: z.array(CoverageBucketSchema),
  unaddressedSupported: z.array(z.object({ id: IdSchema, reference: z.string(), text: z.string(), themes: z.array(z.string()) })),
  weakActions: z.array(
    z.object({
      actionId: IdSchema,
      sectionId: IdSchema,
      title: z.string(),
      problems: z.array(z.enum(['no_indicator', 'no_lead_agency', 'no_timeline'])),
    }),
  ),
});
export type Coverage = z.infer<typeof CoverageSchema>;

// ----- Manual entry and editing (added with the server routes) -----

const R = RecommendationInputSchema.shape;

/**
 * Entering a recommendation by hand (POST /plans/:planId/recommendations). Only mechanism, State
 * under review and text are required; without `sourceKey` the server makes a `manual:` one, and
 * without `reference` it assigns one (e.g. UPR-S8-012).
 */
export const CreateRecommendationSchema = RecommendationInputSchema.extend({
  sourceKey: R.sourceKey.optional(),
  reference: R.reference.default(null),
  documentSymbol: R.documentSymbol.default(null),
  paragraph: R.paragraph.default(null),
  cycle: R.cycle.default(null),
  session: R.session.default(null),
  date: R.date.default(null),
  recommendingStates: TagList.default([]),
  position: PositionSchema.default('pending'),
  positionSource: R.positionSource.default(null),
  themes: TagList.default([]),
  affectedPersons: TagList.default([]),
  sdgTargets: SdgTargetListSchema.default([]),
  actionCategory: R.actionCategory.default(null),
  notes: R.notes.default(null),
});
export type CreateRecommendation = z.infer<typeof CreateRecommendationSchema>;

/**
 * Editing a recommendation (PATCH): any fields but the source key. Only the fields sent change
 * (the server ignores defaults for fields not in the body).
 */
/**
 * A change to some fields. The defaulted fields are plain optionals here: a change that does not
 * name the language or the kind keeps them (a default would set them back).
 */
export const UpdateRecommendationSchema = RecommendationInputSchema.omit({ sourceKey: true })
  .partial()
  .extend({ language: LanguageSchema.optional(), kind: RecommendationKindSchema.optional() });
export type UpdateRecommendation = z.infer<typeof UpdateRecommendationSchema>;

/** GET /plans/:planId/recommendations/:recId: the recommendation and the actions implementing it. */
export const RecommendationDetailSchema = RecommendationSchema.extend({
  actions: z.array(z.object({ id: IdSchema, title: z.string(), sectionId: IdSchema, sectionTitle: z.string() })),
});
export type RecommendationDetail = z.infer<typeof RecommendationDetailSchema>;
