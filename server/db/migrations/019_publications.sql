-- The public record (issue #16): what a coordinator has published of a plan, readable by anyone
-- without an account at /p/<slug>.

-- A plan's public address. Chosen at its first publication and never given to another plan, so an
-- address once cited (in a report, a news story) can only ever show that plan, or nothing.
CREATE TABLE plan_slugs (
  slug TEXT PRIMARY KEY,
  plan_id TEXT NOT NULL UNIQUE REFERENCES plans (id) ON DELETE CASCADE
);

-- Each publication is a snapshot: what the public pages and open data show, frozen when it was
-- published (never the live draft). Publishing again replaces the one in force; unpublishing ends
-- it. Ended publications are kept for the record but no public route serves them.
CREATE TABLE publications (
  id TEXT PRIMARY KEY,
  plan_id TEXT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  slug TEXT NOT NULL REFERENCES plan_slugs (slug),
  -- adopted: the adopted plan and its monitoring; consultation: a draft put out for comment.
  kind TEXT NOT NULL CHECK (kind IN ('adopted', 'consultation')),
  published_at TEXT NOT NULL,
  published_by TEXT NOT NULL REFERENCES users (id),
  published_by_name TEXT NOT NULL,
  -- The snapshot as JSON (server/services/publicRecord/snapshot.ts) and its sha256.
  snapshot TEXT NOT NULL,
  hash TEXT NOT NULL,
  ended_at TEXT,
  ended_by TEXT REFERENCES users (id),
  ended_reason TEXT CHECK (ended_reason IN ('replaced', 'unpublished'))
);
-- At most one publication in force per plan; the public routes look it up by slug.
CREATE UNIQUE INDEX publications_in_force ON publications (plan_id) WHERE ended_at IS NULL;
-- Covering: the public routes read id and hash by slug on every request without touching the
-- snapshot (megabytes, stored in overflow pages before the hash).
CREATE INDEX publications_slug ON publications (slug, id, hash) WHERE ended_at IS NULL;
CREATE INDEX publications_plan ON publications (plan_id, published_at);
