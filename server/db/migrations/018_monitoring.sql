-- After the signature (issue #15): the plan's stage and adoption, reporting rounds, progress
-- reports with observed indicator values and evidence, and civil society's own assessments.
--
-- Progress lives here, beside the signed content (sections, actions, indicators), never inside it:
-- nothing written in these tables changes a section's content hash, so reporting never needs a
-- reopening.

ALTER TABLE plans ADD COLUMN stage TEXT NOT NULL DEFAULT 'drafting'
  CHECK (stage IN ('drafting', 'adopted', 'in_implementation', 'midterm_review', 'completed', 'superseded'));
-- The organisation that monitors implementation; NULL until a coordinator names one.
ALTER TABLE plans ADD COLUMN monitoring_body_id TEXT REFERENCES organisations (id);

-- One row per adopted plan. left_out: JSON [{sectionId, title, reason}] for sections adopted
-- without agreement, each with the coordinator's reason.
CREATE TABLE plan_adoptions (
  plan_id TEXT PRIMARY KEY REFERENCES plans (id) ON DELETE CASCADE,
  act_title TEXT NOT NULL,
  act_number TEXT NOT NULL DEFAULT '',
  act_date TEXT NOT NULL,
  act_url TEXT,
  adopted_by TEXT REFERENCES users (id) ON DELETE SET NULL,
  adopted_by_name TEXT NOT NULL,
  adopted_at TEXT NOT NULL,
  version_group_id TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  left_out TEXT NOT NULL DEFAULT '[]'
);

CREATE TABLE reporting_rounds (
  id TEXT PRIMARY KEY,
  plan_id TEXT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  due_date TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'closed')),
  created_by TEXT REFERENCES users (id) ON DELETE SET NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX reporting_rounds_plan ON reporting_rounds (plan_id, due_date);

-- A report is drafted, then submitted; a submitted report is never changed again. A correction is
-- a new report whose `corrects` names the submitted one it replaces (at most one correction each).
CREATE TABLE progress_reports (
  id TEXT PRIMARY KEY,
  plan_id TEXT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  action_id TEXT NOT NULL REFERENCES actions (id) ON DELETE CASCADE,
  round_id TEXT NOT NULL REFERENCES reporting_rounds (id) ON DELETE CASCADE,
  state TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'submitted')),
  status TEXT NOT NULL CHECK (status IN ('not_started', 'in_progress', 'completed', 'delayed', 'cancelled')),
  reason TEXT NOT NULL DEFAULT '',
  narrative TEXT NOT NULL DEFAULT '',
  spent_amount REAL,
  currency TEXT,
  corrects TEXT REFERENCES progress_reports (id),
  author_id TEXT REFERENCES users (id) ON DELETE SET NULL,
  author_name TEXT NOT NULL,
  author_organisation_id TEXT NOT NULL REFERENCES organisations (id),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  submitted_at TEXT
);
CREATE INDEX progress_reports_action ON progress_reports (action_id, round_id, created_at);
CREATE INDEX progress_reports_round ON progress_reports (round_id);
CREATE UNIQUE INDEX progress_reports_corrects ON progress_reports (corrects) WHERE corrects IS NOT NULL;

-- disaggregated: JSON [{dimension, group, value}].
CREATE TABLE observed_values (
  id TEXT PRIMARY KEY,
  report_id TEXT NOT NULL REFERENCES progress_reports (id) ON DELETE CASCADE,
  indicator_id TEXT NOT NULL REFERENCES indicators (id) ON DELETE CASCADE,
  value REAL NOT NULL,
  observed_on TEXT NOT NULL,
  source TEXT NOT NULL DEFAULT '',
  disaggregated TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX observed_values_report ON observed_values (report_id);
CREATE INDEX observed_values_indicator ON observed_values (indicator_id);

-- Evidence for a report: a link, or a file stored under DATA_DIR (storage_key names it there; the
-- bytes never live in the database).
CREATE TABLE evidence (
  id TEXT PRIMARY KEY,
  plan_id TEXT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  report_id TEXT NOT NULL REFERENCES progress_reports (id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('link', 'file')),
  url TEXT,
  label TEXT NOT NULL,
  mime_type TEXT,
  size INTEGER,
  storage_key TEXT,
  created_by TEXT REFERENCES users (id) ON DELETE SET NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX evidence_report ON evidence (report_id);

-- One organisation's assessment of one action or recommendation in one round. Only members of
-- that organisation revise it (each revision is in the audit log with before and after); nobody
-- can hide it. evidence_links: JSON array of http(s) addresses.
CREATE TABLE assessments (
  id TEXT PRIMARY KEY,
  plan_id TEXT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  round_id TEXT NOT NULL REFERENCES reporting_rounds (id) ON DELETE CASCADE,
  target_type TEXT NOT NULL CHECK (target_type IN ('action', 'recommendation')),
  target_id TEXT NOT NULL,
  organisation_id TEXT NOT NULL REFERENCES organisations (id),
  rating TEXT NOT NULL CHECK (rating IN ('not_implemented', 'partially_implemented', 'fully_implemented', 'no_information')),
  justification TEXT NOT NULL,
  evidence_links TEXT NOT NULL DEFAULT '[]',
  author_id TEXT REFERENCES users (id) ON DELETE SET NULL,
  author_name TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (round_id, target_type, target_id, organisation_id)
);
CREATE INDEX assessments_target ON assessments (target_type, target_id);
