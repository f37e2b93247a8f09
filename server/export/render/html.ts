/**
 * One self-contained, print-friendly HTML file. Every string that came from people or imports goes
 * through escapeHtml; links keep only http(s) and mailto hrefs (others become plain text). No
 * script, no external resource; a Content-Security-Policy meta forbids both anyway.
 */
import {
  adoptedLine,
  actionFacts,
  actionHeading,
  gapsText,
  type Block,
  indicatorTable,
  type Inline,
  type ModelAction,
  type PlanModel,
  recommendationPosition,
  recommendationSource,
  safeHref,
  statusLabel,
  notIncludedText,
  isSigned,
  wordsOf,
} from '../model.ts';
import { escapeHtml as e, markerBegin, markerEnd } from './common.ts';
import { recommendationMeta } from '../recommendationMeta.ts';
import { annexHeading, annexLetter, organisationLabel, sideWords, type ModelAnnex } from '../annexes.ts';
import type { ExportWords } from '../i18n/index.ts';

function inlines(list: Inline[]): string {
  return list
    .map((i) => {
      if (i.br) return '<br>';
      let s = e(i.text);
      if (i.code) s = `<code>${s}</code>`;
      if (i.bold) s = `<strong>${s}</strong>`;
      if (i.italic) s = `<em>${s}</em>`;
      if (i.underline) s = `<u>${s}</u>`;
      if (i.strike) s = `<s>${s}</s>`;
      const href = safeHref(i.link);
      if (href) s = `<a href="${e(href)}" rel="noopener noreferrer">${s}</a>`;
      return s;
    })
    .join('');
}

function blocks(list: Block[]): string {
  return list
    .map((b) => {
      switch (b.type) {
        case 'paragraph':
          return `<p>${inlines(b.inlines)}</p>`;
        case 'heading': {
          const level = Math.min(b.level + 2, 6);
          return `<h${level}>${inlines(b.inlines)}</h${level}>`;
        }
        case 'list': {
          const tag = b.ordered ? 'ol' : 'ul';
          return `<${tag}>${b.items.map((item) => `<li>${blocks(item)}</li>`).join('')}</${tag}>`;
        }
        case 'blockquote':
          return `<blockquote>${blocks(b.blocks)}</blockquote>`;
        case 'codeBlock':
          return `<pre><code>${e(b.text)}</code></pre>`;
        case 'table':
          return `<table class="text">${b.rows
            .map((r) => `<tr>${r.cells.map((c) => (r.header ? `<th>${inlines(c)}</th>` : `<td>${inlines(c)}</td>`)).join('')}</tr>`)
            .join('')}</table>`;
        case 'rule':
          return '<hr>';
      }
    })
    .join('\n');
}

const multiline = (s: string) => e(s).replace(/\n/g, '<br>');

function action(a: ModelAction, model: PlanModel, words: ExportWords): string {
  const gaps = gapsText(a, model, words);
  const facts = actionFacts(a, model, words)
    .map(([k, v]) => `<tr><th scope="row">${e(k)}</th><td>${e(v)}</td></tr>`)
    .join('');
  const table = indicatorTable(a, words);
  const indicators =
    a.indicators.length === 0
      ? ''
      : `<table class="grid"><thead><tr>${table.header.map((h) => `<th scope="col">${e(h)}</th>`).join('')}</tr></thead><tbody>${table.rows
          .map((r) => `<tr>${r.map((c) => `<td>${e(c)}</td>`).join('')}</tr>`)
          .join('')}</tbody></table>`;
  return `<div class="action"><h4>${e(actionHeading(a, words))}</h4>${gaps ? `<p class="gaps">${e(gaps)}</p>` : ''}${a.description ? `<p>${multiline(a.description)}</p>` : ''}<table class="grid facts">${facts}</table>${indicators}</div>`;
}

