-- Past exports: every export of a plan is kept on the record (who made it, when, of what) and its
-- file stays downloadable under DATA_DIR/exports/ until the plan's retention period has passed,
-- across server restarts. A coordinator sets the period; 30 days unless changed.
ALTER TABLE plans ADD COLUMN export_retention_days INTEGER NOT NULL DEFAULT 30
  CHECK (export_retention_days BETWEEN 1 AND 3650);

CREATE TABLE exports (
  id TEXT PRIMARY KEY,
  plan_id TEXT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  created_by TEXT NOT NULL REFERENCES users (id),
  format TEXT NOT NULL,
  scope TEXT NOT NULL CHECK (scope IN ('agreed', 'current')),
  -- The whole-plan version exported (its name as it was then), or NULL for the current text.
  version_group_id TEXT,
  version_name TEXT,
  -- running: being made (a row left running by a stopped server is marked failed at the next start).
  state TEXT NOT NULL CHECK (state IN ('running', 'done', 'failed')),
  error TEXT,
  -- The file's name inside DATA_DIR/exports/ (not a full path: the data folder may move).
  file TEXT NOT NULL,
  content_type TEXT NOT NULL,
  -- The download name and the plan title the export was made with.
  filename TEXT,
  title TEXT,
  size_bytes INTEGER,
  total INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  finished_at TEXT
);
CREATE INDEX exports_plan ON exports (plan_id, created_at);
