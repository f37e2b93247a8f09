-- Automatic versions: a section's text is kept by itself after a pause in editing and at least
-- daily while it keeps changing (server/services/autoVersions.ts), so a mistaken or malicious
-- change can always be compared and rolled back.
--
-- SQLite cannot widen a CHECK constraint in place, so the table is rebuilt with the new kind
-- 'automatic' (no other table refers to versions; its indexes are made again below), and with
-- edited_by: the names of the people whose edits an automatic version holds, as a JSON array,
-- copied at that moment like created_by_name. NULL for every other kind.
CREATE TABLE versions_021 (
  id TEXT PRIMARY KEY,
  plan_id TEXT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  section_id TEXT NOT NULL,
  section_title TEXT NOT NULL,
  group_id TEXT,
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('manual', 'signoff', 'before_restore', 'restore', 'automatic')),
  created_by TEXT REFERENCES users (id) ON DELETE SET NULL,
  created_by_name TEXT NOT NULL,
  created_at TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  snapshot BLOB NOT NULL,
  text TEXT NOT NULL,
  actions TEXT,
  edited_by TEXT
);
INSERT INTO versions_021 (id, plan_id, section_id, section_title, group_id, name, kind, created_by, created_by_name, created_at,
    content_hash, snapshot, text, actions)
  SELECT id, plan_id, section_id, section_title, group_id, name, kind, created_by, created_by_name, created_at,
    content_hash, snapshot, text, actions FROM versions ORDER BY rowid;
DROP TABLE versions;
ALTER TABLE versions_021 RENAME TO versions;
CREATE INDEX versions_section ON versions (section_id, created_at);
CREATE INDEX versions_plan ON versions (plan_id, created_at);
CREATE INDEX versions_group ON versions (group_id) WHERE group_id IS NOT NULL;
