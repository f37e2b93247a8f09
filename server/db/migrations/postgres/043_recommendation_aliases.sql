-- PostgreSQL's twin of ../043_recommendation_aliases.sql: another source's key of a recommendation
-- the plan already holds, recorded by the import that recognised it (undoing that import drops it),
-- and how many rows each import recognised and filled in. SQLite's WITHOUT ROWID has no meaning
-- here: the primary key is the table's index either way.
CREATE TABLE recommendation_aliases (
  plan_id TEXT COLLATE "C" NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  source_key TEXT COLLATE "C" NOT NULL,
  recommendation_id TEXT COLLATE "C" NOT NULL REFERENCES recommendations (id) ON DELETE CASCADE,
  import_id TEXT COLLATE "C" NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
  PRIMARY KEY (plan_id, source_key)
);
CREATE INDEX recommendation_aliases_recommendation ON recommendation_aliases (recommendation_id);
CREATE INDEX recommendation_aliases_import ON recommendation_aliases (import_id);

ALTER TABLE imports ADD COLUMN recognised BIGINT NOT NULL DEFAULT 0;
ALTER TABLE imports ADD COLUMN filled BIGINT NOT NULL DEFAULT 0;
