-- Version 1 -> 2, before schema.sql runs: set aside the tables whose definition changed (a key
-- dropped; documents became document_chunks), so schema.sql creates them anew.
ALTER TABLE documents RENAME TO documents_v1;
ALTER TABLE sections RENAME TO sections_v1;
ALTER TABLE tables RENAME TO tables_v1;
ALTER TABLE entities RENAME TO entities_v1;
ALTER TABLE findings RENAME TO findings_v1;
