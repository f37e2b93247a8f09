-- The PostgreSQL schema equal to SQLite's after migrations 001–040 (server/db/migrations/), in one
-- file: no PostgreSQL deployment existed before it, so there is no history to replay. Recorded in
-- schema_migrations as version 40 only; the PostgreSQL folder holds nothing below it and the runner
-- (server/db/postgres/migrate.ts) refuses a file numbered below its baseline. From 041 on, every
-- migration exists in both folders under the same number (tests/postgres/migrations.test.ts).
--
-- Rows must read back through the same shapes (server/db/rows.ts) on both engines, so the types
-- follow what SQLite stores, not what PostgreSQL would suggest:
-- - ids, timestamps and dates are TEXT, as the services write them (ISO strings, "2027-Q2");
-- - every INTEGER is BIGINT: SQLite's integers are 64-bit, and some hold more than 2^31 (Yjs client
--   ids are unsigned 32-bit, import_previews.expires_at is milliseconds since 1970). The pool
--   (server/db/postgres/pool.ts) reads int8 as a JavaScript number, as better-sqlite3 does;
-- - booleans stay integers 0/1 (sections.deleted_with_chapter), read by col.bool;
-- - REAL is DOUBLE PRECISION, the same 8-byte float (NUMERIC would compute in decimals);
-- - BLOB is BYTEA (Yjs updates, snapshots, state vectors, comment anchors);
-- - every TEXT column is COLLATE "C": SQLite compares text byte by byte (BINARY), so ORDER BY,
--   UNIQUE and lower() (ASCII letters only) behave the same on both engines whatever locale the
--   PostgreSQL cluster was created with (a server's default, often en_US, would sort 'a' before
--   'B' and fold Cyrillic in lower(), unlike SQLite). Text search is unaffected: it lower-cases
--   words by the database's LC_CTYPE, which must know Unicode (C.UTF-8, en_US.UTF-8, …): under
--   plain C, Cyrillic words keep their capitals and a search would depend on letter case;
-- - JSON stays TEXT, not JSONB: JSONB rewrites what it stores (key order, spaces), and content
--   hashes and exports read these strings as written. Triggers parse it where SQLite used json_each.
--
-- Differences that cannot be avoided, each checked or listed by tests/postgres/schema-parity.test.ts:
-- - SQLite lets a non-integer PRIMARY KEY column hold NULL (a historical quirk); PostgreSQL never
--   does. No service writes a NULL key, so nothing changes for them.
-- - INTEGER PRIMARY KEY AUTOINCREMENT (audit_log.id, suggestion_decisions.id) is an identity
--   column: numbers only grow and are never reused, as with AUTOINCREMENT. recommendations.seq
--   (declared INTEGER PRIMARY KEY without AUTOINCREMENT: the next seq is max+1) is an identity too;
--   PostgreSQL never hands out a seq twice, which is at least as strong. Two differences for the
--   step that moves the services: numbers are handed out in the order transactions ask, not the
--   order they commit (with several processes a lower seq can become visible after a higher one);
--   and BY DEFAULT lets a copy of SQLite's rows keep their numbers, after which the copy must move
--   the identity past them (setval). sqlite_sequence, AUTOINCREMENT's own bookkeeping, has no
--   counterpart.
-- - recommendations.position_rank is VIRTUAL in SQLite; PostgreSQL 15 has only STORED generated
--   columns. Same values, same index.
-- - WITHOUT ROWID only changes SQLite's storage; PostgreSQL finds rows by the same primary keys.
-- - The FTS5 table recommendations_fts (and its shadow tables) and the triggers that kept it are
--   replaced by a generated tsvector column with a GIN index: see "Full-text search" below.
-- - Triggers whose WHEN clause holds a subquery become trigger functions that test it first:
--   PostgreSQL allows no subquery in a trigger's WHEN.

-- People, organisations, plans, their outline.
CREATE TABLE organisations (
  id TEXT COLLATE "C" PRIMARY KEY,
  name TEXT COLLATE "C" NOT NULL,
  side TEXT COLLATE "C" NOT NULL CHECK (side IN ('government', 'civil_society', 'independent', 'international')),
  color TEXT COLLATE "C" NOT NULL,
  created_at TEXT COLLATE "C" NOT NULL
);
CREATE UNIQUE INDEX organisations_name ON organisations (lower(name));

CREATE TABLE users (
  id TEXT COLLATE "C" PRIMARY KEY,
  email TEXT COLLATE "C" NOT NULL UNIQUE,
  name TEXT COLLATE "C" NOT NULL,
  password_hash TEXT COLLATE "C" NOT NULL,
  organisation_id TEXT COLLATE "C" NOT NULL REFERENCES organisations (id),
  created_at TEXT COLLATE "C" NOT NULL,
  language TEXT COLLATE "C" CHECK (language IS NULL OR language IN ('be', 'ru', 'en'))
);

