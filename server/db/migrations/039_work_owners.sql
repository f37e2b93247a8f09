-- Which Accord process is running an import or an export (docs/decisions/0014-several-processes.md):
-- with several processes, work left half done is found by its owner having stopped (its heartbeat
-- gone from Redis), not by guessing that a process starting alone is the only one. NULL: written
-- before this column, by a process that was alone or is gone.
ALTER TABLE imports ADD COLUMN owner TEXT;
ALTER TABLE exports ADD COLUMN owner TEXT;
