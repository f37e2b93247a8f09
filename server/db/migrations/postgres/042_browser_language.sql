-- PostgreSQL's twin of ../042_browser_language.sql: the language a person's browser asked for when
-- they last signed in, set Accord up or accepted an invitation; NULL until it first said.
ALTER TABLE users ADD COLUMN browser_language TEXT COLLATE "C" CHECK (browser_language IS NULL OR browser_language IN ('be', 'ru', 'en'));
