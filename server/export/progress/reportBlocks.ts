/**
 * A progress report as a list of format-neutral blocks. The DOCX and PDF writers
 * (blocksDocx.ts, blocksPdf.ts) each turn the same blocks into their format, so both files say
 * exactly the same thing and a third format is one more small writer.
 */

export type ReportBlock =
  | { type: 'title'; text: string; subtitle: string[] }
  | { type: 'heading'; level: 1 | 2 | 3; text: string }
  | { type: 'para'; text: string; style?: 'normal' | 'quote' | 'note' | 'strong' | 'disputed' }
  | { type: 'facts'; rows: Array<[label: string, value: string]> }
  | { type: 'table'; header: string[]; rows: string[][] }
  /** A chart as PNG (width and height in points at print size) with the sentence that replaces it for screen readers. */
  | { type: 'chart'; png: Buffer; width: number; height: number; alt: string; caption: string }
  | { type: 'pageBreak' };