CREATE TABLE sessions (
  token_hash TEXT COLLATE "C" PRIMARY KEY,
  user_id TEXT COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at TEXT COLLATE "C" NOT NULL,
  expires_at TEXT COLLATE "C" NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE plans (
  id TEXT COLLATE "C" PRIMARY KEY,
  title TEXT COLLATE "C" NOT NULL,
  country TEXT COLLATE "C" NOT NULL,
  period_start BIGINT NOT NULL,
  period_end BIGINT NOT NULL,
  source TEXT COLLATE "C",
  created_by TEXT COLLATE "C" NOT NULL REFERENCES users (id),
  created_at TEXT COLLATE "C" NOT NULL,
  stage TEXT COLLATE "C" NOT NULL DEFAULT 'drafting'
    CHECK (stage IN ('drafting', 'adopted', 'in_implementation', 'midterm_review', 'completed', 'superseded')),
  monitoring_body_id TEXT COLLATE "C" REFERENCES organisations (id),
  export_retention_days BIGINT NOT NULL DEFAULT 30 CHECK (export_retention_days BETWEEN 1 AND 3650)
);

CREATE TABLE plan_members (
  plan_id TEXT COLLATE "C" NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  user_id TEXT COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role TEXT COLLATE "C" NOT NULL CHECK (role IN ('coordinator', 'drafter', 'commenter', 'observer')),
  joined_at TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (plan_id, user_id)
);
CREATE INDEX plan_members_user ON plan_members (user_id);

CREATE TABLE invites (
  id TEXT COLLATE "C" PRIMARY KEY,
  token_hash TEXT COLLATE "C" NOT NULL UNIQUE,
  plan_id TEXT COLLATE "C" NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  role TEXT COLLATE "C" NOT NULL CHECK (role IN ('coordinator', 'drafter', 'commenter', 'observer')),
  created_by TEXT COLLATE "C" NOT NULL REFERENCES users (id),
  created_at TEXT COLLATE "C" NOT NULL,
  expires_at TEXT COLLATE "C" NOT NULL,
  used_by TEXT COLLATE "C" REFERENCES users (id),
  used_at TEXT COLLATE "C",
  organisation_id TEXT COLLATE "C" REFERENCES organisations (id),
  note TEXT COLLATE "C" NOT NULL DEFAULT ''
);

CREATE TABLE chapters (
  id TEXT COLLATE "C" PRIMARY KEY,
  plan_id TEXT COLLATE "C" NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  title TEXT COLLATE "C" NOT NULL,
  position BIGINT NOT NULL,
  deleted_at TEXT COLLATE "C",
  deleted_by TEXT COLLATE "C" REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX chapters_plan ON chapters (plan_id, position);
CREATE INDEX chapters_bin ON chapters (plan_id, deleted_at) WHERE deleted_at IS NOT NULL;

CREATE TABLE sections (
  id TEXT COLLATE "C" PRIMARY KEY,
  plan_id TEXT COLLATE "C" NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  chapter_id TEXT COLLATE "C" NOT NULL REFERENCES chapters (id) ON DELETE CASCADE,
  title TEXT COLLATE "C" NOT NULL,
  position BIGINT NOT NULL,
  status TEXT COLLATE "C" NOT NULL DEFAULT 'drafting' CHECK (status IN ('drafting', 'in_review', 'agreed')),
  agreed_at TEXT COLLATE "C",
  agreed_hash TEXT COLLATE "C",
  deleted_at TEXT COLLATE "C",
  deleted_by TEXT COLLATE "C" REFERENCES users (id) ON DELETE SET NULL,
  deleted_with_chapter BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX sections_chapter ON sections (chapter_id, position);
CREATE INDEX sections_bin ON sections (plan_id, deleted_at) WHERE deleted_at IS NOT NULL;

-- Section documents and their Yjs update log.
CREATE TABLE documents (
  name TEXT COLLATE "C" PRIMARY KEY,
  schema_version BIGINT NOT NULL,
  created_at TEXT COLLATE "C" NOT NULL
);

CREATE TABLE document_updates (
  document_name TEXT COLLATE "C" NOT NULL REFERENCES documents (name) ON DELETE CASCADE,
  seq BIGINT NOT NULL,
  data BYTEA NOT NULL,
  created_at TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (document_name, seq)
);

CREATE TABLE document_clients (
  document_name TEXT COLLATE "C" NOT NULL REFERENCES documents (name) ON DELETE CASCADE,
  client_id BIGINT NOT NULL,
  user_id TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (document_name, client_id)
);

-- Recommendations and their imports (imports first: recommendations refer to them).
CREATE TABLE imports (
  id TEXT COLLATE "C" PRIMARY KEY,
  plan_id TEXT COLLATE "C" NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  format TEXT COLLATE "C" NOT NULL,
  filename TEXT COLLATE "C" NOT NULL,
  created_by TEXT COLLATE "C" NOT NULL REFERENCES users (id),
  created_at TEXT COLLATE "C" NOT NULL,
  created BIGINT NOT NULL DEFAULT 0,
  updated BIGINT NOT NULL DEFAULT 0,
  undone_at TEXT COLLATE "C",
  state TEXT COLLATE "C" NOT NULL DEFAULT 'committed' CHECK (state IN ('committing', 'committed', 'undoing', 'undone')),
  -- Kept for the import's bookkeeping (migration 034). On PostgreSQL every row is in the search
  -- index from its INSERT (a generated column), so nothing has to wait for this mark; readers hide
  -- a busy import's rows by its state, as on SQLite.
  indexed_through BIGINT,
  undo_checked_at TEXT COLLATE "C",
  owner TEXT COLLATE "C"
);
CREATE INDEX imports_plan ON imports (plan_id, created_at);
CREATE INDEX imports_busy ON imports (state) WHERE state IN ('committing', 'undoing');

-- Which text search configuration reads a recommendation of this language. PostgreSQL has
-- stemming dictionaries for English and Russian, so "пыток" finds "пытки" and "tortured" finds
-- "torture"; it has none for Belarusian, which is split into words and lower-cased ('simple'), so
-- a Belarusian word finds that word form. Any other language code reads as 'simple' too.
-- IMMUTABLE, as a generated column requires: changing it means re-creating the column.
CREATE FUNCTION accord_search_config(language TEXT) RETURNS regconfig
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT CASE lower(split_part(language, '-', 1))
                 WHEN 'en' THEN 'pg_catalog.english'::regconfig
                 WHEN 'ru' THEN 'pg_catalog.russian'::regconfig
                 ELSE 'pg_catalog.simple'::regconfig END $$;

-- What a person typed, as a query that finds rows of every language: the same words read as
-- English, as Russian and as plain words, joined by OR, so "пытки" matches Russian rows by stem
-- and Belarusian rows by the word itself. websearch_to_tsquery accepts any input without error
-- (no operator syntax can be injected).
CREATE FUNCTION accord_search_query(typed TEXT) RETURNS tsquery
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT websearch_to_tsquery('pg_catalog.english', typed)
            || websearch_to_tsquery('pg_catalog.russian', typed)
            || websearch_to_tsquery('pg_catalog.simple', typed) $$;

-- The list columns (recommending_states, themes, affected_persons, sdg_targets) are JSON arrays as
-- TEXT; filtering uses recommendation_tags and recommendation_sdgs.
CREATE TABLE recommendations (
  seq BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  id TEXT COLLATE "C" NOT NULL UNIQUE,
  plan_id TEXT COLLATE "C" NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  source_key TEXT COLLATE "C" NOT NULL,
  reference TEXT COLLATE "C" NOT NULL,
  sort_key TEXT COLLATE "C" NOT NULL,
  mechanism TEXT COLLATE "C" NOT NULL,
  document_symbol TEXT COLLATE "C",
  paragraph TEXT COLLATE "C",
  cycle BIGINT,
  session TEXT COLLATE "C",
  date TEXT COLLATE "C",
  state_under_review TEXT COLLATE "C" NOT NULL,
  recommending_states TEXT COLLATE "C" NOT NULL DEFAULT '[]',
  text TEXT COLLATE "C" NOT NULL,
  language TEXT COLLATE "C" NOT NULL DEFAULT 'en',
  position TEXT COLLATE "C" NOT NULL CHECK (position IN ('supported', 'supported_in_part', 'noted', 'pending')),
  position_rank BIGINT GENERATED ALWAYS AS
    (CASE position WHEN 'supported' THEN 0 WHEN 'supported_in_part' THEN 1 WHEN 'noted' THEN 2 ELSE 3 END) STORED,
  position_source TEXT COLLATE "C",
  themes TEXT COLLATE "C" NOT NULL DEFAULT '[]',
  affected_persons TEXT COLLATE "C" NOT NULL DEFAULT '[]',
  sdg_targets TEXT COLLATE "C" NOT NULL DEFAULT '[]',
  action_category BIGINT,
  notes TEXT COLLATE "C",
  import_id TEXT COLLATE "C" REFERENCES imports (id) ON DELETE SET NULL,
  action_count BIGINT NOT NULL DEFAULT 0,
  created_at TEXT COLLATE "C" NOT NULL,
  updated_at TEXT COLLATE "C" NOT NULL,
  kind TEXT COLLATE "C" NOT NULL DEFAULT 'recommendation' CHECK (kind IN ('recommendation', 'pledge')),
  -- Full-text search: replaces SQLite's recommendations_fts (FTS5 over reference, text and themes,
  -- porter stemming) and the triggers that kept it (migrations 002, 034) and the service step that
  -- fills it for new rows (migration 037, server/services/recommendationIndex.ts). A generated
  -- column is computed by every INSERT and UPDATE and goes with its row on DELETE, so it cannot
  -- miss a row or hold a stale one, whatever code writes. Each row is read in its own language
  -- (accord_search_config); weights follow the FTS5 ranking (bm25 5.0 reference, 2.0 themes,
  -- 1.0 text): A, B, C. Query it with `search_vector @@ accord_search_query($1)`.
  -- What is lost: FTS5's remove_diacritics (PostgreSQL's unaccent is an extension Accord does not
  -- require); Russian and English gain real stemming in their own language.
  search_vector tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector(accord_search_config(language), reference), 'A')
    || setweight(to_tsvector(accord_search_config(language), themes), 'B')
    || setweight(to_tsvector(accord_search_config(language), text), 'C')
  ) STORED,
  UNIQUE (plan_id, source_key),
  UNIQUE (plan_id, reference)
);
CREATE INDEX recommendations_sort ON recommendations (plan_id, sort_key);
CREATE INDEX recommendations_mechanism ON recommendations (plan_id, mechanism, sort_key);
CREATE INDEX recommendations_position_rank ON recommendations (plan_id, position_rank, sort_key);
CREATE INDEX recommendations_addressed ON recommendations (plan_id, action_count, sort_key);
CREATE INDEX recommendations_cycle ON recommendations (plan_id, cycle, sort_key);
CREATE INDEX recommendations_date ON recommendations (plan_id, date, sort_key);
CREATE INDEX recommendations_coverage ON recommendations (plan_id, mechanism, position, action_count, import_id);
CREATE INDEX recommendations_id_coverage ON recommendations (id, position, action_count, import_id);
CREATE INDEX recommendations_search ON recommendations USING gin (search_vector);

