/**
 * Markdown for re-use. User text is escaped where Markdown would read it as structure: inline
 * markers (\ ` * _ [ ] < > | ~) everywhere, and block starts (#, >, -, +, "1.") at line start.
 * Links keep only http(s)/mailto hrefs.
 */
import {
  adoptedLine,
  actionFacts,
  actionHeading,
  gapsText,
  type Block,
  indicatorTable,
  type Inline,
  isSigned,
  type PlanModel,
  recommendationPosition,
  recommendationSource,
  safeHref,
  statusLabel,
  notIncludedText,
  wordsOf,
} from '../model.ts';
import { markerBegin, markerEnd, xmlSafe } from './common.ts';
import { recommendationMeta } from '../recommendationMeta.ts';
import { annexHeading, organisationLabel, sideWords, type ModelAnnex } from '../annexes.ts';
import type { ExportWords } from '../i18n/index.ts';

export function mdEscape(s: string): string {
  return xmlSafe(s)
    .replace(/[\\`*_[\]<>|~]/g, (c) => `\\${c}`)
    .replace(/^(\s*)([#>+-]|\d+[.)])/gm, (_, sp: string, m: string) => `${sp}${m.replace(/([#>+.)-])/, '\\$1')}`)
    .replace(/\n/g, '  \n');
}

function inlines(list: Inline[]): string {
  return list
    .map((i) => {
      if (i.br) return '  \n';
      if (i.text === '') return '';
      let s = i.code ? `\`${i.text.replace(/`/g, "'")}\`` : mdEscape(i.text);
      if (i.bold) s = `**${s}**`;
      if (i.italic) s = `*${s}*`;
      if (i.strike) s = `~~${s}~~`;
      const href = safeHref(i.link);
      if (href) s = `[${s}](<${href.replace(/[<>\s]/g, encodeURIComponent)}>)`;
      return s;
    })
    .join('');
}

const cellText = (s: string) => s.replace(/\n/g, ' ');

function blocks(list: Block[], indent = ''): string[] {
  const out: string[] = [];
  for (const b of list) {
    switch (b.type) {
      case 'paragraph':
        out.push(indent + inlines(b.inlines), '');
        break;
      case 'heading':
        out.push(`${'#'.repeat(Math.min(b.level + 2, 6))} ${inlines(b.inlines)}`, '');
        break;
      case 'list':
        b.items.forEach((item, n) => {
          const marker = b.ordered ? `${n + 1}. ` : '- ';
          const inner = blocks(item, ' '.repeat(marker.length)).filter((l) => l !== '');
          if (inner.length === 0) inner.push('');
          out.push(indent + marker + inner[0]!.trimStart(), ...inner.slice(1).map((l) => indent + l));
        });
        out.push('');
        break;
      case 'blockquote':
        out.push(...blocks(b.blocks).map((l) => `> ${l}`), '');
        break;
      case 'codeBlock':
        out.push('```', b.text.replace(/```/g, "'''"), '```', '');
        break;
      case 'table': {
        if (b.rows.length === 0) break;
        const width = Math.max(...b.rows.map((r) => r.cells.length));
        const row = (cells: string[]) => `| ${Array.from({ length: width }, (_, i) => cells[i] ?? '').join(' | ')} |`;
        const [first, ...rest] = b.rows;
        out.push(row(first!.cells.map((c) => cellText(inlines(c)))), row(Array.from({ length: width }, () => '---')));
        for (const r of rest) out.push(row(r.cells.map((c) => cellText(inlines(c)))));
        out.push('');
        break;
      }
      case 'rule':
        out.push('---', '');
        break;
    }
  }
  return out;
}

export function renderMarkdown(model: PlanModel): string {
  const { plan } = model;
  const words = wordsOf(model);
  const { w } = words;
  const pv = w.provenance;
  // The fixed annexes A and B come before C (annexLetter(-2) is A).
  const annexA = annexHeading({ title: w.document.annexA }, -2, words);
  const annexB = annexHeading({ title: w.document.annexB }, -1, words);
  const adopted = adoptedLine(model, words);
  const out: string[] = [
    `# ${mdEscape(plan.title)}`,
    '',
    `${mdEscape(plan.country)}, ${plan.periodStart}–${plan.periodEnd}${plan.source ? `  \n${mdEscape(plan.source)}` : ''}`,
    '',
    ...(adopted ? [`**${mdEscape(adopted)}**`, ''] : []),
    `*${model.scope === 'agreed' ? w.document.scopeAgreed : w.document.scopeCurrent}. ${words.t(w.document.exported, { time: words.time(model.exportedAt) })}. ${mdEscape(model.madeFrom)}*`,
    '',
    `## ${w.document.contents}`,
    '',
  ];
  model.chapters.forEach((c, ci) => {
    out.push(`${ci + 1}. ${mdEscape(c.title)}`);
    c.sections.forEach((s, si) => out.push(`    ${si + 1}. ${mdEscape(s.title)} (${statusLabel(s.status, words)})`));
  });
  out.push('', '');
  model.chapters.forEach((c, ci) => {
    out.push(`## ${ci + 1}. ${mdEscape(c.title)}`, '');
    c.sections.forEach((s, si) => {
      out.push(`### ${ci + 1}.${si + 1} ${mdEscape(s.title)}`, '', `**${w.document.status}:** ${statusLabel(s.status, words)}`, '');
      if (!s.included) {
        out.push(`*${notIncludedText(s, words)}*`, '');
        return;
      }
      for (const note of s.notes ?? []) out.push(`*${mdEscape(note)}*`, '');
      out.push(...blocks(s.blocks));
      s.actions.forEach((a) => {
        out.push(`#### ${mdEscape(actionHeading(a, words))}`, '');
        const gaps = gapsText(a, model, words);
        if (gaps) out.push(`**${mdEscape(gaps)}**`, '');
        if (a.description) out.push(mdEscape(a.description), '');
        out.push('| | |', '|---|---|', ...actionFacts(a, model, words).map(([k, v]) => `| ${k} | ${cellText(mdEscape(v))} |`), '');
        if (a.indicators.length > 0) {
          const table = indicatorTable(a, words);
          out.push(`| ${table.header.join(' | ')} |`, `|${'---|'.repeat(table.header.length)}`);
          for (const r of table.rows) out.push(`| ${r.map((c) => cellText(mdEscape(c))).join(' | ')} |`);
          out.push('');
        }
      });
    });
  });
  out.push(`## ${annexA}`, '');
  for (const r of model.recommendations) {
    out.push(`**${mdEscape(r.reference)}** — ${mdEscape(recommendationSource(r, words))} — ${recommendationPosition(r, words)}`, '');
    for (const line of recommendationMeta(r, words)) out.push(`*${mdEscape(line)}*`, '');
    out.push(mdEscape(r.text), '');
  }
  out.push(
    `## ${annexB}`,
    '',
    `${pv.exported}: ${words.time(model.exportedAt)}  \n${pv.scope}: ${model.scope === 'agreed' ? pv.scopeAgreed : pv.scopeCurrent}  \n${pv.madeFrom}: ${mdEscape(model.madeFrom)}`,
    '',
    `*${mdEscape(pv.markerNote)}*`,
    '',
  );
  for (const c of model.chapters) {
    for (const s of c.sections) {
      out.push(`### ${mdEscape(c.title)} — ${mdEscape(s.title)}`, '');
      if (s.included) for (const note of s.notes ?? []) out.push(`*${mdEscape(note)}*`, '');
      out.push(
        `${w.document.status}: ${statusLabel(s.status, words)}  \n${pv.agreedAt}: ${s.agreedAt ?? '—'}  \n${pv.agreedHash}: \`${s.agreedHash ?? '—'}\`  \n${pv.exportedHash}: ${
          s.included ? `\`${s.currentHash}\`` : pv.notExported
        }`,
        '',
      );
      if (s.signers.length) {
        out.push(`| ${[pv.signedBy, pv.organisation, pv.side, pv.signedAt, pv.contentHash].join(' | ')} |`, '|---|---|---|---|---|');
        for (const g of s.signers)
          out.push(`| ${mdEscape(g.name)} | ${mdEscape(organisationLabel(g.organisation, g.verified, words))} | ${sideWords(g.side, words)} | ${g.signedAt} | \`${g.contentHash}\` |`);
        out.push('');
      }
      if (s.included) {
        // Verbatim, inside a fence, so the lines are exactly the canonical ones.
        const fence = '~~~~~~~~';
        out.push(fence + 'text', markerBegin(s.id, isSigned(s)), ...s.canonicalLines.map((l) => l.replace(/~{8,}/g, (m) => m.slice(1))), markerEnd(s.id, isSigned(s)), fence, '');
      }
    }
  }
  (model.annexes ?? []).forEach((annex, i) => out.push(...renderAnnex(annex, i, words)));
  return out.join('\n');
}

/** Annexes C, D, …: the same shape for every one (server/export/annexes.ts). */
function renderAnnex(annex: ModelAnnex, index: number, words: ExportWords): string[] {
  const out = [`## ${mdEscape(annexHeading(annex, index, words))}`, ''];
  for (const p of annex.intro) out.push(mdEscape(p), '');
  if (annex.groups.length === 0) out.push(`*${mdEscape(annex.empty)}*`, '');
  for (const g of annex.groups) {
    out.push(`### ${mdEscape(g.heading)}`, '');
    if (g.note) out.push(`*${mdEscape(g.note)}*`, '');
    for (const e of g.entries) out.push(`**${mdEscape(e.label)}** — ${mdEscape(e.byline)}`, '', mdEscape(e.text), '');
  }
  return out;
}
