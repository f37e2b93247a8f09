-- Formatting proposals (bold, italic, a link) are decided like word suggestions: their decisions
-- are kept with a kind of their own, 'format', the words they covered in `formatted` and the
-- change proposed in `format` (JSON: {"mark":"bold","set":true,"href":null}).
--
-- SQLite cannot widen a CHECK constraint in place, so the table is rebuilt (no other table refers
-- to it); rows keep their ids, so the order of decisions is unchanged.
CREATE TABLE suggestion_decisions_022 (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  plan_id TEXT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  section_id TEXT NOT NULL REFERENCES sections (id) ON DELETE CASCADE,
  suggestion_id TEXT NOT NULL,
  decision TEXT NOT NULL CHECK (decision IN ('accept', 'reject')),
  kind TEXT NOT NULL CHECK (kind IN ('insert', 'delete', 'replace', 'format')),
  inserted TEXT NOT NULL,
  deleted TEXT NOT NULL,
  author_id TEXT,
  author_name TEXT NOT NULL,
  author_organisation TEXT NOT NULL,
  decided_by TEXT,
  decided_by_name TEXT NOT NULL,
  decided_by_organisation TEXT NOT NULL,
  decided_at TEXT NOT NULL,
  reason TEXT,
  formatted TEXT NOT NULL DEFAULT '',
  format TEXT
);
INSERT INTO suggestion_decisions_022 (id, plan_id, section_id, suggestion_id, decision, kind, inserted, deleted, author_id, author_name,
    author_organisation, decided_by, decided_by_name, decided_by_organisation, decided_at, reason)
  SELECT id, plan_id, section_id, suggestion_id, decision, kind, inserted, deleted, author_id, author_name,
    author_organisation, decided_by, decided_by_name, decided_by_organisation, decided_at, reason FROM suggestion_decisions ORDER BY id;
DROP TABLE suggestion_decisions;
ALTER TABLE suggestion_decisions_022 RENAME TO suggestion_decisions;
CREATE INDEX suggestion_decisions_section ON suggestion_decisions (section_id, id);
