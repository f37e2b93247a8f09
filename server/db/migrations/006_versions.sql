-- Named versions of section texts: stored snapshots (never gc:false documents). Versions made
-- together for the whole plan share a group_id. section_id has no foreign key on purpose: a
-- plan-wide version group still knows a section that was deleted later (section_title keeps its
-- name); the plan's deletion removes everything.
CREATE TABLE versions (
  id TEXT PRIMARY KEY,
  plan_id TEXT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  section_id TEXT NOT NULL,
  section_title TEXT NOT NULL,
  group_id TEXT,
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('manual', 'signoff', 'before_restore', 'restore')),
  -- Null for automatic versions nobody made by hand (sign-off).
  created_by TEXT REFERENCES users (id) ON DELETE SET NULL,
  created_by_name TEXT NOT NULL,
  created_at TEXT NOT NULL,
  -- sha256 hex of the section's text lines (shared/doc/canonical.ts sectionTextLines) joined by '\n'.
  content_hash TEXT NOT NULL,
  -- Y.encodeStateAsUpdate of the section document at that moment.
  snapshot BLOB NOT NULL,
  -- The text lines joined by '\n', for quick diffs and search without decoding the snapshot.
  text TEXT NOT NULL
);
CREATE INDEX versions_section ON versions (section_id, created_at);
CREATE INDEX versions_plan ON versions (plan_id, created_at);
CREATE INDEX versions_group ON versions (group_id) WHERE group_id IS NOT NULL;