CREATE TABLE recommendation_tags (
  recommendation_id TEXT COLLATE "C" NOT NULL REFERENCES recommendations (id) ON DELETE CASCADE,
  plan_id TEXT COLLATE "C" NOT NULL,
  kind TEXT COLLATE "C" NOT NULL CHECK (kind IN ('theme', 'state', 'affected')),
  value TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (plan_id, kind, value, recommendation_id)
);
CREATE INDEX recommendation_tags_recommendation ON recommendation_tags (recommendation_id);

CREATE TABLE import_changes (
  import_id TEXT COLLATE "C" NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
  recommendation_id TEXT COLLATE "C" NOT NULL REFERENCES recommendations (id) ON DELETE CASCADE,
  kind TEXT COLLATE "C" NOT NULL CHECK (kind IN ('created', 'updated')),
  previous TEXT COLLATE "C",
  kept_because TEXT COLLATE "C",
  PRIMARY KEY (import_id, recommendation_id)
);
CREATE INDEX import_changes_recommendation ON import_changes (recommendation_id);

CREATE TABLE import_holds (
  import_id TEXT COLLATE "C" NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
  recommendation_id TEXT COLLATE "C" NOT NULL REFERENCES recommendations (id) ON DELETE CASCADE,
  PRIMARY KEY (import_id, recommendation_id)
);
CREATE INDEX import_holds_recommendation ON import_holds (recommendation_id);

CREATE TABLE import_previews (
  id TEXT COLLATE "C" PRIMARY KEY,
  kind TEXT COLLATE "C" NOT NULL CHECK (kind IN ('recommendations', 'matrix')),
  plan_id TEXT COLLATE "C" NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  user_id TEXT COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  expires_at BIGINT NOT NULL,
  body TEXT COLLATE "C" NOT NULL,
  write_order BYTEA
);
CREATE INDEX import_previews_owner ON import_previews (kind, plan_id, user_id);

CREATE TABLE recommendation_sdgs (
  plan_id TEXT COLLATE "C" NOT NULL,
  target TEXT COLLATE "C" NOT NULL,
  goal BIGINT NOT NULL CHECK (goal BETWEEN 1 AND 17),
  recommendation_id TEXT COLLATE "C" NOT NULL REFERENCES recommendations (id) ON DELETE CASCADE,
  PRIMARY KEY (plan_id, target, recommendation_id)
);
CREATE INDEX recommendation_sdgs_goal ON recommendation_sdgs (plan_id, goal, recommendation_id);
CREATE INDEX recommendation_sdgs_recommendation ON recommendation_sdgs (recommendation_id);