const CSS = `
body{font-family:"DejaVu Sans",Calibri,Arial,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;line-height:1.45;color:#111}
h1{font-size:1.6rem;border-bottom:2px solid #264d80;padding-bottom:.2rem;margin-top:2.5rem}
h2{font-size:1.3rem;margin-top:2rem}h3{font-size:1.1rem}h4{font-size:1rem;margin:1.2rem 0 .4rem}
.gaps{color:#8a4b00;font-weight:bold}
.title{text-align:center;padding:4rem 0 3rem}.title h1{border:0;font-size:2.2rem}.meta{color:#555}
.status{display:inline-block;font-size:.8rem;padding:.05rem .5rem;border-radius:.6rem;background:#eee;margin-left:.5rem;vertical-align:middle}
.status.agreed{background:#d8f0dc}.status.in_review{background:#fdf0c4}.notyet{font-style:italic;color:#555}
table{border-collapse:collapse;width:100%;margin:.5rem 0}td,th{border:1px solid #bbb;padding:.25rem .45rem;text-align:left;vertical-align:top}
th{background:#e7eef7}.facts th{width:12rem}blockquote{border-left:3px solid #ccc;margin-left:0;padding-left:1rem;color:#333}
.rec{margin:1rem 0}.rec .ref{font-weight:bold}.signed{font-family:"DejaVu Sans Mono",monospace;font-size:.8rem;background:#f6f6f6;padding:.5rem;white-space:pre-wrap}
.signed p{margin:0}.marker{color:#888;font-size:.7rem}nav ol{padding-left:1.2rem}
.annex-entry{margin:.6rem 0 1rem;padding-left:.8rem;border-left:3px solid #c9d6e8}.annex-entry p{margin:.2rem 0}
@media print{body{max-width:none;margin:0}h1{break-before:page}.title h1,nav h1{break-before:auto}.action,.annex-entry,tr{break-inside:avoid}a{color:inherit}}
`;

