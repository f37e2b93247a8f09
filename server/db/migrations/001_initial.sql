-- People, organisations, plans, their outline, and the section documents' update log.
CREATE TABLE organisations (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  side TEXT NOT NULL CHECK (side IN ('government', 'civil_society', 'independent', 'international')),
  color TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX organisations_name ON organisations (lower(name));

CREATE TABLE users (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  organisation_id TEXT NOT NULL REFERENCES organisations (id),
  created_at TEXT NOT NULL
);

-- Only a hash of the session token is stored: a leaked database does not leak sessions.
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE plans (
  id TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  country TEXT NOT NULL,
  period_start INTEGER NOT NULL,
  period_end INTEGER NOT NULL,
  source TEXT,
  created_by TEXT NOT NULL REFERENCES users (id),
  created_at TEXT NOT NULL
);

CREATE TABLE plan_members (
  plan_id TEXT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role TEXT NOT NULL CHECK (role IN ('coordinator', 'drafter', 'commenter', 'observer')),
  joined_at TEXT NOT NULL,
  PRIMARY KEY (plan_id, user_id)
);
CREATE INDEX plan_members_user ON plan_members (user_id);

CREATE TABLE invites (
  id TEXT PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  plan_id TEXT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  role TEXT NOT NULL CHECK (role IN ('coordinator', 'drafter', 'commenter', 'observer')),
  created_by TEXT NOT NULL REFERENCES users (id),
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  used_by TEXT REFERENCES users (id),
  used_at TEXT
);

CREATE TABLE chapters (
  id TEXT PRIMARY KEY,
  plan_id TEXT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  title TEXT NOT NULL,
  position INTEGER NOT NULL
);
CREATE INDEX chapters_plan ON chapters (plan_id, position);

CREATE TABLE sections (
  id TEXT PRIMARY KEY,
  plan_id TEXT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  chapter_id TEXT NOT NULL REFERENCES chapters (id) ON DELETE CASCADE,
  title TEXT NOT NULL,
  position INTEGER NOT NULL
);
CREATE INDEX sections_chapter ON sections (chapter_id, position);

-- A document exists once its row is here; its seed content is written in the same transaction.
CREATE TABLE documents (
  name TEXT PRIMARY KEY,
  schema_version INTEGER NOT NULL,
  created_at TEXT NOT NULL
);

-- Append-only log of Yjs updates per document, compacted into one row from time to time.
CREATE TABLE document_updates (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  document_name TEXT NOT NULL REFERENCES documents (name) ON DELETE CASCADE,
  data BLOB NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX document_updates_name ON document_updates (document_name, id);
