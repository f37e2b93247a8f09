-- Browsers a person has signed in with (the device cookie of sign-in throttling): an attempt from
-- one of them for its own account is judged only by that browser's failures, so guesses from
-- elsewhere cannot hold the owner up. Only a hash of the cookie's token is kept.
CREATE TABLE trusted_devices (
  token_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at TEXT NOT NULL,
  last_used_at TEXT NOT NULL
);
CREATE INDEX trusted_devices_user ON trusted_devices (user_id, last_used_at);
