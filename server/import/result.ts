import {
  RecommendationInputSchema,
  type ImportFormat,
  type ParsedImport,
} from '../../shared/api/recommendations.ts';
import type { ImportParams, ImportRowProblem, ImportWarningCode } from '../../shared/api/importText.ts';

/**
 * Collects an importer's output and validates every recommendation against the shared contract,
 * so a value the schema refuses (e.g. a 30,000-character text) rejects its row instead of
 * failing later in the database layer.
 */
export class ImportCollector {
  readonly rows: ParsedImport['rows'] = [];
  readonly rejected: ParsedImport['rejected'] = [];
  readonly warnings: ParsedImport['warnings'] = [];

  constructor(readonly format: ImportFormat) {}

  add(row: number, candidate: unknown): void {
    const parsed = RecommendationInputSchema.safeParse(candidate);
    if (parsed.success) {
      this.rows.push({ row, recommendation: parsed.data });
      return;
    }
    const issues = parsed.error.issues.slice(0, 3);
    const reason = issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
    const fields = [...new Set(issues.map((i) => i.path.join('.')).filter(Boolean))].join(', ');
    this.reject(row, 'invalid_value', `Invalid value: ${reason}`, { fields });
  }

  /** A row not imported: its code and params for the reader, its English reason for API users. */
  reject(row: number, code: ImportRowProblem, reason: string, params: ImportParams = {}): void {
    this.rejected.push({ row, code, params, reason });
  }

  warn(code: ImportWarningCode, message: string, params: ImportParams = {}): void {
    this.warnings.push({ code, params, message });
  }

  result(): ParsedImport {
    this.rejected.sort((a, b) => a.row - b.row);
    return { format: this.format, rows: this.rows, rejected: this.rejected, warnings: this.warnings };
  }
}
