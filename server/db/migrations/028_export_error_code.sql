-- Why an export failed, as an error code (shared/api/errors.ts) people read in their own language:
-- it ran out of time or memory, or the server stopped under it (#14). `error` keeps the English
-- detail for logs and API users. Exports that failed before have no code and read as "failed".
ALTER TABLE exports ADD COLUMN error_code TEXT;
