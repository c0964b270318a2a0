-- Version 1 -> 2, after schema.sql and migrate_v2_texts: copy the set-aside tables over, drop them.
INSERT INTO sections BY NAME SELECT * FROM sections_v1;
INSERT INTO tables BY NAME SELECT * FROM tables_v1;
INSERT INTO entities BY NAME SELECT * FROM entities_v1;
INSERT INTO findings BY NAME SELECT * FROM findings_v1;
DROP TABLE documents_v1;
DROP TABLE sections_v1;
DROP TABLE tables_v1;
DROP TABLE entities_v1;
DROP TABLE findings_v1;
