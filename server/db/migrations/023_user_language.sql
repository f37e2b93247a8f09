-- The language a person reads Accord in ('be', 'ru' or 'en'), chosen in the header and kept with
-- the account so it follows them to any browser. NULL until they choose: the browser's own
-- preference (or the choice made before signing in) applies until then.
ALTER TABLE users ADD COLUMN language TEXT CHECK (language IS NULL OR language IN ('be', 'ru', 'en'));
