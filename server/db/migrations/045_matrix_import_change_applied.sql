-- What a matrix import wrote over an action or indicator it updated: the fields it changed, as the
-- import left them, JSON like `previous`. Undoing the import gives back, field by field, only what
-- still holds the import's value: a field someone edited by hand since keeps their edit, as undoing
-- a recommendations import does (044, docs/decisions/0015-recommendations-from-two-sources.md).
-- NULL for changes recorded before this migration: their undo writes `previous` back whole, as it did.
ALTER TABLE matrix_import_changes ADD COLUMN applied TEXT;