-- The leading code of each stored SDG value: everything before the first space (migration 033).
-- json_each → jsonb_array_elements_text over the TEXT column parsed as JSON. SQLite's
-- CAST(code AS INTEGER) reads the leading digits ('16.3' → 16, '5.a' → 5, 'abc' → 0) and stops at
-- the ends of a 64-bit integer; PostgreSQL's cast would fail on '16.3' and on a run of 30 digits,
-- so the digits are read as NUMERIC first and held within BIGINT's range, giving the same goal.
CREATE VIEW recommendation_sdg_codes AS
  SELECT recommendation_id, plan_id, code,
         greatest(least(coalesce(substring(code FROM '^[+-]?[0-9]+')::numeric, 0),
                        9223372036854775807), -9223372036854775808)::bigint AS goal
    FROM (SELECT r.id AS recommendation_id, r.plan_id, split_part(trim(j.value), ' ', 1) AS code
            FROM recommendations r, jsonb_array_elements_text(r.sdg_targets::jsonb) AS j (value)) AS codes;

-- Tags and SDG targets follow a change of the lists (migrations 002, 033), as SQLite's
-- AFTER UPDATE OF triggers did; a new row's are written by the service that inserts it (037).
-- INSERT OR IGNORE → ON CONFLICT DO NOTHING, and NULL elements are left out: SQLite's OR IGNORE
-- also skips a row that breaks NOT NULL, PostgreSQL's ON CONFLICT only a duplicate key.
-- Every trigger function runs with the search_path it was created under (SET search_path FROM
-- CURRENT), so it finds Accord's tables whatever path the session that fires it has.
CREATE FUNCTION recommendations_au_tags() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  DELETE FROM recommendation_tags WHERE recommendation_id = NEW.id;
  INSERT INTO recommendation_tags (recommendation_id, plan_id, kind, value)
    SELECT NEW.id, NEW.plan_id, kind, value FROM (
      SELECT 'theme' AS kind, value FROM jsonb_array_elements_text(NEW.themes::jsonb) AS j (value)
      UNION SELECT 'state', value FROM jsonb_array_elements_text(NEW.recommending_states::jsonb) AS j (value)
      UNION SELECT 'affected', value FROM jsonb_array_elements_text(NEW.affected_persons::jsonb) AS j (value)
    ) AS tags WHERE value IS NOT NULL
    ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;
CREATE TRIGGER recommendations_au_tags AFTER UPDATE OF themes, recommending_states, affected_persons ON recommendations
  FOR EACH ROW EXECUTE FUNCTION recommendations_au_tags();

CREATE FUNCTION recommendations_au_sdgs() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  DELETE FROM recommendation_sdgs WHERE recommendation_id = NEW.id;
  INSERT INTO recommendation_sdgs (plan_id, target, goal, recommendation_id)
    SELECT plan_id, code, goal, recommendation_id FROM recommendation_sdg_codes
     WHERE recommendation_id = NEW.id AND goal BETWEEN 1 AND 17
    ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;
CREATE TRIGGER recommendations_au_sdgs AFTER UPDATE OF sdg_targets ON recommendations
  FOR EACH ROW EXECUTE FUNCTION recommendations_au_sdgs();

-- Organisations, actions, indicators.
CREATE TABLE plan_organisations (
  plan_id TEXT COLLATE "C" NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  organisation_id TEXT COLLATE "C" NOT NULL REFERENCES organisations (id),
  added_by TEXT COLLATE "C" NOT NULL REFERENCES users (id),
  added_at TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (plan_id, organisation_id)
);

CREATE TABLE actions (
  id TEXT COLLATE "C" PRIMARY KEY,
  plan_id TEXT COLLATE "C" NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  section_id TEXT COLLATE "C" NOT NULL REFERENCES sections (id) ON DELETE CASCADE,
  position BIGINT NOT NULL,
  title TEXT COLLATE "C" NOT NULL,
  description TEXT COLLATE "C" NOT NULL DEFAULT '',
  lead_agency_id TEXT COLLATE "C" REFERENCES organisations (id),
  start_at TEXT COLLATE "C",
  end_at TEXT COLLATE "C",
  status TEXT COLLATE "C" NOT NULL CHECK (status IN ('planned', 'in_progress', 'completed', 'delayed', 'cancelled')),
  budget_amount DOUBLE PRECISION,
  currency TEXT COLLATE "C",
  funding_source TEXT COLLATE "C",
  created_by TEXT COLLATE "C" NOT NULL REFERENCES users (id),
  created_at TEXT COLLATE "C" NOT NULL,
  updated_at TEXT COLLATE "C" NOT NULL,
  proposed_by_organisation_id TEXT COLLATE "C" REFERENCES organisations (id)
);
CREATE INDEX actions_section ON actions (section_id, position);
CREATE INDEX actions_plan ON actions (plan_id);

CREATE TABLE action_organisations (
  action_id TEXT COLLATE "C" NOT NULL REFERENCES actions (id) ON DELETE CASCADE,
  organisation_id TEXT COLLATE "C" NOT NULL REFERENCES organisations (id),
  role TEXT COLLATE "C" NOT NULL CHECK (role IN ('co_implementer', 'cso_partner')),
  position BIGINT NOT NULL,
  PRIMARY KEY (action_id, role, organisation_id)
);

CREATE TABLE action_recommendations (
  action_id TEXT COLLATE "C" NOT NULL REFERENCES actions (id) ON DELETE CASCADE,
  recommendation_id TEXT COLLATE "C" NOT NULL REFERENCES recommendations (id) ON DELETE CASCADE,
  PRIMARY KEY (action_id, recommendation_id)
);
CREATE INDEX action_recommendations_recommendation ON action_recommendations (recommendation_id, action_id);

-- recommendations.action_count counts links of actions not in the bin (migrations 002, 014).
-- SQLite tested "is the action's section in the bin" in the trigger's WHEN; PostgreSQL allows no
-- subquery there, so the function tests it. Row triggers fire for cascaded deletes on both engines.
CREATE FUNCTION action_recommendations_count() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
  link action_recommendations;
BEGIN
  IF TG_OP = 'INSERT' THEN link := NEW; ELSE link := OLD; END IF;
  IF NOT EXISTS (SELECT 1 FROM actions a JOIN sections s ON s.id = a.section_id
                  WHERE a.id = link.action_id AND s.deleted_at IS NOT NULL) THEN
    UPDATE recommendations SET action_count = action_count + (CASE WHEN TG_OP = 'INSERT' THEN 1 ELSE -1 END)
     WHERE id = link.recommendation_id;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER action_recommendations_ai AFTER INSERT ON action_recommendations
  FOR EACH ROW EXECUTE FUNCTION action_recommendations_count();
CREATE TRIGGER action_recommendations_ad AFTER DELETE ON action_recommendations
  FOR EACH ROW EXECUTE FUNCTION action_recommendations_count();

