/** Pieces the public pages share: the section text, an action with its indicators, who signed. */
import { Fragment, type ReactNode } from 'react';
import { safeHref, type Block, type Inline } from '../export/model.ts';
import type { PublicAction, PublicRecommendation, PublicSection, PublicStatement } from '../services/publicRecord/snapshot.ts';
import { INDICATOR_TYPE, PROGRESS_STATUS, SECTION_STATUS, SIDE, word } from './words.ts';

function Inlines({ inlines }: { inlines: Inline[] }) {
  return (
    <>
      {inlines.map((i, n) => {
        if (i.br) return <br key={n} />;
        let node: ReactNode = i.text;
        if (i.code) node = <code>{node}</code>;
        if (i.bold) node = <strong>{node}</strong>;
        if (i.italic) node = <em>{node}</em>;
        if (i.underline) node = <u>{node}</u>;
        if (i.strike) node = <s>{node}</s>;
        const href = safeHref(i.link);
        if (href) node = <a href={href} rel="nofollow noopener noreferrer">{node}</a>;
        return <Fragment key={n}>{node}</Fragment>;
      })}
    </>
  );
}

/** Headings inside a section's text sit below the section's own heading (h3): h4 and down. */
const headingTag = (level: number) => (`h${Math.min(6, level + 3)}` as 'h4' | 'h5' | 'h6');

export function Blocks({ blocks }: { blocks: Block[] }) {
  return (
    <>
      {blocks.map((b, n) => {
        switch (b.type) {
          case 'paragraph':
            return <p key={n}><Inlines inlines={b.inlines} /></p>;
          case 'heading': {
            const H = headingTag(b.level);
            return <H key={n}><Inlines inlines={b.inlines} /></H>;
          }
          case 'list': {
            const L = b.ordered ? 'ol' : 'ul';
            return <L key={n}>{b.items.map((item, i) => <li key={i}><Blocks blocks={item} /></li>)}</L>;
          }
          case 'blockquote':
            return <blockquote key={n}><Blocks blocks={b.blocks} /></blockquote>;
          case 'codeBlock':
            return <pre key={n}>{b.text}</pre>;
          case 'rule':
            return <hr key={n} />;
          case 'table':
            return (
              <table key={n}>
                <tbody>
                  {b.rows.map((r, i) => (
                    <tr key={i}>
                      {r.cells.map((c, j) => (r.header ? <th key={j} scope="col"><Inlines inlines={c} /></th> : <td key={j}><Inlines inlines={c} /></td>))}
                    </tr>
                  ))}
                </tbody>
              </table>
            );
        }
      })}
    </>
  );
}

const organisation = (name: string, verified: boolean) => (verified ? name : `${name} (not verified)`);

export function Statements({ title, items }: { title: string; items: PublicStatement[] }) {
  if (items.length === 0) return null;
  return (
    <div className="statements">
      <h4>{title}</h4>
      <ul>
        {items.map((s, i) => (
          <li key={i}>
            <p className="byline">
              {organisation(s.organisation, s.verified)}, {word(SIDE, s.side)} — {s.at.slice(0, 10)}
              {s.actionTitle ? ` — on the action “${s.actionTitle}”` : ''}
            </p>
            <p className="statement">{s.text}</p>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function Agreement({ section }: { section: PublicSection }) {
  return (
    <div className="agreement">
      <p>
        <span className={`status status-${section.status}`}>{word(SECTION_STATUS, section.status)}</span>
        {section.agreedAt ? ` since ${section.agreedAt.slice(0, 10)}` : ''}
        {section.agreedHash ? (
          <>
            {' '}— signed text sha256 <code className="hash">{section.agreedHash}</code>
          </>
        ) : null}
      </p>
      {section.signers.length > 0 && (
        <p>
          Signed by:{' '}
          {section.signers.map((g, i) => (
            <span key={i}>
              {i > 0 ? '; ' : ''}
              {organisation(g.organisation, g.verified)} ({word(SIDE, g.side)}, {g.signedAt.slice(0, 10)})
            </span>
          ))}
        </p>
      )}
    </div>
  );
}

export function RecommendationLinks({ ids, byId, home }: { ids: string[]; byId: Map<string, PublicRecommendation>; home: string }) {
  const recs = ids.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
  if (recs.length === 0) return <p className="muted">Not linked to a recommendation.</p>;
  return (
    <p>
      Implements:{' '}
      {recs.map((r, i) => (
        <span key={r.id}>
          {i > 0 ? ', ' : ''}
          <a href={`${home}/recommendations/${r.id}`}>{r.reference}</a>
        </span>
      ))}
    </p>
  );
}

export function ActionCard({ action, byId, home, level = 4 }: { action: PublicAction; byId: Map<string, PublicRecommendation>; home: string; level?: 2 | 3 | 4 }) {
  const H = (`h${level}`) as 'h2' | 'h3' | 'h4';
  const timeline = `${action.start ?? '—'} – ${action.end ?? '—'}`;
  return (
    <article className="action" id={`action-${action.id}`} aria-labelledby={`action-${action.id}-title`}>
      <H id={`action-${action.id}-title`}>{action.title}</H>
      {action.description && <p>{action.description}</p>}
      <dl className="facts">
        <dt>Lead agency</dt>
        <dd>{action.leadAgency ?? '—'}</dd>
        {action.coImplementers.length > 0 && (
          <>
            <dt>Co-implementers</dt>
            <dd>{action.coImplementers.join('; ')}</dd>
          </>
        )}
        {action.csoPartners.length > 0 && (
          <>
            <dt>Civil-society partners</dt>
            <dd>{action.csoPartners.join('; ')}</dd>
          </>
        )}
        <dt>Timeline</dt>
        <dd>{timeline}</dd>
        <dt>Budget</dt>
        <dd>{action.budget ?? '—'}</dd>
        {action.reportedStatus && (
          <>
            <dt>Reported status</dt>
            <dd>{word(PROGRESS_STATUS, action.reportedStatus)}</dd>
          </>
        )}
      </dl>
      <RecommendationLinks ids={action.recommendationIds} byId={byId} home={home} />
      {action.indicators.length > 0 && (
        <table className="indicators">
          <caption>Indicators of “{action.title}”</caption>
          <thead>
            <tr>
              <th scope="col">Indicator</th>
              <th scope="col">Type</th>
              <th scope="col">Baseline</th>
              <th scope="col">Target</th>
              <th scope="col">Latest value</th>
              <th scope="col">Source</th>
            </tr>
          </thead>
          <tbody>
            {action.indicators.map((i) => {
              const latest = i.values.at(-1);
              return (
                <tr key={i.id}>
                  <th scope="row">{i.description}{i.unit ? ` (${i.unit})` : ''}</th>
                  <td>{word(INDICATOR_TYPE, i.type)}</td>
                  <td>{i.baseline ?? '—'}</td>
                  <td>{i.target ?? '—'}</td>
                  <td>{latest ? `${latest.value} (${latest.date})` : '—'}</td>
                  <td>{i.dataSource ?? '—'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </article>
  );
}

export const recommendationsById = (recs: PublicRecommendation[]) => new Map(recs.map((r) => [r.id, r]));
