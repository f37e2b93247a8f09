-- Proposed changes of structure (a heading's level, a list's type, a paragraph split or two
-- joined) are decided like word suggestions: their decisions are kept with kind 'block', the
-- words of the block concerned in `formatted` (for a split, the words that would start the new
-- paragraph) and the change proposed in `block` (JSON: {"kind":"heading","level":2},
-- {"kind":"list","list":"orderedList"}, {"kind":"split"}, {"kind":"join"}).
--
-- SQLite cannot widen a CHECK constraint in place, so the table is rebuilt as in 022 (no other
-- table refers to it); rows keep their ids, so the order of decisions is unchanged.
CREATE TABLE suggestion_decisions_026 (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  plan_id TEXT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  section_id TEXT NOT NULL REFERENCES sections (id) ON DELETE CASCADE,
  suggestion_id TEXT NOT NULL,
  decision TEXT NOT NULL CHECK (decision IN ('accept', 'reject')),
  kind TEXT NOT NULL CHECK (kind IN ('insert', 'delete', 'replace', 'format', 'block')),
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
  format TEXT,
  block TEXT
);
INSERT INTO suggestion_decisions_026 (id, plan_id, section_id, suggestion_id, decision, kind, inserted, deleted, author_id, author_name,
    author_organisation, decided_by, decided_by_name, decided_by_organisation, decided_at, reason, formatted, format)
  SELECT id, plan_id, section_id, suggestion_id, decision, kind, inserted, deleted, author_id, author_name,
    author_organisation, decided_by, decided_by_name, decided_by_organisation, decided_at, reason, formatted, format
  FROM suggestion_decisions ORDER BY id;
DROP TABLE suggestion_decisions;
ALTER TABLE suggestion_decisions_026 RENAME TO suggestion_decisions;
CREATE INDEX suggestion_decisions_section ON suggestion_decisions (section_id, id);
