/** What every public address that shows nothing answers: the same page, so it tells nothing, in the reader's language. */
import { renderToStaticMarkup } from 'react-dom/server';
import { STYLESHEET } from '../html.tsx';
import { PUBLIC_CATALOGUES, PUBLIC_LANGUAGES, type PublicLanguage } from '../i18n/index.ts';

function render(lang: PublicLanguage) {
  const w = PUBLIC_CATALOGUES[lang].notFound;
  return `<!doctype html>${renderToStaticMarkup(
    <html lang={lang}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{w.title}</title>
        <link rel="stylesheet" href={STYLESHEET} />
      </head>
      <body>
        <main id="main">
          <h1>{w.heading}</h1>
          <p>{w.text}</p>
        </main>
      </body>
    </html>,
  )}`;
}

const PAGES = Object.fromEntries(PUBLIC_LANGUAGES.map((l) => [l, render(l)])) as Record<PublicLanguage, string>;
export const notFoundHtml = (lang: PublicLanguage = 'en') => PAGES[lang];
