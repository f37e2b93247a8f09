import { SIDES, type Role, type RuleNeed, type Side, type SignoffRule, type FieldIssue } from '../../shared/api/index.ts';

/**
 * Sign-off rules as plain functions, without a database: whether a rule is met by a section's
 * signatures, what it still needs, whether a rule can be met at all when it is set, and the rule
 * in words for the audit log. The services feed them rows; tests/unit/signoff-rules.test.ts
 * checks them alone.
 */

/** An active signature on the section's current content. */
export interface CountedSignature {
  organisationId: string;
  side: Side;
  /** The signer's role when they signed; null when not known (then never a coordinator's). */
  role: Role | null;
  /** Whether a coordinator verified the organisation for this side of the plan. */
  verified: boolean;
}

/** What the plan looks like when a rule is set or evaluated. */
export interface RuleContext {
  /** Verified organisations of each side now. */
  verified: Partial<Record<Side, number>>;
  /** Sides for which some coordinator of the plan belongs to a verified organisation. */
  coordinatorSides: readonly Side[];
  /** Organisations available to the plan (id → name). */
  organisations: ReadonlyMap<string, string>;
}

/**
 * What the rule still needs, given a section's active signatures on its current content. Empty:
 * the rule is met. Only verified organisations ever count, whatever the rule.
 */
export function ruleNeeds(rule: SignoffRule, signatures: readonly CountedSignature[], context: Pick<RuleContext, 'verified' | 'organisations'>): RuleNeed[] {
  const counted = signatures.filter((s) => s.verified);
  switch (rule.kind) {
    case 'sides':
      return rule.sides.filter((side) => !counted.some((s) => s.side === side)).map((side) => ({ kind: 'side', side }));
    case 'organisations':
      return rule.organisationIds
        .filter((id) => !counted.some((s) => s.organisationId === id))
        .map((id) => ({ kind: 'organisation', organisationId: id, name: context.organisations.get(id) ?? id }));
    case 'quorum':
      return quorumSides(rule).flatMap(([side, need]) => {
        // Organisations, not people: two signers of one organisation are one voice.
        const have = new Set(counted.filter((s) => s.side === side).map((s) => s.organisationId)).size;
        return have >= need ? [] : [{ kind: 'quorum' as const, side, have, need, available: context.verified[side] ?? 0 }];
      });
    case 'coordinators':
      return rule.sides
        .filter((side) => !counted.some((s) => s.side === side && s.role === 'coordinator'))
        .map((side) => ({ kind: 'coordinator', side }));
  }
}

export function ruleIsMet(rule: SignoffRule, signatures: readonly CountedSignature[], context: Pick<RuleContext, 'verified' | 'organisations'>): boolean {
  return ruleNeeds(rule, signatures, context).length === 0;
}

const SIDE_WORDS: Record<Side, string> = {
  government: 'government',
  civil_society: 'civil society',
  independent: 'independent',
  international: 'international',
};

/**
 * The needs as the `missing` words of SectionAgreement: a side's name ("civil_society") or an
 * organisation's name, as before quorum and coordinators rules existed, and a short phrase for those.
 */
export function missingWords(needs: readonly RuleNeed[]): string[] {
  return needs.map((n) => {
    switch (n.kind) {
      case 'side':
        return n.side;
      case 'organisation':
        return n.name;
      case 'quorum': {
        const more = n.need - n.have;
        return `${more} more verified ${SIDE_WORDS[n.side]} organisation${more === 1 ? '' : 's'}`;
      }
      case 'coordinator':
        return `a ${SIDE_WORDS[n.side]} coordinator`;
    }
  });
}

/** A quorum's sides in the usual order of sides, with their minimum. */
export function quorumSides(rule: Extract<SignoffRule, { kind: 'quorum' }>): Array<[Side, number]> {
  return SIDES.filter((side) => rule.minimum[side] !== undefined).map((side) => [side, rule.minimum[side]!]);
}

/** The rule with duplicates removed and sides in the usual order, as it is stored. */
export function normaliseRule(rule: SignoffRule): SignoffRule {
  switch (rule.kind) {
    case 'sides':
      return { kind: 'sides', sides: SIDES.filter((s) => rule.sides.includes(s)) };
    case 'organisations':
      return { kind: 'organisations', organisationIds: [...new Set(rule.organisationIds)] };
    case 'quorum':
      return { kind: 'quorum', minimum: Object.fromEntries(quorumSides(rule)) };
    case 'coordinators':
      return { kind: 'coordinators', sides: SIDES.filter((s) => rule.sides.includes(s)) };
  }
}

/** A rule that cannot be set, with the field to point at and a message for the coordinator. */
export interface RuleProblem {
  field: string;
  message: string;
  issue: FieldIssue;
}

/**
 * Why a rule cannot be met in this plan now, or null. A quorum may not ask for more organisations
 * of a side than are verified, and a coordinators rule needs a coordinator from a verified
 * organisation of each side: otherwise sections would wait for signatures nobody can give, and
 * nobody would be told. (A verification withdrawn later can still make a rule unmeetable; the
 * section then says how many are verified.)
 */
export function ruleProblem(rule: SignoffRule, context: RuleContext): RuleProblem | null {
  switch (rule.kind) {
    case 'sides':
      return null;
    case 'organisations': {
      const unknown = rule.organisationIds.find((id) => !context.organisations.has(id));
      return unknown ? { field: 'organisationIds', message: `The organisation ${unknown} is not part of this plan.`, issue: { code: 'not_in_plan' } } : null;
    }
    case 'quorum': {
      for (const [side, need] of quorumSides(rule)) {
        const available = context.verified[side] ?? 0;
        if (need > available) {
          const words = available === 0 ? 'no verified organisations' : `only ${available} verified organisation${available === 1 ? '' : 's'}`;
          return {
            field: `minimum.${side}`,
            issue: { code: 'quorum_unreachable', params: { available } },
            message:
              `The ${SIDE_WORDS[side]} side has ${words} in this plan, so ${need} of them can never sign. ` +
              `Verify more ${SIDE_WORDS[side]} organisations on the Members page first, or ask for at most ${available}.`,
          };
        }
      }
      return null;
    }
    case 'coordinators': {
      const side = rule.sides.find((s) => !context.coordinatorSides.includes(s));
      return side
        ? {
            field: 'sides',
            issue: { code: 'no_side_coordinator' },
            message:
              `No coordinator of this plan belongs to a verified ${SIDE_WORDS[side]} organisation, so nobody could sign for that side. ` +
              `Make a member of a verified ${SIDE_WORDS[side]} organisation a coordinator first.`,
          }
        : null;
    }
  }
}

/** The rule in English words, for audit summaries (the browser describes it in the reader's language). */
export function describeRuleForRecord(rule: SignoffRule, organisations: ReadonlyMap<string, string>): string {
  const list = (items: string[]) => items.join(', ');
  switch (rule.kind) {
    case 'sides':
      return `one signer from each side: ${list(rule.sides)}`;
    case 'organisations':
      return `one signer from each organisation: ${list(rule.organisationIds.map((id) => organisations.get(id) ?? id))}`;
    case 'quorum':
      return `at least ${list(quorumSides(rule).map(([side, n]) => `${n} verified ${SIDE_WORDS[side]} organisation${n === 1 ? '' : 's'}`))}`;
    case 'coordinators':
      return `a coordinator of the plan for each side: ${list(rule.sides.map((s) => SIDE_WORDS[s]))}`;
  }
}
