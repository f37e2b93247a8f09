-- Trust in what was agreed: verified organisations, reservations, visible withdrawals of
-- signatures, dissenting positions and in-app notices.

-- A coordinator's word that an organisation is who it says it is and speaks for this side in this
-- plan. Only sign-offs of verified organisations count towards agreement. Removing the row is
-- revoking the verification (the audit log keeps both acts).
CREATE TABLE organisation_verifications (
  plan_id TEXT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  organisation_id TEXT NOT NULL REFERENCES organisations (id),
  -- The side vouched for, copied: a sign-off counts for this side.
  side TEXT NOT NULL CHECK (side IN ('government', 'civil_society', 'independent', 'international')),
  -- NULL: the plan's creator's own organisation, whose side was set when Accord was set up.
  verified_by TEXT REFERENCES users (id),
  verified_at TEXT NOT NULL,
  PRIMARY KEY (plan_id, organisation_id)
);

-- Existing plans: their creators' organisations are vouched for by set-up, as for new plans.
-- Every other organisation waits for a coordinator, as an invitee's self-named one always should have.
INSERT INTO organisation_verifications (plan_id, organisation_id, side, verified_by, verified_at)
  SELECT p.id, o.id, o.side, NULL, p.created_at
    FROM plans p JOIN users u ON u.id = p.created_by JOIN organisations o ON o.id = u.organisation_id;

-- "We sign, with this reservation": shown with the signature and in the exported annex.
ALTER TABLE section_signoffs ADD COLUMN reservation TEXT;
-- Whose edit ended a signature, so the section can say "withdrawn when Y edited at …".
ALTER TABLE section_signoffs ADD COLUMN withdrawn_by TEXT REFERENCES users (id);
ALTER TABLE section_signoffs ADD COLUMN withdrawn_by_name TEXT;
-- The Yjs state vector of the text that was signed: whose edits came after it can be told from the
-- stored authorship of clients, whenever the withdrawal is noticed (also after a restart).
ALTER TABLE section_signoffs ADD COLUMN state_vector BLOB;

-- A dissenting position of an organisation on a section, or on one action of it: "we do not
-- agree with this provision, because …". Withdrawn by its organisation, never deleted.
CREATE TABLE dissenting_positions (
  id TEXT PRIMARY KEY,
  plan_id TEXT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  section_id TEXT NOT NULL REFERENCES sections (id) ON DELETE CASCADE,
  action_id TEXT REFERENCES actions (id) ON DELETE SET NULL,
  -- The action's title when the position was taken, so it reads true if the action goes.
  action_title TEXT,
  organisation_id TEXT NOT NULL REFERENCES organisations (id),
  user_id TEXT NOT NULL REFERENCES users (id),
  text TEXT NOT NULL,
  created_at TEXT NOT NULL,
  withdrawn_at TEXT,
  withdrawn_by TEXT REFERENCES users (id)
);
CREATE INDEX dissenting_positions_section ON dissenting_positions (section_id, created_at);

-- Notices for one person in the app (e.g. "your signature was withdrawn when … edited").
CREATE TABLE notifications (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  plan_id TEXT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  summary TEXT NOT NULL,
  -- Where in the app it leads (a path), if anywhere.
  link TEXT,
  created_at TEXT NOT NULL,
  read_at TEXT
);
CREATE INDEX notifications_user ON notifications (user_id, created_at);