-- A section moved to the bin takes its actions' links out of the counts; restored, puts them back.
CREATE FUNCTION sections_bin_counts() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
  sign BIGINT := CASE WHEN NEW.deleted_at IS NOT NULL THEN -1 ELSE 1 END;
BEGIN
  UPDATE recommendations SET action_count = action_count + sign * (
      SELECT count(*) FROM action_recommendations ar JOIN actions a ON a.id = ar.action_id
       WHERE a.section_id = NEW.id AND ar.recommendation_id = recommendations.id)
   WHERE id IN (SELECT ar.recommendation_id FROM action_recommendations ar JOIN actions a ON a.id = ar.action_id
                 WHERE a.section_id = NEW.id);
  RETURN NULL;
END $$;
CREATE TRIGGER sections_to_bin AFTER UPDATE OF deleted_at ON sections
  FOR EACH ROW WHEN (OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL) EXECUTE FUNCTION sections_bin_counts();
CREATE TRIGGER sections_from_bin AFTER UPDATE OF deleted_at ON sections
  FOR EACH ROW WHEN (OLD.deleted_at IS NOT NULL AND NEW.deleted_at IS NULL) EXECUTE FUNCTION sections_bin_counts();

CREATE TABLE indicators (
  id TEXT COLLATE "C" PRIMARY KEY,
  action_id TEXT COLLATE "C" NOT NULL REFERENCES actions (id) ON DELETE CASCADE,
  position BIGINT NOT NULL,
  type TEXT COLLATE "C" NOT NULL CHECK (type IN ('structural', 'process', 'outcome')),
  description TEXT COLLATE "C" NOT NULL,
  unit TEXT COLLATE "C",
  baseline_value TEXT COLLATE "C",
  baseline_year BIGINT,
  target_value TEXT COLLATE "C",
  target_year BIGINT,
  data_source TEXT COLLATE "C",
  frequency TEXT COLLATE "C",
  disaggregation TEXT COLLATE "C" NOT NULL DEFAULT '[]',
  proposed_by_organisation_id TEXT COLLATE "C" REFERENCES organisations (id),
  created_at TEXT COLLATE "C" NOT NULL,
  updated_at TEXT COLLATE "C" NOT NULL
);
CREATE INDEX indicators_action ON indicators (action_id, position);

CREATE TABLE action_numbers (
  plan_id TEXT COLLATE "C" NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  action_id TEXT COLLATE "C" NOT NULL,
  number BIGINT NOT NULL CHECK (number > 0),
  PRIMARY KEY (plan_id, action_id),
  UNIQUE (plan_id, number)
);

-- Agreement: sign-offs, rules, the audit log.
CREATE TABLE section_signoffs (
  id TEXT COLLATE "C" PRIMARY KEY,
  section_id TEXT COLLATE "C" NOT NULL REFERENCES sections (id) ON DELETE CASCADE,
  user_id TEXT COLLATE "C" NOT NULL REFERENCES users (id),
  organisation_id TEXT COLLATE "C" NOT NULL REFERENCES organisations (id),
  side TEXT COLLATE "C" NOT NULL CHECK (side IN ('government', 'civil_society', 'independent', 'international')),
  content_hash TEXT COLLATE "C" NOT NULL,
  signed_at TEXT COLLATE "C" NOT NULL,
  withdrawn_at TEXT COLLATE "C",
  withdrawn_reason TEXT COLLATE "C",
  reservation TEXT COLLATE "C",
  withdrawn_by TEXT COLLATE "C" REFERENCES users (id),
  withdrawn_by_name TEXT COLLATE "C",
  state_vector BYTEA,
  signer_role TEXT COLLATE "C" CHECK (signer_role IN ('coordinator', 'drafter', 'commenter', 'observer'))
);
CREATE INDEX section_signoffs_section ON section_signoffs (section_id, signed_at);
CREATE UNIQUE INDEX section_signoffs_active ON section_signoffs (section_id, user_id) WHERE withdrawn_at IS NULL;

CREATE TABLE plan_signoff_rules (
  plan_id TEXT COLLATE "C" PRIMARY KEY REFERENCES plans (id) ON DELETE CASCADE,
  rule TEXT COLLATE "C" NOT NULL,
  updated_by TEXT COLLATE "C" REFERENCES users (id),
  updated_at TEXT COLLATE "C" NOT NULL
);

CREATE TABLE chapter_signoff_rules (
  chapter_id TEXT COLLATE "C" PRIMARY KEY REFERENCES chapters (id) ON DELETE CASCADE,
  plan_id TEXT COLLATE "C" NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  rule TEXT COLLATE "C" NOT NULL,
  updated_by TEXT COLLATE "C" REFERENCES users (id) ON DELETE SET NULL,
  updated_at TEXT COLLATE "C" NOT NULL
);
CREATE INDEX chapter_signoff_rules_plan ON chapter_signoff_rules (plan_id);

