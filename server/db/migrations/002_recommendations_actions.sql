-- Recommendations (imported or entered by hand), their imports, plan actions and indicators.

-- `seq` is the rowid the full-text index points at: declared, so VACUUM can never renumber it.
-- The list columns (recommending_states, themes, affected_persons, sdg_targets) are JSON arrays:
-- a row is read back whole without joins. Filtering and facets use recommendation_tags instead.
CREATE TABLE recommendations (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  plan_id TEXT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  source_key TEXT NOT NULL,
  reference TEXT NOT NULL,
  -- The reference with digit runs zero-padded, so 97.2 sorts before 97.10.
  sort_key TEXT NOT NULL,
  mechanism TEXT NOT NULL,
  document_symbol TEXT,
  paragraph TEXT,
  cycle INTEGER,
  session TEXT,
  date TEXT,
  state_under_review TEXT NOT NULL,
  recommending_states TEXT NOT NULL DEFAULT '[]',
  text TEXT NOT NULL,
  language TEXT NOT NULL DEFAULT 'en',
  position TEXT NOT NULL CHECK (position IN ('supported', 'supported_in_part', 'noted', 'pending')),
  -- Sort order of positions (supported first), computed, so "sort by position" can use an index.
  position_rank INTEGER GENERATED ALWAYS AS
    (CASE position WHEN 'supported' THEN 0 WHEN 'supported_in_part' THEN 1 WHEN 'noted' THEN 2 ELSE 3 END) VIRTUAL,
  position_source TEXT,
  themes TEXT NOT NULL DEFAULT '[]',
  affected_persons TEXT NOT NULL DEFAULT '[]',
  sdg_targets TEXT NOT NULL DEFAULT '[]',
  action_category INTEGER,
  notes TEXT,
  import_id TEXT REFERENCES imports (id) ON DELETE SET NULL,
  -- Number of actions linked, kept by triggers on action_recommendations (which also fire for
  -- cascaded deletes). "Unaddressed" and coverage then read a column instead of probing links
  -- 40,000 times.
  action_count INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (plan_id, source_key),
  UNIQUE (plan_id, reference)
);
CREATE INDEX recommendations_sort ON recommendations (plan_id, sort_key);
CREATE INDEX recommendations_mechanism ON recommendations (plan_id, mechanism, sort_key);
CREATE INDEX recommendations_position ON recommendations (plan_id, position, sort_key);
CREATE INDEX recommendations_position_rank ON recommendations (plan_id, position_rank, sort_key);
CREATE INDEX recommendations_addressed ON recommendations (plan_id, action_count, sort_key);
CREATE INDEX recommendations_cycle ON recommendations (plan_id, cycle, sort_key);
CREATE INDEX recommendations_date ON recommendations (plan_id, date, sort_key);
-- Coverage reads only position and action_count per recommendation: covering indexes let it
-- aggregate 40,000 rows (and their ~100,000 theme tags) from indexes alone, 3x faster.
CREATE INDEX recommendations_coverage ON recommendations (plan_id, mechanism, position, action_count);
CREATE INDEX recommendations_id_coverage ON recommendations (id, position, action_count);

-- One row per (recommendation, kind, value) for the multi-valued fields people filter on.
-- An index lookup finds the ~hundreds of rows with a theme among 40,000 without parsing JSON, and
-- the same index answers the facet lists (DISTINCT value) without touching the recommendations.
-- Kept in sync by the triggers below, so no code path can forget it.
CREATE TABLE recommendation_tags (
  recommendation_id TEXT NOT NULL REFERENCES recommendations (id) ON DELETE CASCADE,
  plan_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('theme', 'state', 'affected')),
  value TEXT NOT NULL,
  PRIMARY KEY (plan_id, kind, value, recommendation_id)
) WITHOUT ROWID;
CREATE INDEX recommendation_tags_recommendation ON recommendation_tags (recommendation_id);

-- Full-text index over text, reference and themes; external content, so the text is stored once.
-- porter: "tortured" finds "torture"; remove_diacritics: Belarusian/Russian/Latin spellings meet.
CREATE VIRTUAL TABLE recommendations_fts USING fts5 (
  reference, text, themes,
  content = 'recommendations', content_rowid = 'seq',
  tokenize = 'porter unicode61 remove_diacritics 2'
);

CREATE TRIGGER recommendations_ai AFTER INSERT ON recommendations BEGIN
  INSERT INTO recommendations_fts (rowid, reference, text, themes) VALUES (NEW.seq, NEW.reference, NEW.text, NEW.themes);
  INSERT OR IGNORE INTO recommendation_tags (recommendation_id, plan_id, kind, value)
    SELECT NEW.id, NEW.plan_id, 'theme', value FROM json_each(NEW.themes)
    UNION SELECT NEW.id, NEW.plan_id, 'state', value FROM json_each(NEW.recommending_states)
    UNION SELECT NEW.id, NEW.plan_id, 'affected', value FROM json_each(NEW.affected_persons);
END;

CREATE TRIGGER recommendations_ad AFTER DELETE ON recommendations BEGIN
  INSERT INTO recommendations_fts (recommendations_fts, rowid, reference, text, themes)
    VALUES ('delete', OLD.seq, OLD.reference, OLD.text, OLD.themes);
END;

