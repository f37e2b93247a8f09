import { useLayoutEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router';

/**
 * Whether the element's text is cut short (a phone shows a section's chapter and title on one line
 * each, ending in "…"), kept current as the screen is resized or turned.
 */
function useCutShort<T extends HTMLElement>(text: string) {
  const ref = useRef<T>(null);
  const [cut, setCut] = useState(false);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const check = () => setCut(el.scrollWidth > el.clientWidth + 1);
    check();
    const observer = new ResizeObserver(check);
    observer.observe(el);
    return () => observer.disconnect();
  }, [text]);
  return { ref, cut };
}

/** The section's chapter and title, with tabs between its text and its history. */
export function SectionHeader({ planId, sectionId, title, chapterTitle }: { planId: string; sectionId: string; title: string; chapterTitle: string }) {
  const { t } = useTranslation();
  // On a phone the chapter and title take a line each, so the text starts high on the screen; a
  // title cut short there is shown whole with "Full title" (its whole words are in the heading
  // for screen readers all along).
  const [whole, setWhole] = useState(false);
  const titleLine = useCutShort<HTMLHeadingElement>(title);
  const chapterLine = useCutShort<HTMLParagraphElement>(chapterTitle);
  const canOpen = titleLine.cut || chapterLine.cut;
  return (
    <header className={`section-pane__header${whole ? ' is-whole' : ''}`}>
      <p className="section-pane__chapter" ref={chapterLine.ref} title={chapterTitle}>
        {chapterTitle}
      </p>
      <div className="section-pane__title-line">
        <h1 id="section-title" className="section-pane__title" data-testid="section-title" ref={titleLine.ref} title={title}>
          {title}
        </h1>
        {(canOpen || whole) && (
          <button
            type="button"
            className="button button--link button--small section-pane__full-title"
            aria-expanded={whole}
            onClick={() => setWhole((w) => !w)}
            data-testid="section-full-title"
          >
            {t('sectionTabs.fullTitle')}
          </button>
        )}
      </div>
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
