import { z } from 'zod';
import { IdSchema, SideSchema, type Role, type Side } from './common.ts';

/**
 * Which people must propose changes as suggestions instead of editing the text (set per plan by a
 * coordinator). Coordinators always edit: they run the process and apply what was agreed.
 */
export const SuggestionRuleSchema = z.object({
  /** Commenters may suggest changes (otherwise they only comment). */
  commentersSuggest: z.boolean(),
  /** Drafters of these sides may only suggest. */
  suggestOnlySides: z.array(SideSchema).max(4),
});
export type SuggestionRule = z.infer<typeof SuggestionRuleSchema>;
export const DEFAULT_SUGGESTION_RULE: SuggestionRule = { commentersSuggest: false, suggestOnlySides: [] };

/** What a person's edits to section text may do: edit freely, only suggest, or nothing. */
export type TextAccess = 'edit' | 'suggest' | 'read';

export function textAccess(role: Role, side: Side, rule: SuggestionRule): TextAccess {
  switch (role) {
    case 'coordinator':
      return 'edit';
    case 'drafter':
      return rule.suggestOnlySides.includes(side) ? 'suggest' : 'edit';
    case 'commenter':
      return rule.commentersSuggest ? 'suggest' : 'read';
    case 'observer':
      return 'read';
  }
}

const SuggestionIdSchema = z.string().regex(/^[A-Za-z0-9_-]{6,40}$/, 'invalid_id');

/**
 * Accept or reject suggestions of one section: the listed ones, all of one organisation's, or all.
 * Accepting needs edit access; anyone may reject (withdraw) their own.
 */
export const DecideSuggestionsSchema = z
  .object({
    decision: z.enum(['accept', 'reject']),
    ids: z.array(SuggestionIdSchema).min(1).max(1000).optional(),
    organisationId: IdSchema.optional(),
    all: z.literal(true).optional(),
    /** Why (for a rejection): shown to everyone with the decision. */
    reason: z.string().trim().max(1000).optional(),
  })
  .refine((v) => [v.ids, v.organisationId, v.all].filter((x) => x !== undefined).length === 1, {
    message: 'suggestions_required',
    path: ['ids'],
  });
export type DecideSuggestions = z.infer<typeof DecideSuggestionsSchema>;

/** A proposed change of formatting (shared/doc/formatProposal.ts). */
export const FormatChangeSchema = z.object({
  mark: z.enum(['bold', 'italic', 'link']),
  set: z.boolean(),
  href: z.string().nullable(),
});

/** A proposed change of structure (shared/doc/blockProposal.ts); level 0 is a normal paragraph. */
export const StructureChangeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('heading'), level: z.number().int().min(0).max(6) }),
  z.object({ kind: z.literal('list'), list: z.enum(['bulletList', 'orderedList']) }),
  z.object({ kind: z.literal('split') }),
  z.object({ kind: z.literal('join') }),
]);

/** One accepted or rejected suggestion, as recorded. */
export const SuggestionDecisionSchema = z.object({
  suggestionId: z.string(),
  decision: z.enum(['accept', 'reject']),
  kind: z.enum(['insert', 'delete', 'replace', 'format', 'block']),
  inserted: z.string(),
  deleted: z.string(),
  /** A formatting proposal (kind 'format') or a change of structure (kind 'block'): the words concerned, and the change. */
  formatted: z.string().default(''),
  format: FormatChangeSchema.nullable().default(null),
  block: StructureChangeSchema.nullable().default(null),
  authorName: z.string(),
  authorOrganisation: z.string(),
  decidedByName: z.string(),
  decidedByOrganisation: z.string(),
  decidedAt: z.string(),
  reason: z.string().nullable().default(null),
});
export type SuggestionDecision = z.infer<typeof SuggestionDecisionSchema>;

export const DecideSuggestionsResultSchema = z.object({ decided: z.array(SuggestionDecisionSchema) });
export type DecideSuggestionsResult = z.infer<typeof DecideSuggestionsResultSchema>;
