-- Why a suggestion was rejected, when the person who rejected it said (optional).
ALTER TABLE suggestion_decisions ADD COLUMN reason TEXT;
