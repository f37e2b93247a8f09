/** The published plan's text, chapter by chapter, with each section's agreement and its actions. */
import { Page, base, type PageContext } from '../html.tsx';
import { ActionCard, Agreement, Blocks, recommendationsById, Statements } from '../parts.tsx';
import { day } from '../words.ts';

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

export function PlanTextPage({ ctx }: { ctx: PageContext }) {
  const s = ctx.snapshot;
  const home = base(ctx);
  const byId = recommendationsById(s.recommendations);
  const sections = s.chapters.flatMap((c) => c.sections);
  const actions = sections.reduce((n, sec) => n + sec.actions.length, 0);
  return (
    <Page ctx={ctx} title="Plan text" tab="plan">
      <h1>{s.plan.title}</h1>
      <dl className="facts summary">
        <dt>Country</dt>
        <dd>{s.plan.country}</dd>
        <dt>Period</dt>
        <dd>
          {s.plan.periodStart}–{s.plan.periodEnd}
        </dd>
        {s.adoption && (
          <>
            <dt>Adopted by</dt>
            <dd>
              {s.adoption.actUrl ? <a href={s.adoption.actUrl} rel="nofollow noopener noreferrer">{s.adoption.actTitle}</a> : s.adoption.actTitle}
              {s.adoption.actNumber ? ` No. ${s.adoption.actNumber}` : ''}, {s.adoption.actDate}
            </dd>
            <dt>Adopted text sha256</dt>
            <dd>
              <code className="hash">{s.adoption.contentHash}</code>
            </dd>
          </>
        )}
        {s.monitoringBody && (
          <>
            <dt>Monitoring body</dt>
            <dd>{s.monitoringBody}</dd>
          </>
        )}
        <dt>Published</dt>
        <dd>{day(s.publishedAt)}</dd>
        <dt>In this plan</dt>
        <dd>{[count(sections.length, 'section'), count(actions, 'action'), count(s.recommendations.length, 'recommendation')].join(', ')}</dd>
      </dl>
      {s.plan.source && <p className="source">{s.plan.source}</p>}

      <nav aria-labelledby="toc-title" className="toc">
        <h2 id="toc-title">Contents</h2>
        <ol>
          {s.chapters.map((c) => (
            <li key={c.id}>
              <a href={`#chapter-${c.id}`}>
                {c.number}. {c.title}
              </a>
              <ol>
                {c.sections.map((sec) => (
                  <li key={sec.id}>
                    <a href={`#section-${sec.id}`}>
                      {sec.number} {sec.title}
                    </a>
                  </li>
                ))}
              </ol>
            </li>
          ))}
        </ol>
      </nav>

      {s.chapters.length === 0 && <p>This plan has no chapters yet.</p>}
      {s.chapters.map((c) => (
        <section key={c.id} id={`chapter-${c.id}`} aria-labelledby={`chapter-${c.id}-title`} className="chapter">
          <h2 id={`chapter-${c.id}-title`}>
            {c.number}. {c.title}
          </h2>
          {c.sections.map((sec) => (
            <section key={sec.id} id={`section-${sec.id}`} aria-labelledby={`section-${sec.id}-title`} className="section">
              <h3 id={`section-${sec.id}-title`}>
                {sec.number} {sec.title}
              </h3>
              <Agreement section={sec} />
              {sec.included ? (
                <div className="text">
                  <Blocks blocks={sec.blocks} />
                </div>
              ) : (
                <p className="muted">
                  {s.adoption?.leftOut.some((l) => l.sectionId === sec.id)
                    ? `Left out of the adopted plan: ${s.adoption.leftOut.find((l) => l.sectionId === sec.id)!.reason}`
                    : 'Not part of this publication: the section is not agreed.'}
                </p>
              )}
              <Statements title="Reservations" items={sec.reservations} />
              <Statements title="Dissenting positions" items={sec.dissent} />
              {sec.actions.map((a) => (
                <ActionCard key={a.id} action={a} byId={byId} home={home} />
              ))}
            </section>
          ))}
        </section>
      ))}
    </Page>
  );
}
