/**
 * The shell every public page shares: landmarks (banner, navigation, main, contentinfo), the
 * publication's kind, date and hash, the language menu, and one stylesheet from this server (the
 * Content-Security-Policy allows nothing else: no script, no inline style, no other origin).
 */
import type { ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import type { PublicSnapshot } from '../services/publicRecord/snapshot.ts';
import { PUBLIC_CATALOGUES, PUBLIC_LANGUAGES, type PublicWords } from './i18n/index.ts';
import { bareActNumber } from '../../shared/monitoring/actNumber.ts';

export const STYLESHEET = '/public-record.css';

export interface PageContext {
  slug: string;
  publicationId: string;
  hash: string;
  snapshot: PublicSnapshot;
  /** The reader's language: its words, dates, and links that keep it. */
  words: PublicWords;
  /** This page's address without ?lang (its filters or round kept), for the language menu. */
  path: string;
}

export const base = (ctx: Pick<PageContext, 'slug'>) => `/p/${ctx.slug}`;

type Tab = 'plan' | 'actions' | 'recommendations' | 'progress' | 'data';

/**
 * Plain links to this same page in each language, each named in itself, so a reader who cannot
 * read the current language still finds theirs. `path` is the page's address without ?lang.
 */
function LanguageMenu({ words, path }: { words: PublicWords; path: string }) {
  return (
    <nav aria-label={words.w.languageMenu} className="languages">
      <ul>
        {PUBLIC_LANGUAGES.map((l) => (
          <li key={l}>
            <a
              href={`${path}${path.includes('?') ? '&' : '?'}lang=${l}`}
              lang={l}
              hrefLang={l}
              aria-current={l === words.lang ? 'true' : undefined}
            >
              {PUBLIC_CATALOGUES[l].languageName}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export function Page(props: { ctx: PageContext; title: string; tab: Tab | null; children: ReactNode }) {
  const { ctx, tab } = props;
  const { snapshot: s, words } = ctx;
  const { w, x } = words;
  const home = base(ctx);
  const tabs: Array<[Tab, string, string]> = [
    ['plan', w.tabs.plan, home],
    ['actions', w.tabs.actions, `${home}/actions`],
    ['recommendations', w.tabs.recommendations, `${home}/recommendations`],
    ...(s.kind === 'adopted' ? ([['progress', w.tabs.progress, `${home}/progress`]] as Array<[Tab, string, string]>) : []),
    ['data', w.tabs.data, `${home}/data`],
  ];
  const act = s.adoption ? (bareActNumber(s.adoption.actNumber) ? x.t(x.w.progress.actNumber, { title: s.adoption.actTitle, number: bareActNumber(s.adoption.actNumber) }) : s.adoption.actTitle) : '';
  return (
    <html lang={words.lang}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} — ${s.plan.title}`}</title>
        <link rel="stylesheet" href={STYLESHEET} />
      </head>
      <body>
        <a className="skip" href="#main">
          {w.skip}
        </a>
        <header className="masthead">
          <LanguageMenu words={words} path={ctx.path} />
          <p className="plan-name">
            <a href={words.href(home)}>{s.plan.title}</a>
          </p>
          {s.kind === 'consultation' ? (
            <p className="banner consultation" role="note">
              <strong>{w.consultationStrong}</strong> {w.consultationRest}
            </p>
          ) : (
            <p className="banner adopted" role="note">
              <strong>{w.adopted}</strong>
              {s.adoption ? words.t(w.adoptedBy, { act, date: words.date(s.adoption.actDate) }) : ''}
            </p>
          )}
          <nav aria-label={w.navigation}>
            <ul>
              {tabs.map(([key, label, href]) => (
                <li key={key}>
                  <a href={words.href(href)} aria-current={key === tab ? 'page' : undefined}>
                    {label}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        </header>
        <main id="main">{props.children}</main>
        <footer>
          <p>
            {words.t(w.footer, { date: words.date(s.publishedAt) })} <code className="hash">{ctx.hash}</code> (
            <a href={`${home}/data/snapshot.json`}>{w.footerSnapshot}</a>).
          </p>
        </footer>
      </body>
    </html>
  );
}

/** The page as bytes: the doctype and React's static markup, in which every text is escaped. */
export const renderPage = (element: ReactNode) => `<!doctype html>${renderToStaticMarkup(element)}`;
