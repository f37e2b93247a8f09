-- Who must propose changes as suggestions; no row = DEFAULT_SUGGESTION_RULE (shared/api/suggestions.ts).
CREATE TABLE plan_suggestion_rules (
  plan_id TEXT PRIMARY KEY REFERENCES plans (id) ON DELETE CASCADE,
  rule TEXT NOT NULL,
  updated_by TEXT REFERENCES users (id),
  updated_at TEXT NOT NULL
);

-- Every accepted or rejected suggestion. The suggestion itself lived only in the section text (as
-- marks); this keeps what it proposed, whose it was and who decided, with names copied in so the
-- record stays true after people leave the plan.
CREATE TABLE suggestion_decisions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  plan_id TEXT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  section_id TEXT NOT NULL REFERENCES sections (id) ON DELETE CASCADE,
  suggestion_id TEXT NOT NULL,
  decision TEXT NOT NULL CHECK (decision IN ('accept', 'reject')),
  kind TEXT NOT NULL CHECK (kind IN ('insert', 'delete', 'replace')),
  inserted TEXT NOT NULL,
  deleted TEXT NOT NULL,
  author_id TEXT,
  author_name TEXT NOT NULL,
  author_organisation TEXT NOT NULL,
  decided_by TEXT,
  decided_by_name TEXT NOT NULL,
  decided_by_organisation TEXT NOT NULL,
  decided_at TEXT NOT NULL
);
CREATE INDEX suggestion_decisions_section ON suggestion_decisions (section_id, id);
