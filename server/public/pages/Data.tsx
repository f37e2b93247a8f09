/**
 * The open data of a publication: every dataset as CSV and JSON, and what each column means, so a
 * UN tracker or a researcher can use the files without asking anyone.
 */
import { Page, base, type PageContext } from '../html.tsx';
import { DATASETS } from '../openData.ts';

export function DataPage({ ctx }: { ctx: PageContext }) {
  const s = ctx.snapshot;
  const home = base(ctx);
  const { words } = ctx;
  const { w, x } = words;
  // In the reader's language; the column descriptions stay English, as the page says.
  const titles: Record<string, string> = w.data.datasetTitles;
  const datasetTitle = (name: string) => titles[name] ?? name;
  return (
    <Page ctx={ctx} title={w.tabs.data} tab="data">
      <h1>{w.tabs.data}</h1>
      {s.kind === 'consultation' && (
        <p className="banner consultation">
          {w.data.consultationBefore} <strong>{w.data.consultationStrong}</strong>
          {w.data.consultationAfter}
        </p>
      )}
      <p>{w.data.intro}</p>
      {words.lang !== 'en' && <p className="note">{w.data.descriptionsInEnglish}</p>}
      <p>
        {w.data.snapshotBefore} <a href={`${home}/data/snapshot.json`}>{w.data.snapshotLink}</a>
        {words.t(w.data.snapshotAfter, { date: words.date(s.publishedAt) })}
      </p>
      <nav aria-labelledby="datasets-title">
        <h2 id="datasets-title">{w.data.files}</h2>
        <table className="stack">
          <caption className="visually-hidden">{w.data.filesCaption}</caption>
          <thead>
            <tr>
              <th scope="col">{w.data.dataset}</th>
              <th scope="col">{w.data.rows}</th>
              <th scope="col">{w.data.download}</th>
            </tr>
          </thead>
          <tbody>
            {DATASETS.map((d) => (
              <tr key={d.name}>
                <th scope="row" data-label={w.data.dataset}>
                  <a href={`#dataset-${d.name}`}>{datasetTitle(d.name)}</a>
                </th>
                <td data-label={w.data.rows}>{x.number(d.rows(s).length)}</td>
                <td data-label={w.data.download}>
                  <a href={`${home}/data/${d.name}.csv`}>{d.name}.csv</a> · <a href={`${home}/data/${d.name}.json`}>{d.name}.json</a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </nav>
      {DATASETS.map((d) => (
        <section key={d.name} id={`dataset-${d.name}`} aria-labelledby={`dataset-${d.name}-title`}>
          <h2 id={`dataset-${d.name}-title`}>{datasetTitle(d.name)}</h2>
          <p>{d.description}</p>
          <table className="stack">
            <caption>{words.t(w.data.columnsOf, { file: `${d.name}.csv` })}</caption>
            <thead>
              <tr>
                <th scope="col">{w.data.column}</th>
                <th scope="col">{w.data.type}</th>
                <th scope="col">{w.data.meaning}</th>
              </tr>
            </thead>
            <tbody>
              {d.columns.map((c) => (
                <tr key={c.name}>
                  <th scope="row" data-label={w.data.column}>
                    <code>{c.name}</code>
                  </th>
                  <td data-label={w.data.type}>{c.type}</td>
                  <td data-label={w.data.meaning}>{c.description}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
    </Page>
  );
}
