-- A name or note on each invite, chosen by the coordinator, so pending invites can be told apart
-- ("Maryna Ivanova, Helsinki Committee"). Existing invites have none.
ALTER TABLE invites ADD COLUMN note TEXT NOT NULL DEFAULT '';

-- One-time password reset links, made by a coordinator of a plan the person is a member of (Accord
-- sends no e-mail). Only the token's hash is stored, like sessions and invites. A link works once,
-- until it expires, and while its maker is still a coordinator of that plan and the person still
-- a member of it.
CREATE TABLE password_resets (
  id TEXT PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  plan_id TEXT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  created_by TEXT NOT NULL REFERENCES users (id),
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  used_at TEXT
);
CREATE INDEX password_resets_user ON password_resets (user_id);
