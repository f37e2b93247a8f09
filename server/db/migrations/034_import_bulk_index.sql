-- A large import writes the full-text index, the tag table and the SDG table of the rows it creates
-- in bulk, after the rows themselves (docs/decisions/0013-chunked-imports.md, issue #19): per row,
-- these triggers cost most of a 40,000-row commit, and FTS5 flushed its pending terms once per
-- short transaction. While an import is 'committing', its rows with seq above
-- `imports.indexed_through` are not indexed yet; the commit indexes them in order, moving the mark
-- in the same transaction, and sets it back to NULL (every row indexed) when it ends. So each row
-- is in the full-text index exactly when the mark says so, and deleting a row (a failed or
-- interrupted commit reversed) removes from the index only what is in it: an FTS5 'delete' of a
-- row never inserted would corrupt the index. NULL for every import but one being written.
ALTER TABLE imports ADD COLUMN indexed_through INTEGER;

-- An undo checks every row of the import in short steps after marking it 'undoing'; this is set
-- when the checks passed and it begins to change rows. An 'undoing' import without it found at
-- start-up changed nothing yet and is 'committed' again (its checks never passed); one with it is
-- undone to the end.
ALTER TABLE imports ADD COLUMN undo_checked_at TEXT;
UPDATE imports SET undo_checked_at = created_at WHERE state = 'undoing';

-- "This row is indexed": not created by an import, or by one whose rows are all indexed, or at or
-- below its mark. One primary-key lookup, only for imported rows.
DROP TRIGGER recommendations_ai;
CREATE TRIGGER recommendations_ai AFTER INSERT ON recommendations
  WHEN NEW.import_id IS NULL
    OR NOT EXISTS (SELECT 1 FROM imports WHERE id = NEW.import_id AND indexed_through IS NOT NULL AND NEW.seq > indexed_through)
BEGIN
  INSERT INTO recommendations_fts (rowid, reference, text, themes) VALUES (NEW.seq, NEW.reference, NEW.text, NEW.themes);
  INSERT OR IGNORE INTO recommendation_tags (recommendation_id, plan_id, kind, value)
    SELECT NEW.id, NEW.plan_id, 'theme', value FROM json_each(NEW.themes)
    UNION SELECT NEW.id, NEW.plan_id, 'state', value FROM json_each(NEW.recommending_states)
    UNION SELECT NEW.id, NEW.plan_id, 'affected', value FROM json_each(NEW.affected_persons);
END;

DROP TRIGGER recommendations_ad;
CREATE TRIGGER recommendations_ad AFTER DELETE ON recommendations
  WHEN OLD.import_id IS NULL
    OR NOT EXISTS (SELECT 1 FROM imports WHERE id = OLD.import_id AND indexed_through IS NOT NULL AND OLD.seq > indexed_through)
BEGIN
  INSERT INTO recommendations_fts (recommendations_fts, rowid, reference, text, themes)
    VALUES ('delete', OLD.seq, OLD.reference, OLD.text, OLD.themes);
END;

-- Nothing updates a hidden row of an import being written, but should anything, its index entry
-- is written by the bulk step, not twice. (The tag and SDG update triggers rewrite a row's rows
-- whole and the bulk step inserts OR IGNORE: they need no condition.)
DROP TRIGGER recommendations_au_fts;
CREATE TRIGGER recommendations_au_fts AFTER UPDATE OF reference, text, themes ON recommendations
  WHEN OLD.import_id IS NULL
    OR NOT EXISTS (SELECT 1 FROM imports WHERE id = OLD.import_id AND indexed_through IS NOT NULL AND OLD.seq > indexed_through)
BEGIN
  INSERT INTO recommendations_fts (recommendations_fts, rowid, reference, text, themes)
    VALUES ('delete', OLD.seq, OLD.reference, OLD.text, OLD.themes);
  INSERT INTO recommendations_fts (rowid, reference, text, themes) VALUES (NEW.seq, NEW.reference, NEW.text, NEW.themes);
END;

DROP TRIGGER recommendations_ai_sdgs;
CREATE TRIGGER recommendations_ai_sdgs AFTER INSERT ON recommendations
  WHEN NEW.sdg_targets <> '[]' AND (NEW.import_id IS NULL
    OR NOT EXISTS (SELECT 1 FROM imports WHERE id = NEW.import_id AND indexed_through IS NOT NULL AND NEW.seq > indexed_through))
BEGIN
  INSERT OR IGNORE INTO recommendation_sdgs (plan_id, target, goal, recommendation_id)
    SELECT plan_id, code, goal, recommendation_id FROM recommendation_sdg_codes
     WHERE recommendation_id = NEW.id AND goal BETWEEN 1 AND 17;
END;
