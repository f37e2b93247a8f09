import { useTranslation } from 'react-i18next';
import { counted } from '../../i18n/counted.ts';
import { Link } from 'react-router';
import type { SignoffRuleChange } from '../../../shared/api/index.ts';

/**
 * What saving a rule did: the sections in review that its signatures already met and so became
 * agreed, those held back only by open suggestions, and that agreed sections stay agreed.
 */
export function RuleChangeResult({ planId, change }: { planId: string; change: SignoffRuleChange }) {
  const { t } = useTranslation();
  const link = (s: { sectionId: string; title: string }) => (
    <li key={s.sectionId}>
      <Link to={`/plans/${planId}/sections/${s.sectionId}`} data-testid="rule-change-section" data-section-id={s.sectionId}>
        {s.title}
      </Link>
    </li>
  );
  return (
    <div className="alert alert--success rule-change" role="status" data-testid="rule-change-result" data-changed={change.changed.length}>
      <p>
        <strong>{t('signoffRule.saved')}</strong>{' '}
        {change.changed.length > 0 ? t('signoffRule.becameAgreed', { count: change.changed.length }) : t('signoffRule.noneChanged')}
      </p>
      {change.changed.length > 0 && <ul className="rule-change__list">{change.changed.map(link)}</ul>}
      {change.held.length > 0 && (
        <>
          <p data-testid="rule-change-held">{t('signoffRule.heldBySuggestions', counted(change.held.length))}</p>
          <ul className="rule-change__list">{change.held.map(link)}</ul>
        </>
      )}
      <p className="muted small">{t('signoffRule.agreedStay')}</p>
    </div>
  );
}
