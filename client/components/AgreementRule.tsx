import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Agreement, PlanOrganisation } from '../api/index.ts';
import { api } from '../api/index.ts';
import { describeRule, needText } from './signoffRuleText.ts';

/**
 * In a section's agreement panel, while it is not agreed: the rule in force for it, saying whether
 * it is the plan's or its chapter's own, and what it still needs.
 */
export function AgreementRule({ planId, agreement }: { planId: string; agreement: Agreement }) {
  const { t, i18n } = useTranslation();
  const [organisations, setOrganisations] = useState<PlanOrganisation[]>([]);
  const { rule, ruleSource } = agreement;
  const namesNeeded = rule?.kind === 'organisations';

  useEffect(() => {
    if (namesNeeded) api.organisations(planId).then(setOrganisations, () => undefined);
  }, [planId, namesNeeded]);

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
