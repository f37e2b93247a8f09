import { SIDES, type RuleNeed, type Side, type SignoffRule } from '../../../shared/api/index.ts';
import { formatList } from '../../i18n/format.ts';

/** Sign-off rules and what a section still needs, in the reader's language. */

type T = (key: string, opts?: Record<string, unknown>) => string;


/** A quorum's sides in the usual order, with their minimum. */
export function quorumEntries(minimum: Partial<Record<Side, number>>): Array<[Side, number]> {
  return SIDES.filter((side) => minimum[side] !== undefined).map((side) => [side, minimum[side]!]);
}

/**
 * The rule in words, e.g. "At least one member of a government organisation and one of a
 * civil-society organisation." or "Signatures from at least 1 verified government organisation
 * and at least 3 verified civil-society organisations."
 */
export function describeRule(rule: SignoffRule, organisations: Array<{ id: string; name: string }>, t: T, lng: string): string {
  switch (rule.kind) {
    case 'sides': {
      const parts = rule.sides.map((side, i) => t(i === 0 ? 'signoffRule.sidesFirst' : 'signoffRule.sidesMore', { org: t(`signoffRule.sideOrg.${side}`) }));
      return t('signoffRule.sentence', { text: formatList(parts, lng) });
    }
    case 'organisations': {
      const names = rule.organisationIds.map((id) => organisations.find((o) => o.id === id)?.name ?? id);
      return t('signoffRule.organisationsSentence', { names: formatList(names, lng) });
    }
    case 'quorum': {
      const parts = quorumEntries(rule.minimum).map(([side, count]) =>
        t('signoffRule.quorumPart', { count, orgs: t(`signoffRule.sideOrgs.${side}`, { count }) }),
      );
      return t('signoffRule.quorumSentence', { parts: formatList(parts, lng) });
    }
    case 'coordinators':
      return t('signoffRule.coordinatorsSentence', { sides: formatList(rule.sides.map((s) => t(`signoffRule.sideWord.${s}`)), lng) });
  }
}

/** One thing a section still needs, as a sentence. */
export function needText(need: RuleNeed, t: T): string {
  switch (need.kind) {
    case 'side':
      return t(`agreement.missingSide.${need.side}`);
    case 'organisation':
      return t('agreement.missingOrg', { name: need.name });
    case 'quorum': {
      const more = need.need - need.have;
      const text = t('agreement.missingQuorum', { count: more, orgs: t(`signoffRule.sideOrgs.${need.side}`, { count: more }), have: need.have, need: need.need });
      // Said plainly when the rule cannot be met as things are: someone must act, not wait.
      return need.available < need.need
        ? `${text} ${t('agreement.missingQuorumUnmeetable', { count: need.available, orgs: t(`signoffRule.sideOrgs.${need.side}`, { count: need.available }) })}`
        : text;
    }
    case 'coordinator':
      return t('agreement.missingCoordinator', { side: t(`signoffRule.sideWord.${need.side}`) });
  }
}
