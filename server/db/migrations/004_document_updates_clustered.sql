-- Store each document's update log clustered by (document, sequence) in one B-tree. The previous
-- layout (rowid table with AUTOINCREMENT plus an index on the document) wrote three pages per
-- keystroke stored: the row, the index entry and the AUTOINCREMENT counter.
CREATE TABLE document_updates_clustered (
  document_name TEXT NOT NULL REFERENCES documents (name) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  data BLOB NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (document_name, seq)
) WITHOUT ROWID;
INSERT INTO document_updates_clustered (document_name, seq, data, created_at)
  SELECT document_name, id, data, created_at FROM document_updates;
DROP TABLE document_updates;
ALTER TABLE document_updates_clustered RENAME TO document_updates;