export function renderHtml(model: PlanModel): string {
  const { plan } = model;
  const words = wordsOf(model);
  const { w } = words;
  // The fixed annexes A and B come before C (annexLetter(-2) is A).
  const annexA = annexHeading({ title: w.document.annexA }, -2, words);
  const annexB = annexHeading({ title: w.document.annexB }, -1, words);
  const pv = w.provenance;
  const adopted = adoptedLine(model, words);
  const out: string[] = [];
  out.push(
    '<!DOCTYPE html>',
    `<html lang="${words.language}"><head><meta charset="utf-8">`,
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${e(plan.title)}</title><style>${CSS}</style></head><body>`,
    `<header class="title"><h1>${e(plan.title)}</h1><p>${e(plan.country)}, ${plan.periodStart}–${plan.periodEnd}</p>${
      plan.source ? `<p class="meta">${e(plan.source)}</p>` : ''
    }${adopted ? `<p><strong>${e(adopted)}</strong></p>` : ''}<p>${e(model.scope === 'agreed' ? w.document.scopeAgreed : w.document.scopeCurrent)}</p><p class="meta">${e(
      words.t(w.document.exported, { time: words.time(model.exportedAt) }),
    )}<br>${e(model.madeFrom)}</p></header>`,
  );
  out.push(`<nav><h1>${e(w.document.contents)}</h1><ol>`);
  model.chapters.forEach((c, ci) => {
    out.push(`<li><a href="#ch-${ci + 1}">${e(c.title)}</a><ol>`);
    c.sections.forEach((s, si) =>
      out.push(`<li><a href="#sec-${ci + 1}-${si + 1}">${e(s.title)}</a> <span class="status ${e(s.status)}">${e(statusLabel(s.status, words))}</span></li>`),
    );
    out.push('</ol></li>');
  });
  out.push(`<li><a href="#annex-a">${e(annexA)}</a></li><li><a href="#annex-b">${e(annexB)}</a></li>`);
  (model.annexes ?? []).forEach((annex, i) => out.push(`<li><a href="#${annexId(i)}">${e(annexHeading(annex, i, words))}</a></li>`));
  out.push('</ol></nav>');

  model.chapters.forEach((c, ci) => {
    out.push(`<section><h1 id="ch-${ci + 1}">${ci + 1}. ${e(c.title)}</h1>`);
    c.sections.forEach((s, si) => {
      out.push(
        `<h2 id="sec-${ci + 1}-${si + 1}">${ci + 1}.${si + 1} ${e(s.title)} <span class="status ${e(s.status)}">${e(statusLabel(s.status, words))}</span></h2>`,
      );
      if (!s.included) out.push(`<p class="notyet">${e(notIncludedText(s, words))}</p>`);
      else {
        for (const note of s.notes ?? []) out.push(`<p class="notyet note">${e(note)}</p>`);
        out.push(blocks(s.blocks));
        s.actions.forEach((a) => out.push(action(a, model, words)));
      }
    });
    out.push('</section>');
  });

  out.push(`<section><h1 id="annex-a">${e(annexA)}</h1>`);
  if (model.recommendations.length === 0) out.push(`<p class="notyet">${e(w.document.noRecommendations)}</p>`);
  for (const r of model.recommendations) {
    out.push(
      `<div class="rec"><p><span class="ref">${e(r.reference)}</span> — ${e(recommendationSource(r, words))} — ${e(recommendationPosition(r, words))}</p>${recommendationMeta(r, words)
        .map((line) => `<p class="meta">${e(line)}</p>`)
        .join('')}<p>${multiline(r.text)}</p></div>`,
    );
  }
  out.push('</section>');

  out.push(
    `<section><h1 id="annex-b">${e(annexB)}</h1><p>${e(pv.exported)}: ${e(words.time(model.exportedAt))}<br>${e(pv.scope)}: ${e(
      model.scope === 'agreed' ? pv.scopeAgreed : pv.scopeCurrent,
    )}<br>${e(pv.madeFrom)}: ${e(model.madeFrom)}</p><p class="meta">${e(pv.markerNote)}</p>`,
  );
  for (const c of model.chapters) {
    for (const s of c.sections) {
      out.push(
        `<h3>${e(c.title)} — ${e(s.title)}</h3>${s.included ? (s.notes ?? []).map((n) => `<p class="notyet note">${e(n)}</p>`).join('') : ''}<table class="grid facts"><tr><th scope="row">${e(
          w.document.status,
        )}</th><td>${e(statusLabel(s.status, words))}</td></tr><tr><th scope="row">${e(pv.agreedAt)}</th><td>${e(
          s.agreedAt ?? '—',
        )}</td></tr><tr><th scope="row">${e(pv.agreedHash)}</th><td><code>${e(s.agreedHash ?? '—')}</code></td></tr><tr><th scope="row">${e(pv.exportedHash)}</th><td><code>${
          s.included ? e(s.currentHash) : e(pv.notExported)
        }</code></td></tr></table>`,
      );
      if (s.signers.length > 0) {
        out.push(
          `<table class="grid"><thead><tr>${[pv.signedBy, pv.organisation, pv.side, pv.signedAt, pv.contentHash]
            .map((h) => `<th scope="col">${e(h)}</th>`)
            .join('')}</tr></thead><tbody>${s.signers
            .map(
              (g) =>
                `<tr><td>${e(g.name)}</td><td>${e(organisationLabel(g.organisation, g.verified, words))}</td><td>${e(sideWords(g.side, words))}</td><td>${e(g.signedAt)}</td><td><code>${e(g.contentHash)}</code></td></tr>`,
            )
            .join('')}</tbody></table>`,
        );
      }
      if (s.included) {
        out.push(
          `<div class="signed" data-section="${e(s.id)}" data-signed="${isSigned(s)}"><p class="marker">${e(markerBegin(s.id, isSigned(s)))}</p>${s.canonicalLines
            .map((l) => `<p>${e(l)}</p>`)
            .join('')}<p class="marker">${e(markerEnd(s.id, isSigned(s)))}</p></div>`,
        );
      }
    }
  }
  out.push('</section>');
  (model.annexes ?? []).forEach((annex, i) => out.push(renderAnnex(annex, i, words)));
  out.push('</body></html>');
  return out.join('\n');
}

const annexId = (index: number) => `annex-${annexLetter(index).toLowerCase()}`;

/** Annexes C, D, …: the same shape for every one (server/export/annexes.ts). */
function renderAnnex(annex: ModelAnnex, index: number, words: ExportWords): string {
  const parts = [`<section class="annex" data-annex="${e(annex.key)}"><h1 id="${annexId(index)}">${e(annexHeading(annex, index, words))}</h1>`];
  for (const p of annex.intro) parts.push(`<p class="meta">${e(p)}</p>`);
  if (annex.groups.length === 0) parts.push(`<p class="notyet">${e(annex.empty)}</p>`);
  for (const g of annex.groups) {
    parts.push(`<h3>${e(g.heading)}</h3>`);
    if (g.note) parts.push(`<p class="notyet">${e(g.note)}</p>`);
    for (const entry of g.entries) {
      parts.push(`<div class="annex-entry"><p><strong>${e(entry.label)}</strong> — ${e(entry.byline)}</p><p>${multiline(entry.text)}</p></div>`);
    }
  }
  parts.push('</section>');
  return parts.join('\n');
}
