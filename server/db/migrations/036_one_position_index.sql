-- A filter by position reads the index (plan_id, position_rank, sort_key), as sorting by position
-- does: the rank is the position itself in the registry's order. The index by position name was
-- a second copy of it, kept up to date for every recommendation written: one index fewer makes a
-- 40,000-row import's commit about 5% faster (issue #19, docs/benchmarks.md).
DROP INDEX IF EXISTS recommendations_position;
