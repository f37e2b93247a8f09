-- What an import wrote over a recommendation it updated (re-import) or filled in (another source):
-- its fields as the import left them, JSON like `previous`. Undoing the import gives back, field by
-- field, only what the import changed and what still holds the import's value: a field someone
-- edited by hand since keeps their edit (docs/decisions/0015-recommendations-from-two-sources.md).
-- NULL for changes recorded before this migration: their undo writes `previous` back whole, as it did.
ALTER TABLE import_changes ADD COLUMN applied TEXT;
