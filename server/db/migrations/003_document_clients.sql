-- Which person writes under each Yjs client id of a document. A client id is claimed by the first
-- person whose update carries it; updates from anyone else under that id are refused, so nobody
-- can pre-empt a colleague's next positions and make the server drop their real edits.
CREATE TABLE document_clients (
  document_name TEXT NOT NULL REFERENCES documents (name) ON DELETE CASCADE,
  client_id INTEGER NOT NULL,
  user_id TEXT NOT NULL,
  PRIMARY KEY (document_name, client_id)
);
