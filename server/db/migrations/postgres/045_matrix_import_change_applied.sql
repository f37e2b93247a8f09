-- PostgreSQL's twin of ../045_matrix_import_change_applied.sql: the fields a matrix import left on
-- an action or indicator it updated, so its undo keeps what people edited since.
ALTER TABLE matrix_import_changes ADD COLUMN applied TEXT COLLATE "C";