CREATE TRIGGER recommendations_au_fts AFTER UPDATE OF reference, text, themes ON recommendations BEGIN
  INSERT INTO recommendations_fts (recommendations_fts, rowid, reference, text, themes)
    VALUES ('delete', OLD.seq, OLD.reference, OLD.text, OLD.themes);
  INSERT INTO recommendations_fts (rowid, reference, text, themes) VALUES (NEW.seq, NEW.reference, NEW.text, NEW.themes);
END;

CREATE TRIGGER recommendations_au_tags AFTER UPDATE OF themes, recommending_states, affected_persons ON recommendations BEGIN
  DELETE FROM recommendation_tags WHERE recommendation_id = NEW.id;
  INSERT OR IGNORE INTO recommendation_tags (recommendation_id, plan_id, kind, value)
    SELECT NEW.id, NEW.plan_id, 'theme', value FROM json_each(NEW.themes)
    UNION SELECT NEW.id, NEW.plan_id, 'state', value FROM json_each(NEW.recommending_states)
    UNION SELECT NEW.id, NEW.plan_id, 'affected', value FROM json_each(NEW.affected_persons);
END;

CREATE TABLE imports (
  id TEXT PRIMARY KEY,
  plan_id TEXT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  format TEXT NOT NULL,
  filename TEXT NOT NULL,
  created_by TEXT NOT NULL REFERENCES users (id),
  created_at TEXT NOT NULL,
  created INTEGER NOT NULL DEFAULT 0,
  updated INTEGER NOT NULL DEFAULT 0,
  undone_at TEXT
);
CREATE INDEX imports_plan ON imports (plan_id, created_at);

-- What one import did, so it can be undone exactly: created rows are deleted, updated rows get
-- `previous` (their fields before the import, JSON) back. A recommendation deleted by hand later
-- takes its change rows with it: there is nothing left to undo for it.
CREATE TABLE import_changes (
  import_id TEXT NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
  recommendation_id TEXT NOT NULL REFERENCES recommendations (id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('created', 'updated')),
  previous TEXT,
  PRIMARY KEY (import_id, recommendation_id)
) WITHOUT ROWID;
CREATE INDEX import_changes_recommendation ON import_changes (recommendation_id);

-- Organisations added to a plan for actions (lead agencies that have no members yet).
CREATE TABLE plan_organisations (
  plan_id TEXT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  organisation_id TEXT NOT NULL REFERENCES organisations (id),
  added_by TEXT NOT NULL REFERENCES users (id),
  added_at TEXT NOT NULL,
  PRIMARY KEY (plan_id, organisation_id)
) WITHOUT ROWID;

-- start_at/end_at hold a TimePoint (2027, 2027-Q2 or 2027-05-31); "end" is an SQL keyword.
CREATE TABLE actions (
  id TEXT PRIMARY KEY,
  plan_id TEXT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  section_id TEXT NOT NULL REFERENCES sections (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  lead_agency_id TEXT REFERENCES organisations (id),
  start_at TEXT,
  end_at TEXT,
  status TEXT NOT NULL CHECK (status IN ('planned', 'in_progress', 'completed', 'delayed', 'cancelled')),
  budget_amount REAL,
  currency TEXT,
  funding_source TEXT,
  created_by TEXT NOT NULL REFERENCES users (id),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX actions_section ON actions (section_id, position);
CREATE INDEX actions_plan ON actions (plan_id);

CREATE TABLE action_organisations (
  action_id TEXT NOT NULL REFERENCES actions (id) ON DELETE CASCADE,
  organisation_id TEXT NOT NULL REFERENCES organisations (id),
  role TEXT NOT NULL CHECK (role IN ('co_implementer', 'cso_partner')),
  position INTEGER NOT NULL,
  PRIMARY KEY (action_id, role, organisation_id)
) WITHOUT ROWID;

CREATE TABLE action_recommendations (
  action_id TEXT NOT NULL REFERENCES actions (id) ON DELETE CASCADE,
  recommendation_id TEXT NOT NULL REFERENCES recommendations (id) ON DELETE CASCADE,
  PRIMARY KEY (action_id, recommendation_id)
) WITHOUT ROWID;
CREATE INDEX action_recommendations_recommendation ON action_recommendations (recommendation_id, action_id);

CREATE TRIGGER action_recommendations_ai AFTER INSERT ON action_recommendations BEGIN
  UPDATE recommendations SET action_count = action_count + 1 WHERE id = NEW.recommendation_id;
END;
CREATE TRIGGER action_recommendations_ad AFTER DELETE ON action_recommendations BEGIN
  UPDATE recommendations SET action_count = action_count - 1 WHERE id = OLD.recommendation_id;
END;

CREATE TABLE indicators (
  id TEXT PRIMARY KEY,
  action_id TEXT NOT NULL REFERENCES actions (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  type TEXT NOT NULL CHECK (type IN ('structural', 'process', 'outcome')),
  description TEXT NOT NULL,
  unit TEXT,
  baseline_value TEXT,
  baseline_year INTEGER,
  target_value TEXT,
  target_year INTEGER,
  data_source TEXT,
  frequency TEXT,
  disaggregation TEXT NOT NULL DEFAULT '[]',
  proposed_by_organisation_id TEXT REFERENCES organisations (id),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX indicators_action ON indicators (action_id, position);
