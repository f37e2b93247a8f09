-- PostgreSQL's twin of ../044_import_change_applied.sql: the fields an import left on a
-- recommendation it updated or filled in, so its undo keeps what people edited since.
ALTER TABLE import_changes ADD COLUMN applied TEXT COLLATE "C";
