import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router';

/** The section's chapter and title, with tabs between its text and its history. */
export function SectionHeader({ planId, sectionId, title, chapterTitle }: { planId: string; sectionId: string; title: string; chapterTitle: string }) {
  const { t } = useTranslation();
  return (
    <header className="section-pane__header">
      <p className="section-pane__chapter">{chapterTitle}</p>
      <h1 id="section-title" className="section-pane__title" data-testid="section-title">
        {title}
      </h1>
      <nav className="section-tabs" aria-label={t('sectionTabs.label')}>
        <NavLink to={`/plans/${planId}/sections/${sectionId}`} end data-testid="section-text-tab">
          {t('sectionTabs.text')}
        </NavLink>
        <NavLink to={`/plans/${planId}/sections/${sectionId}/history`} data-testid="section-history-tab">
          {t('sectionTabs.history')}
        </NavLink>
      </nav>
    </header>
  );
}
