-- Groups of recommendations that say the same thing (issue #19): different States, cycles or
-- mechanisms asking for one thing. Accord proposes groups (server/services/recommendationGroups);
-- a drafter or coordinator confirms, splits or dismisses them, each decision in the audit log.
-- A confirmed group is one ask: coverage counts it once, and linking an action to it links all
-- its members.
CREATE TABLE recommendation_groups (
  id TEXT PRIMARY KEY,
  plan_id TEXT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  status TEXT NOT NULL CHECK (status IN ('proposed', 'confirmed')),
  -- The weakest similarity that joined the proposal (0–1), to review the surest first.
  score REAL NOT NULL,
  proposed_by TEXT NOT NULL REFERENCES users (id),
  proposed_at TEXT NOT NULL,
  confirmed_by TEXT REFERENCES users (id),
  confirmed_at TEXT,
  CHECK ((status = 'confirmed') = (confirmed_at IS NOT NULL AND confirmed_by IS NOT NULL))
);
CREATE INDEX recommendation_groups_plan ON recommendation_groups (plan_id, status, score);

-- A recommendation is in at most one group, proposed or confirmed.
CREATE TABLE recommendation_group_members (
  group_id TEXT NOT NULL REFERENCES recommendation_groups (id) ON DELETE CASCADE,
  recommendation_id TEXT NOT NULL UNIQUE REFERENCES recommendations (id) ON DELETE CASCADE,
  PRIMARY KEY (group_id, recommendation_id)
) WITHOUT ROWID;

-- Sets of recommendations a person dismissed as a group: proposing again does not bring them back.
-- `members` is the sorted member ids joined by spaces.
CREATE TABLE recommendation_group_dismissals (
  plan_id TEXT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  members TEXT NOT NULL,
  dismissed_by TEXT NOT NULL REFERENCES users (id),
  dismissed_at TEXT NOT NULL,
  PRIMARY KEY (plan_id, members)
) WITHOUT ROWID;

-- A recommendation deleted from a group of two leaves no group: the group goes with it. (Only when
-- the recommendation itself is gone; a split removes members of a group it keeps.)
CREATE TRIGGER recommendation_group_members_ad AFTER DELETE ON recommendation_group_members
  WHEN NOT EXISTS (SELECT 1 FROM recommendations WHERE id = OLD.recommendation_id)
   AND (SELECT count(*) FROM recommendation_group_members WHERE group_id = OLD.group_id) < 2
BEGIN
  DELETE FROM recommendation_groups WHERE id = OLD.group_id;
END;
