-- The language a person's browser asked for (Accept-Language, picked by the rules the page uses:
-- be, ru or en) when they last signed in, set Accord up or accepted an invitation. Someone who never
-- chose a language (users.language NULL) reads Accord in this one, so their e-mails are written in
-- it too rather than in English. NULL until their browser first said.
ALTER TABLE users ADD COLUMN browser_language TEXT CHECK (browser_language IS NULL OR browser_language IN ('be', 'ru', 'en'));
