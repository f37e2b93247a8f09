-- A row of a file that finds its recommendation already in the plan (the same source key and
-- values, or another source's copy: "already in the plan") writes nothing, but the file relies on
-- that recommendation as much as on the ones it created. Recorded here at commit, so undoing an
-- earlier import that created it keeps it while a later import in effect still holds it, and
-- undoing that later import removes it once nothing holds it any more.
-- Imports committed before this migration recorded no holds: for them nothing is known.
CREATE TABLE import_holds (
  import_id TEXT NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
  recommendation_id TEXT NOT NULL REFERENCES recommendations (id) ON DELETE CASCADE,
  PRIMARY KEY (import_id, recommendation_id)
) WITHOUT ROWID;
CREATE INDEX import_holds_recommendation ON import_holds (recommendation_id);

-- A recommendation an undo did not delete because something still relies on it: the reasons, a
-- JSON array ('import', 'actions', 'group', 'assessment', 'edited'). Set while the undo checks,
-- cleared should the undo be refused or stopped before its checks passed. A kept row keeps its
-- change row, so the import's history says how many it kept, and undoing the later import that held
-- it finds it was left by an undone import.
ALTER TABLE import_changes ADD COLUMN kept_because TEXT;
