-- Comment threads on section text. A thread is anchored to CRDT positions, never offsets: the
-- start and end of the commented range are Y.encodeRelativePosition bytes into the section's
-- document, so the anchor follows the words through concurrent edits. The quote keeps the words
-- as they were, shown when the text has since been deleted (a "detached" thread).
CREATE TABLE comment_threads (
  id TEXT PRIMARY KEY,
  plan_id TEXT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  section_id TEXT NOT NULL REFERENCES sections (id) ON DELETE CASCADE,
  anchor_start BLOB NOT NULL,
  anchor_end BLOB NOT NULL,
  quote TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
  resolved_by TEXT REFERENCES users (id) ON DELETE SET NULL,
  resolved_at TEXT,
  created_by TEXT NOT NULL REFERENCES users (id),
  created_at TEXT NOT NULL
);
CREATE INDEX comment_threads_section ON comment_threads (section_id, status);
CREATE INDEX comment_threads_plan_open ON comment_threads (plan_id, status);

-- Comments in a thread, oldest first. A deleted comment keeps its row (and place) with an empty
-- body and deleted_at set. mentions: JSON array of user ids (plan members at the time).
CREATE TABLE comments (
  id TEXT PRIMARY KEY,
  thread_id TEXT NOT NULL REFERENCES comment_threads (id) ON DELETE CASCADE,
  author_id TEXT NOT NULL REFERENCES users (id),
  body TEXT NOT NULL,
  mentions TEXT NOT NULL DEFAULT '[]',
  created_at TEXT NOT NULL,
  edited_at TEXT,
  deleted_at TEXT
);
CREATE INDEX comments_thread ON comments (thread_id, created_at);
CREATE INDEX comments_author ON comments (author_id);
