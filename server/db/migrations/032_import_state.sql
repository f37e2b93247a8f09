-- An import is written and undone in short transactions (docs/decisions/0013-chunked-imports.md).
-- While it is being written ('committing') or undone ('undoing'), the recommendations it created
-- are hidden from every reader: people see the whole file or none of it. Existing imports are
-- whole already.
ALTER TABLE imports ADD COLUMN state TEXT NOT NULL DEFAULT 'committed'
  CHECK (state IN ('committing', 'committed', 'undoing', 'undone'));
UPDATE imports SET state = 'undone' WHERE undone_at IS NOT NULL;
-- Readers ask "which imports are busy?" on every list: a handful of rows at most, found by index.
CREATE INDEX imports_busy ON imports (state) WHERE state IN ('committing', 'undoing');

-- The coverage indexes carry import_id, so hiding a busy import's rows keeps coverage reading
-- indexes alone (docs/benchmarks.md, "Recommendations registry at 40,000").
DROP INDEX recommendations_coverage;
CREATE INDEX recommendations_coverage ON recommendations (plan_id, mechanism, position, action_count, import_id);
DROP INDEX recommendations_id_coverage;
CREATE INDEX recommendations_id_coverage ON recommendations (id, position, action_count, import_id);
