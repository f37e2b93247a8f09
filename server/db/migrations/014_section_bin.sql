-- The bin: deleting a section or a chapter keeps its rows (and the section's document, actions,
-- indicators, recommendation links, comment threads and sign-offs) with deleted_at/deleted_by, so
-- a coordinator can restore it whole for at least 30 days. A section is live when deleted_at is
-- NULL; deleting a chapter marks its live sections too (deleted_with_chapter = 1), so "live
-- section" never needs a join, and restoring the chapter brings back exactly those sections.
-- position keeps the place a deleted section or chapter had, where a restore puts it back.
ALTER TABLE sections ADD COLUMN deleted_at TEXT;
ALTER TABLE sections ADD COLUMN deleted_by TEXT REFERENCES users (id) ON DELETE SET NULL;
ALTER TABLE sections ADD COLUMN deleted_with_chapter INTEGER NOT NULL DEFAULT 0;
ALTER TABLE chapters ADD COLUMN deleted_at TEXT;
ALTER TABLE chapters ADD COLUMN deleted_by TEXT REFERENCES users (id) ON DELETE SET NULL;
CREATE INDEX sections_bin ON sections (plan_id, deleted_at) WHERE deleted_at IS NOT NULL;
CREATE INDEX chapters_bin ON chapters (plan_id, deleted_at) WHERE deleted_at IS NOT NULL;

-- recommendations.action_count counts links from actions of live sections only: a recommendation
-- whose only action is in the bin is unaddressed again (coverage, the "not yet addressed" filter,
-- the export annex), and addressed again when the section is restored.
CREATE TRIGGER sections_to_bin AFTER UPDATE OF deleted_at ON sections
  WHEN OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL
BEGIN
  UPDATE recommendations SET action_count = action_count - (
      SELECT count(*) FROM action_recommendations ar JOIN actions a ON a.id = ar.action_id
       WHERE a.section_id = NEW.id AND ar.recommendation_id = recommendations.id)
   WHERE id IN (SELECT ar.recommendation_id FROM action_recommendations ar JOIN actions a ON a.id = ar.action_id
                 WHERE a.section_id = NEW.id);
END;

CREATE TRIGGER sections_from_bin AFTER UPDATE OF deleted_at ON sections
  WHEN OLD.deleted_at IS NOT NULL AND NEW.deleted_at IS NULL
BEGIN
  UPDATE recommendations SET action_count = action_count + (
      SELECT count(*) FROM action_recommendations ar JOIN actions a ON a.id = ar.action_id
       WHERE a.section_id = NEW.id AND ar.recommendation_id = recommendations.id)
   WHERE id IN (SELECT ar.recommendation_id FROM action_recommendations ar JOIN actions a ON a.id = ar.action_id
                 WHERE a.section_id = NEW.id);
END;

-- Links of actions in the bin are not counted, so adding or removing one leaves the count alone.
-- (Purging the bin deletes those links explicitly while their section row still says "in the bin".)
DROP TRIGGER action_recommendations_ai;
DROP TRIGGER action_recommendations_ad;
CREATE TRIGGER action_recommendations_ai AFTER INSERT ON action_recommendations
  WHEN NOT EXISTS (SELECT 1 FROM actions a JOIN sections s ON s.id = a.section_id
                    WHERE a.id = NEW.action_id AND s.deleted_at IS NOT NULL)
BEGIN
  UPDATE recommendations SET action_count = action_count + 1 WHERE id = NEW.recommendation_id;
END;
CREATE TRIGGER action_recommendations_ad AFTER DELETE ON action_recommendations
  WHEN NOT EXISTS (SELECT 1 FROM actions a JOIN sections s ON s.id = a.section_id
                    WHERE a.id = OLD.action_id AND s.deleted_at IS NOT NULL)
BEGIN
  UPDATE recommendations SET action_count = action_count - 1 WHERE id = OLD.recommendation_id;
END;
