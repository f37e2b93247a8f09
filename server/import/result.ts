import {
  RecommendationInputSchema,
  type ImportFormat,
  type ParsedImport,
} from '../../shared/api/recommendations.ts';

/**
 * Collects an importer's output and validates every recommendation against the shared contract,
 * so a value the schema refuses (e.g. a 30,000-character text) rejects its row instead of
 * failing later in the database layer.
 */
export class ImportCollector {
  readonly rows: ParsedImport['rows'] = [];
  readonly rejected: ParsedImport['rejected'] = [];
  readonly warnings: string[] = [];

  constructor(readonly format: ImportFormat) {}

  add(row: number, candidate: unknown): void {
    const parsed = RecommendationInputSchema.safeParse(candidate);
    if (parsed.success) {
      this.rows.push({ row, recommendation: parsed.data });
      return;
    }
    const reason = parsed.error.issues
      .slice(0, 3)
      .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
      .join('; ');
    this.reject(row, `Invalid value: ${reason}`);
  }

  reject(row: number, reason: string): void {
    this.rejected.push({ row, reason });
  }

  warn(message: string): void {
    this.warnings.push(message);
  }

  result(): ParsedImport {
    this.rejected.sort((a, b) => a.row - b.row);
    return { format: this.format, rows: this.rows, rejected: this.rejected, warnings: this.warnings };
  }
}
