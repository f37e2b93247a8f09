-- The language an export's own words are written in (issue #17): past exports show it, so two
-- files of the same plan and day can be told apart. Exports made before were all in English.
ALTER TABLE exports ADD COLUMN language TEXT NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'ru', 'be'));
