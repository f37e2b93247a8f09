/** Pieces the public pages share: the section text, an action with its indicators, who signed. */
import { measuredText } from '../../shared/indicators/yesNo.ts';
import { Fragment, type ReactNode } from 'react';
import { safeHref, type Block, type Inline } from '../export/model.ts';
import { pointText, publicSeries, type PublicAction, type PublicRecommendation, type PublicSection, type PublicSnapshot, type PublicStatement } from '../services/publicRecord/snapshot.ts';
import { actionGovernmentRating, isDisputed } from '../../shared/monitoring/ratings.ts';
import type { PublicWords } from './i18n/index.ts';

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
              // A table written in the plan keeps its columns; on a phone it scrolls sideways in its own box.
              <div key={n} className="table-scroll">
                <table>
                  <tbody>
                    {b.rows.map((r, i) => (
                      <tr key={i}>
                        {r.cells.map((c, j) => (r.header ? <th key={j} scope="col"><Inlines inlines={c} /></th> : <td key={j}><Inlines inlines={c} /></td>))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            );
        }
      })}
    </>
  );
}

const organisation = (words: PublicWords, name: string, verified: boolean) => (verified ? name : words.t(words.w.notVerified, { name }));

export function Statements({ title, items, words }: { title: string; items: PublicStatement[]; words: PublicWords }) {
  if (items.length === 0) return null;
  return (
    <div className="statements">
      <h4>{title}</h4>
      <ul>
        {items.map((s, i) => (
          <li key={i}>
            <p className="byline">
              {organisation(words, s.organisation, s.verified)}, {words.label(words.x.w.side, s.side)} — {words.date(s.at)}
              {s.actionTitle ? words.t(words.w.onAction, { title: s.actionTitle }) : ''}
            </p>
            <p className="statement">{s.text}</p>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function Agreement({ section, words }: { section: PublicSection; words: PublicWords }) {
  const { w, x } = words;
  return (
    <div className="agreement">
      <p>
        <span className={`status status-${section.status}`}>{words.label(x.w.sectionStatus, section.status)}</span>
        {section.agreedAt ? words.t(w.agreedSince, { date: words.date(section.agreedAt) }) : ''}
        {section.agreedHash ? (
          <>
            {' '}— {w.signedText} <code className="hash">{section.agreedHash}</code>
          </>
        ) : null}
      </p>
      {section.signers.length > 0 && (
        <p>
          {w.signedBy}{' '}
          {section.signers.map((g, i) => (
            <span key={i}>
              {i > 0 ? '; ' : ''}
              {organisation(words, g.organisation, g.verified)} ({words.label(x.w.side, g.side)}, {words.date(g.signedAt)})
            </span>
          ))}
        </p>
      )}
    </div>
  );
}

export function RecommendationLinks({ ids, byId, home, words }: { ids: string[]; byId: Map<string, PublicRecommendation>; home: string; words: PublicWords }) {
  const recs = ids.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
  if (recs.length === 0) return <p className="muted">{words.w.notLinked}</p>;
  return (
    <p>
      {words.w.implements}{' '}
      {recs.map((r, i) => (
        <span key={r.id}>
          {i > 0 ? ', ' : ''}
          <a href={words.href(`${home}/recommendations/${r.id}`)}>{r.reference}</a>
        </span>
      ))}
    </p>
  );
}

/**
 * Whether civil society's assessment of an action in the latest round differs from the
 * government's report there: the round whose status the action's card shows (as the progress page
 * and the implementation matrix read it).
 */
export function actionDisputed(s: PublicSnapshot, actionId: string): boolean {
  const round = s.rounds.at(-1);
  const report = round?.reports.find((r) => r.actionId === actionId);
  if (!round || !report) return false;
  const assessments = round.assessments.filter((a) => a.targetType === 'action' && a.targetId === actionId);
  return isDisputed(actionGovernmentRating(report.status), assessments.map((a) => a.rating));
}

export function ActionCard(props: {
  action: PublicAction;
  byId: Map<string, PublicRecommendation>;
  home: string;
  words: PublicWords;
  level?: 2 | 3 | 4;
  /** Civil society disputes the reported status (actionDisputed): said beside it, not only on the progress page. */
  disputed: boolean;
}) {
  const { action, byId, home, words, level = 4, disputed } = props;
  const { w, x } = words;
  const f = x.w.facts;
  const columns = x.w.indicatorColumns;
  const H = (`h${level}`) as 'h2' | 'h3' | 'h4';
  // As the app writes them: "Q4 2027", "150 000 BYN (State budget)" in the reader's language.
  const point = (v: string | null) => (v ? x.timePoint(v) : '—');
  const timeline = `${point(action.start)} – ${point(action.end)}`;
  const budget =
    action.budgetAmount !== null
      ? `${x.money(action.budgetAmount, action.currency)}${action.fundingSource ? ` (${action.fundingSource})` : ''}`
      : action.budget;
  return (
    <article className="action" id={`action-${action.id}`} aria-labelledby={`action-${action.id}-title`}>
      <H id={`action-${action.id}-title`}>{action.title}</H>
      {action.description && <p>{action.description}</p>}
      <dl className="facts">
        <dt>{f.leadAgency}</dt>
        <dd>{action.leadAgency ?? '—'}</dd>
        {action.coImplementers.length > 0 && (
          <>
            <dt>{f.coImplementers}</dt>
            <dd>{action.coImplementers.join('; ')}</dd>
          </>
        )}
        {action.csoPartners.length > 0 && (
          <>
            <dt>{f.csoPartners}</dt>
            <dd>{action.csoPartners.join('; ')}</dd>
          </>
        )}
        <dt>{f.timeline}</dt>
        <dd>{timeline}</dd>
        <dt>{f.budget}</dt>
        <dd>{budget ?? '—'}</dd>
        {action.reportedStatus && (
          <>
            <dt>{w.reportedStatus}</dt>
            <dd>
              {words.label(x.w.progressStatus, action.reportedStatus)}
              {disputed && (
                <>
                  {' '}
                  <a className="disputed" href={words.href(`${home}/progress#p-${action.id}`)}>
                    {w.progress.disputed}
                  </a>
                </>
              )}
            </dd>
          </>
        )}
      </dl>
      <RecommendationLinks ids={action.recommendationIds} byId={byId} home={home} words={words} />
      {action.indicators.length > 0 && (
        <table className="indicators stack">
          <caption>{words.t(w.indicatorsOf, { title: action.title })}</caption>
          <thead>
            <tr>
              <th scope="col">{columns.indicator}</th>
              <th scope="col">{columns.type}</th>
              <th scope="col">{columns.baseline}</th>
              <th scope="col">{columns.target}</th>
              <th scope="col">{w.latestValue}</th>
              <th scope="col">{columns.source}</th>
            </tr>
          </thead>
          <tbody>
            {action.indicators.map((i) => {
              const latest = i.values.at(-1);
              return (
                <tr key={i.id}>
                  <th scope="row" data-label={columns.indicator}>{i.description}{i.unit ? ` (${i.unit})` : ''}</th>
                  <td data-label={columns.type}>{words.label(x.w.indicatorType, i.type)}</td>
                  <td data-label={columns.baseline}>{pointText(i, 'baseline', x.w.progress) ?? '—'}</td>
                  <td data-label={columns.target}>{pointText(i, 'target', x.w.progress) ?? '—'}</td>
                  <td data-label={w.latestValue}>{latest ? `${measuredText(latest.value, publicSeries(i).measure, x.w.progress)} (${words.date(latest.date)})` : '—'}</td>
                  <td data-label={columns.source}>{i.dataSource ?? '—'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </article>
  );
}

/** Web links an organisation gave as evidence for its assessment; never followed for ranking. */
export function EvidenceLinks({ links, words }: { links: readonly string[]; words: PublicWords }) {
  const safe = links.flatMap((url) => safeHref(url) ?? []);
  if (safe.length === 0) return null;
  return (
    <p className="evidence">
      {words.w.progress.evidence}:{' '}
      {safe.map((url, i) => (
        <span key={i}>
          {i > 0 && ', '}
          <a href={url} rel="nofollow noopener noreferrer">
            {url}
          </a>
        </span>
      ))}
    </p>
  );
}

export const recommendationsById = (recs: PublicRecommendation[]) => new Map(recs.map((r) => [r.id, r]));

/** "In section 1.2 Title", linking to the section in the plan's text. */
export function InSection({ home, words, id, number, title }: { home: string; words: PublicWords; id: string; number: string; title: string }) {
  return (
    <p className="where">
      {words.w.inSectionPrefix} <a href={words.href(`${home}#section-${id}`)}>{words.t(words.w.inSection, { number, title })}</a>
    </p>
  );
}
