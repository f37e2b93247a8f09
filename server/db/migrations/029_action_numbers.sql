-- Plan-wide action numbers, fixed when a plan is adopted (issue #18): a decree or a progress report
-- cites "measure 12", so 12 must stay the same action. Before adoption the exports number actions
-- in plan order as they stand; at adoption those numbers are written here and never change. An
-- action added later (a section reopened after adoption) takes the next free number; a deleted
-- action's number is not reused.
CREATE TABLE action_numbers (
  plan_id TEXT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  action_id TEXT NOT NULL,
  number INTEGER NOT NULL CHECK (number > 0),
  PRIMARY KEY (plan_id, action_id),
  UNIQUE (plan_id, number)
);
