-- Agreement of sections (status, sign-offs on an exact content hash, the plan's sign-off rule)
-- and the audit log.

ALTER TABLE sections ADD COLUMN status TEXT NOT NULL DEFAULT 'drafting' CHECK (status IN ('drafting', 'in_review', 'agreed'));
ALTER TABLE sections ADD COLUMN agreed_at TEXT;
-- The content hash (shared/doc/canonical.ts) the sign-offs covered when the section became agreed.
ALTER TABLE sections ADD COLUMN agreed_hash TEXT;

-- One person's sign-off of one exact content hash. Never deleted by the application: a reopening
-- or a change of the text withdraws it (withdrawn_at, withdrawn_reason), so the history stays.
-- The organisation and side are those of the signer at the moment of signing.
CREATE TABLE section_signoffs (
  id TEXT PRIMARY KEY,
  section_id TEXT NOT NULL REFERENCES sections (id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users (id),
  organisation_id TEXT NOT NULL REFERENCES organisations (id),
  side TEXT NOT NULL CHECK (side IN ('government', 'civil_society', 'independent', 'international')),
  content_hash TEXT NOT NULL,
  signed_at TEXT NOT NULL,
  withdrawn_at TEXT,
  withdrawn_reason TEXT
);
CREATE INDEX section_signoffs_section ON section_signoffs (section_id, signed_at);
-- One active sign-off per person per section.
CREATE UNIQUE INDEX section_signoffs_active ON section_signoffs (section_id, user_id) WHERE withdrawn_at IS NULL;

-- Who must sign for a section to become agreed; no row = DEFAULT_SIGNOFF_RULE (shared/api/agreement.ts).
CREATE TABLE plan_signoff_rules (
  plan_id TEXT PRIMARY KEY REFERENCES plans (id) ON DELETE CASCADE,
  rule TEXT NOT NULL,
  updated_by TEXT REFERENCES users (id),
  updated_at TEXT NOT NULL
);

-- Append-only from the application's point of view: the triggers below refuse any UPDATE or
-- DELETE. No foreign keys, so deleting a plan, a person or an organisation never needs to touch
-- the log; actor name, organisation and role are copied in when the entry is written.
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  plan_id TEXT NOT NULL,
  at TEXT NOT NULL,
  actor_id TEXT,
  actor_name TEXT NOT NULL,
  actor_organisation TEXT NOT NULL,
  actor_role TEXT,
  action TEXT NOT NULL,
  target_type TEXT NOT NULL,
  target_id TEXT,
  summary TEXT NOT NULL,
  details TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_plan ON audit_log (plan_id, id);
CREATE INDEX audit_log_plan_action ON audit_log (plan_id, action, id);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;
