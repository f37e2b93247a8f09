-- People see and end their own sessions and forget the browsers Accord trusts for their account
-- (the Account page). Each gets an id to name it by in the API (the token hash stays private to
-- the server), the browser it was made from (its User-Agent, to say "Firefox on Windows"), and,
-- for sessions, when it was last used. Rows from before this migration have no User-Agent: they
-- read as "unknown device"; their last use is unknown until they are next used.
ALTER TABLE sessions ADD COLUMN id TEXT;
ALTER TABLE sessions ADD COLUMN user_agent TEXT;
ALTER TABLE sessions ADD COLUMN last_used_at TEXT;
-- The trusted browser (trusted_devices.token_hash) the session was signed in from, so the page can
-- say which trusted browser is "this browser" (the device cookie itself only travels to sign-in).
ALTER TABLE sessions ADD COLUMN device_hash TEXT;
UPDATE sessions SET id = lower(hex(randomblob(16))) WHERE id IS NULL;
CREATE UNIQUE INDEX sessions_id ON sessions (id);

ALTER TABLE trusted_devices ADD COLUMN id TEXT;
ALTER TABLE trusted_devices ADD COLUMN user_agent TEXT;
UPDATE trusted_devices SET id = lower(hex(randomblob(16))) WHERE id IS NULL;
CREATE UNIQUE INDEX trusted_devices_id ON trusted_devices (id);
