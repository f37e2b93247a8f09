-- Import previews waiting for their commit, when several Accord processes serve the same plans
-- (REDIS_URL; docs/decisions/0014-several-processes.md): the process that read a file keeps its
-- preview here, so the commit can reach any process. A process on its own keeps previews in
-- memory and never writes this table. `body` is the preview as JSON; `write_order` the order a
-- recommendation import writes its rows in (4-byte row indices), null for file order.
CREATE TABLE import_previews (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('recommendations', 'matrix')),
  plan_id TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  expires_at INTEGER NOT NULL,
  body TEXT NOT NULL,
  write_order BLOB
);
CREATE INDEX import_previews_owner ON import_previews (kind, plan_id, user_id);
