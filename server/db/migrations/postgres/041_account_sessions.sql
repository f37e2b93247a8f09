-- The twin of SQLite's 041_account_sessions.sql: sessions and trusted browsers get an id to be
-- named by in the API, the browser they came from, and (sessions) when they were last used and
-- which trusted browser they were signed in from. Older rows get random ids: 32 hex digits, as
-- SQLite's lower(hex(randomblob(16))) writes them, from the built-in gen_random_uuid().
ALTER TABLE sessions ADD COLUMN id TEXT COLLATE "C";
ALTER TABLE sessions ADD COLUMN user_agent TEXT COLLATE "C";
ALTER TABLE sessions ADD COLUMN last_used_at TEXT COLLATE "C";
ALTER TABLE sessions ADD COLUMN device_hash TEXT COLLATE "C";
UPDATE sessions SET id = replace(gen_random_uuid()::text, '-', '') WHERE id IS NULL;
CREATE UNIQUE INDEX sessions_id ON sessions (id);

ALTER TABLE trusted_devices ADD COLUMN id TEXT COLLATE "C";
ALTER TABLE trusted_devices ADD COLUMN user_agent TEXT COLLATE "C";
UPDATE trusted_devices SET id = replace(gen_random_uuid()::text, '-', '') WHERE id IS NULL;
CREATE UNIQUE INDEX trusted_devices_id ON trusted_devices (id);
