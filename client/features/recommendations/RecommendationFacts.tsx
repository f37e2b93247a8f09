import { useTranslation } from 'react-i18next';
import { themeLabel } from '../../../shared/themes/uprThemes.ts';
import { affectedLabel } from '../../../shared/themes/affectedPersons.ts';
import type { RecommendationDetail } from '../../../shared/api/index.ts';
import { useFormat } from '../../i18n/format.ts';
import { sdgSummary } from './sdgLabels.ts';

/** The recommendation's recorded details, "not given" where a field is empty. */
export function RecommendationFacts({ rec }: { rec: RecommendationDetail }) {
  const { t, i18n } = useTranslation();
  const format = useFormat();
  return (
    <dl className="summary-list summary-list--compact">
      <Row label={t('recs.field.documentSymbol')} value={rec.documentSymbol} />
      <Row label={t('recs.field.paragraph')} value={rec.paragraph} />
      <Row label={t('recs.field.positionSource')} value={rec.positionSource} />
      <Row label={t('recs.field.cycle')} value={rec.cycle !== null ? t('recs.cycleN', { n: rec.cycle }) : null} />
      <Row label={t('recs.field.session')} value={rec.session} />
      <Row label={t('recs.field.date')} value={rec.date && format.date(rec.date)} />
      <Row label={t('recs.field.stateUnderReview')} value={rec.stateUnderReview} />
      <Row label={t('recs.field.recommendingStates')} value={rec.recommendingStates.join(', ')} />
      <Row label={t('recs.field.themes')} value={rec.themes.map((th) => themeLabel(th, i18n.language)).join('; ')} />
      <Row label={t('recs.field.affectedPersons')} value={rec.affectedPersons.map((g) => affectedLabel(g, i18n.language)).join('; ')} />
      <Row label={t('recs.field.sdgTargets')} value={sdgSummary(t, i18n.language, rec.sdgTargets)} testId="rec-detail-sdgs" />
      <Row label={t('recs.field.actionCategory')} value={rec.actionCategory !== null ? t('recs.actionCategoryValue', { n: rec.actionCategory }) : null} />
      <Row label={t('recs.field.language')} value={format.languageName(rec.language)} />
      <Row label={t('recs.field.notes')} value={rec.notes} pre />
    </dl>
  );
}

function Row({ label, value, pre, testId }: { label: string; value: string | null | undefined; pre?: boolean; testId?: string }) {
  const { t } = useTranslation();
  return (
    <div data-testid={testId}>
      <dt>{label}</dt>
      <dd className={pre ? 'pre-wrap' : undefined}>{value ? value : <span className="muted">{t('recs.notGiven')}</span>}</dd>
    </div>
  );
}
