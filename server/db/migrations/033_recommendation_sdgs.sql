-- SDG targets people filter and count by (issue #19): one row per (recommendation, target code),
-- like recommendation_tags, so "recommendations on goal 16" and coverage per goal are index
-- lookups among 40,000 rows instead of parsing every row's JSON. `target` is the stored code
-- ("16.3", "5.a", or "16" for a goal as a whole); `goal` its number. Values imported before codes
-- were checked ("16.1 Significantly reduce…", the UHRI export's words) count by their leading code;
-- ones naming no goal are not indexed. Kept in sync by triggers, so no code path can forget it.
CREATE TABLE recommendation_sdgs (
  plan_id TEXT NOT NULL,
  target TEXT NOT NULL,
  goal INTEGER NOT NULL CHECK (goal BETWEEN 1 AND 17),
  recommendation_id TEXT NOT NULL REFERENCES recommendations (id) ON DELETE CASCADE,
  PRIMARY KEY (plan_id, target, recommendation_id)
) WITHOUT ROWID;
CREATE INDEX recommendation_sdgs_goal ON recommendation_sdgs (plan_id, goal, recommendation_id);
CREATE INDEX recommendation_sdgs_recommendation ON recommendation_sdgs (recommendation_id);

-- The leading code of each stored value: everything before the first space.
CREATE VIEW recommendation_sdg_codes AS
  SELECT recommendation_id, plan_id, code, CAST(code AS INTEGER) AS goal
    FROM (SELECT r.id AS recommendation_id, r.plan_id,
                 CASE WHEN instr(trim(j.value), ' ') > 0 THEN substr(trim(j.value), 1, instr(trim(j.value), ' ') - 1)
                      ELSE trim(j.value) END AS code
            FROM recommendations r, json_each(r.sdg_targets) j);

INSERT OR IGNORE INTO recommendation_sdgs (plan_id, target, goal, recommendation_id)
  SELECT plan_id, code, goal, recommendation_id FROM recommendation_sdg_codes WHERE goal BETWEEN 1 AND 17;

CREATE TRIGGER recommendations_ai_sdgs AFTER INSERT ON recommendations WHEN NEW.sdg_targets <> '[]' BEGIN
  INSERT OR IGNORE INTO recommendation_sdgs (plan_id, target, goal, recommendation_id)
    SELECT plan_id, code, goal, recommendation_id FROM recommendation_sdg_codes
     WHERE recommendation_id = NEW.id AND goal BETWEEN 1 AND 17;
END;

CREATE TRIGGER recommendations_au_sdgs AFTER UPDATE OF sdg_targets ON recommendations BEGIN
  DELETE FROM recommendation_sdgs WHERE recommendation_id = NEW.id;
  INSERT OR IGNORE INTO recommendation_sdgs (plan_id, target, goal, recommendation_id)
    SELECT plan_id, code, goal, recommendation_id FROM recommendation_sdg_codes
     WHERE recommendation_id = NEW.id AND goal BETWEEN 1 AND 17;
END;
