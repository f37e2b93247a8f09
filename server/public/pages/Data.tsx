/**
 * The open data of a publication: every dataset as CSV and JSON, and what each column means, so a
 * UN tracker or a researcher can use the files without asking anyone.
 */
import { Page, base, type PageContext } from '../html.tsx';
import { DATASETS } from '../openData.ts';

export function DataPage({ ctx }: { ctx: PageContext }) {
  const s = ctx.snapshot;
  const home = base(ctx);
  return (
    <Page ctx={ctx} title="Open data" tab="data">
      <h1>Open data</h1>
      {s.kind === 'consultation' && (
        <p className="banner consultation">
          These files are of a <strong>draft put out for public consultation</strong>, not of an adopted plan. Their names say so
          ("…-consultation-draft-…"), and so does the JSON (its "publication" field).
        </p>
      )}
      <p>
        Everything this publication shows, as data anyone may reuse. Each file is available as CSV (UTF-8 with a byte-order mark, so
        spreadsheets read Cyrillic correctly) and as JSON (the same rows, with the column descriptions). Identifiers (section_id, action_id,
        indicator_id, recommendation_id, round_id) stay the same from one publication of the plan to the next, so files from different dates
        can be joined.
      </p>
      <p>
        The whole publication is also available as <a href={`${home}/data/snapshot.json`}>one JSON snapshot</a>; its sha256 is printed at the
        foot of every page, so anyone can check a copy is the one published on {s.publishedAt.slice(0, 10)}.
      </p>
      <nav aria-labelledby="datasets-title">
        <h2 id="datasets-title">Files</h2>
        <table>
          <caption className="visually-hidden">Datasets of this publication and their downloads</caption>
          <thead>
            <tr>
              <th scope="col">Dataset</th>
              <th scope="col">Rows</th>
              <th scope="col">Download</th>
            </tr>
          </thead>
          <tbody>
            {DATASETS.map((d) => (
              <tr key={d.name}>
                <th scope="row">
                  <a href={`#dataset-${d.name}`}>{d.title}</a>
                </th>
                <td>{d.rows(s).length}</td>
                <td>
                  <a href={`${home}/data/${d.name}.csv`}>{d.name}.csv</a> · <a href={`${home}/data/${d.name}.json`}>{d.name}.json</a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </nav>
      {DATASETS.map((d) => (
        <section key={d.name} id={`dataset-${d.name}`} aria-labelledby={`dataset-${d.name}-title`}>
          <h2 id={`dataset-${d.name}-title`}>{d.title}</h2>
          <p>{d.description}</p>
          <table>
            <caption>Columns of {d.name}.csv</caption>
            <thead>
              <tr>
                <th scope="col">Column</th>
                <th scope="col">Type</th>
                <th scope="col">Meaning</th>
              </tr>
            </thead>
            <tbody>
              {d.columns.map((c) => (
                <tr key={c.name}>
                  <th scope="row">
                    <code>{c.name}</code>
                  </th>
                  <td>{c.type}</td>
                  <td>{c.description}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
    </Page>
  );
}
