/**
 * The shell every public page shares: landmarks (banner, navigation, main, contentinfo), the
 * publication's kind, date and hash, and one stylesheet from this server (the Content-Security-Policy
 * allows nothing else: no script, no inline style, no other origin).
 */
import type { ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import type { PublicSnapshot } from '../services/publicRecord/snapshot.ts';
import { day } from './words.ts';

export const STYLESHEET = '/public-record.css';

export interface PageContext {
  slug: string;
  publicationId: string;
  hash: string;
  snapshot: PublicSnapshot;
}

export const base = (ctx: Pick<PageContext, 'slug'>) => `/p/${ctx.slug}`;

type Tab = 'plan' | 'actions' | 'recommendations' | 'progress' | 'data';

export function Page(props: { ctx: PageContext; title: string; tab: Tab | null; children: ReactNode }) {
  const { ctx, tab } = props;
  const { snapshot: s } = ctx;
  const home = base(ctx);
  const tabs: Array<[Tab, string, string]> = [
    ['plan', 'Plan text', home],
    ['actions', 'Actions', `${home}/actions`],
    ['recommendations', 'Recommendations', `${home}/recommendations`],
    ...(s.kind === 'adopted' ? ([['progress', 'Progress', `${home}/progress`]] as Array<[Tab, string, string]>) : []),
    ['data', 'Open data', `${home}/data`],
  ];
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} — ${s.plan.title}`}</title>
        <link rel="stylesheet" href={STYLESHEET} />
      </head>
      <body>
        <a className="skip" href="#main">
          Skip to content
        </a>
        <header className="masthead">
          <p className="plan-name">
            <a href={home}>{s.plan.title}</a>
          </p>
          {s.kind === 'consultation' ? (
            <p className="banner consultation" role="note">
              <strong>Draft for public consultation.</strong> This is not an adopted plan: its text may still change.
            </p>
          ) : (
            <p className="banner adopted" role="note">
              <strong>Adopted plan</strong>
              {s.adoption ? ` — ${s.adoption.actTitle}${s.adoption.actNumber ? ` No. ${s.adoption.actNumber}` : ''} of ${s.adoption.actDate}` : ''}
            </p>
          )}
          <nav aria-label="Public record">
            <ul>
              {tabs.map(([key, label, href]) => (
                <li key={key}>
                  <a href={href} aria-current={key === tab ? 'page' : undefined}>
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
            Published {day(s.publishedAt)} from Accord. What this record shows changes only when the plan is published again. Snapshot sha256:{' '}
            <code className="hash">{ctx.hash}</code> (<a href={`${home}/data/snapshot.json`}>the snapshot it was computed from</a>).
          </p>
        </footer>
      </body>
    </html>
  );
}

/** The page as bytes: the doctype and React's static markup, in which every text is escaped. */
export const renderPage = (element: ReactNode) => `<!doctype html>${renderToStaticMarkup(element)}`;