CREATE TABLE audit_log (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  plan_id TEXT COLLATE "C" NOT NULL,
  at TEXT COLLATE "C" NOT NULL,
  actor_id TEXT COLLATE "C",
  actor_name TEXT COLLATE "C" NOT NULL,
  actor_organisation TEXT COLLATE "C" NOT NULL,
  actor_role TEXT COLLATE "C",
  action TEXT COLLATE "C" NOT NULL,
  target_type TEXT COLLATE "C" NOT NULL,
  target_id TEXT COLLATE "C",
  summary TEXT COLLATE "C" NOT NULL,
  details TEXT COLLATE "C" NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_plan ON audit_log (plan_id, id);
CREATE INDEX audit_log_plan_action ON audit_log (plan_id, action, id);
CREATE INDEX audit_log_target ON audit_log (plan_id, target_type, target_id, id);

-- The audit log is append-only (SQLite: BEFORE UPDATE/DELETE triggers that RAISE(ABORT)).
-- PostgreSQL also has TRUNCATE, which fires no row trigger: refused by a statement trigger.
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END $$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- Comments, suggestions, versions.
CREATE TABLE comment_threads (
  id TEXT COLLATE "C" PRIMARY KEY,
  plan_id TEXT COLLATE "C" NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  section_id TEXT COLLATE "C" NOT NULL REFERENCES sections (id) ON DELETE CASCADE,
  anchor_start BYTEA NOT NULL,
  anchor_end BYTEA NOT NULL,
  quote TEXT COLLATE "C" NOT NULL,
  status TEXT COLLATE "C" NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
  resolved_by TEXT COLLATE "C" REFERENCES users (id) ON DELETE SET NULL,
  resolved_at TEXT COLLATE "C",
  created_by TEXT COLLATE "C" NOT NULL REFERENCES users (id),
  created_at TEXT COLLATE "C" NOT NULL
);
CREATE INDEX comment_threads_section ON comment_threads (section_id, status);
CREATE INDEX comment_threads_plan_open ON comment_threads (plan_id, status);

CREATE TABLE comments (
  id TEXT COLLATE "C" PRIMARY KEY,
  thread_id TEXT COLLATE "C" NOT NULL REFERENCES comment_threads (id) ON DELETE CASCADE,
  author_id TEXT COLLATE "C" NOT NULL REFERENCES users (id),
  body TEXT COLLATE "C" NOT NULL,
  mentions TEXT COLLATE "C" NOT NULL DEFAULT '[]',
  created_at TEXT COLLATE "C" NOT NULL,
  edited_at TEXT COLLATE "C",
  deleted_at TEXT COLLATE "C"
);
CREATE INDEX comments_thread ON comments (thread_id, created_at);
CREATE INDEX comments_author ON comments (author_id);

CREATE TABLE plan_suggestion_rules (
  plan_id TEXT COLLATE "C" PRIMARY KEY REFERENCES plans (id) ON DELETE CASCADE,
  rule TEXT COLLATE "C" NOT NULL,
  updated_by TEXT COLLATE "C" REFERENCES users (id),
  updated_at TEXT COLLATE "C" NOT NULL
);

CREATE TABLE suggestion_decisions (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  plan_id TEXT COLLATE "C" NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  section_id TEXT COLLATE "C" NOT NULL REFERENCES sections (id) ON DELETE CASCADE,
  suggestion_id TEXT COLLATE "C" NOT NULL,
  decision TEXT COLLATE "C" NOT NULL CHECK (decision IN ('accept', 'reject')),
  kind TEXT COLLATE "C" NOT NULL CHECK (kind IN ('insert', 'delete', 'replace', 'format', 'block')),
  inserted TEXT COLLATE "C" NOT NULL,
  deleted TEXT COLLATE "C" NOT NULL,
  author_id TEXT COLLATE "C",
  author_name TEXT COLLATE "C" NOT NULL,
  author_organisation TEXT COLLATE "C" NOT NULL,
  decided_by TEXT COLLATE "C",
  decided_by_name TEXT COLLATE "C" NOT NULL,
  decided_by_organisation TEXT COLLATE "C" NOT NULL,
  decided_at TEXT COLLATE "C" NOT NULL,
  reason TEXT COLLATE "C",
  formatted TEXT COLLATE "C" NOT NULL DEFAULT '',
  format TEXT COLLATE "C",
  block TEXT COLLATE "C"
);
CREATE INDEX suggestion_decisions_section ON suggestion_decisions (section_id, id);

CREATE TABLE versions (
  id TEXT COLLATE "C" PRIMARY KEY,
  plan_id TEXT COLLATE "C" NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  section_id TEXT COLLATE "C" NOT NULL,
  section_title TEXT COLLATE "C" NOT NULL,
  group_id TEXT COLLATE "C",
  name TEXT COLLATE "C" NOT NULL,
  kind TEXT COLLATE "C" NOT NULL CHECK (kind IN ('manual', 'signoff', 'before_restore', 'restore', 'automatic')),
  created_by TEXT COLLATE "C" REFERENCES users (id) ON DELETE SET NULL,
  created_by_name TEXT COLLATE "C" NOT NULL,
  created_at TEXT COLLATE "C" NOT NULL,
  content_hash TEXT COLLATE "C" NOT NULL,
  snapshot BYTEA NOT NULL,
  text TEXT COLLATE "C" NOT NULL,
  actions TEXT COLLATE "C",
  edited_by TEXT COLLATE "C",
  label TEXT COLLATE "C"
);
CREATE INDEX versions_section ON versions (section_id, created_at);
CREATE INDEX versions_plan ON versions (plan_id, created_at);
CREATE INDEX versions_group ON versions (group_id) WHERE group_id IS NOT NULL;

-- Members, verification, positions, notices, accounts.
CREATE TABLE organisation_verifications (
  plan_id TEXT COLLATE "C" NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  organisation_id TEXT COLLATE "C" NOT NULL REFERENCES organisations (id),
  side TEXT COLLATE "C" NOT NULL CHECK (side IN ('government', 'civil_society', 'independent', 'international')),
  verified_by TEXT COLLATE "C" REFERENCES users (id),
  verified_at TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (plan_id, organisation_id)
);

CREATE TABLE dissenting_positions (
  id TEXT COLLATE "C" PRIMARY KEY,
  plan_id TEXT COLLATE "C" NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  section_id TEXT COLLATE "C" NOT NULL REFERENCES sections (id) ON DELETE CASCADE,
  action_id TEXT COLLATE "C" REFERENCES actions (id) ON DELETE SET NULL,
  action_title TEXT COLLATE "C",
  organisation_id TEXT COLLATE "C" NOT NULL REFERENCES organisations (id),
  user_id TEXT COLLATE "C" NOT NULL REFERENCES users (id),
  text TEXT COLLATE "C" NOT NULL,
  created_at TEXT COLLATE "C" NOT NULL,
  withdrawn_at TEXT COLLATE "C",
  withdrawn_by TEXT COLLATE "C" REFERENCES users (id)
);
CREATE INDEX dissenting_positions_section ON dissenting_positions (section_id, created_at);

CREATE TABLE notifications (
  id TEXT COLLATE "C" PRIMARY KEY,
  user_id TEXT COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  plan_id TEXT COLLATE "C" NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  kind TEXT COLLATE "C" NOT NULL,
  summary TEXT COLLATE "C" NOT NULL,
  link TEXT COLLATE "C",
  created_at TEXT COLLATE "C" NOT NULL,
  read_at TEXT COLLATE "C",
  text TEXT COLLATE "C"
);
CREATE INDEX notifications_user ON notifications (user_id, created_at);

CREATE TABLE password_resets (
  id TEXT COLLATE "C" PRIMARY KEY,
  token_hash TEXT COLLATE "C" NOT NULL UNIQUE,
  user_id TEXT COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  plan_id TEXT COLLATE "C" NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  created_by TEXT COLLATE "C" NOT NULL REFERENCES users (id),
  created_at TEXT COLLATE "C" NOT NULL,
  expires_at TEXT COLLATE "C" NOT NULL,
  used_at TEXT COLLATE "C"
);
CREATE INDEX password_resets_user ON password_resets (user_id);

CREATE TABLE trusted_devices (
  token_hash TEXT COLLATE "C" PRIMARY KEY,
  user_id TEXT COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at TEXT COLLATE "C" NOT NULL,
  last_used_at TEXT COLLATE "C" NOT NULL
);
CREATE INDEX trusted_devices_user ON trusted_devices (user_id, last_used_at);

-- Monitoring after adoption.
CREATE TABLE plan_adoptions (
  plan_id TEXT COLLATE "C" PRIMARY KEY REFERENCES plans (id) ON DELETE CASCADE,
  act_title TEXT COLLATE "C" NOT NULL,
  act_number TEXT COLLATE "C" NOT NULL DEFAULT '',
  act_date TEXT COLLATE "C" NOT NULL,
  act_url TEXT COLLATE "C",
  adopted_by TEXT COLLATE "C" REFERENCES users (id) ON DELETE SET NULL,
  adopted_by_name TEXT COLLATE "C" NOT NULL,
  adopted_at TEXT COLLATE "C" NOT NULL,
  version_group_id TEXT COLLATE "C" NOT NULL,
  content_hash TEXT COLLATE "C" NOT NULL,
  left_out TEXT COLLATE "C" NOT NULL DEFAULT '[]'
);

CREATE TABLE reporting_rounds (
  id TEXT COLLATE "C" PRIMARY KEY,
  plan_id TEXT COLLATE "C" NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  name TEXT COLLATE "C" NOT NULL,
  due_date TEXT COLLATE "C" NOT NULL,
  state TEXT COLLATE "C" NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'closed')),
  created_by TEXT COLLATE "C" REFERENCES users (id) ON DELETE SET NULL,
  created_at TEXT COLLATE "C" NOT NULL
);
CREATE INDEX reporting_rounds_plan ON reporting_rounds (plan_id, due_date);

