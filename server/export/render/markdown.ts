/**
 * Markdown for re-use. User text is escaped where Markdown would read it as structure: inline
 * markers (\ ` * _ [ ] < > | ~) everywhere, and block starts (#, >, -, +, "1.") at line start.
 * Links keep only http(s)/mailto hrefs.
 */
import { actionFacts, type Block, type Inline, isSigned, type PlanModel, positionLabel, safeHref, statusLabel, notIncludedText } from '../model.ts';
import { MARKER_NOTE, markerBegin, markerEnd, xmlSafe } from './common.ts';
import { annexHeading, organisationLabel, type ModelAnnex } from '../annexes.ts';
import { displayTime } from '../displayTime.ts';

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
  const out: string[] = [
    `# ${mdEscape(plan.title)}`,
    '',
    `${mdEscape(plan.country)}, ${plan.periodStart}–${plan.periodEnd}${plan.source ? `  \n${mdEscape(plan.source)}` : ''}`,
    '',
    `*${model.scope === 'agreed' ? 'Agreed sections only' : 'Current draft, every section with its status'}. Exported ${displayTime(model.exportedAt)}. ${mdEscape(model.madeFrom)}*`,
    '',
    '## Contents',
    '',
  ];
  model.chapters.forEach((c, ci) => {
    out.push(`${ci + 1}. ${mdEscape(c.title)}`);
    c.sections.forEach((s, si) => out.push(`    ${si + 1}. ${mdEscape(s.title)} (${statusLabel(s.status)})`));
  });
  out.push('', '');
  model.chapters.forEach((c, ci) => {
    out.push(`## ${ci + 1}. ${mdEscape(c.title)}`, '');
    c.sections.forEach((s, si) => {
      out.push(`### ${ci + 1}.${si + 1} ${mdEscape(s.title)}`, '', `**Status:** ${statusLabel(s.status)}`, '');
      if (!s.included) {
        out.push(`*${notIncludedText(s)}*`, '');
        return;
      }
      for (const note of s.notes ?? []) out.push(`*${mdEscape(note)}*`, '');
      out.push(...blocks(s.blocks));
      s.actions.forEach((a, ai) => {
        out.push(`#### Action ${ai + 1}: ${mdEscape(a.title)}`, '');
        if (a.description) out.push(mdEscape(a.description), '');
        out.push('| | |', '|---|---|', ...actionFacts(a).map(([k, v]) => `| ${k} | ${cellText(mdEscape(v))} |`), '');
        if (a.indicators.length > 0) {
          out.push('| Type | Indicator | Baseline | Target |', '|---|---|---|---|');
          for (const i of a.indicators)
            out.push(`| ${mdEscape(i.type)} | ${cellText(mdEscape(i.description))} | ${cellText(mdEscape(i.baseline ?? '—'))} | ${cellText(mdEscape(i.target ?? '—'))} |`);
          out.push('');
        }
      });
    });
  });
  out.push('## Annex A. Recommendations addressed', '');
  for (const r of model.recommendations) {
    const source = [r.mechanism, r.documentSymbol, r.paragraph ? `para. ${r.paragraph}` : null].filter(Boolean).join(', ');
    out.push(`**${mdEscape(r.reference)}** — ${mdEscape(source)} — ${positionLabel(r.position)}`, '');
    if (r.recommendingStates.length) out.push(`*Recommending States: ${mdEscape(r.recommendingStates.join(', '))}*`, '');
    out.push(mdEscape(r.text), '');
  }
  out.push('## Annex B. Provenance', '', `Exported: ${displayTime(model.exportedAt)}  \nScope: ${model.scope}  \nMade from: ${mdEscape(model.madeFrom)}`, '', `*${mdEscape(MARKER_NOTE)}*`, '');
  for (const c of model.chapters) {
    for (const s of c.sections) {
      out.push(`### ${mdEscape(c.title)} — ${mdEscape(s.title)}`, '');
      if (s.included) for (const note of s.notes ?? []) out.push(`*${mdEscape(note)}*`, '');
      out.push(`Status: ${statusLabel(s.status)}  \nAgreed at: ${s.agreedAt ?? '—'}  \nAgreed hash: \`${s.agreedHash ?? '—'}\`  \nHash of exported content: ${s.included ? `\`${s.currentHash}\`` : '— (not exported)'}`, '');
      if (s.signers.length) {
        out.push('| Signed by | Organisation | Side | Signed at | Content hash |', '|---|---|---|---|---|');
        for (const g of s.signers) out.push(`| ${mdEscape(g.name)} | ${mdEscape(organisationLabel(g.organisation, g.verified))} | ${g.side} | ${g.signedAt} | \`${g.contentHash}\` |`);
        out.push('');
      }
      if (s.included) {
        // Verbatim, inside a fence, so the lines are exactly the canonical ones.
        const fence = '~~~~~~~~';
        out.push(fence + 'text', markerBegin(s.id, isSigned(s)), ...s.canonicalLines.map((l) => l.replace(/~{8,}/g, (m) => m.slice(1))), markerEnd(s.id, isSigned(s)), fence, '');
      }
    }
  }
  (model.annexes ?? []).forEach((annex, i) => out.push(...renderAnnex(annex, i)));
  return out.join('\n');
}

/** Annexes C, D, …: the same shape for every one (server/export/annexes.ts). */
function renderAnnex(annex: ModelAnnex, index: number): string[] {
  const out = [`## ${mdEscape(annexHeading(annex, index))}`, ''];
  for (const p of annex.intro) out.push(mdEscape(p), '');
  if (annex.groups.length === 0) out.push(`*${mdEscape(annex.empty)}*`, '');
  for (const g of annex.groups) {
    out.push(`### ${mdEscape(g.heading)}`, '');
    if (g.note) out.push(`*${mdEscape(g.note)}*`, '');
    for (const e of g.entries) out.push(`**${mdEscape(e.label)}** — ${mdEscape(e.byline)}`, '', mdEscape(e.text), '');
  }
  return out;
}
