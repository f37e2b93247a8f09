import { useTranslation } from 'react-i18next';
import type { Agreement, PlanOrganisation } from '../../api/index.ts';
import { useOrganisationsQuery } from '../../api/queries.ts';
import { describeRule, needText } from './signoffRuleText.ts';

const NO_ORGS: PlanOrganisation[] = [];

/**
 * In a section's agreement panel, while it is not agreed: the rule in force for it, saying whether
 * it is the plan's or its chapter's own, and what it still needs.
 */
export function AgreementRule({ planId, agreement }: { planId: string; agreement: Agreement }) {
  const { t, i18n } = useTranslation();
  const { rule, ruleSource } = agreement;
  // Named organisations are described by name: fetched only when the rule names some.
  const organisations = useOrganisationsQuery(planId, rule?.kind === 'organisations').data ?? NO_ORGS;

  if (agreement.status === 'agreed') return null;
  const lines = agreement.needs.map((n) => needText(n, t));
  return (
    <>
      {rule && ruleSource && (
        <p className="agreement-rule small" data-testid="agreement-rule" data-scope={ruleSource.scope}>
          <span className="muted">
            {ruleSource.scope === 'chapter' ? t('agreement.ruleFromChapter', { chapter: ruleSource.chapterTitle ?? '' }) : t('agreement.ruleFromPlan')}
          </span>{' '}
          {describeRule(rule, organisations, t, i18n.language)}
        </p>
      )}
      {lines.length > 0 && (
        <ul className="agreement-missing" data-testid="agreement-missing">
          {lines.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      )}
    </>
  );
}
