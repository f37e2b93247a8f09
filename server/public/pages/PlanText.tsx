/** The published plan's text, chapter by chapter, with each section's agreement and its actions. */
import { Page, base, type PageContext } from '../html.tsx';
import { ActionCard, actionDisputed, Agreement, Blocks, recommendationsById, Statements } from '../parts.tsx';
import { bareActNumber } from '../../../shared/monitoring/actNumber.ts';

export function PlanTextPage({ ctx }: { ctx: PageContext }) {
  const s = ctx.snapshot;
  const home = base(ctx);
  const { words } = ctx;
  const { w, x } = words;
  const byId = recommendationsById(s.recommendations);
  const sections = s.chapters.flatMap((c) => c.sections);
  // What the publication holds: a section not agreed, or left out at adoption, is listed with its
  // reason but is not counted as part of the plan.
  const included = sections.filter((sec) => sec.included).length;
  const notIncluded = sections.length - included;
  const actions = sections.reduce((n, sec) => n + sec.actions.length, 0);
  return (
    <Page ctx={ctx} title={w.tabs.plan} tab="plan">
      <h1>{s.plan.title}</h1>
      <dl className="facts summary">
        <dt>{w.plan.country}</dt>
        <dd>{s.plan.country}</dd>
        <dt>{w.plan.period}</dt>
        <dd>
          {s.plan.periodStart}–{s.plan.periodEnd}
        </dd>
        {s.adoption && (
          <>
            <dt>{w.plan.adoptedBy}</dt>
            <dd>
              {s.adoption.actUrl ? <a href={s.adoption.actUrl} rel="nofollow noopener noreferrer">{s.adoption.actTitle}</a> : s.adoption.actTitle}
              {bareActNumber(s.adoption.actNumber) ? x.t(x.w.progress.actNumber, { title: '', number: bareActNumber(s.adoption.actNumber) }) : ''}, {words.date(s.adoption.actDate)}
            </dd>
            <dt>{w.plan.adoptedHash}</dt>
            <dd>
              <code className="hash">{s.adoption.contentHash}</code>
            </dd>
          </>
        )}
        {s.monitoringBody && (
          <>
            <dt>{w.plan.monitoringBody}</dt>
            <dd>{s.monitoringBody}</dd>
          </>
        )}
        <dt>{w.plan.published}</dt>
        <dd>{words.date(s.publishedAt)}</dd>
        <dt>{w.plan.inThisPlan}</dt>
        <dd>
          {[words.plural(w.plan.sections, included), words.plural(w.plan.actions, actions), words.plural(w.plan.recommendations, s.recommendations.length)].join(', ')}
          {notIncluded > 0 && <span className="muted"> ({words.plural(w.plan.sectionsNotIncluded, notIncluded)})</span>}
        </dd>
      </dl>
      {s.plan.source && <p className="source">{s.plan.source}</p>}

      <nav aria-labelledby="toc-title" className="toc">
        <h2 id="toc-title">{x.w.document.contents}</h2>
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

      {s.chapters.length === 0 && <p>{w.plan.noChapters}</p>}
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
              <Agreement section={sec} words={words} />
              {sec.included ? (
                <div className="text">
                  <Blocks blocks={sec.blocks} />
                </div>
              ) : (
                <p className="muted">
                  {s.adoption?.leftOut.some((l) => l.sectionId === sec.id)
                    ? words.t(w.plan.leftOut, { reason: s.adoption.leftOut.find((l) => l.sectionId === sec.id)!.reason })
                    : w.plan.notAgreed}
                </p>
              )}
              <Statements title={w.plan.reservations} items={sec.reservations} words={words} />
              <Statements title={w.plan.dissent} items={sec.dissent} words={words} />
              {sec.actions.map((a) => (
                <ActionCard key={a.id} action={a} byId={byId} home={home} words={words} disputed={actionDisputed(s, a.id)} />
              ))}
            </section>
          ))}
        </section>
      ))}
    </Page>
  );
}
