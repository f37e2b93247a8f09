import type { Position, RecommendationKind } from '../../shared/api/recommendations.ts';
import { cellAt, parseCsv, type CsvRow } from './csv.ts';
import { ImportFileError } from './errors.ts';
import { actionCategory, cleanText, compareKey, cycleFromSession, dedupe, isVoluntaryPledge, splitComma, textHash } from './normalise.ts';
import { ImportCollector } from './result.ts';
import type { ParserOptions } from './types.ts';

/** Columns a UPR Info export must have; the others (To-Rgrp, From-Org, Action, Issue…) are optional. */
export const UPR_INFO_REQUIRED = ['To', 'Text', 'From', 'Response', 'Session'] as const;

/**
 * UPR Info "Response" words → Accord position. UPR Info files "Noted" for anything not clearly
 * accepted; older exports say "Rejected". Empty means the State has not answered yet.
 */
const RESPONSES: Record<string, Position> = {
  accepted: 'supported',
  supported: 'supported',
  noted: 'noted',
  rejected: 'noted',
  'partially accepted': 'supported_in_part',
  'accepted in part': 'supported_in_part',
  'partially supported': 'supported_in_part',
  'supported in part': 'supported_in_part',
  '': 'pending',
  pending: 'pending',
};

/** Maps a UPR Info Response cell to a position, or null for a word we do not know. */
export function uprInfoPosition(response: string): Position | null {
  return RESPONSES[response.trim().replace(/\s+/g, ' ').toLowerCase()] ?? null;
}

interface Group {
  firstRow: number;
  stateUnderReview: string;
  session: string;
  text: string;
  position: Position;
  kind: RecommendationKind;
  states: Map<string, number>; // recommending State → row that named it
  themes: string[];
  action: number | null;
  positions: Set<Position>;
}

/**
 * Parses a UPR Info database export (`To, To-Rgrp, To-Org, Text, From, From-Rgrp, From-Org,
 * Response, Action, Issue, Session`). UPR Info repeats a joint recommendation once per
 * recommending State; rows with the same State under review, session and text (compared with
 * {@link compareKey}) become ONE recommendation listing every State. A row naming a State already
 * in its group is rejected as a duplicate, so every data row is either counted in some
 * recommendation's `recommendingStates` or listed in `rejected`.
 */
export function parseUprInfoCsv(text: string, options: ParserOptions): ReturnType<ImportCollector['result']> {
  const table = parseCsv(text);
  const missing = UPR_INFO_REQUIRED.filter((name) => table.column(name) < 0);
  if (missing.length > 0) {
    const [columns, found] = [missing.join(', '), table.headers.join(', ')];
    throw new ImportFileError(
      'missing_columns_upr_info',
      `This file is missing the column${missing.length > 1 ? 's' : ''} ${columns} that a UPR Info export has. ` +
        `Columns found: ${found || '(none)'}.`,
      { columns, found },
    );
  }
  const col = {
    to: table.column('To'),
    text: table.column('Text'),
    from: table.column('From'),
    response: table.column('Response'),
    session: table.column('Session'),
    action: table.column('Action'),
    issue: table.column('Issue', 'Issues'),
  };

  const out = new ImportCollector('upr-info-csv');
  for (const r of table.rejected) out.reject(r.row, r.code, r.reason, r.params);

  const groups = new Map<string, Group>();
  const defaults = options.defaults ?? {};
  for (const row of table.rows) {
    const get = (c: number) => cellAt(row, c).trim();
    const recText = cleanText(cellAt(row, col.text));
    if (!recText) {
      out.reject(row.row, 'text_empty', 'The Text cell is empty');
      continue;
    }
    const stateUnderReview = cleanText(get(col.to)) || defaults.stateUnderReview || '';
    if (!stateUnderReview) {
      out.reject(row.row, 'to_empty', 'The To cell (State under review) is empty');
      continue;
    }
    const from = cleanText(get(col.from));
    if (!from) {
      out.reject(row.row, 'from_empty', 'The From cell (recommending State) is empty');
      continue;
    }
    const response = get(col.response);
    // A voluntary pledge is the State's own commitment: supported by the State that made it.
    const pledge = isVoluntaryPledge(response);
    const position = pledge ? 'supported' : uprInfoPosition(response);
    if (position === null) {
      out.reject(row.row, 'unknown_position', `Unknown position "${response}"`, { value: response });
      continue;
    }
    const session = get(col.session);
    const key = `${stateUnderReview}\u0000${session}\u0000${compareKey(recText)}`;
    let group = groups.get(key);
    if (!group) {
      group = {
        firstRow: row.row,
        stateUnderReview,
        session,
        text: recText,
        position,
        kind: pledge ? 'pledge' : 'recommendation',
        states: new Map(),
        themes: [],
        action: null,
        positions: new Set(),
      };
      groups.set(key, group);
    }
    addToGroup(group, row, from, position, get(col.issue), get(col.action), out);
  }

  let merged = 0;
  const conflicts: number[] = [];
  for (const g of groups.values()) {
    if (g.states.size > 1) merged += g.states.size - 1;
    if (g.positions.size > 1) conflicts.push(g.firstRow);
    out.add(g.firstRow, {
      sourceKey: `uprinfo:${g.stateUnderReview}:${g.session}:${textHash(g.text)}`,
      reference: null,
      mechanism: 'UPR',
      documentSymbol: defaults.documentSymbol ?? null,
      paragraph: null,
      cycle: cycleFromSession(g.session) ?? defaults.cycle ?? null,
      session: g.session || null,
      date: null,
      stateUnderReview: g.stateUnderReview,
      recommendingStates: [...g.states.keys()],
      text: g.text,
      language: 'en',
      position: g.position,
      kind: g.kind,
      positionSource: 'UPR Info database',
      themes: g.themes,
      affectedPersons: [],
      sdgTargets: [],
      actionCategory: g.action,
      notes: null,
    });
  }
  if (merged > 0) {
    out.warn('rows_merged', `${merged} row${merged > 1 ? 's were' : ' was'} merged into joint recommendations (the same text from several States).`, {
      n: merged,
    });
  }
  if (conflicts.length > 0) {
    const rows = `${conflicts.slice(0, 20).join(', ')}${conflicts.length > 20 ? ', …' : ''}`;
    out.warn(
      'responses_conflict',
      `Rows with the same text but different responses were merged; the first row's response was kept (rows ${conflicts.slice(0, 20).join(', ')}${conflicts.length > 20 ? ` and ${conflicts.length - 20} more` : ''}). Check those positions.`,
      { rows },
    );
  }
  return out.result();
}

function addToGroup(
  group: Group,
  row: CsvRow,
  from: string,
  position: Position,
  issue: string,
  action: string,
  out: ImportCollector,
): void {
  const earlier = group.states.get(from);
  if (earlier !== undefined) {
    out.reject(row.row, 'duplicate_row', `Duplicate of row ${earlier} (same text, State under review, session and recommending State)`, { earlier });
    return;
  }
  group.states.set(from, row.row);
  group.positions.add(position);
  group.themes = dedupe([...group.themes, ...splitComma(issue)]);
  group.action ??= actionCategory(action);
}
