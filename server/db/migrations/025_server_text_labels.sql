-- Names Accord gives versions ("Agreed text", "Restored “…”", "Adopted: …", "After edits by …")
-- were stored as English words, so every reader saw English. `label` holds what such a name says,
-- as JSON the browser words in the reader's language (shared/api/agreement.ts VersionLabel);
-- NULL for a name a person typed, which is shown as typed. `name` stays: the English wording, for
-- exports, the audit CSV and API users.
ALTER TABLE versions ADD COLUMN label TEXT;

UPDATE versions SET label = json_object('key', 'signoff') WHERE kind = 'signoff';
UPDATE versions SET label = json_object('key', 'automatic', 'editors', json(coalesce(edited_by, '[]'))) WHERE kind = 'automatic';
-- Versions kept before labels: the restored version is named by its English name, or as agreed
-- text when that is what it was.
UPDATE versions SET label = json_object('key', 'restored', 'from', json_object(
    'name', substr(name, 11, length(name) - 11),
    'label', CASE WHEN substr(name, 11, length(name) - 11) = 'Agreed text' THEN json_object('key', 'signoff') END))
  WHERE kind = 'restore' AND name LIKE 'Restored “%”';
UPDATE versions SET label = json_object('key', 'before_restore', 'from', json_object(
    'name', substr(name, 19, length(name) - 19),
    'label', CASE WHEN substr(name, 19, length(name) - 19) = 'Agreed text' THEN json_object('key', 'signoff') END))
  WHERE kind = 'before_restore' AND name LIKE 'Before restoring “%”';
-- The adoption's whole-plan version (server/services/monitoring/adoption.ts).
UPDATE versions SET label = json_object('key', 'adopted', 'act', substr(name, 10))
  WHERE kind = 'manual' AND group_id IS NOT NULL AND name LIKE 'Adopted: %'
    AND group_id IN (SELECT json_extract(details, '$.versionGroupId') FROM audit_log WHERE action = 'plan.adopted');

-- Notices were stored as English sentences too. `text` holds which sentence and its values, as
-- JSON the browser words in the reader's language (shared/api/agreement.ts NoticeText); NULL for
-- notices written before, which read as a general sentence for their kind. `summary` stays, for
-- the e-mail (English) and API users.
ALTER TABLE notifications ADD COLUMN text TEXT;
