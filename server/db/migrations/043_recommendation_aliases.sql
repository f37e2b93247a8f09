-- The same recommendation often comes from two sources numbered differently: UPR Info's export
-- (UPR-S8-003), the Working Group report (BLR-C1-97.1a), OHCHR's Universal Human Rights Index. When
-- an import treats a row as the recommendation the plan already holds under another reference, the
-- row's source key is recorded here as another name of that recommendation, so importing the same
-- file again recognises the row at once instead of offering to add it as new. `import_id` is the
-- import that recognised it: undoing that import drops the alias with the values it filled in.
CREATE TABLE recommendation_aliases (
  plan_id TEXT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  source_key TEXT NOT NULL,
  recommendation_id TEXT NOT NULL REFERENCES recommendations (id) ON DELETE CASCADE,
  import_id TEXT NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
  PRIMARY KEY (plan_id, source_key)
) WITHOUT ROWID;
CREATE INDEX recommendation_aliases_recommendation ON recommendation_aliases (recommendation_id);
CREATE INDEX recommendation_aliases_import ON recommendation_aliases (import_id);

-- What an import said of such rows, for its history and audit entry: how many it recognised as
-- recommendations already in the plan under another reference, and how many of those copies it
-- filled in (values the copy lacked; nothing it had was overwritten).
ALTER TABLE imports ADD COLUMN recognised INTEGER NOT NULL DEFAULT 0;
ALTER TABLE imports ADD COLUMN filled INTEGER NOT NULL DEFAULT 0;
