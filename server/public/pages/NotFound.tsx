/** What every public address that shows nothing answers: the same page, so it tells nothing. */
import { renderToStaticMarkup } from 'react-dom/server';
import { STYLESHEET } from '../html.tsx';

export const notFoundHtml = `<!doctype html>${renderToStaticMarkup(
  <html lang="en">
    <head>
      <meta charSet="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <title>Not found — Accord public record</title>
      <link rel="stylesheet" href={STYLESHEET} />
    </head>
    <body>
      <main id="main">
        <h1>Not found</h1>
        <p>Nothing is published at this address. The plan may have been taken off the public record, or the address may be mistyped.</p>
      </main>
    </body>
  </html>,
)}`;
