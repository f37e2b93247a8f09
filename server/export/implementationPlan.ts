/**
 * The implementation plan annex (issue #18): the plan in the form it is usually adopted in, one row
 * per exported action — number | objective | activity | responsible agency | deadline | indicator |
 * budget. Plain strings, so every document format lays out the same rows.
 */
import { budgetWords, type ModelAction, type PlanModel, timePointText } from './model.ts';
import type { ExportWords } from './i18n/index.ts';

export interface ImplementationRow {
  /** The action's plan-wide number. */
  number: number;
  /** The section the action serves: "2.3 Prison conditions". */
  objective: string;
  activity: string;
  /** Lead agency, then (on the next line) the co-implementers. */
  agency: string;
  deadline: string;
  /** Each indicator with its target, one a line. */
  indicator: string;
  budget: string;
}

/** When the action is due: its end, or "start – end" when it has a start too; as the app writes them ("Q4 2027"). */
function deadline(a: ModelAction, words: ExportWords): string {
  const [start, end] = [timePointText(a.start, words), timePointText(a.end, words)];
  if (a.start && a.end) return `${start} – ${end}`;
  return a.end ? end : a.start ? `${start} – —` : '—';
}

function indicators(a: ModelAction, words: ExportWords): string {
  if (a.indicators.length === 0) return '—';
  const target = words.w.indicatorColumns.target;
  const lines = a.indicators.map((i) => (i.target ? `${i.description} (${target}: ${i.target})` : i.description));
  // Several indicators in one cell: a bullet each, so where one ends and the next begins is plain.
  return lines.length === 1 ? lines[0]! : lines.map((line) => `• ${line}`).join('\n');
}

/** One row per action of the sections this export includes, in plan order. */
export function implementationRows(model: Pick<PlanModel, 'chapters'>, words: ExportWords): ImplementationRow[] {
  const rows: ImplementationRow[] = [];
  model.chapters.forEach((c, ci) =>
    c.sections.forEach((s, si) => {
      if (!s.included) return;
      for (const a of s.actions) {
        rows.push({
          number: a.number,
          objective: `${ci + 1}.${si + 1} ${s.title}`,
          activity: a.title,
          // The lead agency first (a dash where there is none, as the action's gap), then the co-implementers.
          agency: [a.leadAgency ?? '—', a.coImplementers.join('; ')].filter(Boolean).join('\n'),
          deadline: deadline(a, words),
          indicator: indicators(a, words),
          budget: budgetWords(a, words),
        });
      }
    }),
  );
  return rows;
}

/** The annex's column headings, in the order of the row's fields. */
export function implementationHeader(words: ExportWords): string[] {
  const c = words.w.layout.implementationColumns;
  return [c.number, c.objective, c.activity, c.agency, c.deadline, c.indicator, c.budget];
}

/** A row's cells, in the order of implementationHeader. */
export const implementationCells = (r: ImplementationRow): string[] => [String(r.number), r.objective, r.activity, r.agency, r.deadline, r.indicator, r.budget];