CREATE TABLE progress_reports (
  id TEXT COLLATE "C" PRIMARY KEY,
  plan_id TEXT COLLATE "C" NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  action_id TEXT COLLATE "C" NOT NULL REFERENCES actions (id) ON DELETE CASCADE,
  round_id TEXT COLLATE "C" NOT NULL REFERENCES reporting_rounds (id) ON DELETE CASCADE,
  state TEXT COLLATE "C" NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'submitted')),
  status TEXT COLLATE "C" NOT NULL CHECK (status IN ('not_started', 'in_progress', 'completed', 'delayed', 'cancelled')),
  reason TEXT COLLATE "C" NOT NULL DEFAULT '',
  narrative TEXT COLLATE "C" NOT NULL DEFAULT '',
  spent_amount DOUBLE PRECISION,
  currency TEXT COLLATE "C",
  corrects TEXT COLLATE "C" REFERENCES progress_reports (id),
  author_id TEXT COLLATE "C" REFERENCES users (id) ON DELETE SET NULL,
  author_name TEXT COLLATE "C" NOT NULL,
  author_organisation_id TEXT COLLATE "C" NOT NULL REFERENCES organisations (id),
  created_at TEXT COLLATE "C" NOT NULL,
  updated_at TEXT COLLATE "C" NOT NULL,
  submitted_at TEXT COLLATE "C"
);
CREATE INDEX progress_reports_action ON progress_reports (action_id, round_id, created_at);
CREATE INDEX progress_reports_round ON progress_reports (round_id);
CREATE UNIQUE INDEX progress_reports_corrects ON progress_reports (corrects) WHERE corrects IS NOT NULL;

CREATE TABLE observed_values (
  id TEXT COLLATE "C" PRIMARY KEY,
  report_id TEXT COLLATE "C" NOT NULL REFERENCES progress_reports (id) ON DELETE CASCADE,
  indicator_id TEXT COLLATE "C" NOT NULL REFERENCES indicators (id) ON DELETE CASCADE,
  value DOUBLE PRECISION NOT NULL,
  observed_on TEXT COLLATE "C" NOT NULL,
  source TEXT COLLATE "C" NOT NULL DEFAULT '',
  disaggregated TEXT COLLATE "C" NOT NULL DEFAULT '[]'
);
CREATE INDEX observed_values_report ON observed_values (report_id);
CREATE INDEX observed_values_indicator ON observed_values (indicator_id);

CREATE TABLE evidence (
  id TEXT COLLATE "C" PRIMARY KEY,
  plan_id TEXT COLLATE "C" NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  report_id TEXT COLLATE "C" NOT NULL REFERENCES progress_reports (id) ON DELETE CASCADE,
  kind TEXT COLLATE "C" NOT NULL CHECK (kind IN ('link', 'file')),
  url TEXT COLLATE "C",
  label TEXT COLLATE "C" NOT NULL,
  mime_type TEXT COLLATE "C",
  size BIGINT,
  storage_key TEXT COLLATE "C",
  created_by TEXT COLLATE "C" REFERENCES users (id) ON DELETE SET NULL,
  created_at TEXT COLLATE "C" NOT NULL
);
CREATE INDEX evidence_report ON evidence (report_id);

CREATE TABLE assessments (
  id TEXT COLLATE "C" PRIMARY KEY,
  plan_id TEXT COLLATE "C" NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  round_id TEXT COLLATE "C" NOT NULL REFERENCES reporting_rounds (id) ON DELETE CASCADE,
  target_type TEXT COLLATE "C" NOT NULL CHECK (target_type IN ('action', 'recommendation')),
  target_id TEXT COLLATE "C" NOT NULL,
  organisation_id TEXT COLLATE "C" NOT NULL REFERENCES organisations (id),
  rating TEXT COLLATE "C" NOT NULL CHECK (rating IN ('not_implemented', 'partially_implemented', 'fully_implemented', 'no_information')),
  justification TEXT COLLATE "C" NOT NULL,
  evidence_links TEXT COLLATE "C" NOT NULL DEFAULT '[]',
  author_id TEXT COLLATE "C" REFERENCES users (id) ON DELETE SET NULL,
  author_name TEXT COLLATE "C" NOT NULL,
  created_at TEXT COLLATE "C" NOT NULL,
  updated_at TEXT COLLATE "C" NOT NULL,
  UNIQUE (round_id, target_type, target_id, organisation_id)
);
CREATE INDEX assessments_target ON assessments (target_type, target_id);

