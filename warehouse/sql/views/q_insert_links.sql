INSERT INTO study_links BY NAME SELECT * FROM staged_links
