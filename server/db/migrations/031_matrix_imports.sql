-- Re-imports of the implementation matrix (issue #19): actions, indicators and their links to
-- recommendations created or updated from an edited matrix file, each import undoable. An import
-- records what it created and each updated item's earlier values (only the fields it changed), in
-- the order it wrote them, so undo can reverse it through the same services that record history.
-- No foreign key on item_id: an action or indicator deleted since is skipped by undo, not lost.
CREATE TABLE matrix_imports (
  id TEXT PRIMARY KEY,
  plan_id TEXT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  filename TEXT NOT NULL,
  created_by TEXT NOT NULL REFERENCES users (id),
  created_at TEXT NOT NULL,
  created INTEGER NOT NULL DEFAULT 0,
  updated INTEGER NOT NULL DEFAULT 0,
  undone_at TEXT
);
CREATE INDEX matrix_imports_plan ON matrix_imports (plan_id, created_at);

CREATE TABLE matrix_import_changes (
  import_id TEXT NOT NULL REFERENCES matrix_imports (id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  item TEXT NOT NULL CHECK (item IN ('action', 'indicator')),
  item_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('created', 'updated')),
  previous TEXT,
  PRIMARY KEY (import_id, seq)
) WITHOUT ROWID;
CREATE INDEX matrix_import_changes_item ON matrix_import_changes (item_id);