-- The public record.
CREATE TABLE plan_slugs (
  slug TEXT COLLATE "C" PRIMARY KEY,
  plan_id TEXT COLLATE "C" NOT NULL UNIQUE REFERENCES plans (id) ON DELETE CASCADE
);

CREATE TABLE publications (
  id TEXT COLLATE "C" PRIMARY KEY,
  plan_id TEXT COLLATE "C" NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  slug TEXT COLLATE "C" NOT NULL REFERENCES plan_slugs (slug),
  kind TEXT COLLATE "C" NOT NULL CHECK (kind IN ('adopted', 'consultation')),
  published_at TEXT COLLATE "C" NOT NULL,
  published_by TEXT COLLATE "C" NOT NULL REFERENCES users (id),
  published_by_name TEXT COLLATE "C" NOT NULL,
  snapshot TEXT COLLATE "C" NOT NULL,
  hash TEXT COLLATE "C" NOT NULL,
  ended_at TEXT COLLATE "C",
  ended_by TEXT COLLATE "C" REFERENCES users (id),
  ended_reason TEXT COLLATE "C" CHECK (ended_reason IN ('replaced', 'unpublished'))
);
CREATE UNIQUE INDEX publications_in_force ON publications (plan_id) WHERE ended_at IS NULL;
CREATE INDEX publications_slug ON publications (slug, id, hash) WHERE ended_at IS NULL;
CREATE INDEX publications_plan ON publications (plan_id, published_at);

-- Exports.
CREATE TABLE exports (
  id TEXT COLLATE "C" PRIMARY KEY,
  plan_id TEXT COLLATE "C" NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  created_by TEXT COLLATE "C" NOT NULL REFERENCES users (id),
  format TEXT COLLATE "C" NOT NULL,
  scope TEXT COLLATE "C" NOT NULL CHECK (scope IN ('agreed', 'current')),
  version_group_id TEXT COLLATE "C",
  version_name TEXT COLLATE "C",
  state TEXT COLLATE "C" NOT NULL CHECK (state IN ('running', 'done', 'failed')),
  error TEXT COLLATE "C",
  file TEXT COLLATE "C" NOT NULL,
  content_type TEXT COLLATE "C" NOT NULL,
  filename TEXT COLLATE "C",
  title TEXT COLLATE "C",
  size_bytes BIGINT,
  total BIGINT NOT NULL DEFAULT 0,
  created_at TEXT COLLATE "C" NOT NULL,
  finished_at TEXT COLLATE "C",
  language TEXT COLLATE "C" NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'ru', 'be')),
  error_code TEXT COLLATE "C",
  owner TEXT COLLATE "C"
);
CREATE INDEX exports_plan ON exports (plan_id, created_at);

-- Groups of recommendations that say the same thing.
CREATE TABLE recommendation_groups (
  id TEXT COLLATE "C" PRIMARY KEY,
  plan_id TEXT COLLATE "C" NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  status TEXT COLLATE "C" NOT NULL CHECK (status IN ('proposed', 'confirmed')),
  score DOUBLE PRECISION NOT NULL,
  proposed_by TEXT COLLATE "C" NOT NULL REFERENCES users (id),
  proposed_at TEXT COLLATE "C" NOT NULL,
  confirmed_by TEXT COLLATE "C" REFERENCES users (id),
  confirmed_at TEXT COLLATE "C",
  CHECK ((status = 'confirmed') = (confirmed_at IS NOT NULL AND confirmed_by IS NOT NULL))
);
CREATE INDEX recommendation_groups_plan ON recommendation_groups (plan_id, status, score);

CREATE TABLE recommendation_group_members (
  group_id TEXT COLLATE "C" NOT NULL REFERENCES recommendation_groups (id) ON DELETE CASCADE,
  recommendation_id TEXT COLLATE "C" NOT NULL UNIQUE REFERENCES recommendations (id) ON DELETE CASCADE,
  PRIMARY KEY (group_id, recommendation_id)
);

-- A recommendation deleted from a group of two leaves no group (migration 030). The WHEN of
-- SQLite's trigger held subqueries: tested in the function. The cascade from a deleted
-- recommendation runs after the recommendation's row is gone, on both engines.
CREATE FUNCTION recommendation_group_members_ad() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM recommendations WHERE id = OLD.recommendation_id)
     AND (SELECT count(*) FROM recommendation_group_members WHERE group_id = OLD.group_id) < 2 THEN
    DELETE FROM recommendation_groups WHERE id = OLD.group_id;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER recommendation_group_members_ad AFTER DELETE ON recommendation_group_members
  FOR EACH ROW EXECUTE FUNCTION recommendation_group_members_ad();

CREATE TABLE recommendation_group_dismissals (
  plan_id TEXT COLLATE "C" NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  members TEXT COLLATE "C" NOT NULL,
  dismissed_by TEXT COLLATE "C" NOT NULL REFERENCES users (id),
  dismissed_at TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (plan_id, members)
);

-- Re-imports of the implementation matrix.
CREATE TABLE matrix_imports (
  id TEXT COLLATE "C" PRIMARY KEY,
  plan_id TEXT COLLATE "C" NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  filename TEXT COLLATE "C" NOT NULL,
  created_by TEXT COLLATE "C" NOT NULL REFERENCES users (id),
  created_at TEXT COLLATE "C" NOT NULL,
  created BIGINT NOT NULL DEFAULT 0,
  updated BIGINT NOT NULL DEFAULT 0,
  undone_at TEXT COLLATE "C"
);
CREATE INDEX matrix_imports_plan ON matrix_imports (plan_id, created_at);

CREATE TABLE matrix_import_changes (
  import_id TEXT COLLATE "C" NOT NULL REFERENCES matrix_imports (id) ON DELETE CASCADE,
  seq BIGINT NOT NULL,
  item TEXT COLLATE "C" NOT NULL CHECK (item IN ('action', 'indicator')),
  item_id TEXT COLLATE "C" NOT NULL,
  kind TEXT COLLATE "C" NOT NULL CHECK (kind IN ('created', 'updated')),
  previous TEXT COLLATE "C",
  PRIMARY KEY (import_id, seq)
);
CREATE INDEX matrix_import_changes_item ON matrix_import_changes (item_id);
